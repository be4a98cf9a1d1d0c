"""`make test-image`: a class on JupyterHub. The image built in this run, spawned by DockerSpawner for three learners.

JupyterHub runs from .venv with the project's jupyterhub/jupyterhub_config.py (hub_test_config.py changes only the
ports, the state folder and the logins), configurable-http-proxy from jupyterhub/package.json, and the image tier's
own Docker engine. A test service with an admin token makes the learners and their tokens through the Hub's REST
API; each learner then reaches their own server only through the Hub's proxy, with their own token, and runs
notebooks through the Jupyter server's REST API and kernel WebSocket (jupyter_remote.py), as JupyterLab would.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import IMAGE_STATE, free_port, report, stop_process_group, venv_bin, wait_until_answering
from executed_notebooks import DATASET_LIMIT, MAX_EPOCHS, assert_cells_as_expected, data_root
from javadl.kernelspec import KERNEL_NAME
from javadl.project import ROOT
from jupyter_remote import JupyterServer

LEARNERS = ["ada", "grace", "linus"]
HUB_NOTEBOOKS = ["00-setup-check.ipynb", "02-dataloader.ipynb"]
COURSE = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
MEMORY_LIMIT = 2 * 2**30
STATE = IMAGE_STATE / "hub"


class Hub:
    """The running JupyterHub: its REST API with the test service's token, and each learner's server."""

    def __init__(self, engine, port: int, token: str):
        self.engine = engine
        self.url = f"http://127.0.0.1:{port}/"
        self.api = JupyterServer(self.url, token)
        self.tokens: dict[str, str] = {}

    def learner(self, name: str, token: str | None = None) -> JupyterServer:
        """The learner's server behind the proxy, reached with `token` (default: the learner's own)."""
        return JupyterServer(f"{self.url}user/{name}/", token or self.tokens[name])

    def server_state(self, name: str) -> dict | None:
        status, user = self.api.request("GET", f"hub/api/users/{name}")
        assert status == 200, (status, user)
        return user["servers"].get("")

    def start(self, name: str, seconds: float = 360) -> None:  # the config's start_timeout, and the server's start
        status, body = self.api.request("POST", f"hub/api/users/{name}/server")
        assert status in (201, 202), (status, body)
        self.wait(name, lambda server: server is not None and server["ready"], "ready", seconds)

    def stop(self, name: str, seconds: float = 120) -> None:
        status, body = self.api.request("DELETE", f"hub/api/users/{name}/server")
        assert status in (202, 204), (status, body)
        self.wait(name, lambda server: server is None, "stopped", seconds)
        # Docker removes the stopped container in the background (with vfs, seconds); DockerSpawner cannot
        # make a new one of the same name until it is gone
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

    @staticmethod
    def log_tail() -> str:
        return "\n".join((STATE / "jupyterhub.log").read_text().splitlines()[-30:])


def container_name(learner: str) -> str:
    """DockerSpawner's name for a learner's container (its name_template, `{prefix}-{username}`)."""
    return f"jupyter-{learner}"


def memory_cgroup(pid: int) -> Path:
    """The cgroup (v1) memory folder of a process, where the kernel keeps its container's peak and OOM kills."""
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return Path("/sys/fs/cgroup/memory") / path.lstrip("/")
    raise AssertionError(f"process {pid} has no memory cgroup (v1)")


