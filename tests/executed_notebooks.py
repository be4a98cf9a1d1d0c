"""Runs the course notebooks through the real javadl kernel, once per test session, and reads their outputs.

The notebooks read CIFAR-10 from `../shared/datasets` when it is there (as in CI). Elsewhere they read a small
CIFAR-format fixture that `cifar_fixture` writes, so that the suite runs on any machine; value tests compute
what they expect from the same files, so they hold on either. Runs are shrunk with the course's own knobs,
`JAVADL_DATASET_LIMIT` and `JAVADL_MAX_EPOCHS`. Each notebook runs in a fresh kernel, in its own empty folder
under build/runs/ (so its `logs/` are its own), and the executed copy is written to build/executed/.

With JAVADL_TEST_FULL_SIZE=1 (`make test-full-size`) the notebooks run at full size instead: no knobs, on the
shared CIFAR-10 batches (required then), in build/runs-full/ and build/executed-full/. `epochs` and `images` give
what a notebook then runs, and the tests that need full-length training check `FULL_SIZE`.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from cifar_fixture import write_fixture
from conftest import FULL_SIZE_ONLY_REASON
from javadl.kernelspec import KERNEL_NAME
from javadl.memory import resident_bytes
from javadl.project import NOTEBOOKS, ROOT

FULL_SIZE = os.environ.get("JAVADL_TEST_FULL_SIZE") == "1"
EXECUTED = ROOT / "build" / ("executed-full" if FULL_SIZE else "executed")
RUNS = ROOT / "build" / ("runs-full" if FULL_SIZE else "runs")
SHARED_DATASETS = (ROOT / ".." / "shared" / "datasets").resolve()
CIFAR_FOLDER = "cifar-10-batches-bin"
# the knobs at the tests' size (the image tier and the hub test pass them on too)
DATASET_LIMIT = 1000
MAX_EPOCHS = 2
# The kernel's peak resident memory at this size (1,000 images a split, 2 epochs), measured with the CPU build:
# up to 960 MiB on JDK 17 in the development VM's logged runs (07 the most: 741 to 960 MiB in 19 runs) and 1,034 MiB
# once for 07 in a CI run; 565 to 955 MiB on JDK 25 (08): about 180 MiB more, not broken down. The
# bound is JDK 17's largest with a fifth to spare, rounded up to 1.25 GiB, so that a notebook that starts to keep
# another copy of its data or its model fails here, plus 256 MiB on JDK 25 and newer and 256 MiB for PyTorch's CUDA
# build (about 170 MiB more measured, on a machine without a GPU). Binder's 2 GB at full size is a claim of its
# own, for the full dataset.
RSS_BASE_LIMIT_MIB = 1280
RSS_MORE_MIB = {"jdk25": 256, "cuda": 256}
# At full size the bound holds instead: 1.5 GB, with Binder's heap (docs/performance.md's notebook table has
# the peaks measured with the full download's 50,000 training images)
FULL_SIZE_RSS_LIMIT_MIB = 1.5e9 / 2**20


full_size_only = pytest.mark.skipif(not FULL_SIZE, reason=FULL_SIZE_ONLY_REASON)


def epochs(course_epochs: int) -> int:
    """The epochs a notebook's `epochs(course_epochs)` trains for in this run, as CourseSettings.epochs computes it."""
    return course_epochs if FULL_SIZE else min(course_epochs, MAX_EPOCHS)


def images(count: int) -> int:
    """How many of `count` images a split loads in this run."""
    return count if FULL_SIZE else min(count, DATASET_LIMIT)


@cache
def data_root() -> Path:
    """The JAVADL_DATA the notebooks read: the shared CIFAR-10 batches, or else a fixture in build/."""
    if (SHARED_DATASETS / CIFAR_FOLDER / "test_batch.bin").is_file():
        return SHARED_DATASETS
    if FULL_SIZE:
        raise RuntimeError(
            f"JAVADL_TEST_FULL_SIZE=1 runs the notebooks on the real CIFAR-10 batches, and "
            f"{SHARED_DATASETS / CIFAR_FOLDER} has none"
        )
    fixture = ROOT / "build" / "test-data"
    write_fixture(fixture / CIFAR_FOLDER, images_per_batch=DATASET_LIMIT)  # the test header says which was used
    return fixture


# Binder's 2 GB: the kernel's own default heap there is half of it (MaxRAMPercentage=50), so the notebooks run
# with that heap everywhere, whatever this machine's memory
BINDER_HEAP = "-Xmx1g"


def kernel_env() -> dict[str, str]:
    java_options = " ".join(filter(None, [os.environ.get("JDK_JAVA_OPTIONS"), BINDER_HEAP]))
    env = dict(os.environ, JAVADL_DATA=str(data_root()), JDK_JAVA_OPTIONS=java_options)
    env.pop("JAVADL_DATASET_LIMIT", None)
    env.pop("JAVADL_MAX_EPOCHS", None)
    if not FULL_SIZE:
        env.update(JAVADL_DATASET_LIMIT=str(DATASET_LIMIT), JAVADL_MAX_EPOCHS=str(MAX_EPOCHS))
    return env


def read_records(split_file: str, count: int) -> list[tuple[int, bytes]]:
    """The first `count` (label, 3072 pixel bytes) records of a batch file the notebooks read."""
    data = (data_root() / CIFAR_FOLDER / split_file).read_bytes()
    return [(data[i * 3073], data[i * 3073 + 1 : (i + 1) * 3073]) for i in range(count)]


