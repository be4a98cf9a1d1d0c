"""The few SVG primitives the course's figures are drawn with (tools/figures.py), and their fonts and colours.
Text is drawn in the reader's own sans-serif font, so a figure needs no network and no font file."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

FONT = "DejaVu Sans, Helvetica, Arial, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace"
INK, GREY, LIGHT = "#222222", "#8a8a8a", "#f2f2f2"
BLUE, ORANGE, GREEN, PURPLE = "#3b6fb6", "#e08a2e", "#3f9b57", "#8a5cb5"


@dataclass
class Svg:
    """An SVG document built from a few primitives, in user units (pixels at 100%)."""

    width: int
    height: int
    title: str
    parts: list[str] = field(default_factory=list)
    arrow_colours: set[str] = field(default_factory=set)

    def arrowhead(self, colour: str) -> str:
        self.arrow_colours.add(colour)
        return f' marker-end="url(#arrow-{colour[1:]})"'

    def rect(self, x, y, w, h, fill="none", stroke=INK, width=1.0, dash=None, rx=0) -> None:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width:g}"{dashes}/>'
        )

    def text(self, x, y, value, size=14, anchor="middle", fill=INK, mono=False, weight="normal") -> None:
        family = MONO if mono else FONT
        self.parts.append(
            f'<text x="{x:g}" y="{y:g}" font-family="{family}" font-size="{size:g}" '
            f'font-weight="{weight}" fill="{fill}" text-anchor="{anchor}" '
            f'dominant-baseline="central">{escape(str(value))}</text>'
        )

    def line(self, x1, y1, x2, y2, stroke=INK, width=1.5, arrow=False) -> None:
        self.path(f"M{x1:g},{y1:g} L{x2:g},{y2:g}", stroke, width, arrow)

    def path(self, d, stroke=INK, width=1.5, arrow=False, dash=None) -> None:
        marker = self.arrowhead(stroke) if arrow else ""
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{width:g}"{dashes}{marker}/>')

    def circle(self, x, y, r, fill="white", stroke=INK, width=1.5) -> None:
        self.parts.append(
            f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{fill}" stroke="{stroke}" stroke-width="{width:g}"/>'
        )

    def grid(self, x, y, values, cell, fills) -> None:
        """A table of numbers in square cells; `fills` maps (row, column) to a background colour."""
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                self.rect(
                    x + c * cell, y + r * cell, cell, cell, fill=fills.get((r, c), "white"), stroke=GREY, width=0.8
                )
                self.text(x + (c + 0.5) * cell, y + (r + 0.5) * cell, value, size=13)

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img">\n'
            f"<title>{escape(self.title)}</title>\n"
            "<defs>"
            + "".join(
                f'<marker id="arrow-{colour[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
                "</marker>"
                for colour in sorted(self.arrow_colours)
            )
            + "</defs>\n"
            f'<rect width="{self.width}" height="{self.height}" fill="white"/>\n'
        )
        return head + "\n".join(self.parts) + "\n</svg>\n"


def tint(colour: str, share: float = 0.22) -> str:
    """The colour mixed with white, `share` of it left: a background that keeps black numbers readable."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - v) * share):02x}" for v in (r, g, b))
