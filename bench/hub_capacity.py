"""`make bench-hub`: how many learners one machine holds, on the class's hub. Not a test: it takes minutes and its
numbers belong to the machine it runs on.

The hub is the image tests' (tests/jupyter_hub.py): the shipped jupyterhub/jupyterhub_config.py with DockerSpawner,
the image built as `make test-image` builds it (its own engine and Debian base in build/docker; needs root), the
notebooks at the tests' size. It measures:
1. N learners (default 6) spawning at once: each one's seconds from the request to a ready server;
2. `02-dataloader` run by one learner alone, then by all N at once: each run's seconds, and each learner's peak memory;
3. what a learner who trains takes from another one: the seconds of a small cell (twenty 400x400 matrix products)
   alone and while another learner runs `09-train-cifar10`, and the training's seconds alone and beside those cells;
   once with the config's CPU limit per learner (1 core, or JAVADL_HUB_CPU_LIMIT from the environment), once with
   --other-cpu-limit (default 0: none).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from docker_engine import DockerEngine  # noqa: E402 (tests/ holds the image tier's engine and hub)
from executed_notebooks import DATASET_LIMIT, MAX_EPOCHS  # noqa: E402
from javadl.kernelspec import KERNEL_NAME  # noqa: E402
from jupyter_hub import Hub, peak_memory, running_hub  # noqa: E402

STATE = ROOT / "build" / "docker"
TAG = "javadl-bench:latest"
LEARNERS = ["ada", "grace", "linus", "hopper", "alan", "barbara", "edsger", "frances", "donald", "margaret"]
# a cell that computes for a moment, as a learner's cells do between trainings: twenty 400x400 matrix products
SMALL_CELL = (
    "try (NDManager m = NDManager.newBaseManager()) { var x = m.randomNormal(new Shape(400, 400)); var y = x; "
    "for (int i = 0; i < 20; i++) { y = x.matMul(y).div(400); } y.sum().getFloat(); }"
)


def spawn_all(hub: Hub, names: list[str]) -> dict[str, float]:
    """Starts every learner's server at once; the seconds each took to be ready."""

    def start(name: str) -> float:
        started = time.monotonic()
        hub.start(name, seconds=900)
        return time.monotonic() - started

    with ThreadPoolExecutor(len(names)) as pool:
        return dict(zip(names, pool.map(start, names), strict=True))


def run_notebook(hub: Hub, name: str, notebook: str) -> float:
    """Runs every code cell of the learner's notebook in a new kernel; the seconds from the session's request to
    the last cell's reply."""
    server = hub.learner(name)
    cells = [c for c in server.notebook(notebook)["cells"] if c["cell_type"] == "code"]
    started = time.monotonic()
    with server.open_session(notebook, KERNEL_NAME) as kernel:
        for cell in cells:
            status, outputs = kernel.execute("".join(cell["source"]), timeout=1800)
            assert status == "ok", (name, notebook, outputs)
        return time.monotonic() - started


def small_cells(hub: Hub, name: str, while_running=None, count: int = 20) -> list[float]:
    """Seconds of each small cell the learner runs: `count` of them, or as many as fit while `while_running` (a
    thread) runs."""
    seconds = []
    with hub.learner(name).open_session("small-cells.ipynb", KERNEL_NAME) as kernel:
        kernel.execute(SMALL_CELL)  # the first one loads the engine
        while len(seconds) < count if while_running is None else while_running.is_alive():
            started = time.monotonic()
            status, outputs = kernel.execute(SMALL_CELL)
            seconds.append(time.monotonic() - started)
            assert status == "ok", outputs
    return seconds


