#!/usr/bin/env python3
"""make bench-allocators: training steps in a notebook cell under each memory allocator, over repeated kernels.

Each run starts a fresh javadl kernel from its kernelspec with one allocator's settings put in place of the
kernelspec's own, trains the course CNN for a few warm-up steps in one cell and then for STEPS steps in the next
(on the thread JJava runs cells on, as in a notebook), and reads the kernel's minor page faults, the cell's time
and the kernel's peak resident memory. The runs alternate between the allocators, so that drift of the machine
hits them alike. The table gives each allocator's median and its lowest and highest run; a run whose page faults
a step are far above the others means freed tensors went back to the operating system and every step faulted
them in again. Results also go to build/bench/allocators.csv.

The allocators: glibc's malloc with its defaults, with the kernelspec's settings (python/javadl/kernelspec.py,
MALLOC_ENV: one arena) and with the two arenas it had before, and jemalloc and tcmalloc (Debian's libjemalloc2 and
libtcmalloc-minimal4), preloaded, with the settings PyTorch's CPU tuning guide gives. One missing from the
machine is left out, with the reason.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from javadl.kernelspec import ALLOCATOR_KEYS, KERNEL_NAME, MALLOC_ENV
from javadl.memory import resident_bytes
from kernel_startup import run_cell

ROOT = Path(__file__).resolve().parent.parent

BUILD = ROOT / "build" / "bench"
LIBRARIES = Path("/usr/lib/x86_64-linux-gnu")
MiB = 2**20

# The course CNN's training step at batch 64, as a notebook writes it: what a step makes is freed with the step's
# manager, so that the next step can reuse that memory. tests/test_training_memory_reuse.py runs the same cells.
TRAINING_SET_UP = """
Engine.getInstance().setRandomSeed(0);
Model model = Model.newInstance("course-cnn");
model.setBlock(CourseCnn.newBlock());
Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build()));
trainer.initialize(new Shape(64, 3, 32, 32));
NDManager data = NDManager.newBaseManager();
NDList images = new NDList(data.randomUniform(0, 1, new Shape(64, 3, 32, 32)));
NDList labels = new NDList(data.randomInteger(0, 10, new Shape(64), DataType.INT64));
void steps(int n) {
    for (int i = 0; i < n; i++) {
        try (NDManager step = data.newSubManager()) {
            images.tempAttach(step);  // what the step makes is freed with it
            labels.tempAttach(step);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                collector.backward(trainer.getLoss().evaluate(labels, trainer.forward(images)));
            }
            trainer.step();
        }
    }
}
"""
WARM_UP_STEPS = 10
STEPS = 40


def training_cells() -> list[str]:
    """The cells of one run, in order; the page faults and the time are those of the last cell."""
    return [TRAINING_SET_UP, f"steps({WARM_UP_STEPS});", f"steps({STEPS});"]


# PyTorch's CPU tuning guide: jemalloc keeps freed memory (no decay) and purges in a background thread
JEMALLOC_CONF = (
    "oversize_threshold:1,background_thread:true,metadata_thp:auto,dirty_decay_ms:9000000000,muzzy_decay_ms:9000000000"
)


# The allocators to compare: each one's environment, which replaces the kernelspec's allocator settings, and the
# Debian package of the library it preloads (None: glibc's own malloc)
ALLOCATORS: dict[str, tuple[dict[str, str], str | None]] = {
    "glibc, defaults": ({}, None),
    "glibc, 1 arena": (dict(MALLOC_ENV, MALLOC_ARENA_MAX="1"), None),
    "glibc, 2 arenas": (dict(MALLOC_ENV, MALLOC_ARENA_MAX="2"), None),
    "jemalloc": ({"LD_PRELOAD": str(LIBRARIES / "libjemalloc.so.2"), "MALLOC_CONF": JEMALLOC_CONF}, "libjemalloc2"),
    "tcmalloc": ({"LD_PRELOAD": str(LIBRARIES / "libtcmalloc_minimal.so.4")}, "libtcmalloc-minimal4"),
}


def minor_faults(pid: int) -> int:
    """The minor page faults a process has had so far (field 10 of /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[7])


