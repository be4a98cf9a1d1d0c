"""`make bench-image`: the Docker image a class pulls onto every machine, measured. Its size (`docker image inspect`),
what takes that room (`du` inside it), its JDK, and how long its kernel takes to its first result.

The image is built as `make test-image` builds it (the image tier's own engine and local Debian base, in
build/docker; needs root). The first result is timed as a learner meets it: the container started as the docs say
(`docker run` with 2 GB of memory), then for each run a new notebook session through the server's API, from the
request that starts the kernel to the reply to `1 + 1`, through the kernel's WebSocket as JupyterLab drives it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from docker_engine import Container, DockerEngine  # noqa: E402 (tests/ holds the image tier's engine)
from jupyter_remote import JupyterServer  # noqa: E402

STATE = ROOT / "build" / "docker"
TAG = "javadl-bench:latest"
CONTAINER = "javadl-bench"
# the folders that take the image's room
FOLDERS = [
    "/usr/lib/jvm",
    "/usr/lib/python3.*",
    "/home/learner/javadl",
    "/home/learner/javadl/.venv",
    "/home/learner/javadl/.venv/lib",
    "/home/learner/javadl/.venv/share/jupyter/kernels/javadl",
    "/home/learner/javadl/.venv/share/jupyter/kernels/javadl/libtorch-cpu",
    "/home/learner/javadl/.venv/share/jupyter/kernels/javadl/classpath",
    "/home/learner/javadl/.venv/share/jupyter/kernels/javadl/sources",
    "/opt/maven",
    "/home/learner/.djl.ai",
]


def first_results(engine: DockerEngine, runs: int) -> list[float]:
    """Seconds from a new session's request to the reply to `1 + 1`, for each of `runs` kernels in turn."""
    engine.docker("rm", "--force", CONTAINER, check=False)
    engine.docker("run", "--detach", "--name", CONTAINER, "--memory=2g", "--publish", "127.0.0.1::8888", TAG)
    try:
        port = int(engine.docker("port", CONTAINER, "8888").stdout.split(":")[-1])
        server = JupyterServer(f"http://127.0.0.1:{port}/", Container(engine, CONTAINER, port).token())
        seconds = []
        for _ in range(runs):
            started = time.monotonic()
            with server.open_session("00-setup-check.ipynb", "javadl") as kernel:
                status, outputs = kernel.execute("1 + 1")
                seconds.append(time.monotonic() - started)
                assert status == "ok", outputs
        return seconds
    finally:
        engine.docker("rm", "--force", CONTAINER, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="kernels timed to their first result (default: 5)")
    args = parser.parse_args()
    engine = DockerEngine(STATE)
    engine.start()
    try:
        base = engine.build_debian_base()
        print(f"==> Building the image on {base} (log: {STATE / 'bench-build.log'})", flush=True)
        engine.build(ROOT, TAG, STATE / "bench-build.log", {"BASE_IMAGE": base})
        size = engine.image_size(TAG)
        java = engine.docker("run", "--rm", TAG, "java", "-version").stderr.splitlines()[0]
        usage = engine.docker(
            "run",
            "--rm",
            "--user",
            "root",
            TAG,
            "bash",
            "-c",
            'for f in $@; do du -sm --one-file-system "$f" 2>/dev/null; done',
            "du",
            "/",
            *FOLDERS,
        ).stdout
        seconds = first_results(engine, args.runs)
    finally:
        engine.stop()
    print(f"\nimage size: {size / 10**9:.2f} GB ({size / 2**30:.2f} GiB); {java}")
    print("du, MB (each folder on its own: some hold others):")
    for line in usage.splitlines():
        print(f"  {line}")
    print(
        f"first result (`1 + 1` in a new kernel), {len(seconds)} runs: median {statistics.median(seconds):.2f} s, "
        f"{' '.join(f'{s:.2f}' for s in seconds)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
