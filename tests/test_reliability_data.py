"""Reliability, cases 3 and 4: bad dataset files and failed downloads, seen in a notebook.

Each case runs the dataset cell in a real kernel and checks what a learner sees: one error whose message names
the path and the fix, with no library, DJL or JDK frames under it; a kernel that still works; and a dataset
folder left as it was. Downloads are served from 127.0.0.1 only; a full disk is a small tmpfs.

The library's own tests check every message and what is kept (Cifar10Test: each kind of bad file, a root that is a
file; Cifar10DownloadTest: wrong checksums, cut connections, hostile archives). Here one case of each kind shows
what the notebook adds, and the cases no lower test can make: an unreadable folder, an offline machine, a full disk.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cifar_fixture import CLASSES
from conftest import KernelSession, free_port, traceback_text
from executed_notebooks import CIFAR_FOLDER, NOTEBOOKS, data_root

RECORD = 3073
INTERNAL_FRAME = re.compile(r"^\s*at (io\.javadl|ai\.djl|java\.|javax\.|jdk\.|sun\.)", re.MULTILINE)


def dataset_cells() -> list[str]:
    """Notebook 01's code cells up to its cell that builds and loads CIFAR-10, as a learner runs them."""
    import nbformat

    notebook = nbformat.read(NOTEBOOKS / "01-datasets.ipynb", as_version=4)
    cells = [c.source for c in notebook.cells if c.cell_type == "code"]
    loading = [i for i, source in enumerate(cells) if "trainSet.prepare()" in source]
    assert len(loading) == 1
    return cells[: loading[0] + 1]


def the_error(outputs: list[dict]) -> tuple[str, str]:
    """The one error a cell showed, after at most a download's progress bar: its message and its traceback as
    plain text."""
    kinds = [o["output_type"] for o in outputs]
    assert kinds[-1:] == ["error"] and kinds.count("error") == 1, outputs
    assert all(o["text"].startswith("\rDownloading") for o in outputs if o["output_type"] == "stream"), outputs
    return outputs[-1]["evalue"], traceback_text(outputs[-1])


def assert_clear_error(outputs: list[dict], *phrases: str) -> str:
    message, traceback = the_error(outputs)
    for phrase in phrases:
        assert phrase in message, f"{phrase!r} missing from: {message}"
    assert message.split(", ", 1)[-1] in traceback, "the traceback shows the message"
    assert not INTERNAL_FRAME.search(traceback), f"internal frames shown:\n{traceback}"
    return message


