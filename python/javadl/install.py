"""Install JavaDL Notebooks: the Python environment, the Java build and the `javadl` Jupyter kernel.

`make setup` runs this: `PYTHONPATH=python python3 -m javadl.install [--venv DIR] [--torch cpu|cuda]`; Binder's
`postBuild` and the image add `--python-env`, which installs into the environment of the Python that runs it instead
of creating one. Every step checks first whether its work is already done, so a second run changes nothing and takes
a few seconds:

1. checks for a JDK of pom.xml's maven.compiler.release or newer (17; JShell is part of the JDK, not of a JRE)
   and Maven (javadl.jdk, javadl.java_build);
2. creates the virtual environment (default `.venv`) unless `--python-env`, and installs `requirements.txt` (what
   a learner's server needs), the files given with `--with` (`make test`: requirements-dev.txt, the test tools) and
   this package, editable (javadl.environment);
3. builds the Maven modules against the JJava jar that the `jjava` package installed, which leave the kernel's
   runtime classpath in `kernel/target/classpath/`, the sources of DJL's API and of the course library (Shift+Tab
   shows their Javadoc) in `kernel/target/sources/` and the cell-stop agent (`-javaagent`: an interrupt stops any
   cell, on every JDK) in `agent/target/agent/` (javadl.java_build);
4. with `--torch cuda`, installs PyTorch's CUDA build from PyPI into an environment of its own
   (`<env>/torch-cuda`, requirements-torch-cuda.txt, about 5 GB) (javadl.torch_build);
5. installs the kernelspec `javadl` ("Java (DJL)") into the environment, with copies of that classpath, the
   sources, the agent and JJava's kernel jar, so that the kernel keeps working after `mvn clean`, with the chosen
   PyTorch build (the CPU build unpacked from its jar, about 430 MB; the CUDA build as links) and the environment
   variables that make DJL load it from there (javadl.torch_build, javadl.kernelspec); where the JDK lacks its
   `lib/src.zip` (Debian's and Ubuntu's keep it in a package of its own), fetches that package's src.zip into the
   kernel's sources, for the JDK's Javadoc on Shift+Tab (javadl.jdk);
6. starts DJL once the way the kernel will, which unpacks DJL's JNI library for the chosen build into DJL's cache
   (4 MB, once per machine), and proves that the kernel's classpath works;
7. starts the kernel once to write a class archive of the classes a first cell loads, which later kernels map
   instead of loading them: a class-data sharing archive, or from Java 25 an ahead-of-time cache
   (javadl.class_archive);
8. configures JupyterLab's launcher item "TensorBoard" (jupyter-server-proxy): TensorBoard on the notebooks' logs
   (`--tensorboard-logs`, default notebooks/logs) (javadl.tensorboard_proxy);
9. turns on the server extension that counts a busy kernel as its server's activity, so that a hub's idle culler
   never stops a server while a cell runs (javadl.busy_kernels).

`--torch` chooses the PyTorch build the kernel loads; without it, the build chosen last is kept (the CPU build
on a new environment), so that `make test` after `make setup TORCH=cuda` tests the CUDA build.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from javadl.busy_kernels import ensure_enabled as ensure_busy_kernels_count
from javadl.class_archive import current_archive, ensure_class_archive
from javadl.environment import ensure_requirements, ensure_venv
from javadl.files import sync_file, sync_folder, write_if_changed
from javadl.java_build import build_java, find_maven, jjava_jar
from javadl.jdk import JDK_SOURCES_FILES, ensure_jdk_sources, find_jdk
from javadl.kernelspec import DISPLAY_NAME, KERNEL_NAME, KernelSpec, kernel_json, kernelspec_dir
from javadl.project import NOTEBOOKS, ROOT, display
from javadl.steps import InstallError, step
from javadl.tensorboard_proxy import ensure_tensorboard_proxy
from javadl.torch_build import (
    TORCH_BUILDS,
    TORCH_CPU_JAR,
    check_platform,
    chosen_torch,
    ensure_torch_cuda,
    remember_torch,
    torch_libraries,
)

WARM_UP_MAIN = "io.javadl.tools.WarmUp"


def install_kernelspec(
    env_dir: Path, java: Path, classpath: Path, agent: Path, sources: Path, torch_lib: Path | None
) -> tuple[Path, dict]:
    """Installs the kernel with PyTorch's CUDA build from `torch_lib`, or the CPU build when it is None; returns
    the kernel's folder and the environment variables that choose the build."""
    kernel_dir = kernelspec_dir(env_dir)
    changed = sync_folder(classpath, kernel_dir / "classpath", skip=TORCH_CPU_JAR)
    changed |= sync_folder(agent, kernel_dir / "agent")
    changed |= sync_folder(sources, kernel_dir / "sources", keep=JDK_SOURCES_FILES)
    changed |= ensure_jdk_sources(java, kernel_dir / "sources")
    changed |= sync_file(jjava_jar(env_dir), kernel_dir / "jjava.jar")
    torch_env = torch_libraries(torch_lib, classpath, kernel_dir)
    spec = kernel_json(java, kernel_dir, torch_env, current_archive(java, kernel_dir))
    changed |= write_if_changed(kernel_dir / "kernel.json", spec)
    build = "PyTorch's CUDA build" if torch_lib else "PyTorch's CPU build"
    state = "installed in" if changed else "up to date in"
    step(f"Kernel '{KERNEL_NAME}' ({DISPLAY_NAME}) with {build}: {state} {display(kernel_dir)}")
    return kernel_dir, torch_env


