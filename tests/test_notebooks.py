"""Every notebook in notebooks/ runs top to bottom through the installed javadl kernel, cleanly.

A cell may show only the kinds of output its metadata lists under `javadl.expected_outputs`, and it must
show each of them: `stdout`/`stderr` for printed text, otherwise the MIME type that carries the picture or
table (`image/png`, `text/html`), or `text/plain` for a plain value. An error output always fails.
How the notebooks are run (data, run-size knobs, folders) is in executed_notebooks.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from conftest import KernelSession, build_clause, installed_torch_build, kernel_java_version, needs_no_gpu, png_size
from executed_notebooks import (
    FULL_SIZE,
    FULL_SIZE_RSS_LIMIT_MIB,
    PEAK_RSS,
    RSS_BASE_LIMIT_MIB,
    RSS_MORE_MIB,
    code_cells,
    describe,
    executed,
    kernel_env,
    output_kind,
    outputs_of,
)
from javadl.kernelspec import KERNEL_NAME
from javadl.project import NOTEBOOKS, pom_property

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_is_a_notebook():
    assert NOTEBOOK_FILES, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_uses_the_javadl_kernel(path: Path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.get("kernelspec", {}).get("name") == KERNEL_NAME


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_runs_without_errors(path: Path):
    for cell in code_cells(path.name):
        errors = [o for o in cell.outputs if o["output_type"] == "error"]
        assert not errors, f"{describe(cell)} failed:\n" + "\n".join(
            f"{e['ename']}: {e['evalue']}\n" + "\n".join(e.get("traceback", [])) for e in errors
        )


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_shows_exactly_the_outputs_it_expects(path: Path):
    for cell in code_cells(path.name):
        expected = set(cell.metadata.get("javadl", {}).get("expected_outputs", []))
        shown = {output_kind(o) for o in cell.outputs}
        unexpected = [o for o in cell.outputs if output_kind(o) not in expected]
        assert not unexpected, f"{describe(cell)} showed output its metadata does not expect: {unexpected}"
        assert expected <= shown, f"{describe(cell)} did not show {sorted(expected - shown)}"


def test_the_notebooks_kernel_has_binders_heap():
    """The memory test below means something only if the kernel's heap is what Binder's 2 GB gives it."""
    session = KernelSession(env=kernel_env())
    try:
        assert int(session.value("Runtime.getRuntime().maxMemory()")) == 2**30
    finally:
        session.close()


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_kernel_stays_within_its_measured_memory(path: Path):
    executed(path.name)
    limit_mib = (
        (FULL_SIZE_RSS_LIMIT_MIB if FULL_SIZE else RSS_BASE_LIMIT_MIB)
        + (RSS_MORE_MIB["jdk25"] if int(kernel_java_version()) >= 25 else 0)
        + (RSS_MORE_MIB["cuda"] if installed_torch_build() == "cuda" else 0)
    )
    peak_mib = PEAK_RSS[path.name] / 2**20
    assert peak_mib < limit_mib, (
        f"{path.name}: the kernel's peak resident memory was {peak_mib:.0f} MiB, over {limit_mib:.0f} MiB"
    )


class TestSetupCheck:
    """What 00-setup-check must show a learner: the versions, an array, a table and a chart."""

    NAME = "00-setup-check.ipynb"

    def outputs_of(self, cell_id: str) -> list[dict]:
        return outputs_of(self.NAME, cell_id)

    @needs_no_gpu
    def test_prints_the_version_line_with_the_build(self):
        text = "".join(o["text"] for o in self.outputs_of("nb00-02"))
        pattern = (
            rf"^Java {re.escape(kernel_java_version())}[.+]\S* \(.+\) "
            rf"\| DJL {re.escape(pom_property('djl.version'))} "
            rf"\| PyTorch {re.escape(pom_property('pytorch.version'))} "
            rf"\| {re.escape(build_clause())}$"
        )
        assert re.match(pattern, text.strip()), text

    def test_shows_the_sigmoid_array(self):
        text = self.outputs_of("nb00-04")[0]["data"]["text/plain"]
        assert text.startswith("ND: (13) cpu() float32"), text
        values = [float(v) for v in re.findall(r"\d\.\d+(?:e-?\d+)?", text.split("\n", 1)[1])]
        assert len(values) == 13 and values[6] == pytest.approx(0.5)
        assert values == sorted(values) and values[0] < 0.01 and values[-1] > 0.99

    def test_shows_the_table_as_html(self):
        html = self.outputs_of("nb00-06")[0]["data"]["text/html"]
        assert "<caption>sigmoid</caption>" in html
        assert "<th>x</th><th>sigmoid(x)</th>" in html
        assert html.count("<tr>") == 14  # the header and 13 rows
        assert "13 rows &times; 2 columns" in html

    def test_shows_the_chart_as_a_sharp_png(self):
        output = self.outputs_of("nb00-08")[0]
        assert png_size(output["data"]["image/png"]) == (1200, 700)  # drawn at twice its size ...
        assert output["metadata"]["image/png"] == {"width": 600, "height": 350}  # ... shown at its size

    def test_answer_1_shows_relu_as_a_table_and_a_chart(self):
        outputs = self.outputs_of("nb00-12")
        html = next(o["data"]["text/html"] for o in outputs if "text/html" in o["data"])
        values = [float(v) for v in re.findall(r"<td>(-?[\d.]+)</td><td>(-?[\d.]+)</td>", html) for v in v[1:]]
        assert values == [max(0.0, x) for x in range(-6, 7)]
        assert sum("image/png" in o["data"] for o in outputs) == 1

    def test_answer_2_finds_the_derivatives_peak_of_a_quarter(self):
        outputs = self.outputs_of("nb00-14")
        assert "largest value of the derivative: 0.2500\n" in "".join(o.get("text", "") for o in outputs)
        assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