def tree(folder: Path) -> list[str]:
    """Every path under `folder`, relative, sorted; [] when it does not exist."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def run_in_kernel(cells: list[str], env_updates: dict[str, str], argv_prefix: list[str] | None = None) -> list[dict]:
    """Runs cells in a fresh kernel; all but the last must succeed. Returns the last one's outputs, and checks
    that the kernel still answers afterwards."""
    session = KernelSession(argv_prefix=argv_prefix, env=dict(os.environ, **env_updates))
    try:
        for code in cells[:-1]:
            session.value(code)
        status, outputs = session.run(cells[-1])
        assert status == "error", f"the cell succeeded: {outputs}"
        assert session.value("1 + 1").strip() == "2", "the kernel works after the error"
        return outputs
    finally:
        session.close()


# Case 3: bad files in the dataset folder -------------------------------------------------------------


def real_test_batch() -> bytes:
    return (data_root() / CIFAR_FOLDER / "test_batch.bin").read_bytes()


def dataset_with(tmp_path: Path, test_batch: bytes) -> Path:
    folder = tmp_path / "data" / CIFAR_FOLDER
    folder.mkdir(parents=True)
    (folder / "test_batch.bin").write_bytes(test_batch)
    for good in ("data_batch_1.bin", "batches.meta.txt"):  # 01 loads the training set first
        shutil.copy(data_root() / CIFAR_FOLDER / good, folder)
    return folder


# a closed port on 127.0.0.1 as the proxy: the official URL cannot be reached, on any machine
OFFLINE = {
    "JDK_JAVA_OPTIONS": "-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9 -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9"
}


def test_a_bad_batch_file_is_named_with_the_fix(tmp_path):
    batch = real_test_batch()
    folder = dataset_with(tmp_path, batch[: len(batch) * 3 // 5 + 1000])  # cut inside a record
    before = tree(tmp_path)

    outputs = run_in_kernel(dataset_cells(), {"JAVADL_DATA": str(folder.parent), **OFFLINE})

    assert_clear_error(
        outputs,
        str(folder / "test_batch.bin"),
        "is not a whole number of CIFAR-10 records",
        "delete it and download the dataset again",
    )
    assert tree(tmp_path) == before, "the folder was changed"


def test_an_empty_folder_while_offline_says_where_to_put_the_files(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()

    outputs = run_in_kernel(dataset_cells(), {"JAVADL_DATA": str(root), **OFFLINE})

    assert_clear_error(
        outputs,
        "Cannot reach https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        f"unpack it so that {root / CIFAR_FOLDER} holds its files",
    )
    assert tree(root) == [], "the failed download left files behind"


def test_a_folder_that_cannot_be_read_is_named(tmp_path):
    folder = dataset_with(tmp_path, real_test_batch())
    folder.chmod(0)
    # root reads anything; the kernel then runs without the capabilities that let it
    drop_root_reads = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else None
    try:
        outputs = run_in_kernel(dataset_cells(), {"JAVADL_DATA": str(folder.parent), **OFFLINE}, drop_root_reads)
    finally:
        folder.chmod(0o755)

    assert_clear_error(outputs, f"Cannot read {folder}: permission denied", "chmod u+rx")


# Case 4: downloads -------------------------------------------------------------------------------------


def archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def small_cifar(records: int, compressible: bool = False) -> dict[str, bytes]:
    batch = bytes(RECORD * records) if compressible else real_test_batch()[: RECORD * records]
    return {
        f"{CIFAR_FOLDER}/test_batch.bin": batch,
        f"{CIFAR_FOLDER}/batches.meta.txt": ("\n".join(CLASSES) + "\n").encode(),
    }


class ArchiveServer:
    """Serves byte strings on 127.0.0.1; a path in `cut` sends the full Content-Length but only half the bytes."""

    def __init__(self, files: dict[str, bytes], cut: frozenset[str] = frozenset()):
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = served.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if self.path in served.cut else body)
                self.wfile.flush()
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.files, self.cut = files, cut
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    good = archive(small_cifar(20))
    files = {
        "/good.tar.gz": good,
        "/compressible.tar.gz": archive(small_cifar(500, compressible=True)),
        "/incompressible.tar.gz": archive(small_cifar(500)),
    }
    serving = ArchiveServer(files, cut=frozenset({"/cut.tar.gz"}))
    serving.files["/cut.tar.gz"] = good
    yield serving
    serving.close()


def download_cell(root: Path, url: str, md5: str | None) -> str:
    checksum = f'.optArchiveMd5("{md5}")' if md5 else ""
    return (
        f'Cifar10 downloaded = Cifar10.builder().optRoot(Path.of("{root}")).optUsage(Dataset.Usage.TEST)\n'
        f'        .optDownload(true).optDownloadUrl(java.net.URI.create("{url}")){checksum}.build();\n'
        f"downloaded.prepare();"
    )


def md5_of(server: ArchiveServer, path: str) -> str:
    return hashlib.md5(server.files[path]).hexdigest()


def test_the_served_archive_installs(tmp_path, server):
    """The control case: the same server and cell, with a good archive, give a dataset."""
    root = tmp_path / "data"
    session = KernelSession()
    try:
        text = session.value(
            download_cell(root, server.url("/good.tar.gz"), md5_of(server, "/good.tar.gz"))
            + "\nSystem.out.println(downloaded.size());"
        )
    finally:
        session.close()
    assert text.strip().endswith("20")
    assert tree(root) == [CIFAR_FOLDER, f"{CIFAR_FOLDER}/batches.meta.txt", f"{CIFAR_FOLDER}/test_batch.bin"]


def test_a_connection_cut_halfway_keeps_nothing(tmp_path, server):
    root = tmp_path / "data"
    url = server.url("/cut.tar.gz")
    size = len(server.files["/cut.tar.gz"])

    outputs = run_in_kernel([download_cell(root, url, md5_of(server, "/cut.tar.gz"))], {})

    assert_clear_error(
        outputs, f"Downloading {url} broke off after {size // 2:,} of {size:,} bytes", "Nothing was kept; try again"
    )
    assert tree(root) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs, mounted for the test. Mounting needs root (and a machine that lets root mount, as the
    development and CI machines do); elsewhere the test is skipped and says why, and fails in CI."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "javadl-test", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"a full disk is simulated with a small tmpfs, and this machine cannot mount one "
            f"({mounted.stderr.strip()}); run the tests as root to include it"
        )
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


@pytest.mark.parametrize(
    "path, stage", [("/incompressible.tar.gz", "download"), ("/compressible.tar.gz", "extraction")]
)
def test_a_full_disk_keeps_nothing_and_says_to_make_room(small_disk, server, path, stage):
    url = server.url(path)
    assert (len(server.files[path]) > 2**20) == (stage == "download"), "the archive fills the disk at the wanted stage"

    outputs = run_in_kernel([download_cell(small_disk, url, md5_of(server, path))], {})

    assert_clear_error(outputs, "No space left on device", str(small_disk), "Make room there", "JAVADL_DATA")
    assert tree(small_disk) == [], "the failed download left files behind"
    assert shutil.disk_usage(small_disk).used < 64 * 1024, "space is given back"
