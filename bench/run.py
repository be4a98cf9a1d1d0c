#!/usr/bin/env python3
"""make bench: the course's Java code side by side with PyTorch (Python), on this machine, in one run.

For each workload the two sides run in separate processes, one after the other, several rounds in a row, so
that drift of the machine (other load, CPU frequency) hits both alike. Each process warms up first and then
times several passes; the table gives the median pass of each side, their ratio and the images per second,
and whether the issue's target (docs/performance.md) is met. The table is also written to
build/bench/results.csv.

The Java side runs bench/CourseBench.java with the javadl kernel's own java, JVM options, environment and
classpath, read from its kernelspec, so it measures what a notebook gets. PyTorch, torchvision and ipykernel
(bench/requirements.txt) go into build/bench-venv, apart from the project's .venv. The data is the offline
CIFAR-10 copy in ../shared/datasets (or --data).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from javadl.kernelspec import KERNEL_NAME, KernelSpec
from kernel_startup import LONG_SESSION_CELLS, bench_python_torch_kernelspec, javadl_variants, kernel_json, time_kernel
from table import Row, flop_share_row, machine, report

ROOT = Path(__file__).resolve().parent.parent

BENCH = ROOT / "bench"
BUILD = ROOT / "build" / "bench"
BENCH_VENV = ROOT / "build" / "bench-venv"

# The layer workloads: (letter, the name CourseBench.java and course_bench_torch.py know it by, row title)
LAYERS = [
    ("b", "conv", "(b) Conv2d 3->6, 3x3, forward over the test set (157 batches of 64 in memory)"),
    ("c", "pool", "(c) MaxPool 3x3, ceil mode, forward over the test set (in memory)"),
    ("d", "activations", "(d) ReLU then Sigmoid, forward over the test set (in memory)"),
]
EPOCHS = 5


def ensure_bench_venv() -> Path:
    python = BENCH_VENV / "bin" / "python"
    requirements = (BENCH / "requirements.txt").read_bytes()
    stamp = BENCH_VENV / ".bench-requirements.txt"
    if not python.exists():
        print("==> Creating build/bench-venv for PyTorch (first time: about 5 GB from PyPI)", flush=True)
        venv.EnvBuilder(with_pip=True).create(BENCH_VENV)
    if not stamp.exists() or stamp.read_bytes() != requirements:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(BENCH / "requirements.txt")], check=True
        )
        stamp.write_bytes(requirements)
    return python


def kernel_java() -> KernelSpec:
    """The javadl kernel's java, JVM options, env and jars, so that CourseBench.java runs the way cells do."""
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except Exception:
        sys.exit("bench: no javadl kernel; run `make setup` first")
    return KernelSpec.read(Path(spec.resource_dir))


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent on work since it started (/proc/stat: all but idle and iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_side(command: list[str], env: dict[str, str] | None = None) -> dict[str, list]:
    """Runs one side's process; returns its `first` and `pass` (seconds, images), `rss` and `peak` lines, and
    what explains a slow run: the process's minor page `faults` (a malloc that gives tensors' memory back at every
    step faults it in again), and how many cores `others` (other processes) kept busy meanwhile."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before, start = busy_cpu_seconds(), time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    others = max(0.0, busy_cpu_seconds() - busy_before - own_cpu) / (time.monotonic() - start)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr}")
    found: dict[str, list] = {
        "first": [],
        "pass": [],
        "rss": [],
        "peak": [],
        "faults": [after.ru_minflt - before.ru_minflt],
        "others": [others],
    }
    for line in result.stdout.splitlines():
        word, *values = line.split()
        if word in ("first", "pass"):
            found[word].append((float(values[0]), int(values[1])))
        elif word in found:
            found[word].append(int(values[0]))
    return found


def alternate(title: str, rounds: int, ours: callable, theirs: callable) -> tuple[list, list]:
    """Runs ours, then theirs, `rounds` times; returns the two lists of results."""
    ours_runs, their_runs = [], []
    for round_number in range(1, rounds + 1):
        print(f"==> {title}: round {round_number} of {rounds}", flush=True)
        ours_runs.append(ours())
        their_runs.append(theirs())
    return ours_runs, their_runs


def timed_row(
    title: str, ours_runs: list, their_runs: list, target: str, max_time_ratio: float, kind: str = "pass"
) -> Row:
    """A row of the median time over all runs of their `kind` passes: "pass" (timed after the warm-up) or
    "first"; the first passes' ratio goes with it."""
    ours = [p for run in ours_runs for p in run[kind]]
    theirs = [p for run in their_runs for p in run[kind]]
    images = ours[0][1]
    if any(n != images for _, n in ours + theirs):
        sys.exit(f"bench: the two sides of {title!r} saw different numbers of images")
    ours_s = statistics.median(s for s, _ in ours)
    theirs_s = statistics.median(s for s, _ in theirs)
    first_ratio = statistics.median(s for run in ours_runs for s, _ in run["first"]) / statistics.median(
        s for run in their_runs for s, _ in run["first"]
    )
    round_ratios = [
        statistics.median(s for s, _ in ours_run[kind]) / statistics.median(s for s, _ in their_run[kind])
        for ours_run, their_run in zip(ours_runs, their_runs, strict=True)
    ]
    fault_ratio = statistics.median(run["faults"][0] for run in ours_runs) / max(
        1, statistics.median(run["faults"][0] for run in their_runs)
    )
    others_busy = max(run["others"][0] for run in ours_runs + their_runs)
    return Row(
        title,
        "s",
        ours_s,
        theirs_s,
        images,
        target,
        ours_s / theirs_s <= max_time_ratio,
        first_ratio,
        round_ratios,
        fault_ratio,
        others_busy,
    )


def memory_rows(ours_runs: list, their_runs: list) -> list[Row]:
    """(g): the peak resident memory of the 5-epoch runs, and the growth of resident memory from the end of
    epoch 1 to the end of epoch 5 (medians over the runs); then the growth from the end of epoch 3, after the
    JIT compiler's work (a leak would go on growing there)."""

    def growth(run: dict, since: int = 0) -> float:
        return run["rss"][-1] / run["rss"][since] - 1

    ours_peak = statistics.median(run["peak"][0] for run in ours_runs)
    ours_growth = statistics.median(growth(run) for run in ours_runs)
    return [
        Row(
            "(g) peak resident memory of (e), 5 epochs",
            "MiB",
            ours_peak,
            statistics.median(run["peak"][0] for run in their_runs),
            0,
            "< 1.5 GB",
            ours_peak < 1.5e9,
        ),
        Row(
            f"(g) resident memory growth, end of epoch 1 to end of epoch {EPOCHS}",
            "%",
            ours_growth,
            statistics.median(growth(run) for run in their_runs),
            0,
            "< 5%",
            ours_growth < 0.05,
        ),
        Row(
            f"(g) resident memory growth, end of epoch 3 to end of epoch {EPOCHS}",
            "%",
            statistics.median(growth(run, 2) for run in ours_runs),
            statistics.median(growth(run, 2) for run in their_runs),
            0,
            "",
            True,
        ),
    ]


def kernel_environments(chosen: list[Path] | None) -> list[Path]:
    """The environments whose javadl kernels (f) times: those chosen, else this one (make's VENV) and every other
    environment at the project's root that has the kernel (`JAVA_HOME=... make setup VENV=.venv-jdk25`)."""
    if chosen:
        return [path.absolute() for path in chosen]
    here = Path(sys.prefix).absolute()
    others = sorted(
        path.absolute() for path in ROOT.glob(".venv*") if path.absolute() != here and kernel_json(path).is_file()
    )
    return [here, *others]


def startup_rows(rounds: int, python: Path, environments: list[Path]) -> list[Row]:
    """(f): each environment's kernel with its class archive and without, DJL's cache warm; the first of them with
    DJL's cache empty; beside ipykernel with torch, alternating kernel by kernel."""
    torch_specs = bench_python_torch_kernelspec(python, BUILD / "kernels")
    variants = javadl_variants(environments, BUILD / "kernels")
    env = dict(os.environ)
    runs: dict[str, list] = {label: [] for label, _ in variants}
    cold, torch = [], []
    for round_number in range(1, rounds + 1):
        print(f"==> (f) kernel start-up: round {round_number} of {rounds}", flush=True)
        for label, specs in variants:
            runs[label].append(time_kernel(KERNEL_NAME, env, specs))
        torch.append(time_kernel("bench-python-torch", env, torch_specs))
        cold.append(time_kernel(KERNEL_NAME, env, variants[0][1], cold_djl_cache=True))
    limits = {"first result": 1.5, "first DL result": 2.0, "trivial cell": 0.1, "trivial cell, long session": 0.1}
    titles = {
        "first result": "kernel start to the first result (1 + 1)",
        "first DL result": "kernel start to the first DJL / torch result",
        "trivial cell": "a trivial cell's round trip (1 + 1)",
        "trivial cell, long session": f"the same after {LONG_SESSION_CELLS} cells",
    }
    rows = []
    kernels = [
        *((f"{label}, warm DJL cache", runs[label], False) for label, _ in variants),
        (f"{variants[0][0]}, cold DJL cache", cold, True),
    ]
    for name, runs_of_kernel, cold_cache in kernels:
        for metric, title in titles.items():
            ours = statistics.median(run[metric] for run in runs_of_kernel)
            limit = 6.0 if cold_cache and not metric.startswith("trivial cell") else limits[metric]
            rows.append(
                Row(
                    f"(f) {name}: {title}",
                    "s",
                    ours,
                    statistics.median(run[metric] for run in torch),
                    0,
                    f"<= {limit * 1000:.0f} ms" if limit < 1 else f"<= {limit} s",
                    ours <= limit,
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "datasets",
        help="the folder holding cifar-10-batches-bin/ (default: ../shared/datasets)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="how often each side runs, alternating")
    parser.add_argument("--passes", type=int, default=5, help="timed passes per run, after the warm-up")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=3.0,
        help="seconds of untimed passes before the timed ones, for the JIT compiler (default 3)",
    )
    parser.add_argument(
        "--only", default="abcdefgh", help="the workloads to run, by letter (default abcdefgh; e and g run together)"
    )
    parser.add_argument(
        "--python",
        type=Path,
        help="run PyTorch's side on this Python (with torch, torchvision, and ipykernel for f) "
        "instead of build/bench-venv: for example one with the PyTorch version DJL runs",
    )
    parser.add_argument(
        "--kernel-env",
        type=Path,
        action="append",
        help="an environment whose javadl kernel (f) times, as installed and without its class "
        "archive; repeat for several (default: this one and every .venv* at the project's root "
        "that has the kernel, such as one set up with another JDK)",
    )
    args = parser.parse_args()
    data = args.data.resolve()
    for name in ("test_batch.bin", "data_batch_1.bin"):
        if not (data / "cifar-10-batches-bin" / name).exists():
            sys.exit(f"bench: no {name} in {data}/cifar-10-batches-bin (use --data)")

    python = args.python.absolute() if args.python else ensure_bench_venv()
    pickled = BUILD / "cifar-pickle"
    if not (pickled / "md5.json").exists():
        subprocess.run([str(python), str(BENCH / "cifar_to_pickle.py"), str(data), str(pickled)], check=True)
    java = kernel_java()

    def sides(workload: str, warm_up: float, passes: int) -> tuple[callable, callable]:
        return (
            lambda: run_side(
                java.command(str(BENCH / "CourseBench.java"), workload, str(data), str(warm_up), str(passes)), java.env
            ),
            lambda: run_side(
                [str(python), str(BENCH / "course_bench_torch.py"), workload, str(pickled), str(warm_up), str(passes)]
            ),
        )

    rows = []
    if "a" in args.only:
        title = "(a) data pipeline: ToTensor, batch 64, shuffle, one pass over the 10,000 test images"
        rows.append(
            timed_row(
                title,
                *alternate(title, args.rounds, *sides("pipeline", args.warm_up, args.passes)),
                ">= 5x images/s",
                max_time_ratio=1 / 5,
            )
        )
    for letter, workload, title in LAYERS:
        if letter in args.only:
            rows.append(
                timed_row(
                    title,
                    *alternate(title, args.rounds, *sides(workload, args.warm_up, args.passes)),
                    "<= 1.1x time",
                    max_time_ratio=1.1,
                )
            )
    if "e" in args.only or "g" in args.only:
        title = f"(e) training epoch of the course CNN on data_batch_1, SGD 0.01, batch 64 ({EPOCHS} epochs a run)"
        ours_runs, their_runs = alternate(title, args.rounds, *sides("epoch", 0, EPOCHS - 1))
        epoch_row = timed_row(
            f"(e) course CNN, one epoch (epochs 2-{EPOCHS}): data pipeline and training",
            ours_runs,
            their_runs,
            ">= 0.95x images/s",
            max_time_ratio=1 / 0.95,
        )
        rows.append(epoch_row)
        rows.append(
            timed_row(
                "(e) course CNN, first epoch: reading the file, warm-up, data pipeline, training",
                ours_runs,
                their_runs,
                ">= 0.95x images/s",
                max_time_ratio=1 / 0.95,
                kind="first",
            )
        )
        rows.append(flop_share_row(epoch_row))
        rows.extend(memory_rows(ours_runs, their_runs))
    if "h" in args.only:
        title = f"(h) the epochs of (e) with EasyTrain.fit, logged to TensorBoard every step ({EPOCHS} epochs a run)"
        runs = alternate(title, args.rounds, *sides("logged-epoch", 0, EPOCHS - 1))
        rows.append(
            timed_row(
                f"(h) course CNN, one epoch (epochs 2-{EPOCHS}), EasyTrain.fit, TensorBoardListener: "
                "the loss every step",
                *runs,
                ">= 0.95x images/s",
                max_time_ratio=1 / 0.95,
            )
        )
    if "f" in args.only:
        rows.extend(startup_rows(args.rounds, python, kernel_environments(args.kernel_env)))

    torch_version = subprocess.run(
        [str(python), "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True
    ).stdout.strip()
    print(f"\nMachine: {machine()}")
    print(f"Java side: {java.java} {' '.join(java.jvm_options)}")
    print(f"PyTorch side: {python}, torch {torch_version}")
    report(rows, BUILD / "results.csv")


if __name__ == "__main__":
    main()
