"""A JupyterHub of the image tier, run as a teacher runs it: the project's jupyterhub/jupyterhub_config.py (through
tests/image/hub_test_config.py, which changes only the ports, the state folder and the logins), configurable-http-proxy
from jupyterhub/package.json, and DockerSpawner on the tier's own Docker engine. A service with an admin token makes
the learners and their tokens through the Hub's REST API; each learner then reaches their own server only through the
Hub's proxy, with their own token (jupyter_remote.py). The image tests (tests/image/test_hub*.py) and
`make bench-hub` (bench/hub_capacity.py) use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from conftest import free_port, stop_process_group, venv_bin, wait_until_answering
from executed_notebooks import DATASET_LIMIT, MAX_EPOCHS, data_root
from javadl.project import ROOT
from jupyter_remote import JupyterServer

TEST_CONFIG = ROOT / "tests" / "image" / "hub_test_config.py"


class Hub:
    """The running JupyterHub: its REST API with the test service's token, and each learner's server."""

    def __init__(self, engine, port: int, token: str, state: Path):
        self.engine, self.state = engine, state
        self.url = f"http://127.0.0.1:{port}/"
        self.api = JupyterServer(self.url, token)
        self.tokens: dict[str, str] = {}

    def add_learners(self, names: list[str]) -> None:
        """Makes the learners through the Hub's API, each with a token of their own."""
        status, body = self.api.request("POST", "hub/api/users", {"usernames": names})
        assert status == 201, (status, body)
        for name in names:
            status, body = self.api.request("POST", f"hub/api/users/{name}/tokens", {"note": "javadl image tests"})
            assert status == 201, (status, body)
            self.tokens[name] = body["token"]

    def learner(self, name: str, token: str | None = None) -> JupyterServer:
        """The learner's server behind the proxy, reached with `token` (default: the learner's own)."""
        return JupyterServer(f"{self.url}user/{name}/", token or self.tokens[name])

    def server_state(self, name: str) -> dict | None:
        status, user = self.api.request("GET", f"hub/api/users/{name}")
        assert status == 200, (status, user)
        return user["servers"].get("")

    def request_start(self, name: str, options: dict | None = None) -> tuple[int, object]:
        """Asks the Hub to start the learner's server (with spawn `options`, as a form would send them)."""
        return self.api.request("POST", f"hub/api/users/{name}/server", options)

    def start(self, name: str, seconds: float = 360) -> None:  # the config's start_timeout, and the server's start
        status, body = self.request_start(name)
        assert status in (201, 202), (status, body)
        self.wait(name, lambda server: server is not None and server["ready"], "ready", seconds)

    def stop(self, name: str, seconds: float = 120) -> None:
        status, body = self.api.request("DELETE", f"hub/api/users/{name}/server")
        assert status in (202, 204), (status, body)
        self.wait(name, lambda server: server is None, "stopped", seconds)
        self.wait_until_removed(name, seconds)

    def wait_until_removed(self, name: str, seconds: float) -> None:
        """Docker removes a stopped container in the background (with vfs, seconds); DockerSpawner cannot make a new
        one of the same name until it is gone."""
        deadline = time.monotonic() + seconds
        while self.engine.docker("inspect", container_name(name), check=False).returncode == 0:
            assert time.monotonic() < deadline, (
                f"{container_name(name)} still there {seconds:.0f} s after its server stopped"
            )
            time.sleep(1)

    def wait(self, name: str, done, what: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not done(self.server_state(name)):
            assert time.monotonic() < deadline, f"{name}'s server not {what} after {seconds:.0f} s:\n{self.log_tail()}"
            time.sleep(1)

    def container(self, name: str) -> dict:
        """`docker inspect` of the learner's container."""
        return json.loads(self.engine.docker("inspect", container_name(name)).stdout)[0]

    def log_tail(self) -> str:
        return "\n".join((self.state / "jupyterhub.log").read_text().splitlines()[-30:])


def container_name(learner: str) -> str:
    """DockerSpawner's name for a learner's container (its name_template, `{prefix}-{username}`)."""
    return f"jupyter-{learner}"


def memory_cgroup(hub: Hub, name: str) -> tuple[Path, int]:
    """The memory cgroup of the learner's container, as this machine sees it, and its version (1 or 2)."""
    pid = hub.container(name)["State"]["Pid"]
    lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return Path("/sys/fs/cgroup/memory") / path.lstrip("/"), 1
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if number == "0" and not controllers:
            return Path("/sys/fs/cgroup") / path.lstrip("/"), 2
    raise AssertionError(f"no memory cgroup for {name}'s container (process {pid})")


def peak_memory(hub: Hub, name: str) -> int:
    """The most memory the learner's container has used since it started, in bytes."""
    folder, version = memory_cgroup(hub, name)
    return int((folder / ("memory.max_usage_in_bytes" if version == 1 else "memory.peak")).read_text())


def memory_limit(hub: Hub, name: str) -> int:
    """The memory limit of the learner's container, in bytes, as Linux holds it."""
    folder, version = memory_cgroup(hub, name)
    return int((folder / ("memory.limit_in_bytes" if version == 1 else "memory.max")).read_text())


def oom_kills(hub: Hub, name: str) -> int:
    """How many of the learner's processes Linux's out-of-memory killer has ended."""
    folder, version = memory_cgroup(hub, name)
    lines = (folder / ("memory.oom_control" if version == 1 else "memory.events")).read_text().splitlines()
    return int(dict(line.split() for line in lines).get("oom_kill", "0"))


def forget_learners(engine, names: list[str]) -> None:
    """Removes the learners' containers and work volumes: an earlier run's learners, with their edits, would not be
    new learners."""
    for name in names:
        engine.docker("rm", "--force", container_name(name), check=False)
        engine.docker("volume", "rm", "--force", f"javadl-work-{name}", check=False)


@contextlib.contextmanager
def running_hub(engine, image: str, state: Path, learners: list[str], **settings: str) -> Iterator[Hub]:
    """Starts JupyterHub with its state in `state` (made anew), for the new `learners`, with the run sizes of the
    tests; `settings` go into its environment (JAVADL_HUB_CULL_IDLE_SECONDS=...). Stops it, and so its learners'
    servers, at the end."""
    proxy = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT / "jupyterhub", capture_output=True, text=True, timeout=600
    )
    assert proxy.returncode == 0, f"npm ci of configurable-http-proxy failed: {proxy.stderr}"
    forget_learners(engine, learners)
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    port, token = free_port(), secrets.token_hex(32)
    env = dict(
        os.environ,
        DOCKER_HOST=f"unix://{engine.socket}",
        JAVADL_IMAGE=image,
        JAVADL_HUB_DATASETS=str(data_root()),
        JAVADL_HUB_PROJECT_CONFIG=str(ROOT / "jupyterhub" / "jupyterhub_config.py"),
        JAVADL_HUB_STATE=str(state),
        JAVADL_HUB_PORT=str(port),
        JAVADL_HUB_API_PORT=str(free_port()),
        JAVADL_HUB_PROXY_API_PORT=str(free_port()),
        JAVADL_HUB_SERVICE_TOKEN=token,
        JAVADL_DATASET_LIMIT=str(DATASET_LIMIT),
        JAVADL_MAX_EPOCHS=str(MAX_EPOCHS),
        **settings,
    )
    with open(state / "jupyterhub.log", "w") as log:
        process = subprocess.Popen(
            [venv_bin("jupyterhub"), "-f", str(TEST_CONFIG)],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(engine, port, token, state)
    try:
        wait_until_answering(f"{hub.url}hub/api/", process, state / "jupyterhub.log", seconds=120)
        hub.add_learners(learners)
        yield hub
    finally:
        stop_process_group(process, seconds=120)  # the Hub stops the learners' servers as it shuts down
        for name in learners:
            engine.docker("rm", "--force", container_name(name), check=False)
