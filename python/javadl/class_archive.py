"""The kernel's class archive: which one a JDK gets, whether it is current, and the kernel session that writes it.

The installer (`ensure_class_archive`) runs `python -m javadl.class_archive ARCHIVE` with the environment's Python
once the kernelspec is installed. That starts the real kernel through jupyter_client, runs a first cell and a first
DJL cell, and shuts the kernel down, while the JVM records every class it loaded (JJava, JShell's compiler, the course
library, DJL). Later kernels map the archive instead of loading and verifying those classes one by one. Two kinds
(kernelspec.CLASS_ARCHIVES):

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

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from javadl.files import is_stamped, partial_path, remove, write_if_changed
from javadl.jdk import java_feature_version
from javadl.kernelspec import CLASS_ARCHIVES, JVM_OPTIONS, KERNEL_NAME, KernelSpec, archive_kind, kernel_json
from javadl.project import display
from javadl.steps import step

# What the recording session runs: a first cell, and a first DJL cell
CELLS = [
    "1 + 1",
    "try (NDManager manager = NDManager.newBaseManager()) { manager.ones(new Shape(2, 2)).sum().getFloat(); }",
]
SESSION_SECONDS = 180


def class_archive(java: Path, kernel_dir: Path) -> Path:
    """Where the archive for this JDK goes: javadl.aot (an ahead-of-time cache) or javadl.jsa."""
    return kernel_dir / CLASS_ARCHIVES[archive_kind(java_feature_version(java))]


def stamp_of(archive: Path) -> Path:
    return archive.with_name(archive.name + ".inputs")


def archive_inputs(java: Path, kernel_dir: Path) -> str:
    """A digest of what the archive was made from (the JDK, its JVM options, every jar the kernel loads and the code
    that records it) and the archive's size: a JVM that maps a truncated archive crashes (SIGBUS)."""
    jdk = java.resolve().parent.parent
    files = [
        jdk / "lib" / "modules",
        kernel_dir / "jjava.jar",
        *sorted((kernel_dir / "classpath").glob("*.jar")),
        *sorted((kernel_dir / "agent").glob("*.jar")),
        Path(__file__),
    ]
    digest = hashlib.sha256(f"{jdk}\n{' '.join(JVM_OPTIONS)}\n".encode())
    for path in files:
        if path.exists():
            status = path.stat()
            digest.update(f"{path.name} {status.st_size} {status.st_mtime_ns}\n".encode())
    archive = class_archive(java, kernel_dir)
    return f"{digest.hexdigest()} {archive.stat().st_size if archive.is_file() else 0}\n"


def current_archive(java: Path, kernel_dir: Path) -> Path | None:
    """The kernel's class archive when one made for these jars and this JDK exists, else None."""
    archive = class_archive(java, kernel_dir)
    current = archive.is_file() and is_stamped(stamp_of(archive), archive_inputs(java, kernel_dir))
    return archive if current else None


def ensure_class_archive(python: Path, java: Path, kernel_dir: Path, torch_env: dict[str, str]) -> None:
    """Makes the kernel start faster (make bench, rows (f)): a class archive of the classes a first cell loads,
    written by a real kernel session whenever the JDK or the jars change, or the archive's size does; then kernel.json
    maps it. Without it (a JDK that cannot write one) the kernel works as before, only slower to start."""
    archive = class_archive(java, kernel_dir)
    if current_archive(java, kernel_dir):
        step(f"Class archive: up to date in {display(archive)}")
        return
    for name in CLASS_ARCHIVES.values():  # also the other kind's, left by another JDK
        for stale in (kernel_dir / name, stamp_of(kernel_dir / name)):
            stale.unlink(missing_ok=True)
    write_if_changed(kernel_dir / "kernel.json", kernel_json(java, kernel_dir, torch_env, archive=None))
    kind = "ahead-of-time cache" if archive.name == CLASS_ARCHIVES["aot"] else "class-data sharing archive"
    step(f"Class archive ({kind}): starting the kernel once to record the classes it loads")
    result = subprocess.run([str(python), "-m", "javadl.class_archive", str(archive)], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"    not written, so the kernel starts without it: {result.stderr.strip()}")
        return
    write_if_changed(stamp_of(archive), archive_inputs(java, kernel_dir))
    write_if_changed(kernel_dir / "kernel.json", kernel_json(java, kernel_dir, torch_env, archive))
    print(f"    {display(archive)}: {archive.stat().st_size / 2**20:.0f} MB")


