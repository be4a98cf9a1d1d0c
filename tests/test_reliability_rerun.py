"""Reliability, case 2: re-running cells. The capstone notebook run twice in one kernel, and its training cell
run four more times (each after the cells it needs: seed, data, model), give the same results, seeded; the
kernel's native memory (its resident memory outside the Java heap) settles instead of growing with every run.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from conftest import KernelSession, record
from executed_notebooks import MAX_EPOCHS, kernel_env
from javadl.project import NOTEBOOKS

NOTEBOOK = "09-train-cifar10.ipynb"
MiB = 2**20
# What a second run of everything may add to the kernel's native memory: the first run loads classes and
# JIT-compiles (metaspace, code cache); a second must not keep another copy of the data or of the model
SECOND_RUN_GROWTH_BOUND = 32 * MiB
# glibc's malloc keeps freed memory for reuse (the kernelspec asks it to keep up to 256 MiB, for speed), which
# makes the resident size swing by tens of MiB from run to run. For this measurement the kernel's malloc maps
# every block over 64 KiB on its own and gives back freed memory at the top of its heap at once, so resident memory
# follows what is still allocated, but for freed blocks below one still in use (see RETRAIN_STEP_BOUND).
EXACT_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "0"}
RETRAININGS = 4
# What a training run may add to what the one before it left, in the least of the three steps. Each run adds about
# 1 MiB: the model cell makes a new Model without closing the last one, as a learner's re-run does, and the JIT
# compiles more. Now and then one step is 5-12 MiB more, because glibc's main heap gives back memory only from its
# top and keeps the freed blocks below one still in use: calling malloc_trim(0) in the kernel (with gdb) gave it back
# (measured on JDK 25, after each of 4 retrainings: 278 280 281 285 MiB, and 274 271 269 271 after each trim). Such
# a step comes once; a leak comes with every run, so the least step shows it.
RETRAIN_STEP_BOUND = 4 * MiB
TIMING = re.compile(r" in \d+(\.\d+)? s \(\d+ images/s\)")


def java_heap_range(session: KernelSession) -> tuple[int, int]:
    """The addresses the kernel's Java heap is reserved at, as the JVM's own `jcmd GC.heap_info` reports them."""
    jcmd = Path(session.manager.kernel_spec.argv[0]).parent / "jcmd"
    info = subprocess.run(
        [str(jcmd), str(session.pid), "GC.heap_info"], capture_output=True, text=True, check=True
    ).stdout
    start, end = re.search(r"heap\s+total.*\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", info).groups()
    return int(start, 16), int(end, 16)


def native_resident(pid: int, heap: tuple[int, int]) -> int:
    """The process's resident memory outside its Java heap, in bytes: /proc/PID/smaps, every mapping's Rss except
    those inside the heap's address range."""
    total = 0
    inside_heap = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        mapping = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
        if mapping:
            start, end = (int(a, 16) for a in mapping.groups())
            inside_heap = start < heap[1] and end > heap[0]
        elif line.startswith("Rss:") and not inside_heap:
            total += int(line.split()[1]) * 1024
    return total


def settled_native(session: KernelSession, heap: tuple[int, int], most_samples: int = 10) -> int:
    """The kernel's native resident memory once it has settled: samples, each after a full GC (which frees the
    native memory of arrays nothing refers to) and a pause, until two in a row find no less than the least so far
    (at most `most_samples`, 0.5 s apart). The least leaves out memory that the C allocator gives back a moment
    later, so a leak shows and a transient does not, on a slow machine too (up to 5 s)."""
    least, steady = None, 0
    for _ in range(most_samples):
        session.value("System.gc();")
        time.sleep(0.5)
        sample = native_resident(session.pid, heap)
        steady = steady + 1 if least is not None and sample >= least else 0
        least = sample if least is None else min(least, sample)
        if steady == 2:
            break
    return least


def run_cell(session: KernelSession, code: str) -> list[str]:
    """Runs a cell that must succeed; returns what it showed, as comparable strings: printed text with the timings
    taken out, and a digest of each picture."""
    status, outputs = session.run(code, timeout=600)
    assert status == "ok", outputs
    text, pictures = [], []
    for output in outputs:
        if output["output_type"] == "stream":
            text.append(TIMING.sub("", output["text"]))
        elif "image/png" in output.get("data", {}):
            pictures.append("png " + hashlib.sha256(output["data"]["image/png"].encode()).hexdigest())
    return ["".join(text), *pictures]


@pytest.fixture(scope="module")
def cells() -> list[str]:
    notebook = nbformat.read(NOTEBOOKS / NOTEBOOK, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def the_cell(cells: list[str], marker: str) -> str:
    found = [c for c in cells if marker in c]
    assert len(found) == 1, marker
    return found[0]


def test_the_capstone_run_twice_and_retrained_four_times_repeats_itself(tmp_path, cells):
    seed_cell = the_cell(cells, "defaultDevice()")
    data_cell = the_cell(cells, "DataLoader trainLoader =")
    model_cell = the_cell(cells, "model.setBlock(CourseCnn.newBlock())")
    training_cell = the_cell(cells, "ClassifierLoop.trainEpoch(trainer, trainLoader)")
    session = KernelSession(env=kernel_env(), spec_env=EXACT_MALLOC, cwd=str(tmp_path))
    try:
        heap = java_heap_range(session)
        runs, after_run = [], []
        for _ in range(2):
            runs.append([run_cell(session, code) for code in cells])
            after_run.append(settled_native(session, heap))
        trainings, after_training = [], []
        for _ in range(RETRAININGS):
            for code in (seed_cell, data_cell, model_cell):  # the notebook's last cell closed the loaders
                run_cell(session, code)
            trainings.append(run_cell(session, training_cell))
            after_training.append(settled_native(session, heap))
    finally:
        session.close()

    def mib(values: list[int]) -> str:
        return " ".join(f"{v / MiB:.0f}" for v in values)

    record("re-run", "09 twice, native resident MiB after each run", mib(after_run))
    record("re-run", f"09 training cell x{RETRAININGS}, native resident MiB after each", mib(after_training))
    assert runs[1] == runs[0], "the second run of the notebook showed something else"
    # (not equal to the notebook's own training: there, the first-batch cell has already made one step)
    assert trainings == [trainings[0]] * RETRAININGS, "seeded training gave other numbers"
    assert f"epoch {MAX_EPOCHS}/{MAX_EPOCHS}" in trainings[0][0]
    assert after_run[1] - after_run[0] < SECOND_RUN_GROWTH_BOUND, (
        f"the second run added {(after_run[1] - after_run[0]) / MiB:.0f} MiB"
    )
    least_step = min(later - earlier for earlier, later in zip(after_training, after_training[1:], strict=False))
    assert least_step < RETRAIN_STEP_BOUND, (
        f"each training re-run held {least_step / MiB:.1f} MiB or more than the one before: {mib(after_training)} MiB"
    )
