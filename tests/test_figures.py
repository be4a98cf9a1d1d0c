"""The course's figures (notebooks/figures/*.svg): drawn by tools/figures.py from the notes' inputs, each shown by a
notebook, self-contained, and with numbers that the notebooks' own cells compute with DJL."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import shown_figures
from executed_notebooks import outputs_of, tensor_rows, text_of
from javadl.project import NOTEBOOKS, ROOT
from notes_inputs import INPUT_5X5

sys.path.insert(0, str(ROOT / "tools"))
import figures  # noqa: E402

FIGURES = NOTEBOOKS / "figures"
SVG = "{http://www.w3.org/2000/svg}"


def test_the_committed_figures_are_what_the_generator_draws():
    drawn = figures.drawn()
    assert sorted(p.name for p in FIGURES.glob("*")) == sorted(drawn), "a figure without a drawing, or one not drawn"
    for name, svg in drawn.items():
        assert (FIGURES / name).read_text(encoding="utf-8") == svg, f"{name} is stale: run `make figures`"


def test_each_figure_is_shown_once_with_a_description_and_the_five_notebooks_show_theirs():
    shown = {path.name: shown_figures(path) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}
    paths = [path for images in shown.values() for _, path in images]
    assert sorted(paths) == sorted(f"figures/{p.name}" for p in FIGURES.glob("*.svg"))
    assert all(len(alt) > 40 for images in shown.values() for alt, _ in images), "alt text says what it shows"
    assert {name[:2] for name, images in shown.items() if images} == {"04", "05", "07", "08", "09"}


@pytest.mark.parametrize("name", sorted(figures.FIGURES_BY_NAME))
def test_a_figure_is_self_contained_svg_with_a_title(name: str):
    text = (FIGURES / name).read_text(encoding="utf-8")
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert len(root.find(f"{SVG}title").text) > 40
    assert not re.search(r"<script|<image|href=|url\((?!#)|@import", text), f"{name} refers to something outside it"


def test_the_inputs_are_the_notes():
    assert figures.INPUT == INPUT_5X5


@pytest.mark.parametrize(
    "cell_id, stride, padding", [("nb04-05", 1, 0), ("nb04-07", 2, 0), ("nb04-09", 1, 1)]
)  # output, output2 and output3
def test_the_convolution_figures_outputs_are_djls(cell_id: str, stride: int, padding: int):
    djl = tensor_rows(text_of(outputs_of("04-convolution.ipynb", cell_id)))
    assert figures.convolve(figures.INPUT, figures.KERNEL, stride, padding) == djl


@pytest.mark.parametrize("cell_id, ceil_mode", [("nb05-05", False), ("nb05-07", True)])  # tudui, tuduiCeil
def test_the_pooling_figures_outputs_are_djls(cell_id: str, ceil_mode: bool):
    djl = tensor_rows(text_of(outputs_of("05-pooling.ipynb", cell_id)))
    assert figures.max_pool(figures.INPUT, 3, ceil_mode) == djl


def test_the_cnn_figures_shapes_are_the_ones_djl_prints_for_the_course_cnn():
    printed = text_of(outputs_of("09-train-cifar10.ipynb", "nb09-05"))
    layers = re.findall(r"^\s+\w+\(.*\) -> \(([\d, ]+)\)$", printed, re.M)  # one line per layer, batch size first
    shapes = [tuple(int(v) for v in shape.split(", ")[1:]) for shape in layers]
    assert [stage.shape for stage in figures.course_cnn_stages()[1:]] == shapes