def write_archive(archive: Path, spec: KernelSpec) -> str | None:
    """Runs the recording kernel session, then makes and checks the archive, which is renamed to `archive` only when
    it is whole and usable; returns what went wrong, if anything."""
    partial = partial_path(archive)
    recording = archive.with_name(archive.name + ".recording.partial")
    for leftover in (partial, recording):
        remove(leftover)
    try:
        problem = record(partial, recording, spec, aot=archive.name == CLASS_ARCHIVES["aot"])
    except RuntimeError as e:  # the kernel died or did not answer
        problem = str(e)
    finally:
        remove(recording)
    if problem:
        remove(partial)
        return problem
    os.replace(partial, archive)
    return None


def record(partial: Path, recording: Path, spec: KernelSpec, aot: bool) -> str | None:
    """Writes the archive to `partial` (an ahead-of-time cache by way of `recording` when `aot`); returns what went
    wrong, if anything."""
    jvm = [spec.java, *spec.jvm_options]  # the agent included
    recorder = [a for a in jvm if not a.startswith("-javaagent:")] + ["--add-modules", "java.instrument"]
    if aot:
        mode = ["-XX:AOTMode=record", f"-XX:AOTConfiguration={recording}"]
    else:
        mode = [f"-XX:ArchiveClassesAtExit={partial}"]
    problem = run_session([*recorder, *mode, "-jar", spec.kernel_jar, *spec.argv_tail], spec.kernel_env)
    if problem:
        return problem
    if aot:
        if not recording.is_file():
            return f"the JVM recorded nothing to {recording}"
        create = subprocess.run(
            [*recorder, "-XX:AOTMode=create", f"-XX:AOTConfiguration={recording}", f"-XX:AOTCache={partial}",
             "-cp", spec.kernel_jar],
            capture_output=True, text=True,
        )  # fmt: skip
        if create.returncode != 0:
            return f"the JVM could not make the cache: {(create.stdout + create.stderr).strip()[:500]}"
    if not partial.is_file() or partial.stat().st_size == 0:
        return f"the JVM wrote no archive to {partial}"
    strict = (
        [f"-XX:AOTCache={partial}", "-XX:AOTMode=on"] if aot else [f"-XX:SharedArchiveFile={partial}", "-Xshare:on"]
    )
    with tempfile.TemporaryDirectory() as scratch:  # where a crashing JVM leaves its hs_err file
        check = subprocess.run(
            [*jvm, *strict, "-cp", spec.kernel_jar, "-version"], capture_output=True, text=True, cwd=scratch
        )
    if check.returncode != 0:
        return f"the JVM cannot start from the archive it wrote: {(check.stdout + check.stderr).strip()[:500]}"
    return None


def run_session(argv: list[str], env: dict[str, str]) -> str | None:
    """Runs the first cells in a kernel started with `argv` and the kernel's `env`, and shuts it down cleanly, so
    that the JVM writes what it recorded as it exits."""
    from jupyter_client.manager import KernelManager  # in the environment, which the installer made by now

    manager = KernelManager(kernel_name=KERNEL_NAME)
    manager.kernel_spec.argv, manager.kernel_spec.env = argv, env
    with open(os.devnull, "w") as quiet:
        manager.start_kernel(stdout=quiet, stderr=quiet)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=SESSION_SECONDS)
        for code in CELLS:
            reply = client.execute_interactive(code, timeout=SESSION_SECONDS, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                return f"{code!r} failed in the kernel: {reply['content']}"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)
    return None


def main() -> int:
    archive = Path(sys.argv[1])
    spec = KernelSpec.read(archive.parent)
    problem = write_archive(archive, spec)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
