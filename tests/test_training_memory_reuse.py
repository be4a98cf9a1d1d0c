"""A training step in the kernel reuses the memory of the last step's tensors instead of faulting it in again.

glibc's default malloc, in a JVM, gives each thread an arena of at most 64 MiB and hands freed blocks of a few
MiB back to the operating system at once, so every step of the course CNN faulted its activations and
gradients in again: 3,000 to 7,000 page faults a step, measured with glibc's defaults, and about a quarter of
an epoch's time. The kernelspec's malloc settings (python/javadl/kernelspec.py, MALLOC_ENV) keep that memory, in one
arena: with two, the thread that runs the cells sometimes landed on the second, whose empty 64 MiB heaps glibc
unmaps whatever the trim threshold says, and faulted about 4,000 pages a step in again. The speed itself, and
the spread over many kernels, are measured by `make bench-allocators`; this test counts the page faults, which
do not depend on the machine's load, with that benchmark's cells.
"""

import sys

from conftest import minor_faults, record
from javadl.project import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from allocators import STEPS, training_cells  # noqa: E402 (bench/ holds the workload)

# A step's activations and gradients at batch 64 take about 30 MiB: 3,000 to 7,000 faults a step when they are
# faulted in again; with the memory kept, 3 to 185 measured (make bench-allocators, 10 kernels)
FAULTS_PER_STEP_BOUND = 300


def test_a_training_step_does_not_fault_in_its_tensors_again(kernel_session):
    *set_up, measured = training_cells()
    for cell in set_up:
        kernel_session.value(cell)
    before = minor_faults(kernel_session.pid)
    kernel_session.value(measured)
    per_step = (minor_faults(kernel_session.pid) - before) / STEPS
    record("training step", "minor page faults per step", round(per_step))
    assert per_step < FAULTS_PER_STEP_BOUND, (
        f"{per_step:.0f} page faults per training step: freed tensors go back to the operating system "
        "(are the kernelspec's MALLOC_* settings in place?)"
    )