def warm_up_djl(kernel_dir: Path) -> str:
    """Loads DJL's engine the way the kernel will; on a new machine this fills DJL's native cache."""
    spec = KernelSpec.read(kernel_dir)
    result = subprocess.run(spec.command(WARM_UP_MAIN), env=spec.env, capture_output=True, text=True)
    if result.returncode != 0:
        raise InstallError("DJL could not load PyTorch through the kernel's classpath:\n" + result.stderr.strip())
    return result.stdout.strip()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m javadl.install", description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--venv", type=Path, default=ROOT / ".venv", help="the virtual environment to create or update (default: .venv)"
    )
    where.add_argument(
        "--python-env",
        action="store_true",
        help="install into the environment of the Python running this (Binder, the image)",
    )
    parser.add_argument(
        "--with",
        dest="extra_requirements",
        type=Path,
        action="append",
        default=[],
        metavar="REQUIREMENTS",
        help="also install this requirements file, such as requirements-dev.txt (the test tools); may be given again",
    )
    parser.add_argument(
        "--torch",
        choices=TORCH_BUILDS,
        help="the PyTorch build the kernel loads: cpu (Maven Central's, bundled), or cuda (PyPI's CUDA 12.6 build, "
        "about 5 GB); default: the one chosen last, else cpu",
    )
    parser.add_argument(
        "--tensorboard-logs",
        type=Path,
        default=NOTEBOOKS / "logs",
        help="the folder JupyterLab's TensorBoard item shows (default: notebooks/logs, where the notebooks write "
        "their logs)",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    env_dir = Path(sys.prefix) if args.python_env else args.venv.absolute()
    try:
        check_platform()
        java, version = find_jdk()
        mvn = find_maven()
        step(f"Using Java {version} at {java}")
        python = Path(sys.executable) if args.python_env else ensure_venv(env_dir)
        ensure_requirements(env_dir, python, args.extra_requirements)
        classpath, agent, sources = build_java(java, mvn, env_dir)
        torch = chosen_torch(env_dir, args.torch)
        torch_lib = ensure_torch_cuda(env_dir) if torch == "cuda" else None
        kernel_dir, torch_env = install_kernelspec(env_dir, java, classpath, agent, sources, torch_lib)
        step("Checking that DJL loads PyTorch")
        print(f"    {warm_up_djl(kernel_dir)}")
        remember_torch(env_dir, torch)
        ensure_class_archive(python, java, kernel_dir, torch_env)
        ensure_tensorboard_proxy(env_dir, args.tensorboard_logs.absolute())
        ensure_busy_kernels_count(env_dir)
    except InstallError as e:
        print(f"\nerror: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
