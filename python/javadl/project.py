"""The checkout this package belongs to: its root folder, the versions its root pom.xml declares, and paths shown
relative to it."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


def pom_property(name: str) -> str:
    """A property of the root pom.xml, where the build declares its versions once."""
    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    return ElementTree.parse(ROOT / "pom.xml").getroot().find(f"m:properties/m:{name}", namespace).text


def display(path: Path) -> str:
    """`path` relative to the checkout where it lies inside it, for messages."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)
