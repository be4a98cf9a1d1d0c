"""Rules for what is committed."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT, pom_property


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name}: a cell carries outputs; clear them (Edit > Clear Outputs of All Cells) and save"


def test_the_cuda_lock_pins_the_libtorch_of_the_java_build_with_hashes():
    lock = (ROOT / "kernel" / "torch-cuda.txt").read_text()
    requirements = [r for r in re.split(r"\n(?=\S)", lock) if r.strip() and not r.startswith("#")]

    assert re.search(rf"^torch=={re.escape(pom_property('pytorch.version'))} \\$", lock, re.MULTILINE), \
        "kernel/torch-cuda.txt pins another torch than pom.xml's pytorch.version"
    for requirement in requirements:
        assert re.match(r"^[a-z0-9._-]+==\S+ \\\n(    --hash=sha256:[0-9a-f]{64}( \\\n|\n?$))+", requirement), requirement