@dataclass
class Runs:
    """One allocator's runs: page faults a step, seconds a step, peak resident bytes."""

    faults: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)


def one_run(specs: KernelSpecManager) -> tuple[float, float, int]:
    """Starts a kernel, runs the training cells, returns (page faults a step, seconds a step, peak bytes)."""
    manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    with open(os.devnull, "w") as quiet:  # the kernel's own log would interleave with the table
        manager.start_kernel(stdout=quiet, stderr=quiet)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=180)
        *set_up, measured = training_cells()
        for cell in set_up:
            run_cell(client, cell)
        pid = manager.provisioner.process.pid
        faults, start = minor_faults(pid), time.perf_counter()
        run_cell(client, measured)
        seconds = time.perf_counter() - start
        return (minor_faults(pid) - faults) / STEPS, seconds / STEPS, resident_bytes(pid, "VmHWM")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def kernelspec_with(installed: dict, allocator_env: dict[str, str], folder: Path) -> KernelSpecManager:
    """A copy of the installed kernelspec whose allocator settings are `allocator_env`, found by the returned
    manager only."""
    env = {k: v for k, v in installed["env"].items() if k not in ALLOCATOR_KEYS}
    spec_dir = folder / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(dict(installed, env={**env, **allocator_env})))
    return KernelSpecManager(kernel_dirs=[str(folder)])


def spread(values: list[float], digits: int) -> str:
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="kernels started per allocator (default 10)")
    arguments = parser.parse_args()
    try:
        installed_spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except Exception:
        sys.exit("bench-allocators: no javadl kernel; run `make setup` first")
    installed = json.loads((Path(installed_spec.resource_dir) / "kernel.json").read_text())
    chosen = {k: v for k, v in installed["env"].items() if k in ALLOCATOR_KEYS}
    results: dict[str, Runs] = {}
    with tempfile.TemporaryDirectory(prefix="allocators-") as kernels:
        specs = {}
        for name, (env, package) in ALLOCATORS.items():
            if package and not Path(env["LD_PRELOAD"]).exists():
                print(f"==> {name}: left out, {env['LD_PRELOAD']} is missing (apt-get install {package})", flush=True)
                continue
            specs[name] = kernelspec_with(installed, env, Path(kernels) / str(len(specs)))
            results[name] = Runs()
        for run in range(1, arguments.runs + 1):
            for name, spec in specs.items():
                faults, seconds, peak = one_run(spec)
                results[name].faults.append(faults)
                results[name].seconds.append(seconds)
                results[name].peaks.append(peak)
                print(
                    f"==> run {run} of {arguments.runs}, {name}: {faults:.0f} page faults a step, "
                    f"{seconds * 1000:.1f} ms a step, peak {peak / MiB:.0f} MiB",
                    flush=True,
                )
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / "allocators.csv", "w", newline="") as out:
        table = csv.writer(out)
        table.writerow(["allocator", "run", "page_faults_per_step", "ms_per_step", "peak_mib"])
        for name, runs in results.items():
            for run, row in enumerate(zip(runs.faults, runs.seconds, runs.peaks, strict=True), 1):
                table.writerow([name, run, round(row[0]), round(row[1] * 1000, 1), round(row[2] / MiB)])
    print(
        f"\nThe course CNN's training step (batch 64) in a cell, {arguments.runs} kernels each; "
        "median (lowest-highest run)"
    )
    print(f"{'allocator':<28} {'page faults a step':<22} {'ms a step':<22} peak MiB")
    for name, runs in results.items():
        mark = " (installed)" if chosen == ALLOCATORS[name][0] else ""
        print(
            f"{name + mark:<28} {spread(runs.faults, 0):<22} {spread([s * 1000 for s in runs.seconds], 1):<22} "
            f"{spread([p / MiB for p in runs.peaks], 0)}"
        )
    print("\nbuild/bench/allocators.csv has every run.")


if __name__ == "__main__":
    main()
