"""`make gpu-check` on a machine without a GPU: it names the build, says that there is nothing to check, and exits
with status 2, whichever build the kernel has. (Its checks themselves run in GpuCheckTest, with the CPU as the
device; on a GPU they need a machine with one.)"""

from __future__ import annotations

import subprocess

from conftest import ROOT, build_clause, installed_torch_build, needs_no_gpu, pom_property


@needs_no_gpu
def test_without_a_gpu_the_check_says_so_and_exits_with_2():
    result = subprocess.run(["make", "--no-print-directory", "gpu-check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)

    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    info = [line for line in lines if line.startswith("Java ")]
    assert len(info) == 1 and info[0].endswith(f"| PyTorch {pom_property('pytorch.version')} | {build_clause()}"), lines
    advice = "" if installed_torch_build() == "cuda" else " (the kernel has PyTorch's CPU build: 'make setup TORCH=cuda')"
    assert lines[-1] == "gpu-check: DJL sees no GPU, so there is nothing to check" + advice, lines
    assert "INFO" not in result.stdout + result.stderr, "DJL's start-up notes are not for this report"
