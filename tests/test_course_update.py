"""Course updates in a learner's work folder (python/javadl/course_update.py, run by docker/start-server.sh): two
versions of a small course written here, a learner who edits, leaves alone, deletes and runs notebooks, the migration
of a folder whose marker holds a date only, a second update that changes nothing, unreadable notebooks, and the image's
start script itself with a fake server (the course update, and PyTorch's threads under a CPU limit)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from javadl import course_update
from javadl.course_update import MARKER, course_files, signature, update
from javadl.project import ROOT

DAY = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)
NEXT_DAY = datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc)
BESIDE = "01-edited (course 2026-12-07).ipynb"


def notebook(*sources: str) -> dict:
    """A notebook as the course commits it: a cell per source (markdown where it starts with `#`), no outputs."""
    cells = []
    for number, source in enumerate(sources):
        if source.startswith("#"):
            cells.append({"cell_type": "markdown", "id": f"c{number}", "metadata": {}, "source": source})
        else:
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"c{number}",
                    "metadata": {},
                    "outputs": [],
                    "source": source,
                }
            )
    return {"cells": cells, "metadata": {"kernelspec": {"name": "javadl"}}, "nbformat": 4, "nbformat_minor": 5}


def write_notebook(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def run_as_jupyterlab_saves_it(path: Path) -> None:
    """What running every cell and saving does: outputs, execution counts and metadata change, sources are saved as
    lists of lines, the JSON is laid out differently; no source changes."""
    content = read_notebook(path)
    for count, cell in enumerate(content["cells"], 1):
        cell["source"] = cell["source"].splitlines(keepends=True) if isinstance(cell["source"], str) else cell["source"]
        if cell["cell_type"] == "code":
            cell["execution_count"] = count
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": [f"ran {count}\n"]}]
            cell["metadata"]["execution"] = {"iopub.status.idle": "2026-12-01T10:00:00Z"}
    content["metadata"]["language_info"] = {"name": "java", "version": "25"}
    path.write_text(json.dumps(content, indent=2, sort_keys=True), encoding="utf-8")


def edit_a_cell(path: Path, index: int, source: str) -> None:
    content = read_notebook(path)
    content["cells"][index]["source"] = source
    write_notebook(path, content)


@pytest.fixture
def courses(tmp_path) -> tuple[Path, Path]:
    """Version 1 and version 2 of a course: v2 changes 01 to 04 and the figure, keeps 06, adds 05 and a figure."""
    v1, v2 = tmp_path / "course-v1", tmp_path / "course-v2"
    for course, version in ((v1, "v1"), (v2, "v2")):
        write_notebook(course / "01-edited.ipynb", notebook("# 01 Edited", f'String version = "{version}";'))
        write_notebook(course / "02-alone.ipynb", notebook(f"# 02 Alone {version}", "int two = 2;"))
        write_notebook(course / "03-deleted.ipynb", notebook("# 03 Deleted", f"int three = 3; // {version}"))
        write_notebook(course / "04-ran.ipynb", notebook(f"# 04 Ran {version}", 'System.out.println("ran");'))
        write_notebook(course / "06-same.ipynb", notebook("# 06 The same in both", "int six = 6;"))
        (course / "figures").mkdir()
        (course / "figures" / "plot.svg").write_text(f"<svg><!-- {version} --></svg>\n")
    write_notebook(v2 / "05-new.ipynb", notebook("# 05 New in v2", "int five = 5;"))
    (v2 / "figures" / "new.svg").write_text("<svg><!-- new --></svg>\n")
    return v1, v2


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones too, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest(work: Path) -> dict[str, str]:
    return json.loads((work / MARKER).read_text())["files"]


def updated(course: Path, work: Path, now: datetime = DAY, **options) -> tuple[dict[str, tuple[str, str | None]], list]:
    """Runs an update; returns {course file: (what was done, the beside file)} and the log's lines."""
    lines: list[str] = []
    actions = update(course, work, now=now, log=lines.append, **options)
    assert [str(a) for a in actions] == lines[: len(actions)]
    return {a.name: (a.kind, a.beside) for a in actions}, lines


