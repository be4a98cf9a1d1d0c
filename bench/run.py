#!/usr/bin/env python3
"""make bench: the course's Java code side by side with PyTorch (Python), on this machine, in one run.

For each workload the two sides run in separate processes, one after the other, several rounds in a row, so
that drift of the machine (other load, CPU frequency) hits both alike. Each process warms up first and then
times several passes; the table gives the median pass of each side, their ratio and the images per second.
The table is also written to build/bench/results.csv.

PyTorch and torchvision (bench/requirements.txt) go into build/bench-venv, apart from the project's .venv.
The data is the offline CIFAR-10 copy in ../shared/datasets (or --data).

Workloads:
  (a) data pipeline: ToTensor, batch 64, shuffle, num_workers 0, one pass over the 10,000 test images.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BUILD = ROOT / "build" / "bench"
BENCH_VENV = ROOT / "build" / "bench-venv"


def ensure_bench_venv() -> Path:
    python = BENCH_VENV / "bin" / "python"
    requirements = (BENCH / "requirements.txt").read_bytes()
    stamp = BENCH_VENV / ".bench-requirements.txt"
    if not python.exists():
        print("==> Creating build/bench-venv for PyTorch (first time: about 3 GB from PyPI)", flush=True)
        venv.EnvBuilder(with_pip=True).create(BENCH_VENV)
    if not stamp.exists() or stamp.read_bytes() != requirements:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(BENCH / "requirements.txt")], check=True)
        stamp.write_bytes(requirements)
    return python


def kernel_java() -> str:
    """The JDK the kernel runs on, as `make setup` chose it."""
    spec = ROOT / ".venv" / "share" / "jupyter" / "kernels" / "javadl" / "kernel.json"
    if not spec.exists():
        sys.exit("bench: run `make setup` first (the kernel's JDK and classpath are needed)")
    return json.loads(spec.read_text())["argv"][0]


def passes(command: list[str]) -> list[tuple[float, int]]:
    """Runs one side's process and returns its timed passes: (seconds, images)."""
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, DJL_OFFLINE="true"))
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{result.stderr}")
    found = []
    for line in result.stdout.splitlines():
        if line.startswith("pass "):
            _, seconds, images = line.split()
            found.append((float(seconds), int(images)))
    return found


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.node()}: {cpu}, {os.cpu_count()} cores, Linux {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets",
                        help="the folder holding cifar-10-batches-bin/ (default: ../shared/datasets)")
    parser.add_argument("--rounds", type=int, default=3, help="how often each side runs, alternating")
    parser.add_argument("--passes", type=int, default=5, help="timed passes per run, after one warm-up pass")
    args = parser.parse_args()
    data = args.data.resolve()
    if not (data / "cifar-10-batches-bin" / "test_batch.bin").exists():
        sys.exit(f"bench: no CIFAR-10 test batch in {data}/cifar-10-batches-bin (use --data)")

    python = ensure_bench_venv()
    pickled = BUILD / "cifar-pickle"
    if not (pickled / "md5.json").exists():
        subprocess.run([str(python), str(BENCH / "cifar_to_pickle.py"), str(data), str(pickled)], check=True)

    java = [kernel_java(), "-cp", str(ROOT / "kernel" / "target" / "classpath" / "*"),
            str(BENCH / "DataPipelineBench.java"), str(data), "1", str(args.passes)]
    torch = [str(python), str(BENCH / "data_pipeline_torch.py"), str(pickled), "1", str(args.passes)]
    ours, theirs = [], []
    for round_number in range(1, args.rounds + 1):
        print(f"==> (a) data pipeline, round {round_number} of {args.rounds}", flush=True)
        ours += passes(java)
        theirs += passes(torch)

    ours_s = statistics.median(s for s, _ in ours)
    theirs_s = statistics.median(s for s, _ in theirs)
    images = ours[0][1]
    assert all(n == images for _, n in ours + theirs), "the two sides saw different numbers of images"
    row = {
        "workload": "(a) data pipeline: ToTensor, batch 64, shuffle, 1 pass over 10k test images",
        "ours_ms": round(1000 * ours_s, 1),
        "pytorch_ms": round(1000 * theirs_s, 1),
        "throughput_ratio": round(theirs_s / ours_s, 2),
        "ours_images_per_s": round(images / ours_s),
        "pytorch_images_per_s": round(images / theirs_s),
        "runs": f"{args.rounds} rounds x {args.passes} passes per side",
    }

    print(f"\nMachine: {machine()}")
    print(f"{'workload':78} {'ours':>10} {'PyTorch':>10} {'ours/PyTorch':>13} {'ours img/s':>11} {'PyTorch img/s':>14}")
    print(f"{row['workload']:78} {row['ours_ms']:>8} ms {row['pytorch_ms']:>7} ms "
          f"{row['throughput_ratio']:>12}x {row['ours_images_per_s']:>11,} {row['pytorch_images_per_s']:>14,}")
    print("ours/PyTorch is throughput: above 1 means the course's Java code is faster.")
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    print(f"Written to {(BUILD / 'results.csv').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
