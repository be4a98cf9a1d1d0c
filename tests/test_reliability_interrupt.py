"""Reliability, case 1: Jupyter's interrupt stops a running cell, and the next cell finds the kernel as it was.

JJava answers an interrupt by interrupting the cell's thread and reporting the cell as interrupted at once. A loop
over a DataLoader ends by itself at the next batch; code that ignores the interrupt is stopped by the kernel
extension's InterruptGuard after its grace period (2 s). Either way the loop must really stop: a cell that went
on in the background would hold a core and race the next cell for the same model.
"""

from __future__ import annotations

import threading
import time

import pytest

from conftest import KernelSession, cpu_seconds, record, traceback_text
from executed_notebooks import kernel_env

GUARD_GRACE_S = 2  # InterruptGuard.GRACE
ENDS_WITHIN_S = 5  # the bound, from the interrupt request to the cell's error reply
IDLE_CPU_S = 0.3   # CPU seconds an idle kernel may use in one second (its heartbeat, the guard's polling)


@pytest.fixture(scope="module")
def session():
    kernel = KernelSession(env=kernel_env())
    yield kernel
    kernel.close()


def run_interrupted(session: KernelSession, code: str, after_s: float) -> tuple[list[dict], float]:
    """Runs a cell, sends an interrupt request after `after_s`; returns its outputs and how long the cell took
    to end once interrupted."""
    sent = {}

    def interrupt():
        sent["at"] = time.monotonic()
        session.manager.interrupt_kernel()

    timer = threading.Timer(after_s, interrupt)
    timer.start()
    try:
        status, outputs = session.run(code, timeout=60)
    finally:
        timer.cancel()
    assert "at" in sent, f"the cell ended ({status}) before the interrupt was sent: {outputs}"
    return outputs, time.monotonic() - sent["at"]


def assert_says_interrupted(outputs: list[dict]) -> None:
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert len(errors) == 1, outputs
    traceback = traceback_text(errors[0])
    assert "Evaluation interrupted." in traceback, traceback


def cpu_used(session: KernelSession, seconds: float) -> float:
    before = cpu_seconds(session.pid)
    time.sleep(seconds)
    return cpu_seconds(session.pid) - before


def test_an_endless_loop_is_interrupted_and_stopped(session):
    session.value("int kept = 41;")

    outputs, ended_after = run_interrupted(session, "long spins = 0;\nwhile (true) { spins++; }", after_s=2)

    assert_says_interrupted(outputs)
    assert ended_after < ENDS_WITHIN_S
    time.sleep(GUARD_GRACE_S + 0.5)
    idle = cpu_used(session, 1.0)
    record("interrupt", "endless loop: reply after the interrupt request (s)", f"{ended_after:.3f}")
    record("interrupt", f"endless loop: kernel CPU in 1 s, {GUARD_GRACE_S + 0.5} s later (s)", f"{idle:.2f}")
    assert idle < IDLE_CPU_S, f"the loop still runs in the background: {idle:.2f} s of CPU in 1 s"
    spins = session.value("spins")
    time.sleep(0.5)
    assert session.value("spins") == spins, "the loop still counts"
    assert session.value("kept + 1").strip() == "42", "variables of earlier cells are intact"


TRAINING_SETUP = """
Engine.getInstance().setRandomSeed(0);
Cifar10 data = Cifar10.builder().optUsage(Dataset.Usage.TEST).addTransform(new ToTensor()).build();
DataLoader loader = DataLoader.builder(data).optBatchSize(64).optShuffle(true).optSeed(0).build();
Model model = Model.newInstance("course-cnn");
model.setBlock(CourseCnn.newBlock());
Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build()));
trainer.initialize(new Shape(1, 3, 32, 32));
int epochsDone = 0;
"""


def test_a_training_loop_stops_at_its_next_batch_and_the_model_still_works(session):
    session.value(TRAINING_SETUP)

    outputs, ended_after = run_interrupted(session, """
for (int epoch = 0; epoch < 1000; epoch++) {
    ClassifierLoop.trainEpoch(trainer, loader);
    epochsDone++;
}""", after_s=3)

    assert_says_interrupted(outputs)
    assert ended_after < ENDS_WITHIN_S
    # well before the guard's grace period ends: the DataLoader stopped the loop by itself
    time.sleep(0.2)
    busy = cpu_used(session, 1.0)
    record("interrupt", "training loop: reply after the interrupt request (s)", f"{ended_after:.3f}")
    record("interrupt", "training loop: kernel CPU in 1 s, 0.2 s after the reply (s)", f"{busy:.2f}")
    assert busy < IDLE_CPU_S, f"training goes on in the background: {busy:.2f} s of CPU in 1 s"

    epochs = int(session.value("epochsDone"))
    assert epochs >= 1, "3 s should be enough for an epoch of at most 1,000 images"
    loss = float(session.value("ClassifierLoop.evaluate(trainer, loader).loss()"))
    assert 0 < loss < 10, f"the interrupted model still evaluates, to a finite loss: {loss}"
    session.value("ClassifierLoop.trainEpoch(trainer, loader); epochsDone++;")
    assert int(session.value("epochsDone")) == epochs + 1, "training resumes where it stopped"


def test_a_loop_of_array_operations_is_stopped_and_closes_its_manager(session):
    outputs, _ = run_interrupted(session, """
NDManager[] opened = new NDManager[1];
try (NDManager scratch = NDManager.newBaseManager()) {
    opened[0] = scratch;
    NDArray w = scratch.randomNormal(new Shape(256, 256));
    while (true) {
        w = w.matMul(w).div(w.norm());
    }
}""", after_s=2)

    assert_says_interrupted(outputs)
    time.sleep(GUARD_GRACE_S + 0.5)
    assert cpu_used(session, 1.0) < IDLE_CPU_S, "the loop still runs in the background"
    assert session.value("opened[0].isOpen()").strip() == "false", "stopping ran try-with-resources' close"
