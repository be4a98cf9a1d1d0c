"""`make gpu-check` on a machine without a GPU: it names the build, says that there is nothing to check, and exits
with status 2, whichever build the kernel has. (Its checks themselves run in GpuCheckTest, with the CPU as the
device; on a GPU they need a machine with one.)"""

from __future__ import annotations

import subprocess

from conftest import build_clause, installed_torch_build, needs_no_gpu
from javadl.project import ROOT, pom_property


@needs_no_gpu
def test_without_a_gpu_the_check_says_so_and_exits_with_2():
    result = subprocess.run(
        ["make", "--no-print-directory", "gpu-check"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 2, result.stdout + result.stderr
    output = result.stdout.splitlines()
    lines = output[next(i for i, line in enumerate(output) if "-m javadl.gpu_check" in line) + 1 :]  # after setup's
    advice = (
        "" if installed_torch_build() == "cuda" else " (the kernel has PyTorch's CPU build: 'make setup TORCH=cuda')"
    )
    assert len(lines) == 3, lines  # no JVM warnings, no DJL start-up notes
    assert lines[0] == "nvidia-smi: not on PATH" or lines[0].startswith("index, name, driver_version"), lines
    assert lines[1].startswith("Java ") and lines[1].endswith(
        f"| PyTorch {pom_property('pytorch.version')} | {build_clause()}"
    ), lines
    assert lines[2] == "gpu-check: DJL sees no GPU, so there is nothing to check" + advice, lines
