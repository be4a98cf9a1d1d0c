"""Workload (f) of bench/run.py: how long a kernel takes from its launch to its first result, to its first
deep-learning result, and how long a trivial cell's round trip takes, through jupyter_client as JupyterLab
drives it.

The javadl kernel is timed as each environment's kernelspec starts it (`javadl_variants`: one environment per JDK,
with its class archive and without), written under build/bench/kernels; PyTorch's side is ipykernel in
build/bench-venv, whose kernelspec `bench_python_torch_kernelspec` writes there too. "cold" gives DJL an empty
native cache (DJL_CACHE_DIR in a new temporary folder), so its first DJL call extracts DJL's JNI library (PyTorch's
own libraries are unpacked in the kernel's folder, and stay there); "warm" uses the cache `make setup` filled. The
operating system's file cache is warm in both.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from javadl.jdk import java_feature_version
from javadl.kernelspec import KERNEL_NAME, is_archive_option, kernelspec_dir

TRIVIAL_CELL = "1 + 1"
TRIVIAL_ROUND_TRIPS = 20
# A long session: the trivial cell is timed again once this many cells have run, each of them an expression whose
# value JShell would keep in a variable of its own
LONG_SESSION_CELLS = 500
FIRST_DL_CELL = {  # by the kernelspec's language
    "java": "ai.djl.ndarray.NDManager.newBaseManager().ones(new ai.djl.ndarray.types.Shape(2, 2)).sum()",
    "python": "import torch; torch.ones(2, 2).sum()",
}


def kernel_json(environment: Path) -> Path:
    """The kernelspec file of the javadl kernel that `make setup VENV=environment` installed."""
    return kernelspec_dir(environment) / "kernel.json"


def bench_python_torch_kernelspec(python: Path, kernels: Path) -> KernelSpecManager:
    """A kernelspec for ipykernel in the bench environment, found by the returned manager only."""
    folder = kernels / "bench-python-torch"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python (PyTorch, bench)",
                "language": "python",
            }
        )
    )
    return KernelSpecManager(kernel_dirs=[str(kernels)])


def javadl_variants(environments: list[Path], kernels: Path) -> list[tuple[str, KernelSpecManager]]:
    """For each environment's installed javadl kernel, two kernelspecs: as installed, and without its class archive;
    each with a label that names the JDK and the archive ("Java 25, javadl.aot", "Java 25, no archive")."""
    variants = []
    for environment in environments:
        spec = json.loads(kernel_json(environment).read_text())
        version = java_feature_version(Path(spec["argv"][0]))
        archive = next((Path(a.partition("=")[2]).name for a in spec["argv"] if is_archive_option(a)), None)
        bare = dict(spec, argv=[a for a in spec["argv"] if not is_archive_option(a)])
        for label, variant in ((f"Java {version}, {archive}", spec), (f"Java {version}, no archive", bare)):
            if label in dict(variants) or (variant is spec and archive is None):
                continue
            folder = kernels / KERNEL_NAME / re.sub(r"\W+", "-", label).lower() / KERNEL_NAME
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "kernel.json").write_text(json.dumps(variant))
            variants.append((label, KernelSpecManager(kernel_dirs=[str(folder.parent)])))
    return variants


def run_cell(client, code: str) -> None:
    """Runs a cell that must succeed in the kernel `client` talks to."""
    reply = client.execute_interactive(code, timeout=180, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")


def median_round_trip(client) -> float:
    """Seconds a trivial cell takes from request to reply, the median of TRIVIAL_ROUND_TRIPS."""
    trips = []
    for _ in range(TRIVIAL_ROUND_TRIPS):
        trip_start = time.perf_counter()
        run_cell(client, TRIVIAL_CELL)
        trips.append(time.perf_counter() - trip_start)
    return statistics.median(trips)


def time_kernel(
    kernel: str, env: dict[str, str], specs: KernelSpecManager, cold_djl_cache: bool = False
) -> dict[str, float]:
    """Starts one fresh kernel and returns seconds to the first result and to the first deep-learning result,
    and the median round trip of a trivial cell: at once, and once LONG_SESSION_CELLS cells have run."""
    with tempfile.TemporaryDirectory(prefix="djl-cache-") as empty_cache:
        if cold_djl_cache:
            env = dict(env, DJL_CACHE_DIR=empty_cache)
        manager = KernelManager(kernel_name=kernel, kernel_spec_manager=specs)
        first_dl_cell = FIRST_DL_CELL[manager.kernel_spec.language]
        start = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            manager.start_kernel(env=env, stdout=quiet, stderr=quiet)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=180)
            run_cell(client, TRIVIAL_CELL)
            first_result = time.perf_counter() - start
            run_cell(client, first_dl_cell)
            first_dl_result = time.perf_counter() - start
            trivial_cell = median_round_trip(client)
            for _ in range(LONG_SESSION_CELLS - 2 - 2 * TRIVIAL_ROUND_TRIPS):
                run_cell(client, TRIVIAL_CELL)
            return {
                "first result": first_result,
                "first DL result": first_dl_result,
                "trivial cell": trivial_cell,
                "trivial cell, long session": median_round_trip(client),
            }
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
