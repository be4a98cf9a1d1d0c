"""The javadl kernel's own Java, read from its installed kernel.json: its java, JVM options, environment and class
path, for running a main class the way the kernel runs cells (`make gpu-check`; `make bench` runs CourseBench.java
so). Standard library only: it runs in the image too, where bench/ and tests/ are not."""

from __future__ import annotations

import json
import os
from pathlib import Path

# The kernelspec's name, which the notebooks' metadata, the tests and the tools ask Jupyter for; one place for it
KERNEL_NAME = "javadl"


def kernel_dir(env_dir: Path) -> Path:
    """Where the javadl kernelspec lies in an environment (a venv, or Binder's and the image's Python)."""
    return env_dir / "share" / "jupyter" / "kernels" / KERNEL_NAME


# The options that map the kernel's class archive: a class-data sharing archive (up to Java 24) or an ahead-of-time
# cache (Java 25 on); kernel/install.py writes one of them
ARCHIVE_OPTIONS = ("-XX:SharedArchiveFile=", "-XX:AOTCache=")


class KernelJava:
    """A kernel's Java command, less its class archive: the archive holds the classes of the kernel's own class path
    (jjava.jar), so with another class path the JVM would only warn that it cannot map it."""

    def __init__(self, kernel_dir: Path):
        spec = json.loads((kernel_dir / "kernel.json").read_text())
        argv = spec["argv"]
        self.java: str = argv[0]
        self.jvm_options = [option for option in argv[1:argv.index("-jar")] if not option.startswith(ARCHIVE_OPTIONS)]
        self.kernel_env: dict[str, str] = spec["env"]
        self.env = dict(os.environ, **self.kernel_env)
        self.classpath: str = spec["env"]["JJAVA_CLASSPATH"]

    def command(self, main: str, *args: str) -> list[str]:
        """`java` with the kernel's options and class path, running `main` (a class name or a .java file)."""
        return [self.java, *self.jvm_options, "-cp", self.classpath, main, *args]
