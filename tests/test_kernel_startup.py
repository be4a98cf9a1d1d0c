"""The kernel starts from the class archive that `make setup` writes (python/javadl/install.py, step 7: a class-data
sharing archive, or from Java 25 an ahead-of-time cache; the time it saves is measured by `make bench`, rows (f)),
and `make setup` rewrites an archive that changed."""

import subprocess
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from conftest import KernelSession, kernel_java_version, setup_env
from javadl.kernelspec import KERNEL_NAME

ARCHIVE_KINDS = {"javadl.jsa": "class-data sharing archive", "javadl.aot": "ahead-of-time cache"}


def class_archive() -> Path:
    """The archive for the kernel's JDK: an ahead-of-time cache from Java 25 on, else a class-data archive."""
    name = "javadl.aot" if int(kernel_java_version()) >= 25 else "javadl.jsa"
    return Path(KernelSpecManager().get_kernel_spec(KERNEL_NAME).resource_dir) / name


def mapped_files(pid: int) -> set[str]:
    return {
        line.split(maxsplit=5)[5]
        for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
        if len(line.split(maxsplit=5)) == 6
    }


def test_the_kernel_maps_the_class_archive_that_setup_wrote(kernel_session):
    archive = class_archive()
    option = "-XX:AOTCache=" if archive.suffix == ".aot" else "-XX:SharedArchiveFile="
    assert f"{option}{archive}" in kernel_session.manager.kernel_spec.argv

    assert kernel_session.value("1 + 1").strip() == "2"
    assert str(archive) in mapped_files(kernel_session.pid)


def test_setup_rewrites_a_truncated_class_archive():
    archive = class_archive()
    data = archive.read_bytes()
    archive.chmod(0o644)
    archive.write_bytes(data[: len(data) // 2])  # as a copy that ran out of disk space leaves it: the JVM would crash

    try:
        result = subprocess.run(
            [sys.executable, "-m", "javadl.install", "--venv", sys.prefix],
            env=setup_env(),
            capture_output=True,
            text=True,
        )
    finally:
        if archive.exists() and archive.stat().st_size == len(data) // 2:
            archive.unlink()  # so that the kernels of the tests after this one still start

    assert result.returncode == 0, result.stderr
    assert f"Class archive ({ARCHIVE_KINDS[archive.name]}): starting the kernel once" in result.stdout
    assert archive.stat().st_size > len(data) // 2
    session = KernelSession()
    try:
        assert session.value("1 + 1").strip() == "2"
        assert str(archive) in mapped_files(session.pid)
    finally:
        session.close()
