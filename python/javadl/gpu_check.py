"""`make gpu-check`: runs io.javadl.tools.GpuCheck with the installed kernel's Java, options, classpath and
environment (the PyTorch build chosen with `make setup [TORCH=cuda]`), after what `nvidia-smi` says of the GPUs.

Exit status: GpuCheck's (0 passed, 1 a check failed, 2 no GPU).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from javadl.kernelspec import KernelSpec, kernelspec_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--env",
        type=Path,
        default=Path(sys.prefix),
        help="the environment the javadl kernel is installed in (default: this Python's)",
    )
    java = KernelSpec.read(kernelspec_dir(parser.parse_args().env))
    if shutil.which("nvidia-smi"):
        subprocess.run(["nvidia-smi", "--query-gpu=index,name,driver_version,memory.total", "--format=csv"])
    else:
        print("nvidia-smi: not on PATH", flush=True)
    return subprocess.run(java.command("io.javadl.tools.GpuCheck"), env=java.env).returncode


if __name__ == "__main__":
    sys.exit(main())