@pytest.fixture(scope="session")
def hub(engine, image):
    proxy = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT / "jupyterhub", capture_output=True, text=True, timeout=600
    )
    assert proxy.returncode == 0, f"npm ci of configurable-http-proxy failed: {proxy.stderr}"
    for name in LEARNERS:  # an earlier run's learners, with their edits, would not be new learners
        engine.docker("rm", "--force", container_name(name), check=False)
        engine.docker("volume", "rm", "--force", f"javadl-work-{name}", check=False)
    shutil.rmtree(STATE, ignore_errors=True)
    STATE.mkdir(parents=True)
    port, token = free_port(), secrets.token_hex(32)
    env = dict(
        os.environ,
        DOCKER_HOST=f"unix://{engine.socket}",
        JAVADL_IMAGE=image,
        JAVADL_HUB_DATASETS=str(data_root()),
        JAVADL_HUB_PROJECT_CONFIG=str(ROOT / "jupyterhub" / "jupyterhub_config.py"),
        JAVADL_HUB_STATE=str(STATE),
        JAVADL_HUB_PORT=str(port),
        JAVADL_HUB_API_PORT=str(free_port()),
        JAVADL_HUB_SERVICE_TOKEN=token,
        JAVADL_DATASET_LIMIT=str(DATASET_LIMIT),
        JAVADL_MAX_EPOCHS=str(MAX_EPOCHS),
    )
    with open(STATE / "jupyterhub.log", "w") as log:
        process = subprocess.Popen(
            [venv_bin("jupyterhub"), "-f", str(Path(__file__).parent / "hub_test_config.py")],
            cwd=STATE,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Hub(engine, port, token)
    try:
        wait_until_answering(f"{running.url}hub/api/", process, STATE / "jupyterhub.log", seconds=120)
        yield running
    finally:
        stop_process_group(process, seconds=120)  # the Hub stops the learners' servers as it shuts down
        for name in LEARNERS:
            engine.docker("rm", "--force", container_name(name), check=False)


@pytest.fixture(scope="session")
def learners(hub) -> Hub:
    """The three learners, made through the Hub's API, each with a token of their own and a running server."""
    status, body = hub.api.request("POST", "hub/api/users", {"usernames": LEARNERS})
    assert status == 201, (status, body)
    for name in LEARNERS:
        status, body = hub.api.request("POST", f"hub/api/users/{name}/tokens", {"note": "javadl image tests"})
        assert status == 201, (status, body)
        hub.tokens[name] = body["token"]
    for name in LEARNERS:
        hub.start(name)
    return hub


def test_each_learner_gets_the_course_in_their_own_work_folder(learners):
    for name in LEARNERS:
        status, listing = learners.learner(name).request("GET", "api/contents")
        assert status == 200, (name, status, listing)
        assert {item["name"] for item in listing["content"]} >= set(COURSE), (name, listing)
        mounts = {m["Destination"]: m for m in learners.container(name)["Mounts"]}
        assert mounts["/home/learner/work"]["Name"] == f"javadl-work-{name}"
        assert mounts["/home/learner/datasets"]["RW"] is False


def test_three_learners_run_the_notebooks_at_once_within_their_2_gb(learners, pytestconfig):
    def run(name: str) -> dict[str, list[dict]]:
        return {notebook: learners.learner(name).run_notebook(notebook, KERNEL_NAME) for notebook in HUB_NOTEBOOKS}

    with ThreadPoolExecutor(len(LEARNERS)) as pool:
        runs = dict(zip(LEARNERS, pool.map(run, LEARNERS), strict=True))

    for name, notebooks in runs.items():
        for notebook, cells in notebooks.items():
            assert_cells_as_expected(cells, f"{name}, {notebook}")
    for name in LEARNERS:
        cgroup = memory_cgroup(learners.container(name)["State"]["Pid"])
        oom = dict(line.split() for line in (cgroup / "memory.oom_control").read_text().splitlines())
        peak = int((cgroup / "memory.max_usage_in_bytes").read_text())
        report(
            pytestconfig,
            "hub",
            f"{name}'s container, peak memory (00 and 02 with two others at once)",
            f"{peak / 2**20:.0f} MiB of {MEMORY_LIMIT / 2**20:.0f} MiB",
        )
        assert int((cgroup / "memory.limit_in_bytes").read_text()) == MEMORY_LIMIT
        assert oom.get("oom_kill", "0") == "0", f"{name}'s container had processes killed for memory: {oom}"
        assert peak < MEMORY_LIMIT


def test_a_learner_cannot_reach_another_learners_server_or_files(learners):
    grace = learners.learner("grace")
    status, _ = grace.request(
        "PUT", "api/contents/grace-only.txt", {"type": "file", "format": "text", "content": "grace's answer"}
    )
    assert status == 201

    ada_on_graces_server = learners.learner("grace", token=learners.tokens["ada"])
    assert ada_on_graces_server.request("GET", "api/contents/grace-only.txt")[0] == 403
    assert (
        ada_on_graces_server.request(
            "POST", "api/sessions", {"path": "x.ipynb", "type": "notebook", "kernel": {"name": KERNEL_NAME}}
        )[0]
        == 403
    )
    ada = learners.learner("ada")
    assert ada.request("GET", "api/contents/grace-only.txt")[0] == 404
    with ada.open_session("00-setup-check.ipynb", KERNEL_NAME) as kernel:
        status, outputs = kernel.execute(
            'System.out.println(Files.exists(Path.of("/home/learner/work/grace-only.txt")) '
            '+ " " + Files.exists(Path.of("/home/learner/work/00-setup-check.ipynb")));'
        )
    assert status == "ok" and outputs[0]["text"] == "false true\n", outputs


def test_requests_without_a_token_are_refused(learners):
    for path in ("api/contents", "api/kernels", "api/sessions"):
        status, _ = learners.learner("ada", token="").request("GET", path, token=False)
        assert status == 403, f"/user/ada/{path} without a token: {status}"
    assert learners.api.request("GET", "hub/api/users", token=False)[0] == 403


def test_a_restarted_server_keeps_the_learners_edited_notebook(learners):
    linus = learners.learner("linus")
    notebook = linus.notebook("00-setup-check.ipynb")
    notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "linus was here"})
    status, _ = linus.request(
        "PUT", "api/contents/00-setup-check.ipynb", {"type": "notebook", "format": "json", "content": notebook}
    )
    assert status == 200
    first = learners.container("linus")["Id"]

    learners.stop("linus")
    learners.start("linus")

    assert learners.container("linus")["Id"] != first  # a new container, the same volume
    assert linus.notebook("00-setup-check.ipynb")["cells"][-1]["source"] == "linus was here"
