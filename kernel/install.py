#!/usr/bin/env python3
"""Install JavaDL Notebooks: the Python environment, the Java build and the `javadl` Jupyter kernel.

`make setup` runs this: `python3 kernel/install.py [--venv DIR] [--torch cpu|cuda]`; Binder's `postBuild` runs
`python kernel/install.py --python-env`, which installs into the environment of the Python that runs it
instead of creating one. Every step checks first whether its work is already done, so a second run changes
nothing and takes a few seconds:

1. checks for a JDK of pom.xml's maven.compiler.release or newer (17; JShell is part of the JDK, not of a JRE)
   and Maven;
2. creates the virtual environment (default `.venv`) unless `--python-env`, and installs `requirements.txt` (what
   a learner's server needs) and the files given with `--with` (`make test`: requirements-dev.txt, the test tools);
3. builds the Maven modules, which leave the kernel's runtime classpath in `kernel/target/classpath/`, the
   sources of DJL's API and of the course library (Shift+Tab shows their Javadoc) in `kernel/target/sources/`
   and the cell-stop agent (`-javaagent`: an interrupt stops any cell, on every JDK) in `agent/target/agent/`;
4. with `--torch cuda`, installs PyTorch's CUDA build from PyPI into an environment of its own
   (`<env>/torch-cuda`, kernel/torch-cuda.txt, about 5 GB) and links the libraries DJL loads from it;
5. installs the kernelspec `javadl` ("Java (DJL)") into the environment, with copies of that classpath, the
   sources, the agent and JJava's kernel jar, so that the kernel keeps working after `mvn clean`, with the chosen
   PyTorch build (the CPU build unpacked from its jar, about 430 MB; the CUDA build as links) and the environment
   variables that make DJL load it from there; where the JDK lacks its `lib/src.zip`
   (Debian's and Ubuntu's keep it in a package of its own), fetches that package's src.zip into the kernel's
   sources, for the JDK's Javadoc on Shift+Tab;
6. starts DJL once the way the kernel will, which unpacks DJL's JNI library for the chosen build into DJL's cache
   (4 MB, once per machine), and proves that the kernel's classpath works;
7. starts the kernel once to write a class archive of the classes a first cell loads, which later kernels map
   instead of loading them: a class-data sharing archive, or from Java 25 an ahead-of-time cache (see
   kernel/class_archive.py);
8. configures JupyterLab's launcher item "TensorBoard" (jupyter-server-proxy): TensorBoard on the notebooks'
   logs (`--tensorboard-logs`, default notebooks/logs), served at `<base_url>tensorboard/` behind Jupyter's own
   login.

`--torch` chooses the PyTorch build the kernel loads; without it, the build chosen last is kept (the CPU build
on a new environment), so that `make test` after `make setup TORCH=cuda` tests the CUDA build.

Only the standard library is used: this runs before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import functools
import filecmp
import hashlib
import importlib.util
import json
import os
import platform
import pwd
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import venv
import zipfile
from xml.etree import ElementTree
from pathlib import Path

from kernel_java import KERNEL_NAME, kernel_dir as kernelspec_dir

ROOT = Path(__file__).resolve().parent.parent


def pom_property(name: str) -> str:
    """A property of the root pom.xml, where the build declares its versions once."""
    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    return ElementTree.parse(ROOT / "pom.xml").getroot().find(f"m:properties/m:{name}", namespace).text


DISPLAY_NAME = "Java (DJL)"
# The Java the code is compiled for (pom.xml's maven.compiler.release): the oldest JDK the kernel runs on
MIN_JAVA = int(pom_property("maven.compiler.release"))
JDK_PACKAGE = f"openjdk-{MIN_JAVA}-jdk-headless"  # Debian's and Ubuntu's package of that JDK

# The JVM that runs the kernel. Heap: half the machine's (or container's) memory, which is 1 GB on Binder's
# 2 GB; `JDK_JAVA_OPTIONS=-Xmx4g` overrides it without a reinstall. UTF-8 everywhere, so that the notes'
# Chinese headings print in any locale. The --add-opens is what JJava's own launcher passes. DJL and JNA load
# native libraries (PyTorch's), which Java 24+ allows only with --enable-native-access: without it the kernel's log
# gets a warning on each start, and a future Java will refuse (JEP 472). Java 17 accepts the option too.
# Only the C1 compiler (TieredStopAtLevel=1): a notebook's Java is mostly javac compiling cells and DJL calling
# libtorch, and C2's compiler thread took a core of two from them in the kernel's first minutes. Same machine, A/B
# (docs/performance.md): the first result 1.23-1.51 s instead of 1.91-2.15 s, a trivial cell 19.5-23.5 ms instead of
# 29.5-38.4 ms, make bench's (b)-(e) within their spread, (a) faster; allocation-heavy Java (streams of records)
# runs up to 1.6x slower once warm.
JVM_OPTIONS = [
    "-XX:TieredStopAtLevel=1",
    "-XX:MaxRAMPercentage=50",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Dsun.stdout.encoding=UTF-8",
    "-Dsun.stderr.encoding=UTF-8",
    "--add-opens",
    "jdk.jshell/jdk.jshell=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]

# The package of JShell's Javadoc formatter, in the module jdk.compiler up to Java 17 and jdk.jshell in Java 25:
# exported to the kernel, it lays out Shift+Tab's Javadoc as the jshell tool does
JAVADOC_FORMATTER_PACKAGE = "jdk.internal.shellsupport.doc"

# DJL must never try the network from a notebook: natives come from the classpath.
KERNEL_ENV = {"DJL_OFFLINE": "true", "OPT_OUT_TRACKING": "true"}
# The kernel's folder of sources jars (DJL's API, the course library), whose Javadoc Shift+Tab shows
SOURCES_ENV = "JAVADL_SOURCES"

# glibc's malloc, tuned for libtorch's large tensors (make bench, row (e); make bench-allocators). By default each
# JVM thread gets its own arena, capped at 64 MiB, and freed tensors of a few MiB go back to the operating system at
# once, so every training step faults the same memory in again: 1.3 to 2.7 million page faults in two epochs of the
# capstone's model and 4.0 to 5.0 s an epoch, instead of about 70,000 and 3.0 to 3.4 s. Blocks up to 32 MiB are kept
# in the arena and up to 256 MiB of freed memory is kept for reuse. One arena, because JJava runs cells on a thread
# of their own: on any arena but the first (grown with brk and trimmed only above the threshold), glibc unmaps each
# 64 MiB heap as soon as it is empty, whatever the threshold, so a thread that landed there faulted a step's
# tensors in again at every step (4,000 page faults a step in about one kernel in ten with two arenas).
# tests/test_training_memory_reuse.py counts the faults.
MALLOC_ENV = {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
              "MALLOC_TRIM_THRESHOLD_": str(256 * 2**20)}
# The kernelspec variables that choose and tune the allocator (bench/allocators.py replaces them)
ALLOCATOR_KEYS = {*MALLOC_ENV, "LD_PRELOAD", "MALLOC_CONF"}

# The PyTorch builds the kernel can load. cpu: Maven Central's pytorch-native-cpu, unpacked once into the kernel's
# folder, from where DJL loads it (PYTORCH_LIBRARY_PATH), as it loads the CUDA build; the jar itself stays out of the
# kernel's classpath (it would be a second copy, 107 MB, and DJL would unpack a third into its cache). cuda: PyPI's
# torch (kernel/torch-cuda.txt), whose 2.7.1 for Linux x86-64 is the CUDA 12.6 build of the libtorch DJL 0.36
# drives; DJL loads it from PYTORCH_LIBRARY_PATH with the cu128 JNI library that the pytorch-jni jar carries (both
# are CUDA 12 builds). The kernelspec names the build (PYTORCH_FLAVOR) either way, so a GPU on the machine cannot
# make DJL pick another JNI library than the build's.
TORCH_BUILDS = ("cpu", "cuda")
TORCH_CHOICE = ".javadl-torch"  # in the environment: the build chosen last
TORCH_CUDA_ENV = "torch-cuda"  # in the environment: the Python environment that holds PyTorch's CUDA build
TORCH_CUDA_LOCK = ROOT / "kernel" / "torch-cuda.txt"
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

# The kernel's class archive, in the kernel's folder (step 7): up to Java 24 a class-data sharing archive of the
# classes a first cell loads; from Java 25 the JVM's ahead-of-time cache (JEPs 483 and 514), which also keeps them
# linked and starts the kernel faster still (make bench, rows (f)). Java 24 has the cache too, but untested here.
CLASS_ARCHIVES = {"cds": "javadl.jsa", "aot": "javadl.aot"}
AOT_CACHE_JAVA = 25

MAVEN_INPUTS = ["pom.xml", "lib/pom.xml", "kernel/pom.xml", "agent/pom.xml", "lib/src/main", "kernel/src/main",
                "agent/src/main"]
# The Java agent that adds a stop check to the code of every cell (agent/): `mvn package` leaves it, with ASM
# beside it, in agent/target/agent/; the kernelspec's agent/ folder holds a copy.
AGENT_JAR = "javadl-agent.jar"


class InstallError(Exception):
    """A problem the user has to fix; its message says how."""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, check=True, **kwargs)
    except subprocess.CalledProcessError as e:
        detail = (e.stderr or "").strip() if isinstance(e.stderr, str) else ""
        raise InstallError(f"'{' '.join(command)}' failed with exit code {e.returncode}"
                           + (f":\n{detail}" if detail else "")) from None


# 1. Platform and tools ----------------------------------------------------------------------------

def check_platform() -> None:
    """The bundled PyTorch library is the linux-x86_64 build of Maven Central's pytorch-native-cpu."""
    system, machine = platform.system(), platform.machine()
    if (system, machine.lower()) not in (("Linux", "x86_64"), ("Linux", "amd64")):
        raise InstallError(f"This machine is {system} {machine}; the kernel bundles PyTorch for Linux x86-64 "
                           "only. Use a Linux x86-64 machine or container.")


