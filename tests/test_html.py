"""`make html`'s export: one self-contained page per executed notebook, and an index that links them."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ElementTree

import nbformat
import pytest

from conftest import shown_figures
from executed_notebooks import EXECUTED, executed, is_answer
from javadl.project import NOTEBOOKS
from javadl.site import export as export_html

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    for path in NOTEBOOK_FILES:
        executed(path.name)  # the runs the other tests use
    out = tmp_path_factory.mktemp("html")
    export_html.export([EXECUTED / p.name for p in NOTEBOOK_FILES], out, run=False)
    return out


def test_one_page_per_notebook_and_an_index_that_links_each_with_its_title(site):
    assert sorted(p.name for p in site.glob("*.html")) == sorted(
        [p.stem + ".html" for p in NOTEBOOK_FILES] + ["index.html"]
    )
    index = (site / "index.html").read_text()
    for path in NOTEBOOK_FILES:
        title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0][2:]
        assert f'<a href="{path.stem}.html">{title.replace("&", "&amp;")}</a>' in index
    assert not list(site.glob("*.partial"))


def test_the_index_links_the_licenses_and_the_credits_the_site_carries(site):
    index = (site / "index.html").read_text()
    for name, words in (
        ("LICENSE", "Apache License"),
        ("LICENSE-COURSE", "Attribution-ShareAlike 4.0"),
        ("NOTICE", "CIFAR-10"),
    ):
        assert f'href="{name}.txt"' in index, name
        assert words in (site / f"{name}.txt").read_text(), name
    notice = (site / "NOTICE.txt").read_text()
    assert "机器学习笔记20241017" in notice and "Krizhevsky" in notice and "not covered by LICENSE" in notice


def test_pictures_are_embedded_so_pages_show_them_offline(site):
    for path in NOTEBOOK_FILES:
        notebook = executed(path.name)
        pngs = sum("image/png" in o.get("data", {}) for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
        text = (site / f"{path.stem}.html").read_text()
        assert text.count('src="data:image/png;base64,') == pngs, path.name
        assert not re.search(r'<img[^>]+src="https?:', text), f"{path.name} has an image that needs the network"


def test_the_texts_figures_are_embedded_too(site):
    for path in NOTEBOOK_FILES:
        shown = [figure for _, figure in shown_figures(path)]
        text = (site / f"{path.stem}.html").read_text()
        embedded = re.findall(r'<img[^>]+src="data:image/svg\+xml;base64,([^"]+)"', text)
        assert len(embedded) == len(shown), path.name
        for figure, data in zip(shown, embedded, strict=True):
            assert base64.b64decode(data) == (NOTEBOOKS / figure).read_bytes(), (path.name, figure)
        assert 'src="figures/' not in text, f"{path.name} links a figure instead of embedding it"


def test_no_page_loads_a_script_from_the_network_except_mathjax_for_formulas(site):
    for page in site.glob("*.html"):
        sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page.read_text())
        external = [s for s in sources if re.match(r"(https?:)?//", s)]
        assert all("/mathjax/" in s for s in external), f"{page.name} loads {external}"


def test_a_page_shows_its_pictures_in_a_browser_without_network(site, chromium):
    context = chromium.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto((site / "04-convolution.html").as_uri())
    page.wait_for_load_state("load")
    sizes = page.locator("img").evaluate_all("images => images.map(i => [i.naturalWidth, i.naturalHeight])")
    figure = page.locator("img[alt^='The 5x5 input convolved']").evaluate("i => [i.naturalWidth, i.naturalHeight]")
    context.close()
    pngs = sum(
        "image/png" in o.get("data", {})
        for c in executed("04-convolution.ipynb").cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert len(sizes) == pngs + 1 and pngs > 0  # the outputs' pictures and the text's figure
    assert all(w > 0 and h > 0 for w, h in sizes), sizes
    svg = ElementTree.parse(NOTEBOOKS / "figures" / "convolution.svg").getroot()
    assert figure == [int(svg.get("width")), int(svg.get("height"))]  # the convolution figure, at its own size


def test_carriage_returns_of_progress_bars_are_collapsed(site):
    for page in site.glob("*.html"):
        assert "\r" not in page.read_text(), page.name


def test_each_worked_answer_stays_closed_until_opened_and_holds_its_code_and_output(site):
    for path in NOTEBOOK_FILES:
        answers = [c for c in executed(path.name).cells if is_answer(c)]
        text = (site / f"{path.stem}.html").read_text()
        closed = re.findall(
            r'<details class="javadl-answer"><summary>Show the answer</summary>(.*?)</details>', text, re.S
        )
        assert len(closed) == len(answers) > 0, path.name
        for answer, html in zip(answers, closed, strict=True):
            first_line = answer.source.splitlines()[0]
            assert first_line.removeprefix("// ") in html, (path.name, first_line)
            assert "jp-OutputArea-output" in html, (path.name, first_line)