@pytest.fixture
def learner(tmp_path, courses) -> Path:
    """A learner's work folder given version 1, then: 01 edited, 02 left alone, 03 deleted, 04 run (outputs only)."""
    v1, _ = courses
    work = tmp_path / "work"
    done, _ = updated(v1, work)
    assert done == {name: ("added", None) for name in course_files(v1)}
    assert files_of(work).keys() - {MARKER} == files_of(v1).keys()
    edit_a_cell(work / "01-edited.ipynb", 1, 'String version = "mine"; // my answer')
    (work / "03-deleted.ipynb").unlink()
    run_as_jupyterlab_saves_it(work / "04-ran.ipynb")
    run_as_jupyterlab_saves_it(work / "06-same.ipynb")
    (work / "my-notes.txt").write_text("the learner's own file")
    return work


def test_a_notebook_signature_is_its_cells_sources_not_its_bytes(courses, learner):
    v1, _ = courses
    assert (learner / "04-ran.ipynb").read_bytes() != (v1 / "04-ran.ipynb").read_bytes()
    assert signature(learner / "04-ran.ipynb") == signature(v1 / "04-ran.ipynb")
    assert signature(learner / "01-edited.ipynb") != signature(v1 / "01-edited.ipynb")
    assert signature(v1 / "figures" / "plot.svg").startswith("bytes:")
    assert manifest(learner) == {name: signature(v1 / name) for name in course_files(v1)}


def test_an_update_follows_every_rule_and_keeps_the_learners_work(courses, learner):
    v1, v2 = courses
    edited = (learner / "01-edited.ipynb").read_bytes()
    same = (learner / "06-same.ipynb").read_bytes()

    done, lines = updated(v2, learner)

    assert done == {
        "01-edited.ipynb": ("kept", BESIDE),
        "02-alone.ipynb": ("updated", None),
        "03-deleted.ipynb": ("left deleted", None),
        "04-ran.ipynb": ("updated", None),
        "05-new.ipynb": ("added", None),
        "figures/new.svg": ("added", None),
        "figures/plot.svg": ("updated", None),
    }
    # a changed notebook is kept, and the new version goes beside it
    assert (learner / "01-edited.ipynb").read_bytes() == edited
    assert (learner / BESIDE).read_bytes() == (v2 / "01-edited.ipynb").read_bytes()
    # unchanged ones (run ones too: outputs are not the learner's writing) get the new version
    for name in ("02-alone.ipynb", "04-ran.ipynb", "figures/plot.svg"):
        assert (learner / name).read_bytes() == (v2 / name).read_bytes(), name
    # new ones are copied in, deleted ones stay deleted, one the course did not change is not touched (its outputs stay)
    assert (learner / "05-new.ipynb").read_bytes() == (v2 / "05-new.ipynb").read_bytes()
    assert (learner / "figures" / "new.svg").is_file()
    assert not (learner / "03-deleted.ipynb").exists()
    assert (learner / "06-same.ipynb").read_bytes() == same
    assert (learner / "my-notes.txt").read_text() == "the learner's own file"
    assert not list(learner.rglob("*.partial"))
    # the manifest records the new version of every course file, the deleted one too (so it stays deleted)
    assert manifest(learner) == {name: signature(v2 / name) for name in course_files(v2)}
    # one line per action in the log
    assert (
        f"course update: kept 01-edited.ipynb: changed by the learner; the course's new version is beside it: {BESIDE}"
        in lines
    )
    assert "course update: updated 02-alone.ipynb" in lines
    assert "course update: added 05-new.ipynb" in lines
    assert any(
        line.startswith("course update: left deleted 03-deleted.ipynb: deleted by the learner") for line in lines
    )
    assert len(lines) == len(done)


def test_a_second_update_changes_nothing(courses, learner):
    _, v2 = courses
    updated(v2, learner)
    before = files_of(learner)

    done, lines = updated(v2, learner, now=NEXT_DAY)

    assert done == {}
    assert lines == [f"course update: up to date with {v2}"]
    assert files_of(learner) == before


