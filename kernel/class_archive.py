"""Writes the javadl kernel's class-data sharing archive: `python kernel/class_archive.py ARCHIVE`.

kernel/install.py runs this with the environment's Python once the kernelspec is installed. It starts the real
kernel through jupyter_client with `-XX:ArchiveClassesAtExit=ARCHIVE.partial`, runs a first cell and a first
DJL cell, and shuts the kernel down, so that the JVM writes every class it loaded (JJava, JShell's compiler,
the course library, DJL) into the archive. Later kernels map that archive instead of loading and verifying
those classes one by one. The archive is renamed into place only when it is complete and a JVM with
`-Xshare:on` (which refuses to start from an archive it cannot use) starts from it: a damaged archive can crash
the JVM that maps it. Exit status 1 and a message on stderr when the JVM could not write a usable archive (a
JDK without a base CDS archive, for example).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager

KERNEL_NAME = "javadl"
CELLS = [
    "1 + 1",
    "try (NDManager manager = NDManager.newBaseManager()) { manager.ones(new Shape(2, 2)).sum().getFloat(); }",
]


def main() -> int:
    archive = Path(sys.argv[1])
    partial = archive.with_name(archive.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        problem = write_archive(partial)
    except RuntimeError as e:  # the kernel died or did not answer
        problem = str(e)
    if problem:
        partial.unlink(missing_ok=True)
        print(problem, file=sys.stderr)
        return 1
    os.replace(partial, archive)
    return 0


def write_archive(partial: Path) -> str | None:
    """Runs the recording kernel session, then checks what the JVM wrote; returns what went wrong, if anything."""
    manager = KernelManager(kernel_name=KERNEL_NAME)
    # The JVM refuses to dump an archive while a Java agent runs; the kernel maps it with the agent all the same
    argv = [a for a in manager.kernel_spec.argv if not a.startswith(("-XX:SharedArchiveFile=", "-javaagent:"))]
    jvm = argv[:argv.index("-jar")]
    argv.insert(len(jvm), f"-XX:ArchiveClassesAtExit={partial}")
    manager.kernel_spec.argv = argv
    with open(os.devnull, "w") as quiet:
        manager.start_kernel(stdout=quiet, stderr=quiet)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=180)
        for code in CELLS:
            reply = client.execute_interactive(code, timeout=180, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                return f"{code!r} failed in the kernel: {reply['content']}"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)  # a clean exit: the JVM writes the archive as it exits
    if not partial.is_file() or partial.stat().st_size == 0:
        return f"the JVM wrote no archive to {partial}"
    kernel_jar = argv[argv.index("-jar") + 1]  # the archive holds for this class path only
    with tempfile.TemporaryDirectory() as scratch:  # where a crashing JVM leaves its hs_err file
        check = subprocess.run([*jvm, f"-XX:SharedArchiveFile={partial}", "-Xshare:on", "-cp", kernel_jar, "-version"],
                               capture_output=True, text=True, cwd=scratch)
    if check.returncode != 0:
        return f"the JVM cannot start from the archive it wrote: {(check.stdout + check.stderr).strip()[:500]}"
    return None


if __name__ == "__main__":
    sys.exit(main())