def normalized(image: bytes) -> list[float]:
    """A record's 3072 pixel bytes after ToTensor and Normalize(Cifar10.NORMALIZE_MEAN, NORMALIZE_STD), plane by
    plane (the training set's per-channel mean and standard deviation, as torchvision's CIFAR-10 examples give them)."""
    mean, std = [0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]
    return [(image[i] / 255 - mean[i // 1024]) / std[i // 1024] for i in range(3072)]


def is_answer(cell) -> bool:
    """Whether a cell is an exercise's worked answer: a code cell JupyterLab shows collapsed."""
    return cell.cell_type == "code" and cell.metadata.get("jupyter", {}).get("source_hidden", False)


def class_names() -> list[str]:
    text = (data_root() / CIFAR_FOLDER / "batches.meta.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def kernel_peak_rss(client: NotebookClient) -> int:
    """The kernel process's peak resident memory so far (VmHWM), in bytes."""
    return resident_bytes(client.km.provisioner.process.pid, "VmHWM")


PEAK_RSS: dict[str, int] = {}


@cache
def executed(name: str) -> nbformat.NotebookNode:
    """Runs a notebook once per test session, in a fresh kernel, like JupyterLab's *Run All*."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    run_dir = RUNS / Path(name).stem
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=900,
        allow_errors=True,
        resources={"metadata": {"path": str(run_dir)}},
    )
    # VmHWM only grows, so reading it after each cell (while the kernel lives) gives the run's peak
    client.on_cell_executed = lambda **_: PEAK_RSS.__setitem__(name, kernel_peak_rss(client))
    client.execute(env=kernel_env())
    EXECUTED.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, EXECUTED / name)
    with open(EXECUTED / "peak-rss.tsv", "a") as log:
        log.write(f"{name}\t{PEAK_RSS.get(name, 0) / 2**20:.0f} MiB\n")
    return notebook


def run_dir(name: str) -> Path:
    executed(name)
    return RUNS / Path(name).stem


def code_cells(name: str) -> list:
    return [c for c in executed(name).cells if c.cell_type == "code"]


def describe(cell) -> str:
    first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else "(empty)"
    return f"cell {cell.get('id', '?')} ({first_line!r})"


def outputs_of(name: str, cell_id: str) -> list[dict]:
    """The outputs of the code cell of `name` whose id is `cell_id` (such as "nb03-05": every cell of the course has a
    stable id, which test_repository checks)."""
    cells = [c for c in code_cells(name) if c.get("id") == cell_id]
    assert len(cells) == 1, f"{name} has no code cell {cell_id!r}"
    return cells[0].outputs


def output_kind(output: dict) -> str:
    """What a cell's `javadl.expected_outputs` metadata calls an output: `stdout`/`stderr` for printed text, the
    MIME type of a picture or table, `text/plain` for a plain value, or `error`."""
    if output["output_type"] == "stream":
        return output["name"]
    if output["output_type"] == "error":
        return "error"
    rich = sorted(set(output["data"]) - {"text/plain"})
    return rich[0] if rich else "text/plain"


def assert_cells_as_expected(cells: list[dict], where: str) -> None:
    """Each code cell, as a remote run returns them (jupyter_remote.py: `status` and `outputs` added), succeeded and
    showed exactly the kinds of output its `javadl.expected_outputs` metadata lists."""
    for cell in cells:
        source = "".join(cell["source"]).strip().splitlines()[0]
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert cell["status"] == "ok" and not errors, f"{where}, cell {source!r}: {errors}"
        expected = set(cell["metadata"].get("javadl", {}).get("expected_outputs", []))
        shown = {output_kind(o) for o in cell["outputs"]}
        assert shown == expected, f"{where}, cell {source!r}: showed {sorted(shown)}, expects {sorted(expected)}"


def text_of(outputs: list[dict]) -> str:
    """Printed text and plain values, joined in order."""
    parts = []
    for output in outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data") and "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"] + "\n")
    return "".join(parts)


def numbers_in(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text)]


def pngs_of(outputs: list[dict]) -> list[dict]:
    return [o for o in outputs if "image/png" in o.get("data", {})]


def tensorboard_log(name: str):
    """The notebook's TensorBoard log, `logs/<notebook stem>/`, as TensorBoard's own reader sees it."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    log_dir = run_dir(name) / "logs" / Path(name).stem
    assert log_dir.is_dir(), f"{name} wrote no TensorBoard log in {log_dir}"
    events = EventAccumulator(str(log_dir), size_guidance={"images": 0, "scalars": 0})
    events.Reload()
    return events


def records_in(split_files: list[str]) -> int:
    """How many images the batch files hold, as the notebooks count them under the dataset limit."""
    folder = data_root() / CIFAR_FOLDER
    total = sum((folder / f).stat().st_size // 3073 for f in split_files if (folder / f).is_file())
    return images(total)


def tensor_rows(text: str) -> list[list[float]]:
    """The rows of numbers of a printed tensor (one list per line that holds numbers), `...` left out."""
    rows = []
    for line in text.splitlines():
        if line.startswith("ND:"):
            continue
        numbers = numbers_in(line.replace("...", ""))
        if numbers:
            rows.append(numbers)
    return rows
