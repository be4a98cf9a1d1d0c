"""Rules for what is committed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat
import pytest

from javadl.project import NOTEBOOKS, ROOT, pom_property


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: a cell carries outputs; clear them (Edit > Clear Outputs of All Cells) and save"
            )


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_cell_has_an_id_of_its_notebook_that_the_tests_can_name(path):
    """The tests find a cell by its id (executed_notebooks.outputs_of), which stays when cells are added or edited."""
    ids = [cell.id for cell in nbformat.read(path, as_version=4).cells]
    assert len(set(ids)) == len(ids), f"{path.name}: two cells share an id"
    assert all(re.fullmatch(rf"nb{path.name[:2]}-\d\d", i) for i in ids), f"{path.name}: ids not nbNN-MM: {ids}"


def test_the_cuda_lock_pins_the_libtorch_of_the_java_build_with_hashes():
    lock = (ROOT / "requirements-torch-cuda.txt").read_text()
    requirements = [r for r in re.split(r"\n(?=\S)", lock) if r.strip() and not r.startswith("#")]

    assert re.search(rf"^torch=={re.escape(pom_property('pytorch.version'))} \\$", lock, re.MULTILINE), (
        "requirements-torch-cuda.txt pins another torch than pom.xml's pytorch.version"
    )
    for requirement in requirements:
        assert re.match(r"^[a-z0-9._-]+==\S+ \\\n(    --hash=sha256:[0-9a-f]{64}( \\\n|\n?$))+", requirement), (
            requirement
        )


@pytest.mark.parametrize("ci, summary", [("true", "1 failed, 2 skipped"), ("", "3 skipped")])
def test_in_ci_a_skip_fails_unless_contributing_names_it(tmp_path, ci, summary):
    (tmp_path / "test_skips.py").write_text(
        "import pytest\n"
        "from conftest import NO_GPU_REASON, NO_NOTES_REASON\n"
        "def test_needs_something_missing():\n"
        "    pytest.skip('nothing here to run it with')\n"
        "def test_needs_no_gpu():\n"
        "    pytest.skip(NO_GPU_REASON)\n"
        "def test_needs_the_notes():  # a fork's clone, without ../shared\n"
        "    pytest.skip(NO_NOTES_REASON + ' (../shared/course-notes)')\n"
    )
    env = dict(os.environ, CI=ci, PYTHONPATH=str(ROOT / "tests"))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            "-rs",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "test_skips.py"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )

    assert summary in run.stdout, run.stdout
    if ci:
        assert "CI must run this test, but it was skipped: nothing here to run it with" in run.stdout, run.stdout


@pytest.mark.parametrize(
    "message, ci_passes",
    [
        ("org.opentest4j.TestAbortedException: Assumption failed: Java 25 has no Thread.stop: the other branch", True),
        (
            "System property [javadl.shared.datasets] with value [] does not match regular expression [.+] ==&gt; the "
            "shared-data tier needs real CIFAR-10 batches: `make test` turns it on",
            True,
        ),
        ("org.opentest4j.TestAbortedException: Assumption failed: no network here", False),
    ],
)
def test_the_java_report_prints_each_skip_and_fails_ci_on_those_contributing_does_not_name(
    tmp_path, message, ci_passes
):
    reports = tmp_path / "lib" / "target" / "surefire-reports"
    reports.mkdir(parents=True)
    (reports / "TEST-io.javadl.SomeTest.xml").write_text(
        '<testsuite><testcase name="ran" classname="io.javadl.SomeTest"/>'
        f'<testcase name="skipped" classname="io.javadl.SomeTest"><skipped message="{message}"/></testcase>'
        "</testsuite>"
    )

    def report(ci: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "tests" / "surefire_report.py"), "lib"],
            cwd=tmp_path,
            env=dict(os.environ, CI=ci),
            capture_output=True,
            text=True,
        )

    local, ci = report(""), report("true")
    assert local.returncode == 0, local.stderr
    assert "Java tests: 2 (lib 2), 1 ran, 1 skipped" in local.stdout
    reason = message.split("Assumption failed: ")[-1].split("==&gt; ")[-1]
    assert f"SKIPPED [1] io.javadl.SomeTest: {reason}" in local.stdout, local.stdout
    assert (ci.returncode == 0) == ci_passes, ci.stdout + ci.stderr


DOC_PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_is_a_front_door_of_at_most_150_lines_with_a_picture():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", readme)
    assert pictures and all((ROOT / picture).is_file() for picture in pictures), pictures


@pytest.mark.parametrize("page", DOC_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_of_the_docs_to_a_file_of_the_project_finds_it(page):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
        if "://" not in target:
            assert (page.parent / target).exists(), f"{page.name} links {target}, which does not exist"
