#!/usr/bin/env python3
"""`make gpu-check`: runs io.javadl.train.GpuCheck with the installed kernel's Java, options, classpath and
environment (the PyTorch build chosen with `make setup [TORCH=cuda]`), after what `nvidia-smi` says of the GPUs.

Exit status: GpuCheck's (0 passed, 1 a check failed, 2 no GPU).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel-dir", type=Path, required=True, help="the installed javadl kernel's folder")
    spec = json.loads((parser.parse_args().kernel_dir / "kernel.json").read_text())
    java, jvm_options = spec["argv"][0], spec["argv"][1:spec["argv"].index("-jar")]
    # the kernel's class-data archive holds the classes of its own class path (jjava.jar), not this one's
    jvm_options = [option for option in jvm_options if not option.startswith("-XX:SharedArchiveFile=")]
    if shutil.which("nvidia-smi"):
        subprocess.run(["nvidia-smi", "--query-gpu=index,name,driver_version,memory.total", "--format=csv"])
    else:
        print("nvidia-smi: not on PATH", flush=True)
    command = [java, *jvm_options, "-cp", spec["env"]["JJAVA_CLASSPATH"], "io.javadl.train.GpuCheck"]
    return subprocess.run(command, env=dict(os.environ, **spec["env"])).returncode


if __name__ == "__main__":
    sys.exit(main())