def test_the_next_update_puts_its_version_beside_again_and_a_learner_who_takes_the_new_version_gets_updates(
    courses, learner, tmp_path
):
    _, v2 = courses
    updated(v2, learner)
    v3 = tmp_path / "course-v3"
    shutil.copytree(v2, v3)
    edit_a_cell(v3 / "01-edited.ipynb", 1, 'String version = "v3";')

    done, _ = updated(v3, learner, now=NEXT_DAY)

    assert done == {"01-edited.ipynb": ("kept", "01-edited (course 2027-01-11).ipynb")}
    assert (learner / BESIDE).read_bytes() == (
        v2 / "01-edited.ipynb"
    ).read_bytes()  # the older one stays, the learner's

    # the same day again, with another version: a name of its own, nothing overwritten
    edit_a_cell(v3 / "01-edited.ipynb", 1, 'String version = "v3, corrected";')
    done, _ = updated(v3, learner, now=NEXT_DAY)
    assert done == {"01-edited.ipynb": ("kept", "01-edited (course 2027-01-11, 2).ipynb")}
    assert (learner / "01-edited (course 2027-01-11).ipynb").exists()

    # the learner takes the course's version in place of theirs: from then on it is updated like an untouched one
    os.replace(learner / "01-edited (course 2027-01-11, 2).ipynb", learner / "01-edited.ipynb")
    edit_a_cell(v3 / "01-edited.ipynb", 1, 'String version = "v4";')
    done, _ = updated(v3, learner, now=NEXT_DAY)
    assert done == {"01-edited.ipynb": ("updated", None)}
    assert (learner / "01-edited.ipynb").read_bytes() == (v3 / "01-edited.ipynb").read_bytes()


def test_a_learner_who_copies_a_deleted_notebook_back_from_the_image_gets_its_updates(courses, learner, tmp_path):
    _, v2 = courses
    updated(v2, learner)
    shutil.copyfile(v2 / "03-deleted.ipynb", learner / "03-deleted.ipynb")  # what docs/teaching.md shows
    assert updated(v2, learner)[0] == {}
    v3 = tmp_path / "course-v3"
    shutil.copytree(v2, v3)
    edit_a_cell(v3 / "03-deleted.ipynb", 1, "int three = 3; // v3")

    assert updated(v3, learner)[0] == {"03-deleted.ipynb": ("updated", None)}


def test_an_unreadable_notebook_of_the_learner_is_kept_with_a_message(courses, learner):
    _, v2 = courses
    (learner / "02-alone.ipynb").write_text('{"cells": [{"cell_type": "code", "sour')  # a save cut short
    (learner / "04-ran.ipynb").write_text('{"nbformat": 4}')  # JSON, but no cells
    (learner / "figures" / "plot.svg").unlink()
    (learner / "figures" / "plot.svg").mkdir()  # not even a file

    done, lines = updated(v2, learner)

    assert done["02-alone.ipynb"] == ("kept", "02-alone (course 2026-12-07).ipynb")
    assert done["04-ran.ipynb"] == ("kept", "04-ran (course 2026-12-07).ipynb")
    assert done["figures/plot.svg"] == ("kept", "figures/plot (course 2026-12-07).svg")
    assert (learner / "02-alone.ipynb").read_text() == '{"cells": [{"cell_type": "code", "sour'
    assert (learner / "02-alone (course 2026-12-07).ipynb").read_bytes() == (v2 / "02-alone.ipynb").read_bytes()
    assert (learner / "figures" / "plot.svg").is_dir()
    message = next(line for line in lines if "02-alone.ipynb" in line)
    assert message.startswith("course update: kept 02-alone.ipynb: cannot be read (not valid JSON (")
    assert "counts as changed; the course's new version is beside it: 02-alone (course 2026-12-07).ipynb" in message
    assert "no list of cells" in next(line for line in lines if "04-ran.ipynb" in line)
    assert updated(v2, learner)[0] == {}


def test_a_file_of_the_learner_with_the_name_of_a_new_course_file_is_kept(courses, learner):
    _, v2 = courses
    write_notebook(learner / "05-new.ipynb", notebook("# my own 05"))

    done, lines = updated(v2, learner)

    assert done["05-new.ipynb"] == ("kept", "05-new (course 2026-12-07).ipynb")
    assert read_notebook(learner / "05-new.ipynb")["cells"][0]["source"] == "# my own 05"
    assert "a file of the learner's has its name" in next(line for line in lines if "05-new.ipynb" in line)


def test_a_file_the_course_no_longer_has_stays_in_the_work_folder(courses, learner):
    _, v2 = courses
    (v2 / "02-alone.ipynb").unlink()

    done, _ = updated(v2, learner)

    assert done["02-alone.ipynb"] == ("left", None)
    assert (learner / "02-alone.ipynb").exists() and "02-alone.ipynb" not in manifest(learner)
    assert updated(v2, learner)[0] == {}


