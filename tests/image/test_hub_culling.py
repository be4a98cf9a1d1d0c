"""`make test-image`: the class's hub stops idle servers (jupyterhub-idle-culler, as jupyterhub_config.py runs it),
with a timeout of seconds instead of an hour. A Hub of its own (tests/jupyter_hub.py), since its short timeout would
stop test_hub.py's learners between their tests.
"""

from __future__ import annotations

import time

import pytest

from conftest import IMAGE_STATE
from javadl.kernelspec import KERNEL_NAME
from jupyter_hub import Hub, running_hub

LEARNER = "hopper"
IDLE_SECONDS = 25  # the culler's timeout
CHECK_SECONDS = 3  # how often it looks, and how often the activity reaches the Hub
CELL_SECONDS = 2 * IDLE_SECONDS  # a cell that runs, silent, for longer than the timeout


@pytest.fixture(scope="module")
def hub(engine, image) -> Hub:
    with running_hub(
        engine,
        image,
        IMAGE_STATE / "hub-culling",
        [LEARNER],
        JAVADL_HUB_CULL_IDLE_SECONDS=str(IDLE_SECONDS),
        JAVADL_HUB_CULL_EVERY_SECONDS=str(CHECK_SECONDS),
        JAVADL_HUB_ACTIVITY_SECONDS=str(CHECK_SECONDS),
    ) as running:
        running.start(LEARNER)
        yield running


def test_a_running_cell_keeps_its_server_and_an_idle_server_is_stopped_its_work_kept(hub: Hub):
    server = hub.learner(LEARNER)
    status, _ = server.request("PUT", "api/contents/mine.txt", {"type": "file", "format": "text", "content": "work"})
    assert status == 201
    kernel = server.open_session("00-setup-check.ipynb", KERNEL_NAME)
    # the cell is sent, then the learner's tab goes away: nothing but the running cell reaches the server
    kernel.send_and_leave(f"Thread.sleep({CELL_SECONDS * 1000});")
    started = time.monotonic()
    while time.monotonic() - started < CELL_SECONDS:
        assert hub.server_state(LEARNER) is not None, (
            f"the server was stopped {time.monotonic() - started:.0f} s into a running cell:\n{hub.log_tail()}"
        )
        time.sleep(1)

    # the cell has ended: from now on the server is idle
    hub.wait(LEARNER, lambda state: state is None, "stopped", IDLE_SECONDS + 10 * CHECK_SECONDS + 30)
    stopped_after = time.monotonic() - started - CELL_SECONDS
    assert stopped_after >= IDLE_SECONDS - CHECK_SECONDS, f"stopped {stopped_after:.0f} s after the cell ended"
    status, user = hub.api.request("GET", f"hub/api/users/{LEARNER}")
    assert status == 200, (status, user)  # culled servers, never users

    hub.wait_until_removed(LEARNER, 120)
    hub.start(LEARNER)
    status, kept = hub.learner(LEARNER).request("GET", "api/contents/mine.txt")
    assert status == 200 and kept["content"] == "work", (status, kept)
