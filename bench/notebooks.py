#!/usr/bin/env python3
"""make bench-notebooks: every course notebook at full size, as a learner runs it, with its time and peak memory.

Each notebook runs top to bottom (Run All, its exercises' answers included) in a fresh javadl kernel, in a folder
of its own under build/bench-notebooks/, with no JAVADL_DATASET_LIMIT or JAVADL_MAX_EPOCHS, and with the kernel's
heap at 1 GB (JDK_JAVA_OPTIONS=-Xmx1g), which is what Binder's 2 GB give it. The data is the full download's
layout: by default build/cifar-50k/, five training batches that are links to the offline copy's one training
batch, beside its test batch. That layout has the download's sizes, so the times and memory are the full
download's, but not its images: accuracies are not. --data DIR reads another dataset root, such as
~/.javadl/datasets after the real download.

The table (markdown, as docs/performance.md's notebook table takes it) gives each notebook's time from the kernel's
start to the end of its last cell, its slowest cell, and the kernel's peak resident memory (VmHWM, read after every
cell). build/bench-notebooks/results.tsv keeps the same; each notebook's folder there keeps its executed copy and its
kernel's log. The notebooks have no PyTorch twins; `make bench` compares the course's layers and training with
PyTorch's, workload by workload.

    python bench/notebooks.py [--data DIR] [--only 07,09]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from javadl.kernelspec import KERNEL_NAME
from javadl.memory import resident_bytes

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "build" / "bench-notebooks"
LAYOUT = ROOT / "build" / "cifar-50k"
SHARED = ROOT.parent / "shared" / "datasets" / "cifar-10-batches-bin"
FOLDER = "cifar-10-batches-bin"
BINDER_HEAP = "-Xmx1g"


def full_layout() -> Path:
    """build/cifar-50k: the full download's file layout, made of links to the offline copy's two batches."""
    folder = LAYOUT / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    links = {f"data_batch_{i}.bin": "data_batch_1.bin" for i in range(1, 6)}
    links.update({"test_batch.bin": "test_batch.bin", "batches.meta.txt": "batches.meta.txt"})
    for name, target in links.items():
        if not (SHARED / target).is_file():
            sys.exit(f"bench: {SHARED / target} is missing; give a dataset root with --data")
        link = folder / name
        if not link.is_symlink():
            link.unlink(missing_ok=True)
            link.symlink_to(SHARED / target)
    return LAYOUT


def run(path: Path, data: Path) -> dict:
    """Runs one notebook; returns its seconds, peak bytes and slowest cell (seconds, first line)."""
    notebook = nbformat.read(path, as_version=4)
    folder = OUT / path.stem
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    client = NotebookClient(
        notebook, kernel_name=KERNEL_NAME, timeout=3600, resources={"metadata": {"path": str(folder)}}
    )
    state = {"peak": 0, "last": time.monotonic(), "slowest": (0.0, "")}

    def after_cell(cell, **_):
        now = time.monotonic()
        state["peak"] = resident_bytes(client.km.provisioner.process.pid, "VmHWM")
        seconds, state["last"] = now - state["last"], now
        if seconds > state["slowest"][0]:
            state["slowest"] = (seconds, cell.source.strip().splitlines()[0] if cell.source.strip() else "")

    client.on_cell_executed = after_cell
    env = {k: v for k, v in os.environ.items() if k not in ("JAVADL_DATASET_LIMIT", "JAVADL_MAX_EPOCHS")}
    env.update(
        JAVADL_DATA=str(data), JDK_JAVA_OPTIONS=" ".join(filter(None, [env.get("JDK_JAVA_OPTIONS"), BINDER_HEAP]))
    )
    started = time.monotonic()
    with open(folder / "kernel.log", "w") as kernel_log:
        client.execute(env=env, stderr=kernel_log)  # a failing cell raises, with its error
    nbformat.write(notebook, folder / path.name)
    return {"seconds": time.monotonic() - started, "peak": state["peak"], "slowest": state["slowest"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        help="a dataset root holding cifar-10-batches-bin/ (default: the "
        "50,000-image layout made from the offline copy)",
    )
    parser.add_argument("--only", default="", help="comma-separated notebook numbers, such as 07,09")
    args = parser.parse_args()
    data = args.data.resolve() if args.data else full_layout()
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    paths = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if not wanted or p.name[:2] in wanted]
    machine = f"{os.cpu_count()} cores ({platform.processor() or platform.machine()})"
    print(f"==> {len(paths)} notebooks on {data}, {machine}, kernel heap {BINDER_HEAP}", flush=True)
    rows = []
    for path in paths:
        print(f"==> {path.name}", flush=True)
        result = run(path, data)
        rows.append((path.stem, result))
        print(f"    {result['seconds']:.0f} s, peak {result['peak'] / 2**20:,.0f} MiB", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "results.tsv", "w") as table:
        table.write("notebook\tseconds\tpeak MiB\tslowest cell seconds\tslowest cell\n")
        for name, r in rows:
            table.write(
                f"{name}\t{r['seconds']:.1f}\t{r['peak'] / 2**20:.0f}\t{r['slowest'][0]:.1f}\t{r['slowest'][1]}\n"
            )
    print("\n| notebook | time | peak memory | slowest cell |\n| --- | --- | --- | --- |")
    for name, r in rows:
        print(
            f"| `{name}` | {r['seconds']:.0f} s | {r['peak'] / 2**20:,.0f} MiB | {r['slowest'][0]:.0f} s: "
            f"`{r['slowest'][1]}` |"
        )


if __name__ == "__main__":
    main()