def test_an_update_interrupted_before_its_manifest_is_finished_by_the_next_one_without_copies(
    courses, learner, monkeypatch
):
    _, v2 = courses

    def cut(*_):
        raise OSError("the container was stopped")

    monkeypatch.setattr(course_update, "write_manifest", cut)
    with pytest.raises(OSError):
        updated(v2, learner)
    assert (learner / BESIDE).exists() and (learner / "05-new.ipynb").exists()
    monkeypatch.undo()

    done, _ = updated(v2, learner, now=NEXT_DAY)  # the container starts again on another day

    # what the first one copied is recognised: no second copy beside, nothing the learner changed replaced
    assert done == {"01-edited.ipynb": ("kept", BESIDE), "03-deleted.ipynb": ("left deleted", None)}
    assert [p.name for p in learner.glob("01-edited (course *).ipynb")] == [BESIDE]
    assert manifest(learner) == {name: signature(v2 / name) for name in course_files(v2)}


def test_a_file_that_cannot_be_written_is_reported_and_left_for_the_next_start(courses, learner):
    _, v2 = courses
    shutil.rmtree(learner / "figures")
    (learner / "figures").write_text("a file where the course has a folder")

    done, lines = updated(v2, learner)

    assert done["figures/new.svg"][0] == "failed"
    assert any(line.startswith("course update: failed figures/new.svg: ") for line in lines)
    assert done["figures/plot.svg"] == ("left deleted", None)  # the learner's file took the folder's place
    assert done["02-alone.ipynb"] == ("updated", None)  # the others go on
    assert "figures/new.svg" not in manifest(learner)
    assert (learner / "figures").read_text() == "a file where the course has a folder"

    (learner / "figures").unlink()
    assert updated(v2, learner)[0] == {"figures/new.svg": ("added", None)}


def date_marker_folder(course: Path, work: Path) -> None:
    """A work folder as the images before the manifest left it: the course copied by `cp`, a date in the marker."""
    shutil.copytree(course, work)
    (work / MARKER).write_text("2026-11-02T08:15:00Z\n")


def test_a_folder_with_a_date_only_marker_is_migrated_safely(courses, tmp_path):
    v1, v2 = courses
    work = tmp_path / "work"
    date_marker_folder(v1, work)
    shutil.rmtree(work / "figures")  # its image came before the figures
    edit_a_cell(work / "01-edited.ipynb", 1, 'String version = "mine";')
    (work / "03-deleted.ipynb").unlink()
    run_as_jupyterlab_saves_it(work / "06-same.ipynb")
    ran_same = (work / "06-same.ipynb").read_bytes()
    untouched = (work / "02-alone.ipynb").read_bytes()
    notebooks_of_those_images = frozenset(n for n in course_files(v1) if n.endswith(".ipynb"))

    done, _ = updated(v2, work, date_marker_notebooks=notebooks_of_those_images)

    assert done == {
        # no record of what was copied: a notebook that differs from the new version counts as changed, untouched
        # or not (02), and the new version goes beside it
        "01-edited.ipynb": ("kept", BESIDE),
        "02-alone.ipynb": ("kept", "02-alone (course 2026-12-07).ipynb"),
        "04-ran.ipynb": ("kept", "04-ran (course 2026-12-07).ipynb"),
        # one of those images' notebooks that is missing was deleted by the learner
        "03-deleted.ipynb": ("left deleted", None),
        # a notebook those images never had is new; other files are copied where they are missing
        "05-new.ipynb": ("added", None),
        "figures/new.svg": ("added", None),
        "figures/plot.svg": ("added", None),
    }
    assert (work / "02-alone.ipynb").read_bytes() == untouched
    assert (work / "06-same.ipynb").read_bytes() == ran_same  # the same sources as the new version: unchanged
    assert manifest(work) == {name: signature(v2 / name) for name in course_files(v2)}
    before = files_of(work)
    assert updated(v2, work, now=NEXT_DAY, date_marker_notebooks=notebooks_of_those_images)[0] == {}
    assert files_of(work) == before