def contention(hub: Hub, trainer: str, other: str) -> tuple[float, float, float, float]:
    """The median small cell of `other` alone and while `trainer` runs 09-train-cifar10, and the training's seconds
    alone and beside those cells."""
    training_alone = run_notebook(hub, trainer, "09-train-cifar10.ipynb")
    alone = statistics.median(small_cells(hub, other))
    training: dict[str, float] = {}
    thread = threading.Thread(target=lambda: training.update(s=run_notebook(hub, trainer, "09-train-cifar10.ipynb")))
    thread.start()
    time.sleep(5)  # the training's kernel starts and loads its data
    crowded = statistics.median(small_cells(hub, other, while_running=thread))
    thread.join()
    return alone, crowded, training_alone, training["s"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--learners", type=int, default=6, help=f"learners at once (default 6, at most {len(LEARNERS)})"
    )
    parser.add_argument(
        "--other-cpu-limit", default="0", help="the CPU limit per learner to compare with (default 0: no limit)"
    )
    args = parser.parse_args()
    names = LEARNERS[: args.learners]
    engine = DockerEngine(STATE)
    engine.start()
    rows: list[str] = []
    try:
        base = engine.build_debian_base()
        print(f"==> Building the image on {base} (log: {STATE / 'bench-build.log'})", flush=True)
        engine.build(ROOT, TAG, STATE / "bench-build.log", {"BASE_IMAGE": base})
        with running_hub(engine, TAG, STATE / "hub-bench", names, JAVADL_HUB_CULL_IDLE_SECONDS="0") as hub:
            print(f"==> {len(names)} learners spawn at once", flush=True)
            spawns = spawn_all(hub, names)
            print(f"    {', '.join(f'{n} {t:.0f} s' for n, t in spawns.items())}", flush=True)
            print("==> 02-dataloader, one learner alone, then all at once", flush=True)
            alone = run_notebook(hub, names[0], "02-dataloader.ipynb")
            with ThreadPoolExecutor(len(names)) as pool:
                runs = pool.map(lambda name: run_notebook(hub, name, "02-dataloader.ipynb"), names)
                crowd = dict(zip(names, runs, strict=True))
            peaks = {name: peak_memory(hub, name) for name in names}
            print(
                f"    alone {alone:.1f} s; at once {', '.join(f'{n} {t:.1f} s' for n, t in crowd.items())}", flush=True
            )
            print("==> a small cell, alone and beside a learner who trains", flush=True)
            default = contention(hub, names[0], names[1])
            print(f"    {default}", flush=True)
        pair = names[:2]
        with running_hub(
            engine,
            TAG,
            STATE / "hub-bench",
            pair,
            JAVADL_HUB_CULL_IDLE_SECONDS="0",
            JAVADL_HUB_CPU_LIMIT=args.other_cpu_limit,
        ) as hub:
            spawn_all(hub, pair)
            print(f"==> the same with JAVADL_HUB_CPU_LIMIT={args.other_cpu_limit}", flush=True)
            other = contention(hub, pair[0], pair[1])
    finally:
        engine.stop()

    cores = os.cpu_count()
    rows.append(f"machine: {cores} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB")
    rows.append(f"notebooks at {DATASET_LIMIT} images, {MAX_EPOCHS} epochs; {len(names)} learners, 2 GiB each\n")
    rows.append("| measure | value |")
    rows.append("| --- | --- |")
    rows.append(
        f"| spawn, all at once (s) | median {statistics.median(spawns.values()):.0f}, "
        f"slowest {max(spawns.values()):.0f} |"
    )
    rows.append(f"| 02-dataloader, one learner alone (s) | {alone:.1f} |")
    rows.append(
        f"| 02-dataloader, {len(names)} at once (s) | median {statistics.median(crowd.values()):.1f}, "
        f"slowest {max(crowd.values()):.1f} (median {statistics.median(crowd.values()) / alone:.1f}x alone, "
        f"slowest {max(crowd.values()) / alone:.1f}x) |"
    )
    rows.append(
        f"| peak memory per learner (MiB) | median {statistics.median(peaks.values()) / 2**20:.0f}, "
        f"largest {max(peaks.values()) / 2**20:.0f} |"
    )
    for label, (small_alone, small_crowded, training_alone, training) in (
        (f"JAVADL_HUB_CPU_LIMIT={os.environ.get('JAVADL_HUB_CPU_LIMIT', '1 (the default)')}", default),
        (f"JAVADL_HUB_CPU_LIMIT={args.other_cpu_limit}", other),
    ):
        rows.append(
            f"| {label}: small cell alone / beside training (ms) | {small_alone * 1000:.0f} / "
            f"{small_crowded * 1000:.0f} ({small_crowded / small_alone:.1f}x) |"
        )
        rows.append(
            f"| {label}: 09-train-cifar10 alone / beside small cells (s) | {training_alone:.1f} / {training:.1f} |"
        )
    print("\n" + "\n".join(rows))
    print(
        "\nper learner: "
        + ", ".join(f"{n} spawn {spawns[n]:.0f} s, 02 {crowd[n]:.1f} s, peak {peaks[n] / 2**20:.0f} MiB" for n in names)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
