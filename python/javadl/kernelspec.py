"""The `javadl` kernelspec, kernel.json: how the installer writes it and the tools read it back, with the JVM's
options, the kernel's environment (DJL offline, the allocator's settings, the PyTorch build) and the option that maps
its class archive.

Standard library only: the installer writes it before the environment exists, and the tools that run the kernel's
Java (make gpu-check, make export, make bench) read it, in the image too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

# The kernelspec's name, which the notebooks' metadata, the tests and the tools ask Jupyter for
KERNEL_NAME = "javadl"
DISPLAY_NAME = "Java (DJL)"
# The Java agent that adds a stop check to the code of every cell (agent/), in the kernel folder's agent/
AGENT_JAR = "javadl-agent.jar"

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

# DJL must never try the network from a notebook: natives come from the kernel's folder and classpath.
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
MALLOC_ENV = {
    "MALLOC_ARENA_MAX": "1",
    "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(256 * 2**20),
}
# The kernelspec variables that choose and tune the allocator (bench/allocators.py replaces them)
ALLOCATOR_KEYS = {*MALLOC_ENV, "LD_PRELOAD", "MALLOC_CONF"}

# The kernel's class archive, in the kernel's folder, by kind, and the JVM option that maps it: up to Java 24 a
# class-data sharing archive of the classes a first cell loads; from Java 25 the JVM's ahead-of-time cache (JEPs 483
# and 514), which also keeps them linked and starts the kernel faster still (make bench, rows (f)). Java 24 has the
# cache too, but untested here. javadl.class_archive writes them.
CLASS_ARCHIVES = {"cds": "javadl.jsa", "aot": "javadl.aot"}
ARCHIVE_OPTIONS = {"cds": "-XX:SharedArchiveFile=", "aot": "-XX:AOTCache="}
AOT_CACHE_JAVA = 25


def kernelspec_dir(env_dir: Path) -> Path:
    """Where the javadl kernelspec lies in an environment (a venv, or Binder's and the image's Python)."""
    return env_dir / "share" / "jupyter" / "kernels" / KERNEL_NAME


def archive_kind(java_version: int) -> str:
    """The kind of class archive a JDK of this feature version gets: "aot" or "cds"."""
    return "aot" if java_version >= AOT_CACHE_JAVA else "cds"


def archive_option(archive: Path) -> str:
    """The JVM option that maps `archive` (a CLASS_ARCHIVES name)."""
    kind = next(kind for kind, name in CLASS_ARCHIVES.items() if name == archive.name)
    return ARCHIVE_OPTIONS[kind] + str(archive)


def is_archive_option(option: str) -> bool:
    return option.startswith(tuple(ARCHIVE_OPTIONS.values()))


def kernel_json(java: Path, kernel_dir: Path, torch_env: dict[str, str], archive: Path | None) -> str:
    """The kernelspec of the kernel in `kernel_dir`: `torch_env` chooses the PyTorch build, and `archive` is the class
    archive it maps, if any."""
    from javadl.jdk import javadoc_formatter_export  # reads pom.xml: only the installer writes kernel.json

    agent = f"-javaagent:{kernel_dir / 'agent' / AGENT_JAR}"
    sharing = [archive_option(archive)] if archive else []
    spec = {
        "argv": [
            str(java),
            *JVM_OPTIONS,
            *javadoc_formatter_export(java),
            agent,
            *sharing,
            "-jar",
            str(kernel_dir / "jjava.jar"),
            "{connection_file}",
        ],  # fmt: skip
        "display_name": DISPLAY_NAME,
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "JJAVA_CLASSPATH": str(kernel_dir / "classpath" / "*"),
            SOURCES_ENV: str(kernel_dir / "sources"),
            **KERNEL_ENV,
            **MALLOC_ENV,
            **torch_env,
        },
        "metadata": {"debugger": False},
    }
    return json.dumps(spec, indent=2) + "\n"


@dataclass
class KernelSpec:
    """An installed kernel.json, read back: its Java, the JVM options (the class archive's apart), the kernel's jar
    and its environment."""

    java: str
    jvm_options: list[str]
    kernel_jar: str
    kernel_env: dict[str, str]
    argv_tail: list[str] = field(default_factory=list)  # after the kernel's jar: "{connection_file}"

    @classmethod
    def read(cls, kernel_dir: Path) -> KernelSpec:
        spec = json.loads((kernel_dir / "kernel.json").read_text())
        argv = spec["argv"]
        jar = argv.index("-jar")
        return cls(
            java=argv[0],
            jvm_options=[option for option in argv[1:jar] if not is_archive_option(option)],
            kernel_jar=argv[jar + 1],
            kernel_env=spec["env"],
            argv_tail=argv[jar + 2 :],
        )

    @property
    def classpath(self) -> str:
        return self.kernel_env["JJAVA_CLASSPATH"]

    @property
    def env(self) -> dict[str, str]:
        """This process's environment with the kernel's."""
        return dict(os.environ, **self.kernel_env)

    def command(self, main: str, *args: str) -> list[str]:
        """`java` with the kernel's options and class path, less its class archive, running `main` (a class name or
        a .java file): the archive holds the classes of the kernel's own class path (jjava.jar), so with another
        class path the JVM would only warn that it cannot map it."""
        return [self.java, *self.jvm_options, "-cp", self.classpath, main, *args]
