"""PyTorch's CUDA build (make setup TORCH=cuda), on a machine without a GPU: what setup installed and linked, that
the kernel really loads the CUDA libtorch from PyPI's torch and computes with it, and that `make setup` switches
between the builds without downloading again. `make test-cuda` runs this after setting up the CUDA build, with
the whole notebook suite (tests/) on the same kernel."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import KernelSession, build_clause, installed_kernelspec, installed_torch_build, needs_no_gpu, setup_env
from javadl.kernelspec import kernelspec_dir
from javadl.project import pom_property

ENV_DIR = Path(sys.prefix)
KERNEL_DIR = kernelspec_dir(ENV_DIR)
TORCH_LIB = next((ENV_DIR / "torch-cuda").glob("lib/python3*/site-packages/torch/lib"), None)
LIBTORCH = ["libc10.so", "libc10_cuda.so", "libtorch.so", "libtorch_cpu.so", "libtorch_cuda.so"]


@pytest.fixture(autouse=True)
def cuda_kernel() -> None:
    if installed_torch_build() != "cuda":
        pytest.fail(
            "the installed kernel has PyTorch's CPU build: run this tier with 'make test-cuda', which sets "
            "up the CUDA build first"
        )


def test_the_kernel_loads_pypis_torch_through_a_folder_of_links():
    env = installed_kernelspec()["env"]
    folder = Path(env["PYTORCH_LIBRARY_PATH"])

    assert folder == KERNEL_DIR / "libtorch-cuda"
    assert sorted(p.name for p in folder.iterdir()) == LIBTORCH  # no libcaffe2_nvrtc.so: it needs libcuda.so.1
    for link in folder.iterdir():
        assert link.is_symlink() and link.resolve() == (TORCH_LIB / link.name).resolve(), link
    assert (TORCH_LIB / "libcaffe2_nvrtc.so").is_file(), (
        "the wheel still has it; only the kernel's folder leaves it out"
    )
    assert env["PYTORCH_VERSION"] == pom_property("pytorch.version")
    installed = subprocess.run(
        [
            str(ENV_DIR / "torch-cuda" / "bin" / "python"),
            "-c",
            "import torch; print(torch.__version__, torch.version.cuda)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert installed == [f"{pom_property('pytorch.version')}+cu126", "12.6"]


def test_djls_jar_carries_the_jni_library_of_the_flavor_the_kernel_asks_for():
    env = installed_kernelspec()["env"]
    jni_jar = next(Path(env["JJAVA_CLASSPATH"].removesuffix("*")).glob("pytorch-jni-*.jar"))

    with zipfile.ZipFile(jni_jar) as jar:
        assert f"jnilib/linux-x86_64/{env['PYTORCH_FLAVOR']}/libdjl_torch.so" in jar.namelist()


@needs_no_gpu
def test_cells_compute_with_the_cuda_libtorch_on_the_cpu_and_say_so(tmp_path):
    session = KernelSession(env={"DJL_CACHE_DIR": str(tmp_path / "djl-cache")})  # the JNI library, extracted anew
    try:
        line = session.value("System.out.println(SystemInfo.collect());")
        product = session.value("""
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.arange(1f, 10f).reshape(1, 1, 3, 3);
                NDArray sums = ai.djl.nn.convolutional.Conv2d.conv2d(x, m.ones(new Shape(1, 1, 2, 2))).head();
                System.out.println(java.util.Arrays.toString(sums.toFloatArray()));
            }""")
        maps = Path(f"/proc/{session.pid}/maps").read_text()
    finally:
        session.close()

    assert line.strip().endswith(f"| PyTorch {pom_property('pytorch.version')} | {build_clause()}"), line
    assert product.strip() == "[12.0, 16.0, 24.0, 28.0]"  # the sums of the 2x2 windows of 1..9 in a 3x3 grid
    loaded = {
        Path(entry.split()[-1]) for entry in maps.splitlines() if entry.split()[-1].endswith((".so", ".so.12", ".so.9"))
    }
    assert (TORCH_LIB / "libtorch_cuda.so").resolve() in loaded
    assert any("nvidia/cudnn" in str(p) for p in loaded), "cuDNN from the nvidia-cudnn-cu12 wheel"
    assert not any("cpu-linux-x86_64" in str(p) for p in loaded), "DJL's CPU build was loaded as well"
    assert (tmp_path / "djl-cache" / "pytorch" / f"{pom_property('pytorch.version')}-cu128-linux-x86_64").is_dir()


def test_setup_switches_to_the_cpu_build_and_back_without_downloading():
    install = [sys.executable, "-m", "javadl.install", "--venv", str(ENV_DIR)]
    try:
        to_cpu = subprocess.run([*install, "--torch", "cpu"], env=setup_env(), capture_output=True, text=True)
        cpu_env = installed_kernelspec()["env"]
        linked_on_cpu = (KERNEL_DIR / "libtorch-cuda").exists()
        cpu_folder = sorted(p.name for p in (KERNEL_DIR / "libtorch-cpu").iterdir())
    finally:
        back = subprocess.run([*install, "--torch", "cuda"], env=setup_env(), capture_output=True, text=True)

    assert to_cpu.returncode == 0, to_cpu.stdout + to_cpu.stderr
    assert "with PyTorch's CPU build: installed in" in to_cpu.stdout
    assert (cpu_env["PYTORCH_LIBRARY_PATH"], cpu_env["PYTORCH_FLAVOR"]) == (str(KERNEL_DIR / "libtorch-cpu"), "cpu")
    assert "libtorch.so" in cpu_folder and not linked_on_cpu
    assert not (KERNEL_DIR / "libtorch-cpu").exists(), "the CUDA build's kernel keeps no CPU build beside it"
    assert back.returncode == 0, back.stdout + back.stderr
    assert "PyTorch's CUDA build: up to date in" in back.stdout and "Installing" not in back.stdout, back.stdout
    assert "with PyTorch's CUDA build: installed in" in back.stdout
    assert "| CUDA build, no GPU visible: cells run on the CPU" in back.stdout  # the warm-up's line
    assert installed_torch_build() == "cuda"
    assert json.loads((KERNEL_DIR / "kernel.json").read_text())["env"]["PYTORCH_FLAVOR"] == "cu128"