def test_the_date_marker_notebooks_are_those_the_images_with_a_date_marker_copied():
    # the start script wrote a date-only marker from commit 20eae29 up to the commit before the manifest (544c35d)
    if not (ROOT / ".git").exists():
        pytest.skip("no git history here: the notebooks of those commits cannot be read")

    def notebooks_at(commit: str) -> set[str]:
        listing = subprocess.run(
            ["git", "-C", str(ROOT), "ls-tree", "--name-only", commit, "notebooks/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {Path(path).name for path in listing.split() if path.endswith(".ipynb")}

    assert course_update.DATE_MARKER_NOTEBOOKS == notebooks_at("20eae29") == notebooks_at("544c35d~1")


def real_course_changed(tmp_path: Path) -> Path:
    """The real course with 04's title cell and 05's first code cell changed, as a teacher's correction would."""
    v2 = tmp_path / "course-v2"
    shutil.copytree(ROOT / "notebooks", v2, ignore=shutil.ignore_patterns(".*", "logs", "models"))
    for name, cell_type in (("04-convolution.ipynb", "markdown"), ("05-pooling.ipynb", "code")):
        content = read_notebook(v2 / name)
        cell = next(c for c in content["cells"] if c["cell_type"] == cell_type)
        cell["source"] = "".join(cell["source"]) + "\n// corrected"
        write_notebook(v2 / name, content)
    return v2


def test_the_real_course_as_version_1(tmp_path):
    course, work = ROOT / "notebooks", tmp_path / "work"
    done, _ = updated(course, work)
    assert {name for name, (kind, _) in done.items() if kind == "added"} == set(course_files(course))
    assert {"04-convolution.ipynb", "figures/convolution.svg"} <= set(done)
    for name in course_files(course):
        assert (work / name).read_bytes() == (course / name).read_bytes(), name
    run_as_jupyterlab_saves_it(work / "04-convolution.ipynb")
    edit_a_cell(work / "05-pooling.ipynb", 2, "// my answer")
    v2 = real_course_changed(tmp_path)

    done, _ = updated(v2, work)

    assert done == {
        "04-convolution.ipynb": ("updated", None),
        "05-pooling.ipynb": ("kept", "05-pooling (course 2026-12-07).ipynb"),
    }
    assert read_notebook(work / "05-pooling.ipynb")["cells"][2]["source"] == "// my answer"


def test_a_learner_of_an_image_with_a_date_marker_keeps_the_real_course_as_it_was(tmp_path):
    course, work = ROOT / "notebooks", tmp_path / "work"
    date_marker_folder(course, work)
    (work / "03-module.ipynb").unlink()
    run_as_jupyterlab_saves_it(work / "09-train-cifar10.ipynb")
    before = files_of(work)

    done, _ = updated(course, work)

    assert done == {"03-module.ipynb": ("left deleted", None)}
    assert {k: v for k, v in files_of(work).items() if k != MARKER} == {k: v for k, v in before.items() if k != MARKER}


def test_the_update_uses_the_standard_library_only():
    for module in ("course_update", "files"):
        tree = ast.parse((ROOT / "python" / "javadl" / f"{module}.py").read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
        tops = {name.split(".")[0] for name in imported} - {"__future__", "javadl"}
        assert tops <= sys.stdlib_module_names, (module, tops - sys.stdlib_module_names)


@pytest.fixture
def fake_servers(tmp_path) -> Path:
    """`jupyter` and `jupyterhub-singleuser` that write their arguments and their OMP_NUM_THREADS to files and exit
    0."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("jupyter", "jupyterhub-singleuser"):
        (bin_dir / tool).write_text(
            f'#!/bin/sh\necho "{tool} $*" > "{tmp_path}/started"\n'
            f'echo "${{OMP_NUM_THREADS-unset}}" > "{tmp_path}/threads"\n'
        )
        (bin_dir / tool).chmod(0o755)
    return bin_dir


def start_server(fake_servers: Path, course: Path, work: Path, **env: str) -> subprocess.CompletedProcess:
    # the script finds the package itself, as in the image, and starts JupyterLab unless a hub's token is given
    environment = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTERHUB_API_TOKEN", "OMP_NUM_THREADS")
    }
    environment.update(PATH=f"{fake_servers}:{os.environ['PATH']}", JAVADL_COURSE=str(course), JAVADL_WORK=str(work))
    environment.update(env)
    return subprocess.run(
        [ROOT / "docker" / "start-server.sh", "--extra"], env=environment, capture_output=True, text=True, timeout=60
    )


def test_the_start_script_updates_the_course_then_starts_the_server(courses, tmp_path, fake_servers):
    v1, v2 = courses
    work = tmp_path / "work"

    first = start_server(fake_servers, v1, work)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [f"course update: added {name}" for name in course_files(v1)]
    assert (tmp_path / "started").read_text().split() == [
        "jupyter",
        "lab",
        "--ip=0.0.0.0",
        "--port=8888",
        "--no-browser",
        f"--ServerApp.root_dir={work}",
        "--extra",
    ]
    edit_a_cell(work / "01-edited.ipynb", 1, 'String version = "mine";')
    (work / "03-deleted.ipynb").unlink()
    run_as_jupyterlab_saves_it(work / "04-ran.ipynb")
    edited = (work / "01-edited.ipynb").read_bytes()

    second = start_server(fake_servers, v2, work)

    assert second.returncode == 0, second.stderr
    log = second.stdout.splitlines()
    [beside] = work.glob("01-edited (course *).ipynb")
    kept = "course update: kept 01-edited.ipynb: changed by the learner; the course's new version is beside it: "
    assert kept + beside.name in log
    assert {"course update: added 05-new.ipynb", "course update: updated 04-ran.ipynb"} <= set(log)
    assert len(log) == 7, log
    assert (work / "01-edited.ipynb").read_bytes() == edited
    assert beside.read_bytes() == (v2 / "01-edited.ipynb").read_bytes()
    assert not (work / "03-deleted.ipynb").exists()
    assert (work / "04-ran.ipynb").read_bytes() == (v2 / "04-ran.ipynb").read_bytes()
    assert manifest(work) == {name: signature(v2 / name) for name in course_files(v2)}
    before = files_of(work)

    again = start_server(fake_servers, v2, work, JUPYTERHUB_API_TOKEN="a-token")

    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"course update: up to date with {v2}"]
    assert (tmp_path / "started").read_text().split() == [
        "jupyterhub-singleuser",
        f"--ServerApp.root_dir={work}",
        "--extra",
    ]
    assert files_of(work) == before


def test_the_server_starts_even_when_the_update_cannot_run(tmp_path, fake_servers):
    work = tmp_path / "work"

    result = start_server(fake_servers, tmp_path / "no-course", work)

    assert result.returncode == 0
    assert f"course update: no course folder {tmp_path / 'no-course'}" in result.stderr
    assert "the server starts with the work folder as it is" in result.stderr
    assert (tmp_path / "started").read_text().startswith("jupyter lab")


@pytest.mark.parametrize(
    "files, threads",
    [
        ({"cpu.max": "150000 100000\n"}, "1"),  # v2, `--cpus=1.5`: whole cores
        ({"cpu.max": "400000 100000\n"}, "4"),
        ({"cpu.max": "50000 100000\n"}, "1"),  # at least one
        ({"cpu.max": "max 100000\n"}, "unset"),  # no limit: PyTorch's own choice, a thread per core
        ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, "2"),  # v1
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, "unset"),
        ({}, "unset"),  # no cgroup files at all
    ],
)
def test_the_start_script_gives_pytorch_as_many_threads_as_the_cpu_limit_has_cores(
    courses, tmp_path, fake_servers, files, threads
):
    cgroup = tmp_path / "cgroup"
    for name, text in files.items():
        (cgroup / name).parent.mkdir(parents=True, exist_ok=True)
        (cgroup / name).write_text(text)

    result = start_server(fake_servers, courses[0], tmp_path / "work", JAVADL_CGROUP_ROOT=str(cgroup))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "threads").read_text().strip() == threads


def test_a_thread_count_set_by_hand_is_kept(courses, tmp_path, fake_servers):
    (tmp_path / "cgroup").mkdir()
    (tmp_path / "cgroup" / "cpu.max").write_text("100000 100000\n")

    start_server(
        fake_servers, courses[0], tmp_path / "work", JAVADL_CGROUP_ROOT=str(tmp_path / "cgroup"), OMP_NUM_THREADS="3"
    )

    assert (tmp_path / "threads").read_text().strip() == "3"