def find_jdk() -> tuple[Path, int]:
    """Returns the `java` of a JDK of MIN_JAVA or newer (from JAVA_HOME if set, else from PATH, symlinks resolved)
    and its feature version."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        origin = f"JAVA_HOME={java_home}"
        if not java.is_file():
            raise InstallError(f"{origin}, but {java} does not exist. Point JAVA_HOME at a JDK {MIN_JAVA}+ or "
                               "unset it.")
    else:
        found = shutil.which("java")
        if not found:
            raise InstallError(f"No 'java' on PATH. Install a JDK {MIN_JAVA} or newer (Debian/Ubuntu: "
                               f"'sudo apt install {JDK_PACKAGE}') or set JAVA_HOME.")
        java = Path(found)
        origin = f"'java' on PATH ({found})"
    java = java.resolve()

    version = java_feature_version(java)
    if version < MIN_JAVA:
        raise InstallError(f"{origin} is Java {version}; the kernel needs Java {MIN_JAVA} or newer. "
                           "Install a newer JDK and put it first on PATH, or set JAVA_HOME to it.")
    if not (java.parent / "jshell").is_file():
        raise InstallError(f"{origin} is a JRE, not a JDK: there is no 'jshell' beside {java}. "
                           "The Java kernel runs on JShell, which only a JDK has (Debian/Ubuntu: "
                           f"'sudo apt install {JDK_PACKAGE}'); then set JAVA_HOME to that JDK.")
    return java, version


def class_archive(java: Path, kernel_dir: Path) -> Path:
    """Where the archive for this JDK goes: javadl.aot (an ahead-of-time cache) or javadl.jsa."""
    kind = "aot" if java_feature_version(java) >= AOT_CACHE_JAVA else "cds"
    return kernel_dir / CLASS_ARCHIVES[kind]


def archive_option(archive: Path) -> str:
    """The JVM option that maps `archive` (see kernel/kernel_java.py's ARCHIVE_OPTIONS)."""
    return f"-XX:AOTCache={archive}" if archive.name == CLASS_ARCHIVES["aot"] else f"-XX:SharedArchiveFile={archive}"


@functools.cache
def java_feature_version(java: Path) -> int:
    out = run([str(java), "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    match = re.search(r"java\.specification\.version = (\d+)(?:\.(\d+))?", out)
    if not match:
        raise InstallError(f"Could not tell the version of {java}; 'java -version' said:\n{out}")
    major, minor = match.groups()
    return int(minor) if major == "1" else int(major)  # "1.8" is Java 8


@functools.cache  # kernel_json asks for it up to three times an install
def javadoc_formatter_export(java: Path) -> list[str]:
    """The --add-exports of JAVADOC_FORMATTER_PACKAGE from the module of this JDK that holds it; none where no module
    does (the kernel then shows Javadoc as written)."""
    holds = re.compile(rf"^(?:contains|qualified exports) {re.escape(JAVADOC_FORMATTER_PACKAGE)}(?:\s|$)", re.M)
    for module in ("jdk.jshell", "jdk.compiler"):
        described = run([str(java), "--describe-module", module], capture_output=True, text=True).stdout
        if holds.search(described):
            return ["--add-exports", f"{module}/{JAVADOC_FORMATTER_PACKAGE}=ALL-UNNAMED"]
    return []


def find_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise InstallError("No 'mvn' on PATH. Install Maven 3.8+ (Debian/Ubuntu: 'sudo apt install maven').")
    return mvn


# 2. Python environment ----------------------------------------------------------------------------

def ensure_venv(venv_dir: Path) -> Path:
    """Creates the environment if needed; returns its Python."""
    python = venv_dir / "bin" / "python"
    if not python.exists():
        step(f"Creating the Python environment {display(venv_dir)}")
        check_writable(venv_dir)
        if importlib.util.find_spec("ensurepip") is None:
            raise InstallError(f"Could not create {venv_dir}: this Python ({sys.executable}) has no 'ensurepip', "
                               "which its venv module needs to put pip into a new environment "
                               "(Debian/Ubuntu: 'sudo apt install python3-venv').")
        try:
            venv.EnvBuilder(with_pip=True).create(venv_dir)
        except (OSError, subprocess.CalledProcessError) as e:
            raise InstallError(f"Could not create {venv_dir}: {e}.") from None
    return python


def check_writable(target: Path) -> None:
    """Refuses, naming the folder and its owner, when `target` cannot be created or written by this user."""
    folder = target
    while not folder.exists():
        folder = folder.parent
    if os.access(folder, os.W_OK | os.X_OK):
        return
    owner, user = user_name(folder.stat().st_uid), user_name(os.getuid())
    raise InstallError(f"Could not create {target}: {folder} belongs to {owner}, and this user ({user}) cannot "
                       f"write there. Make that folder yours ('sudo chown {user} {folder}') or install "
                       "elsewhere ('--venv DIR').")


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid without an account, as containers run with
        return f"uid {uid}"


REQUIREMENTS = ROOT / "requirements.txt"  # what a learner's server needs; `--with` adds other sets
REQUIREMENTS_STAMP = ".javadl-requirements"  # in the environment: "<file> <digest>" of each set installed


def requirements_digest(path: Path) -> str:
    """A digest of a requirements file and of the files it includes (`-r`)."""
    digest = hashlib.sha256()
    pending = [path]
    while pending:
        current = pending.pop()
        text = current.read_text()
        digest.update(text.encode())
        for line in text.splitlines():
            if line.startswith("-r "):
                pending.append(current.parent / line[3:].split("#")[0].strip())
    return digest.hexdigest()


def ensure_requirements(env_dir: Path, python: Path, extra: list[Path]) -> None:
    """Installs requirements.txt and the `extra` requirement files into the environment, unless each is installed
    there already as it is now. A set installed before and still current stays counted, so that `make setup` after
    `make test` installs nothing (the test tools stay; pip removes nothing)."""
    stamp = env_dir / REQUIREMENTS_STAMP
    missing = [str(path) for path in extra if not path.is_file()]
    if missing:
        raise InstallError(f"No requirements file {', '.join(missing)}: give --with a file such as "
                           "requirements-dev.txt.")
    wanted = {display(path.absolute()): requirements_digest(path) for path in [REQUIREMENTS, *extra]}
    installed = dict(line.split(" ", 1) for line in stamp.read_text().splitlines()) if stamp.is_file() else {}
    if all(installed.get(name) == digest for name, digest in wanted.items()):
        step("Python packages: up to date")
        return
    step(f"Installing the Python packages of {', '.join(wanted)} (first time: about a minute)")
    files = [argument for name in wanted for argument in ("-r", str(ROOT / name))]
    run([str(python), "-m", "pip", "install", "--quiet", *files])
    still_current = {name: digest for name, digest in installed.items()
                     if (ROOT / name).is_file() and requirements_digest(ROOT / name) == digest}
    write_if_changed(stamp, "".join(f"{name} {digest}\n" for name, digest in {**still_current, **wanted}.items()))


# 3. Java build ------------------------------------------------------------------------------------

def inputs_digest(paths: list[str], java: Path) -> str:
    digest = hashlib.sha256(str(java).encode())
    for name in paths:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def build_java(java: Path, mvn: str) -> tuple[Path, Path, Path]:
    """Runs `mvn package` when the sources changed; returns the folders with the kernel's runtime classpath, with
    the cell-stop agent and with the sources jars whose Javadoc Shift+Tab shows."""
    classpath = ROOT / "kernel" / "target" / "classpath"
    sources = ROOT / "kernel" / "target" / "sources"
    agent = ROOT / "agent" / "target" / "agent"
    stamp = ROOT / "kernel" / "target" / "javadl-build.sha256"
    digest = inputs_digest(MAVEN_INPUTS, java)
    built = classpath.is_dir() and sources.is_dir() and (agent / AGENT_JAR).is_file()
    if built and stamp.exists() and stamp.read_text() == digest:
        step("Java build: up to date")
        return classpath, agent, sources
    step("Building the Java modules with Maven (first time: downloads about 200 MB of jars)")
    for folder in (classpath, agent, sources):
        shutil.rmtree(folder, ignore_errors=True)  # so that no jar of an older version lingers
    env = dict(os.environ, JAVA_HOME=str(java.parent.parent))
    run([mvn, "--batch-mode", "--quiet", "-Dstyle.color=never", "-DskipTests", "package"], cwd=ROOT, env=env)
    stamp.write_text(digest)
    return classpath, agent, sources


# 4. PyTorch's CUDA build ------------------------------------------------------------------------------

def chosen_torch(env_dir: Path, requested: str | None) -> str:
    """The build asked for, else the one chosen last in this environment, else the CPU build."""
    if requested:
        return requested
    choice = env_dir / TORCH_CHOICE
    return choice.read_text().strip() if choice.is_file() else "cpu"


def ensure_torch_cuda(env_dir: Path) -> Path:
    """Installs PyTorch's CUDA build into `<env>/torch-cuda` with pip's hash checking, unless kernel/torch-cuda.txt
    is installed there already; returns the folder of its libraries (`.../site-packages/torch/lib`)."""
    cuda_env = env_dir / TORCH_CUDA_ENV
    lock = TORCH_CUDA_LOCK.read_bytes()
    stamp = cuda_env / ".javadl-torch-cuda.txt"
    if stamp.is_file() and stamp.read_bytes() == lock:
        step(f"PyTorch's CUDA build: up to date in {display(cuda_env)}")
    else:
        if not (3, 10) <= sys.version_info[:2] <= (3, 13):
            raise InstallError(f"This is Python {platform.python_version()}; PyPI has PyTorch {pytorch_version()}'s "
                               "CUDA build for Python 3.10 to 3.13 only. Run the setup with one of those, such as "
                               "'make setup TORCH=cuda PYTHON=python3.12'.")
        check_free_space(cuda_env, TORCH_CUDA_DISK_BYTES)
        step(f"Installing PyTorch {pytorch_version()}'s CUDA build from PyPI into {display(cuda_env)} "
             "(first time: about 3.0 GB to download, 5.1 GB on disk)")
        python = ensure_venv(cuda_env)
        stamp.unlink(missing_ok=True)
        run([str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(TORCH_CUDA_LOCK)])
        stamp.write_bytes(lock)
    libraries = sorted(cuda_env.glob("lib/python3*/site-packages/torch/lib"))
    if len(libraries) != 1 or not (libraries[0] / "libtorch_cuda.so").is_file():
        raise InstallError(f"{display(cuda_env)} holds no single torch/lib with libtorch_cuda.so ({libraries}). "
                           f"Delete {display(cuda_env)} and run the setup again.")
    return libraries[0]


def check_free_space(target: Path, needed: int) -> None:
    folder = target
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise InstallError(f"PyTorch's CUDA build needs about {needed / 1e9:.0f} GB in {folder}, which has "
                           f"{free / 1e9:.1f} GB free. Free some space, or set up the CPU build ('make setup').")


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
            partial = link.with_name(name + ".partial")
            partial.unlink(missing_ok=True)
            partial.symlink_to(target)
            os.replace(partial, link)


def torch_cpu_jar(classpath: Path) -> Path:
    """Maven Central's pytorch-native-cpu jar among the kernel's runtime jars."""
    jars = sorted(classpath.glob(TORCH_CPU_JAR))
    if len(jars) != 1:
        raise InstallError(f"{display(classpath)} holds {len(jars)} jars {TORCH_CPU_JAR}, not one: run "
                           "'mvn clean' and the setup again.")
    return jars[0]


def unpack_torch_cpu(jar: Path, folder: Path) -> None:
    """Unpacks the CPU build's libraries from `jar` into `folder` (about 430 MB), unless they are there from this
    very jar; the folder is whole or absent, never half-written."""
    stamp = f"{jar.name} {jar.stat().st_size}\n"
    if (folder / TORCH_CPU_STAMP).is_file() and (folder / TORCH_CPU_STAMP).read_text() == stamp:
        return
    with zipfile.ZipFile(jar) as archive:
        members = [m for m in archive.infolist()
                   if m.filename.startswith(TORCH_CPU_JAR_FOLDER) and not m.is_dir()
                   and "/" not in m.filename.removeprefix(TORCH_CPU_JAR_FOLDER)]
        if TORCH_CPU_JAR_FOLDER + "libtorch.so" not in {m.filename for m in members}:
            raise InstallError(f"{jar} has no {TORCH_CPU_JAR_FOLDER}libtorch.so: it is not PyTorch's CPU build for "
                               "linux-x86_64. Delete it from ~/.m2 and run the setup again.")
        step(f"Unpacking PyTorch's CPU build from {jar.name} into {display(folder)} (about 430 MB)")
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for member in members:
            with archive.open(member) as source, open(partial / Path(member.filename).name, "wb") as target:
                shutil.copyfileobj(source, target, 2**20)
    (partial / TORCH_CPU_STAMP).write_text(stamp)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)


def pytorch_version() -> str:
    """The libtorch version of the Java build (pom.xml's pytorch.version), which the CUDA build must match."""
    return pom_property("pytorch.version")


# 5. Kernelspec ------------------------------------------------------------------------------------

def sync_folder(source: Path, target: Path, keep: frozenset[str] = frozenset(), skip: str | None = None) -> bool:
    """Makes target hold exactly source's files but those matching the pattern `skip`, and those named in `keep`
    where it has them; copies only what differs. Returns whether anything changed."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in source.iterdir() if p.is_file() and not (skip and p.match(skip))}
    keep = keep - wanted
    changed = False
    for stale in [p for p in target.iterdir() if p.name not in wanted | keep]:
        stale.unlink()
        changed = True
    for name in sorted(wanted):
        changed |= sync_file(source / name, target / name)
    return changed


def sync_file(source: Path, target: Path) -> bool:
    """Copies source over target unless they already hold the same bytes (a rebuilt but identical jar is
    left alone); the copy goes to a temporary name first, so target is never half-written."""
    if target.exists() and filecmp.cmp(source, target, shallow=True):
        return False
    partial = target.with_name(target.name + ".partial")
    shutil.copy2(source, partial)
    os.replace(partial, target)
    return True


def write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text() == text:
        return False
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)
    return True


def kernel_json(java: Path, kernel_dir: Path, torch_env: dict[str, str]) -> str:
    """The kernelspec; it maps the class-data sharing archive when one made for these jars and this JDK exists,
    and `torch_env` chooses the PyTorch build."""
    sharing = [archive_option(class_archive(java, kernel_dir))] if class_archive_is_current(java, kernel_dir) else []
    agent = f"-javaagent:{kernel_dir / 'agent' / AGENT_JAR}"
    spec = {
        "argv": [str(java), *JVM_OPTIONS, *javadoc_formatter_export(java), agent, *sharing,
                 "-jar", str(kernel_dir / "jjava.jar"), "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "java",
        "interrupt_mode": "message",
        "env": {"JJAVA_CLASSPATH": str(kernel_dir / "classpath" / "*"), SOURCES_ENV: str(kernel_dir / "sources"),
                **KERNEL_ENV, **MALLOC_ENV, **torch_env},
        "metadata": {"debugger": False},
    }
    return json.dumps(spec, indent=2) + "\n"


def install_kernelspec(env_dir: Path, java: Path, classpath: Path, agent: Path, sources: Path,
                       torch_lib: Path | None) -> tuple[Path, dict]:
    """Installs the kernel with PyTorch's CUDA build from `torch_lib`, or the CPU build when it is None; returns
    the kernel's folder and the environment variables that choose the build."""
    kernels = env_dir / "share" / "jupyter" / "kernels"
    jjava_jar = kernels / "java" / "jjava.jar"
    if not jjava_jar.is_file():
        raise InstallError(f"{jjava_jar} is missing: the 'jjava' package did not install its kernel. "
                           f"Run '{display(env_dir)}/bin/pip install --force-reinstall -r requirements.txt'.")
    kernel_dir = kernelspec_dir(env_dir)
    changed = sync_folder(classpath, kernel_dir / "classpath", skip=TORCH_CPU_JAR)
    changed |= sync_folder(agent, kernel_dir / "agent")
    changed |= sync_folder(sources, kernel_dir / "sources", keep=JDK_SOURCES_FILES)
    changed |= ensure_jdk_sources(java, kernel_dir / "sources")
    changed |= sync_file(jjava_jar, kernel_dir / "jjava.jar")
    torch_env = torch_libraries(torch_lib, classpath, kernel_dir)
    changed |= write_if_changed(kernel_dir / "kernel.json", kernel_json(java, kernel_dir, torch_env))
    build = "PyTorch's CUDA build" if torch_lib else "PyTorch's CPU build"
    step(f"Kernel '{KERNEL_NAME}' ({DISPLAY_NAME}) with {build}: {'installed in' if changed else 'up to date in'} "
         f"{display(kernel_dir)}")
    return kernel_dir, torch_env


# 5b. The JDK's sources ---------------------------------------------------------------------------

# JShell reads the JDK's Javadoc from <java.home>/lib/src.zip. Debian and Ubuntu ship it in a package of its own,
# openjdk-N-source, which depends on the desktop JDK (GTK, Mesa and more: about 300 MB that a kernel never uses). So
# the installer fetches that one package's file, as the user who installs (apt with lists in a temporary folder of
# its own, no root), and puts its src.zip (about 50 MB) into the kernel's sources folder, where the kernel gives it
# to JShell (InspectHelp). The version is the JDK's own where the archive still has it, else the newest there: the
# Javadoc of a Java release does not change in its updates.
JDK_SOURCES_ZIP = "jdk-src.zip"
JDK_SOURCES_STAMP = JDK_SOURCES_ZIP + ".package"  # "<package> <version>" of the zip
JDK_SOURCES_FILES = frozenset({JDK_SOURCES_ZIP, JDK_SOURCES_STAMP})


def jdk_sources_package(java_home: Path) -> tuple[str, str] | None:
    """The package with the sources of the Debian or Ubuntu JDK at `java_home`, and the JDK's version; None for a
    JDK that no Debian package installed."""
    if not shutil.which("dpkg-query"):
        return None
    owner = subprocess.run(["dpkg-query", "--search", str(java_home.resolve() / "lib" / "modules")],
                           capture_output=True, text=True)
    if owner.returncode != 0:
        return None
    package = owner.stdout.split(":", 1)[0]  # "openjdk-17-jre-headless:amd64: /usr/lib/jvm/..."
    source, version = run(["dpkg-query", "--show", "--showformat=${source:Package} ${Version}", package],
                          capture_output=True, text=True).stdout.split()
    return f"{source}-source", version


def ensure_jdk_sources(java: Path, folder: Path) -> bool:
    """Gives the kernel's sources `folder` the JDK's src.zip where the JDK has none of its own, and removes it where
    the JDK has one; returns whether the folder changed. Without it the kernel works, and Shift+Tab shows the JDK's
    methods without their Javadoc: a failed fetch says so and does not stop the install."""
    java_home = java.parent.parent
    target, stamp = folder / JDK_SOURCES_ZIP, folder / JDK_SOURCES_STAMP
    if (java_home / "lib" / "src.zip").is_file():
        stale = [path for path in (target, stamp) if path.exists()]
        for path in stale:
            path.unlink()
        return bool(stale)
    package = jdk_sources_package(java_home)
    if package is None:
        step(f"The JDK's Javadoc: {java_home} has no lib/src.zip, and no Debian package installed this JDK, so "
             "Shift+Tab shows its methods without Javadoc (a JDK with its src.zip, such as Temurin's, has it)")
        return False
    name, version = package
    if target.is_file() and stamp.is_file() and stamp.read_text().split()[0] == name:
        step(f"The JDK's sources: up to date in {display(target)}")
        return False
    step(f"Fetching the JDK's sources for Shift+Tab's Javadoc ({name}'s src.zip, about 50 MB, with apt as this user)")
    try:
        fetched = fetch_package_file(name, version, "/src.zip", target)
    except (InstallError, OSError, tarfile.TarError) as e:
        print(f"    not fetched, so Shift+Tab shows the JDK's methods without Javadoc: {e}")
        return False
    write_if_changed(stamp, f"{name} {fetched}\n")
    print(f"    {display(target)}: {name} {fetched}" + ("" if fetched == version else f" (the JDK is {version}, "
                                                            "which the archive no longer has)"))
    return True


def fetch_package_file(name: str, version: str, member_suffix: str, target: Path) -> str:
    """Writes the file of Debian package `name` whose path ends in `member_suffix` to `target` (version `version`
    where the archive has it, else its newest), without installing the package; returns the version fetched.
    Nothing is left behind on failure: the download and apt's lists go to a temporary folder, the file to a
    temporary name until it is whole."""
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        raise InstallError("this system has no apt-get and dpkg-deb")
    with tempfile.TemporaryDirectory(prefix="javadl-apt-") as work:
        lists, cache = Path(work) / "lists", Path(work) / "cache"
        (lists / "partial").mkdir(parents=True)
        (cache / "archives" / "partial").mkdir(parents=True)
        apt = ["apt-get", "--quiet", "--option", f"Dir::State::Lists={lists}", "--option", f"Dir::Cache={cache}",
               "--option", "Debug::NoLocking=1"]
        if os.getuid() == 0:  # else apt downloads as its own user, which may not write to this folder
            apt += ["--option", "APT::Sandbox::User=root"]
        run([*apt, "update"], capture_output=True, text=True, cwd=work)
        for wanted in (f"{name}={version}", name):
            download = subprocess.run([*apt, "download", wanted], capture_output=True, text=True, cwd=work)
            if download.returncode == 0:
                break
        else:
            raise InstallError(f"'apt-get download {name}' failed: {download.stderr.strip()}")
        deb = next(Path(work).glob("*.deb"))
        fetched = urllib.parse.unquote(deb.name.split("_")[1])  # name_version_arch.deb, ':' written as %3a
        unpack = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(fileobj=unpack.stdout, mode="r|") as archive:
                member = next((m for m in archive if m.isfile() and m.name.endswith(member_suffix)), None)
                if member is None:
                    raise InstallError(f"{deb.name} has no file ending in {member_suffix}")
                with archive.extractfile(member) as source, open(partial, "wb") as copy:
                    shutil.copyfileobj(source, copy)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
            unpack.stdout.close()
            unpack.wait()
        return fetched


# 6. DJL warm-up -----------------------------------------------------------------------------------

def warm_up_djl(java: Path, kernel_dir: Path, torch_env: dict[str, str]) -> str:
    """Loads DJL's engine the way the kernel will; on a new machine this fills DJL's native cache."""
    env = dict(os.environ, **KERNEL_ENV, **torch_env)
    result = subprocess.run(
        [str(java), *JVM_OPTIONS, "-cp", str(kernel_dir / "classpath" / "*"), "io.javadl.core.SystemInfo"],
        env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise InstallError("DJL could not load PyTorch through the kernel's classpath:\n" + result.stderr.strip())
    return result.stdout.strip()


# 7. Class-data sharing -----------------------------------------------------------------------------

def class_archive_inputs(java: Path, kernel_dir: Path) -> str:
    """A digest of what the archive was made from: the JDK, its JVM options, every jar the kernel loads and the
    script that records it."""
    jdk = java.resolve().parent.parent
    files = [jdk / "lib" / "modules", kernel_dir / "jjava.jar", *sorted((kernel_dir / "classpath").glob("*.jar")),
             *sorted((kernel_dir / "agent").glob("*.jar")), ROOT / "kernel" / "class_archive.py"]
    digest = hashlib.sha256(f"{jdk}\n{' '.join(JVM_OPTIONS)}\n".encode())
    for path in files:
        if path.exists():
            status = path.stat()
            digest.update(f"{path.name} {status.st_size} {status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def class_archive_stamp(java: Path, kernel_dir: Path) -> str:
    """The inputs' digest and the archive's size: a JVM that maps a truncated archive crashes (SIGBUS)."""
    archive = class_archive(java, kernel_dir)
    return f"{class_archive_inputs(java, kernel_dir)} {archive.stat().st_size if archive.is_file() else 0}\n"


def class_archive_is_current(java: Path, kernel_dir: Path) -> bool:
    archive = class_archive(java, kernel_dir)
    stamp = archive.with_name(archive.name + ".inputs")
    return (archive.is_file() and stamp.is_file()
            and stamp.read_text() == class_archive_stamp(java, kernel_dir))


def ensure_class_archive(python: Path, java: Path, kernel_dir: Path, torch_env: dict[str, str]) -> None:
    """Makes the kernel start faster (make bench, rows (f)): a class archive of the classes a first cell loads
    (see CLASS_ARCHIVES), written by a real kernel session (kernel/class_archive.py) whenever the JDK or the jars
    change, or the archive's size does. Without it (a JDK that cannot write one) the kernel works as before, only
    slower to start."""
    archive = class_archive(java, kernel_dir)
    if class_archive_is_current(java, kernel_dir):
        step(f"Class archive: up to date in {display(archive)}")
        return
    for name in CLASS_ARCHIVES.values():  # also the other kind's, left by another JDK
        for stale in (kernel_dir / name, kernel_dir / (name + ".inputs")):
            stale.unlink(missing_ok=True)
    stamp = archive.with_name(archive.name + ".inputs")
    write_if_changed(kernel_dir / "kernel.json", kernel_json(java, kernel_dir, torch_env))
    kind = "ahead-of-time cache" if archive.name == CLASS_ARCHIVES["aot"] else "class-data sharing archive"
    step(f"Class archive ({kind}): starting the kernel once to record the classes it loads")
    result = subprocess.run([str(python), str(ROOT / "kernel" / "class_archive.py"), str(archive)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"    not written, so the kernel starts without it: {result.stderr.strip()}")
        return
    stamp.write_text(class_archive_stamp(java, kernel_dir))
    write_if_changed(kernel_dir / "kernel.json", kernel_json(java, kernel_dir, torch_env))
    print(f"    {display(archive)}: {archive.stat().st_size / 2**20:.0f} MB")


# 8. TensorBoard in JupyterLab -----------------------------------------------------------------------

TENSORBOARD_ROUTE = "tensorboard"  # JupyterLab serves it at <base_url>tensorboard/
TENSORBOARD_START_SECONDS = 60  # it starts in about 5 s on 2 cores; a cold first start takes longer


def tensorboard_proxy_server(env_dir: Path, logs: Path) -> dict:
    """jupyter-server-proxy's description of the launcher item: TensorBoard on `logs`, started on a free port of
    127.0.0.1 when it is first opened and reached only through Jupyter's server, which checks the login. TensorBoard
    is told its path (`--path_prefix`), so the proxy passes each request's path unchanged."""
    return {
        "command": [str(env_dir / "bin" / "tensorboard"), "--logdir", str(logs), "--host", "127.0.0.1",
                    "--port", "{port}", "--path_prefix", "{base_url}" + TENSORBOARD_ROUTE],
        "absolute_url": True,
        "timeout": TENSORBOARD_START_SECONDS,
        "new_browser_tab": False,
        "launcher_entry": {"title": "TensorBoard", "icon_path": str(ROOT / "kernel" / "tensorboard.svg")},
    }


def ensure_tensorboard_proxy(env_dir: Path, logs: Path) -> None:
    """Adds the TensorBoard server to the environment's jupyter_server_config.json, keeping what else it says
    (Jupyter reads the folder jupyter_server_config.d only for which extensions are on, not for their settings)."""
    config = env_dir / "etc" / "jupyter" / "jupyter_server_config.json"
    try:
        settings = json.loads(config.read_text()) if config.exists() else {}
    except json.JSONDecodeError as e:
        raise InstallError(f"{config} is not valid JSON ({e}): mend or remove it, then run this again.")
    settings.setdefault("ServerProxy", {}).setdefault("servers", {})[TENSORBOARD_ROUTE] = \
        tensorboard_proxy_server(env_dir, logs)
    config.parent.mkdir(parents=True, exist_ok=True)
    changed = write_if_changed(config, json.dumps(settings, indent=2) + "\n")
    step(f"JupyterLab's launcher item TensorBoard, on {display(logs)}: "
         f"{'configured in' if changed else 'up to date in'} {display(config)}")


def display(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--venv", type=Path, default=ROOT / ".venv",
                       help="the virtual environment to create or update (default: .venv)")
    where.add_argument("--python-env", action="store_true",
                       help="install into the environment of the Python running this script (Binder)")
    parser.add_argument("--with", dest="extra_requirements", type=Path, action="append", default=[],
                        metavar="REQUIREMENTS",
                        help="also install this requirements file, such as requirements-dev.txt (the test tools); "
                             "may be given again")
    parser.add_argument("--torch", choices=TORCH_BUILDS,
                        help="the PyTorch build the kernel loads: cpu (Maven Central's, bundled), or cuda (PyPI's "
                             "CUDA 12.6 build, about 5 GB); default: the one chosen last, else cpu")
    parser.add_argument("--tensorboard-logs", type=Path, default=ROOT / "notebooks" / "logs",
                        help="the folder JupyterLab's TensorBoard item shows (default: notebooks/logs, where the "
                             "notebooks write their logs)")
    args = parser.parse_args()
    env_dir = Path(sys.prefix) if args.python_env else args.venv.absolute()
    try:
        if sys.version_info < (3, 10):
            raise InstallError(f"This is Python {sys.version.split()[0]}; the notebooks' tools need 3.10 or newer.")
        check_platform()
        java, version = find_jdk()
        mvn = find_maven()
        step(f"Using Java {version} at {java}")
        python = Path(sys.executable) if args.python_env else ensure_venv(env_dir)
        ensure_requirements(env_dir, python, args.extra_requirements)
        classpath, agent, sources = build_java(java, mvn)
        torch = chosen_torch(env_dir, args.torch)
        torch_lib = ensure_torch_cuda(env_dir) if torch == "cuda" else None
        kernel_dir, torch_env = install_kernelspec(env_dir, java, classpath, agent, sources, torch_lib)
        step("Checking that DJL loads PyTorch")
        print(f"    {warm_up_djl(java, kernel_dir, torch_env)}")
        write_if_changed(env_dir / TORCH_CHOICE, torch + "\n")
        ensure_class_archive(python, java, kernel_dir, torch_env)
        ensure_tensorboard_proxy(env_dir, args.tensorboard_logs.absolute())
    except InstallError as e:
        print(f"\nerror: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
