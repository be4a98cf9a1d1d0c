"""How long the javadl kernel takes to start, to its first result and to its first DJL result.

Run from the project root after `make setup`:

    .venv/bin/python bench/kernel_startup.py [--runs 5]

Each run starts a fresh kernel through jupyter_client, the way JupyterLab does, and times from the launch:
the first result of `1 + 1`, then the result of a first DJL call, then the round trip of a trivial cell
(median of 20). "cold" runs give DJL an empty native cache (DJL_CACHE_DIR in a new temporary folder), so the
first DJL call unpacks PyTorch (430 MB); "warm" runs use the cache `make setup` filled. The OS file cache
stays warm in both.

`--baseline` also times JJava's own `java` kernel (its launcher, no extension) with the same jars on
JJAVA_CLASSPATH, the set-up a learner would make by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

DJL_CELL = "ai.djl.ndarray.NDManager.newBaseManager().ones(new ai.djl.ndarray.types.Shape(2, 2)).sum()"


def run_cell(client, code: str) -> None:
    reply = client.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")


def one_run(kernel: str, env: dict[str, str]) -> dict[str, float]:
    manager = KernelManager(kernel_name=kernel)
    start = time.perf_counter()
    manager.start_kernel(env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        run_cell(client, "1 + 1")
        first_result = time.perf_counter() - start
        run_cell(client, DJL_CELL)
        first_djl_result = time.perf_counter() - start
        trips = []
        for _ in range(20):
            t = time.perf_counter()
            run_cell(client, "1 + 1")
            trips.append(time.perf_counter() - t)
        return {"first result s": first_result, "first DJL result s": first_djl_result,
                "trivial cell ms": 1000 * statistics.median(trips)}
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", action="store_true", help="also time JJava's plain 'java' kernel")
    args = parser.parse_args()

    kernels = {"javadl": {}}
    if args.baseline:
        javadl = KernelSpecManager().get_kernel_spec("javadl")
        kernels["java"] = {"JJAVA_LOAD_EXTENSIONS": "0",
                           **{key: javadl.env[key] for key in ("JJAVA_CLASSPATH", "DJL_OFFLINE")}}
    for kernel, kernel_env in kernels.items():
        for cache in ("warm", "cold"):
            results = []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="djl-cache-") as empty:
                    env = dict(os.environ, **kernel_env)
                    if cache == "cold":
                        env["DJL_CACHE_DIR"] = empty
                    results.append(one_run(kernel, env))
            for metric in results[0]:
                values = sorted(r[metric] for r in results)
                print(f"{kernel:6}  {cache:4}  {metric:20} median {statistics.median(values):7.3f}   "
                      f"min {values[0]:7.3f}   max {values[-1]:7.3f}   ({args.runs} runs)")


if __name__ == "__main__":
    main()
