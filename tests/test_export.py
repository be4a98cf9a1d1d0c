"""`make export`: every course notebook as a JShell script and as a Maven project (docs/programs.md). The projects
compile; 00, 03, 04 and 05 run in both forms and print what their executed notebooks show, and 09 runs in both at
the tests' size. A notebook written here has the cases JShell's meaning decides: a name declared in two cells, a
top-level `var`, a method that reads a variable a later cell declares, `display` and a live chart, and `%maven`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import build_clause, png_size
from executed_notebooks import code_cells, kernel_env, text_of
from javadl.project import NOTEBOOKS, ROOT

EXPORT = ROOT / "build" / "test-export"
CASES_EXPORT = ROOT / "build" / "test-export-cases"
RUNS = ROOT / "build" / "test-export-runs"
COURSE = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# what a program prints for a picture: the notebook's text for it, then the file it went to
PICTURE_LINE = re.compile(r"^(<.*>) \((figures/figure-\d\d\.png)\)$", re.M)
MAVEN = ["mvn", "--quiet", "--batch-mode", "-Dstyle.color=never"]
FORMS = ["jshell", "maven"]


def export(notebooks: list[Path], out: Path) -> subprocess.CompletedProcess:
    """`make export`'s command, into `out`."""
    return subprocess.run(
        [sys.executable, "-m", "javadl.export_notebook", "--out", str(out), *map(str, notebooks)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def exported(installed_library) -> Path:
    shutil.rmtree(EXPORT, ignore_errors=True)
    result = export([NOTEBOOKS / name for name in COURSE], EXPORT)
    assert result.returncode == 0, result.stderr
    return EXPORT


def run(form: str, folder: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    """Runs an exported notebook in a copy of its folder: its JShell script with jshell.sh, or its Maven project."""
    command = ["./jshell.sh"] if form == "jshell" else MAVEN + ["compile", "exec:java"]
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{form}: {result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def run_copy(exported: Path, stem: str, form: str, env: dict[str, str] | None = None) -> tuple[str, Path]:
    """A fresh copy of an export run in one form: what it printed (ANSI colours left out), and its folder.
    jshell goes on after a snippet fails, so its error stream must hold no error."""
    folder = RUNS / form / stem
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(exported / stem, folder)
    result = run(form, folder, env or kernel_env())
    failures = [line for line in result.stderr.splitlines() if re.match(r"(Exception|Error:|\|  )", line)]
    assert failures == [], f"{form} {stem}: {result.stderr[-3000:]}"
    return ANSI.sub("", result.stdout), folder


def pictures(printed: str, folder: Path) -> tuple[str, list[Path]]:
    """The printed text with each picture's line as the notebook's text for it, and the picture files named."""
    files = [folder / m.group(2) for m in PICTURE_LINE.finditer(printed)]
    return PICTURE_LINE.sub(r"\1", printed), files


def test_every_notebook_exports_to_a_script_and_a_project(exported):
    for name in COURSE:
        stem = Path(name).stem
        folder = exported / stem
        script = (folder / f"{stem}.jsh").read_text()
        ids = [c.id for c in nbformat.read(NOTEBOOKS / name, as_version=4).cells if c.cell_type == "code"]
        assert [line[len("// cell ") :] for line in script.splitlines() if line.startswith("// cell ")] == ids
        assert script.rstrip().endswith("/exit")
        assert (folder / "jshell.sh").stat().st_mode & 0o111
        [program] = (folder / "src" / "main" / "java" / "notebook").glob("*.java")
        main = program.read_text().split("public static void main(String[] args)")[1].split("\n    }\n")[0]
        calls = re.findall(r"cell_(\w+)\(\);", main)
        assert calls and set(calls) <= {i.replace("-", "_") for i in ids}, main
        assert "<artifactId>javadl-lib</artifactId>" in (folder / "pom.xml").read_text()


def test_every_exported_project_compiles(exported):
    modules = "".join(f"<module>{Path(name).stem}</module>" for name in COURSE)
    (exported / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>test</groupId>'
        f"<artifactId>all</artifactId><version>1</version><packaging>pom</packaging><modules>{modules}</modules>"
        "</project>"
    )
    result = subprocess.run(MAVEN + ["compile"], cwd=exported, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-5000:]
    for name in COURSE:
        assert list((exported / Path(name).stem / "target" / "classes" / "notebook").glob("*.class"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "name", ["00-setup-check.ipynb", "03-module.ipynb", "04-convolution.ipynb", "05-pooling.ipynb"]
)
def test_an_exported_notebook_prints_what_the_executed_notebook_shows(exported, name, form):
    printed, folder = run_copy(exported, Path(name).stem, form)
    cells = code_cells(name)

    text, files = pictures(printed, folder)

    expected = "".join(text_of(cell.outputs) for cell in cells)
    if form == "maven":  # the project brings PyTorch's CPU library (its pom.xml), whichever build the kernel has
        expected = expected.replace(build_clause(), "CPU build: cells run on the CPU")
    assert text == expected
    shown = [o for cell in cells for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(files) == len(shown)
    for file, output in zip(files, shown, strict=True):
        width, height = png_size(file.read_bytes())
        metadata = output.get("metadata", {}).get("image/png", {})
        assert (width, height) == (
            (2 * metadata["width"], 2 * metadata["height"]) if metadata else png_size(output["data"]["image/png"])
        )


# what depends on the machine's speed: seconds and images a second, and the history table's last column, seconds
TIMINGS = re.compile(r"\d+(?:\.\d+)? s \(\d+ images/s\)|(?<=\|)\s+\d+\.\d+\s+\|$", re.M)
# a live chart's series: a notebook keeps the chart's last state, a program prints the chart when it first shows it
# (and rewrites its file after)
SERIES = re.compile(r"(<XYChart '[^']*', \d+x\d+)[^>]*>")


def without_timings(text: str) -> str:
    return SERIES.sub(r"\1>", TIMINGS.sub("(time)", text))


@pytest.mark.parametrize("form", FORMS)
def test_the_capstone_runs_in_both_forms_at_the_tests_size(exported, form):
    name = "09-train-cifar10.ipynb"
    printed, folder = run_copy(exported, Path(name).stem, form)
    cells = code_cells(name)

    text, files = pictures(printed, folder)

    expected = "".join(text_of(cell.outputs) for cell in cells)
    assert without_timings(text).splitlines() == without_timings(expected).splitlines()
    assert len(files) == sum(1 for cell in cells for o in cell.outputs if "image/png" in o.get("data", {}))
    assert (folder / "models" / "09-train-cifar10").is_dir()


CASES = [
    (
        "case-1",
        "%maven org.apache.commons:commons-lang3:3.18.0\nimport org.apache.commons.lang3.StringUtils;\nint count = 2;",
    ),
    # a method that reads a variable only a later cell declares
    ("case-2", 'String describe() {\n    return "count " + count + ", label " + label;\n}'),
    # a top-level var, whose type JShell infers
    ("case-3", 'var label = StringUtils.reverse("abc");\ndescribe()'),
    # a name declared again with the same type; a value that is a call's result
    ("case-4", "int count = 5;  // again\nvar sizes = new ArrayList<Integer>();\nsizes.add(1);\nsizes"),
    (
        "case-5",
        "import java.awt.image.BufferedImage;\n"
        'LiveChart live = new LiveChart(LinePlot.titled("Live").xAxis("x").yAxis("y").size(200, 100));\n'
        'for (int i = 1; i <= 3; i++) {\n    live.add("squares", i, i * i);\n}\n'
        "String id = display(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB));\n"
        "describe()",
    ),
    # declared again without an initializer: JShell gives the new variable its default value
    ("case-6", 'int count;\nSystem.out.println(describe());\nSystem.out.printf("%d items%n", sizes.size())'),
]
# what each cell shows, worked out from Java's and JShell's rules (the kernel's run is compared too)
CASES_SHOW = [
    "",
    "",
    "count 2, label cba\n",
    "[1]\n",
    "<XYChart 'Live', 200x100>\n<image 4x3>\ncount 5, label cba\n",
    "count 0, label cba\n1 items\n",
]


def write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "javadl", "display_name": "Java (DJL)", "language": "java"}}
    )
    notebook.cells = [nbformat.v4.new_code_cell(source, id=cell_id) for cell_id, source in cells]
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def cases(installed_library, tmp_path_factory) -> Path:
    notebook = write_notebook(tmp_path_factory.mktemp("cases") / "jshell-cases.ipynb", CASES)
    shutil.rmtree(CASES_EXPORT, ignore_errors=True)
    result = export([notebook], CASES_EXPORT)
    assert result.returncode == 0, result.stderr
    return notebook


@pytest.mark.parametrize("form", FORMS)
def test_an_export_keeps_jshells_meaning(cases, form):
    printed, folder = run_copy(CASES_EXPORT, "jshell-cases", form)

    text, files = pictures(printed, folder)

    assert SERIES.sub(r"\1>", text) == "".join(CASES_SHOW)
    assert [png_size(f.read_bytes()) for f in files] == [(400, 200), (4, 3)]


def test_the_cases_show_in_the_kernel_what_the_exports_print(cases):
    from nbclient import NotebookClient

    notebook = nbformat.read(cases, as_version=4)
    NotebookClient(notebook, kernel_name="javadl", timeout=300).execute(env=kernel_env())

    shown = [SERIES.sub(r"\1>", text_of(cell.outputs)) for cell in notebook.cells]
    assert shown == CASES_SHOW


def test_percent_maven_becomes_a_dependency_of_both_forms(cases):
    folder = CASES_EXPORT / "jshell-cases"
    dependency = (
        "<groupId>org.apache.commons</groupId>\n      <artifactId>commons-lang3</artifactId>\n"
        "      <version>3.18.0</version>"
    )
    assert dependency in (folder / "pom.xml").read_text()
    assert dependency in (folder / "magics" / "pom.xml").read_text()
    assert (
        "// %maven org.apache.commons:commons-lang3:3.18.0  (a JJava magic, not Java: jshell.sh adds this to the "
        "class path)"
    ) in (folder / "jshell-cases.jsh").read_text()


def test_a_name_declared_again_with_another_type_is_refused_with_the_cell_and_the_fix(tmp_path):
    notebook = write_notebook(tmp_path / "two-types.ipynb", [("first", "int n = 1;"), ("second", 'String n = "x";')])

    result = export([notebook], tmp_path / "out")

    assert result.returncode == 1
    assert (
        "two-types.ipynb, cell second: n is declared again, as String where it was int; JShell replaces the "
        "variable, but a Java class cannot hold two fields of one name: rename one of them"
    ) in result.stderr
    assert not (tmp_path / "out" / "two-types").exists()


def test_a_file_that_is_no_notebook_is_named_in_the_error(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')

    result = export([broken], tmp_path / "out")

    assert result.returncode == 1
    assert f"error: {broken}: not a Jupyter notebook, whose file is JSON" in result.stderr


def test_the_docs_show_what_the_export_writes(exported):
    blocks = re.findall(r"```java\n(.*?)```", (ROOT / "docs" / "programs.md").read_text(), re.S)
    [script_excerpt, program_excerpt] = blocks

    assert script_excerpt in (exported / "00-setup-check" / "00-setup-check.jsh").read_text()
    assert program_excerpt in (exported / "04-convolution" / "src/main/java/notebook/Convolution.java").read_text()
    assert "[docs/programs.md](docs/programs.md)" in (ROOT / "README.md").read_text()
