"""Writes the javadl kernel's class archive: `python kernel/class_archive.py ARCHIVE`.

kernel/install.py runs this with the environment's Python once the kernelspec is installed. It starts the real
kernel through jupyter_client, runs a first cell and a first DJL cell, and shuts the kernel down, while the JVM
records every class it loaded (JJava, JShell's compiler, the course library, DJL). Later kernels map the archive
instead of loading and verifying those classes one by one. Two kinds, chosen by ARCHIVE's name:

- `javadl.jsa`, a class-data sharing archive (JDK 17 on): the session runs with
  `-XX:ArchiveClassesAtExit=ARCHIVE.partial`, and the JVM writes it as it exits;
- `javadl.aot`, an ahead-of-time cache (JDK 25 on), which also keeps the classes linked: the session runs with
  `-XX:AOTMode=record`, and a second JVM (`-XX:AOTMode=create`) turns what it recorded into the cache.

The JVM refuses to record while a Java agent runs, so the session runs without the kernel's `-javaagent` but with
`--add-modules java.instrument`, the module the agent brings: a JVM maps an archive only when its module options
are those it was recorded with. The archive is renamed into place only when it is complete and a JVM with the
kernel's own options, agent included, starts from it in the mode that refuses an archive it cannot use
(`-Xshare:on`, `-XX:AOTMode=on`): a damaged archive can crash the JVM that maps it. Exit status 1 and a message on
stderr when the JVM could not write a usable archive (a JDK without a base CDS archive, for example).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager

from kernel_java import ARCHIVE_OPTIONS, KERNEL_NAME
AOT_CACHE_SUFFIX = ".aot"
CELLS = [
    "1 + 1",
    "try (NDManager manager = NDManager.newBaseManager()) { manager.ones(new Shape(2, 2)).sum().getFloat(); }",
]


def main() -> int:
    archive = Path(sys.argv[1])
    partial = archive.with_name(archive.name + ".partial")
    recording = archive.with_name(archive.name + ".recording.partial")
    try:
        problem = write_archive(partial, recording, aot=archive.suffix == AOT_CACHE_SUFFIX)
    except RuntimeError as e:  # the kernel died or did not answer
        problem = str(e)
    finally:
        recording.unlink(missing_ok=True)
    if problem:
        partial.unlink(missing_ok=True)
        print(problem, file=sys.stderr)
        return 1
    os.replace(partial, archive)
    return 0


def write_archive(partial: Path, recording: Path, aot: bool) -> str | None:
    """Runs the recording kernel session, then makes and checks the archive; returns what went wrong, if anything."""
    for leftover in (partial, recording):
        leftover.unlink(missing_ok=True)
    manager = KernelManager(kernel_name=KERNEL_NAME)
    kernel_argv = [a for a in manager.kernel_spec.argv if not a.startswith(ARCHIVE_OPTIONS)]
    jvm = kernel_argv[:kernel_argv.index("-jar")]  # java and its options, the agent included
    kernel_jar = kernel_argv[kernel_argv.index("-jar") + 1]  # the archive holds for this class path only
    recorder = [a for a in jvm if not a.startswith("-javaagent:")] + ["--add-modules", "java.instrument"]
    if aot:
        record = ["-XX:AOTMode=record", f"-XX:AOTConfiguration={recording}"]
    else:
        record = [f"-XX:ArchiveClassesAtExit={partial}"]
    manager.kernel_spec.argv = [*recorder, *record, *kernel_argv[len(jvm):]]
    problem = run_session(manager)
    if problem:
        return problem
    if aot:
        if not recording.is_file():
            return f"the JVM recorded nothing to {recording}"
        create = subprocess.run([*recorder, "-XX:AOTMode=create", f"-XX:AOTConfiguration={recording}",
                                 f"-XX:AOTCache={partial}", "-cp", kernel_jar], capture_output=True, text=True)
        if create.returncode != 0:
            return f"the JVM could not make the cache: {(create.stdout + create.stderr).strip()[:500]}"
    if not partial.is_file() or partial.stat().st_size == 0:
        return f"the JVM wrote no archive to {partial}"
    strict = [f"-XX:AOTCache={partial}", "-XX:AOTMode=on"] if aot else [f"-XX:SharedArchiveFile={partial}", "-Xshare:on"]
    with tempfile.TemporaryDirectory() as scratch:  # where a crashing JVM leaves its hs_err file
        check = subprocess.run([*jvm, *strict, "-cp", kernel_jar, "-version"], capture_output=True, text=True,
                               cwd=scratch)
    if check.returncode != 0:
        return f"the JVM cannot start from the archive it wrote: {(check.stdout + check.stderr).strip()[:500]}"
    return None


def run_session(manager: KernelManager) -> str | None:
    """Runs the first cells in the recording kernel and shuts it down cleanly, so that the JVM writes what it
    recorded as it exits."""
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
        manager.shutdown_kernel(now=False)
    return None


if __name__ == "__main__":
    sys.exit(main())
