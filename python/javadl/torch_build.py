"""The PyTorch build the kernel loads, and where DJL finds it.

cpu: Maven Central's pytorch-native-cpu, unpacked once into the kernel's folder, from where DJL loads it
(PYTORCH_LIBRARY_PATH), as it loads the CUDA build; the jar itself stays out of the kernel's classpath (it would be a
second copy, 107 MB, and DJL would unpack a third into its cache). cuda: PyPI's torch (requirements-torch-cuda.txt),
whose 2.7.1 for Linux x86-64 is the CUDA 12.6 build of the libtorch DJL 0.36 drives; DJL loads it from
PYTORCH_LIBRARY_PATH with the cu128 JNI library that the pytorch-jni jar carries (both are CUDA 12 builds). The
kernelspec names the build (PYTORCH_FLAVOR) either way, so a GPU on the machine cannot make DJL pick another JNI
library than the build's.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import zipfile
from pathlib import Path

from javadl.environment import check_free_space, ensure_venv
from javadl.files import is_stamped, replace_with, write_if_changed
from javadl.project import ROOT, display, pom_property
from javadl.steps import InstallError, run, step

TORCH_BUILDS = ("cpu", "cuda")
TORCH_CHOICE = ".javadl-torch"  # in the environment: the build chosen last
TORCH_CUDA_ENV = "torch-cuda"  # in the environment: the Python environment that holds PyTorch's CUDA build
TORCH_CUDA_LOCK = ROOT / "requirements-torch-cuda.txt"
TORCH_CUDA_STAMP = ".javadl-torch-cuda.txt"  # in that environment: the lock file it was installed from
TORCH_CUDA_DISK_BYTES = 6 * 10**9  # 5.1 GB installed, and room for pip to unpack
TORCH_CUDA_JNI_FLAVOR = "cu128"
# DJL loads every library in PYTORCH_LIBRARY_PATH's folder, so the kernel gets a folder of its own with links to
# the five that libtorch is made of; Java loads a link's target, so their NVIDIA libraries and libgomp are found
# through torch's own RPATH ($ORIGIN/../../nvidia/...). Left out: libcaffe2_nvrtc.so, which needs the driver's
# libcuda.so.1 and made DJL fail on machines without one, and which no library of torch 2.7.1 refers to
# (libtorch_cuda.so opens libcuda.so.1 and libnvrtc.so.12 itself when a GPU needs them), so it stays out on GPU
# machines too; and the libraries of Python's torch (libtorch_python.so, libshm.so, libtorch_global_deps.so).
TORCH_CUDA_LIBRARIES = ("libc10.so", "libc10_cuda.so", "libtorch.so", "libtorch_cpu.so", "libtorch_cuda.so")
TORCH_CUDA_LIBRARY_FOLDER = "libtorch-cuda"  # in the kernel's folder
TORCH_CPU_JAR = "pytorch-native-cpu-*.jar"  # in the build's classpath
TORCH_CPU_JAR_FOLDER = "pytorch/cpu/linux-x86_64/"  # the libraries' folder inside it
TORCH_CPU_LIBRARY_FOLDER = "libtorch-cpu"  # in the kernel's folder
TORCH_CPU_STAMP = ".from-jar"  # in that folder: "<jar> <size>" it was unpacked from


def check_platform() -> None:
    """The bundled PyTorch library is the linux-x86_64 build of Maven Central's pytorch-native-cpu."""
    system, machine = platform.system(), platform.machine()
    if (system, machine.lower()) not in (("Linux", "x86_64"), ("Linux", "amd64")):
        raise InstallError(
            f"This machine is {system} {machine}; the kernel bundles PyTorch for Linux x86-64 only. Use a Linux "
            "x86-64 machine or container."
        )


def pytorch_version() -> str:
    """The libtorch version of the Java build (pom.xml's pytorch.version), which the CUDA build must match."""
    return pom_property("pytorch.version")


def chosen_torch(env_dir: Path, requested: str | None) -> str:
    """The build asked for, else the one chosen last in this environment, else the CPU build."""
    if requested:
        return requested
    choice = env_dir / TORCH_CHOICE
    return choice.read_text().strip() if choice.is_file() else "cpu"


def remember_torch(env_dir: Path, build: str) -> None:
    write_if_changed(env_dir / TORCH_CHOICE, build + "\n")


