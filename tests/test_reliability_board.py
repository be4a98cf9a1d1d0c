"""Reliability, case 5: SummaryWriter's event files stay readable by TensorBoard's own reader when two writers
share a folder, when a closed writer is used, and when the kernel dies in the middle of writing."""

from __future__ import annotations

import os
import signal
import struct
import time
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import KernelSession


def scalar_steps(folder: Path, tag: str) -> list[int]:
    events = EventAccumulator(str(folder), size_guidance={"scalars": 0})
    events.Reload()
    return [e.step for e in events.Scalars(tag)] if tag in events.Tags()["scalars"] else []


def event_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("events.out.tfevents.*"))


@pytest.fixture
def session(tmp_path):
    kernel = KernelSession(cwd=str(tmp_path))
    yield kernel
    kernel.close()


def test_two_writers_on_one_folder_write_two_readable_files(tmp_path, session):
    session.value("""
try (SummaryWriter first = new SummaryWriter("logs/shared");
     SummaryWriter second = new SummaryWriter("logs/shared")) {
    for (int step = 0; step < 50; step++) {
        first.addScalar("first/loss", 1.0 / (step + 1), step);
        second.addScalar("second/loss", step, step);
    }
}""")

    folder = tmp_path / "logs" / "shared"
    assert len(event_files(folder)) == 2
    assert scalar_steps(folder, "first/loss") == list(range(50))
    assert scalar_steps(folder, "second/loss") == list(range(50))


def test_a_write_after_close_is_refused_and_the_file_stays_whole(tmp_path, session):
    session.value("""
SummaryWriter writer = new SummaryWriter("logs/closed");
for (int step = 0; step < 3; step++) {
    writer.addScalar("loss", step, step);
}
writer.close();""")

    status, outputs = session.run('writer.addScalar("loss", 99, 99);')

    assert status == "error"
    folder = tmp_path / "logs" / "closed"
    message = outputs[-1]["evalue"]
    name = event_files(folder)[0].name
    assert f"This SummaryWriter (logs/closed/{name}) is closed; open a new one to log more" in message
    assert scalar_steps(folder, "loss") == [0, 1, 2]
    assert session.value("1 + 1").strip() == "2"


def test_a_kernel_killed_while_writing_leaves_every_complete_record_readable(tmp_path):
    session = KernelSession(cwd=str(tmp_path))
    try:
        session.client.execute("""
SummaryWriter writer = new SummaryWriter("logs/killed");
for (long step = 0; ; step++) {
    writer.addScalar("loss", 1.0 / (step + 1), step);
}""")
        folder = tmp_path / "logs" / "killed"
        deadline = time.monotonic() + 60
        while not (event_files(folder) and event_files(folder)[0].stat().st_size > 100_000):
            assert time.monotonic() < deadline, "the writer wrote too little"
            time.sleep(0.1)
        os.kill(session.pid, signal.SIGKILL)
        session.manager.provisioner.process.wait(10)
    finally:
        session.close()

    steps = scalar_steps(folder, "loss")
    assert len(steps) > 1000 and steps == list(range(len(steps))), "records are complete and in order, up to the kill"


def record_ends(data: bytes) -> list[int]:
    """The offsets where each record of an event file ends (8-byte length, 4-byte CRC, payload, 4-byte CRC)."""
    ends, offset = [], 0
    while offset < len(data):
        (length,) = struct.unpack_from("<Q", data, offset)
        offset += 12 + length + 4
        ends.append(offset)
    return ends


def test_a_file_cut_inside_its_last_record_reads_up_to_the_record_before(tmp_path, session):
    session.value("""
try (SummaryWriter writer = new SummaryWriter("logs/cut")) {
    for (int step = 0; step < 5; step++) {
        writer.addScalar("loss", step, step);
    }
}""")
    whole = event_files(tmp_path / "logs" / "cut")[0].read_bytes()
    ends = record_ends(whole)
    assert ends[-1] == len(whole) and len(ends) == 6, "the version record, then five scalars"

    last_start = ends[-2]
    for cut in sorted({last_start + 1, last_start + 8, last_start + 12, last_start + 20, len(whole) - 1}):
        folder = tmp_path / f"cut-at-{cut}"
        folder.mkdir()
        (folder / event_files(tmp_path / "logs" / "cut")[0].name).write_bytes(whole[:cut])
        assert scalar_steps(folder, "loss") == [0, 1, 2, 3], f"cut at byte {cut} of {len(whole)}"
