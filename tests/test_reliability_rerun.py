"""Reliability, case 2: re-running cells. The capstone notebook run twice in one kernel, and its training cell
run three more times (each after the cells it needs: seed, data, model), give the same results, seeded; the kernel's
resident memory settles instead of growing with every run."""

from __future__ import annotations

import hashlib
import re

import nbformat
import pytest

from conftest import KernelSession, NOTEBOOKS, record, rss_bytes
from executed_notebooks import MAX_EPOCHS, kernel_env

NOTEBOOK = "09-train-cifar10.ipynb"
MiB = 2**20
# What a second run of everything may add to the kernel's resident memory: the first run loads classes, JIT-compiles
# and grows the heap; a second one must not keep a second copy of the data or of the model's native memory
SECOND_RUN_GROWTH_BOUND = 32 * MiB
# What one more training run may add, once the first runs have warmed the kernel up. The model cell makes a new
# Model without closing the last one (as a learner's re-run does): its parameters and gradients stay, about 2 MiB
RETRAIN_GROWTH_BOUND = 8 * MiB
TIMING = re.compile(r" in \d+(\.\d+)? s \(\d+ images/s\)")


def run_cell(session: KernelSession, code: str) -> list[str]:
    """Runs a cell that must succeed; returns what it showed, as comparable strings: printed text with the timings
    taken out, and a digest of each picture."""
    status, outputs = session.run(code, timeout=600)
    assert status == "ok", outputs
    shown = []
    for output in outputs:
        if output["output_type"] == "stream":
            shown.append(TIMING.sub("", output["text"]))
        elif "image/png" in output.get("data", {}):
            shown.append("png " + hashlib.sha256(output["data"]["image/png"].encode()).hexdigest())
    return ["".join(s for s in shown if not s.startswith("png "))] + [s for s in shown if s.startswith("png ")]


@pytest.fixture(scope="module")
def cells() -> list[str]:
    notebook = nbformat.read(NOTEBOOKS / NOTEBOOK, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def the_cell(cells: list[str], marker: str) -> str:
    found = [c for c in cells if marker in c]
    assert len(found) == 1, marker
    return found[0]


def test_the_capstone_run_twice_and_retrained_three_times_repeats_itself(tmp_path, cells):
    seed_cell = the_cell(cells, "setRandomSeed(0)")
    data_cell = the_cell(cells, "DataLoader trainLoader =")
    model_cell = the_cell(cells, "model.setBlock(CourseCnn.newBlock())")
    training_cell = the_cell(cells, "ClassifierLoop.trainEpoch(trainer, trainLoader)")
    session = KernelSession(env=kernel_env(), cwd=str(tmp_path))
    try:
        runs, after_run = [], []
        for _ in range(2):
            runs.append([run_cell(session, code) for code in cells])
            after_run.append(rss_bytes(session.pid))
        trainings, after_training = [], []
        for _ in range(3):
            for code in (seed_cell, data_cell, model_cell):  # the notebook's last cell closed the loaders
                run_cell(session, code)
            trainings.append(run_cell(session, training_cell))
            after_training.append(rss_bytes(session.pid))
    finally:
        session.close()

    record("re-run", "09 twice, resident MiB after each run", " ".join(f"{b / MiB:.0f}" for b in after_run))
    record("re-run", "09 training cell x3, resident MiB after each", " ".join(f"{b / MiB:.0f}" for b in after_training))
    assert runs[1] == runs[0], "the second run of the notebook showed something else"
    # (not equal to the notebook's own training: there, the first-batch cell has already made one step)
    assert trainings[1] == trainings[0] and trainings[2] == trainings[0], "seeded training gave other numbers"
    assert f"epoch {MAX_EPOCHS}/{MAX_EPOCHS}" in trainings[0][0]
    assert after_run[1] - after_run[0] < SECOND_RUN_GROWTH_BOUND, \
        f"the second run added {(after_run[1] - after_run[0]) / MiB:.0f} MiB"
    growth = max(b - a for a, b in zip(after_training, after_training[1:]))
    assert growth < RETRAIN_GROWTH_BOUND, f"a training re-run added {growth / MiB:.0f} MiB"