def ensure_torch_cuda(env_dir: Path) -> Path:
    """Installs PyTorch's CUDA build into `<env>/torch-cuda` with pip's hash checking, unless the lock file is
    installed there already; returns the folder of its libraries (`.../site-packages/torch/lib`)."""
    cuda_env = env_dir / TORCH_CUDA_ENV
    lock = TORCH_CUDA_LOCK.read_text()
    stamp = cuda_env / TORCH_CUDA_STAMP
    if is_stamped(stamp, lock):
        step(f"PyTorch's CUDA build: up to date in {display(cuda_env)}")
    else:
        if not (3, 10) <= sys.version_info[:2] <= (3, 13):
            raise InstallError(
                f"This is Python {platform.python_version()}; PyPI has PyTorch {pytorch_version()}'s CUDA build for "
                "Python 3.10 to 3.13 only. Run the setup with one of those, such as "
                "'make setup TORCH=cuda PYTHON=python3.12'."
            )
        check_free_space(cuda_env, TORCH_CUDA_DISK_BYTES, "PyTorch's CUDA build", "set up the CPU build ('make setup')")
        step(
            f"Installing PyTorch {pytorch_version()}'s CUDA build from PyPI into {display(cuda_env)} "
            "(first time: about 3.0 GB to download, 5.1 GB on disk)"
        )
        python = ensure_venv(cuda_env)
        stamp.unlink(missing_ok=True)
        run([str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(TORCH_CUDA_LOCK)])
        write_if_changed(stamp, lock)
    libraries = sorted(cuda_env.glob("lib/python3*/site-packages/torch/lib"))
    if len(libraries) != 1 or not (libraries[0] / "libtorch_cuda.so").is_file():
        raise InstallError(
            f"{display(cuda_env)} holds no single torch/lib with libtorch_cuda.so ({libraries}). "
            f"Delete {display(cuda_env)} and run the setup again."
        )
    return libraries[0]


def torch_libraries(torch_lib: Path | None, classpath: Path, kernel_dir: Path) -> dict[str, str]:
    """Gives the kernel's folder the PyTorch build DJL loads: `libtorch-cuda/`, links to the CUDA build's libraries in
    `torch_lib`, or `libtorch-cpu/`, the CPU build unpacked from its jar in `classpath` (the folder of the other build
    goes); returns the kernelspec's environment variables that make DJL load it."""
    cpu, cuda = kernel_dir / TORCH_CPU_LIBRARY_FOLDER, kernel_dir / TORCH_CUDA_LIBRARY_FOLDER
    if torch_lib is None:
        shutil.rmtree(cuda, ignore_errors=True)
        unpack_torch_cpu(torch_cpu_jar(classpath), cpu)
        folder, flavor = cpu, "cpu"
    else:
        shutil.rmtree(cpu, ignore_errors=True)
        link_torch_cuda(torch_lib, cuda)
        folder, flavor = cuda, TORCH_CUDA_JNI_FLAVOR
    return {"PYTORCH_LIBRARY_PATH": str(folder), "PYTORCH_VERSION": pytorch_version(), "PYTORCH_FLAVOR": flavor}


def link_torch_cuda(torch_lib: Path, folder: Path) -> None:
    """Makes `folder` hold exactly links to the CUDA build's libraries in `torch_lib` (TORCH_CUDA_LIBRARIES)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [p for p in folder.iterdir() if p.name not in TORCH_CUDA_LIBRARIES]:
        stale.unlink()
    for name in TORCH_CUDA_LIBRARIES:
        link, target = folder / name, torch_lib / name
        if not (link.is_symlink() and Path(os.readlink(link)) == target):
            replace_with(link, lambda partial, target=target: partial.symlink_to(target))


def torch_cpu_jar(classpath: Path) -> Path:
    """Maven Central's pytorch-native-cpu jar among the kernel's runtime jars."""
    jars = sorted(classpath.glob(TORCH_CPU_JAR))
    if len(jars) != 1:
        raise InstallError(
            f"{display(classpath)} holds {len(jars)} jars {TORCH_CPU_JAR}, not one: run 'mvn clean' and the setup "
            "again."
        )
    return jars[0]


def unpack_torch_cpu(jar: Path, folder: Path) -> None:
    """Unpacks the CPU build's libraries from `jar` into `folder` (about 430 MB), unless they are there from this
    very jar; the folder is whole or absent, never half-written."""
    stamp = f"{jar.name} {jar.stat().st_size}\n"
    if is_stamped(folder / TORCH_CPU_STAMP, stamp):
        return
    with zipfile.ZipFile(jar) as archive:
        members = [
            m
            for m in archive.infolist()
            if m.filename.startswith(TORCH_CPU_JAR_FOLDER)
            and not m.is_dir()
            and "/" not in m.filename.removeprefix(TORCH_CPU_JAR_FOLDER)
        ]
        if TORCH_CPU_JAR_FOLDER + "libtorch.so" not in {m.filename for m in members}:
            raise InstallError(
                f"{jar} has no {TORCH_CPU_JAR_FOLDER}libtorch.so: it is not PyTorch's CPU build for linux-x86_64. "
                "Delete it from ~/.m2 and run the setup again."
            )
        step(f"Unpacking PyTorch's CPU build from {jar.name} into {display(folder)} (about 430 MB)")

        def unpack(partial: Path) -> None:
            partial.mkdir(parents=True)
            for member in members:
                with archive.open(member) as source, open(partial / Path(member.filename).name, "wb") as target:
                    shutil.copyfileobj(source, target, 2**20)
            (partial / TORCH_CPU_STAMP).write_text(stamp)

        replace_with(folder, unpack)
