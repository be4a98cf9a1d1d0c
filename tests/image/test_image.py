"""`make test-image`: the project's Dockerfile built on a local Debian base, then run as the README says to run it.

The engine and the image are conftest.py's fixtures (docker_engine.py says how the base is made, and why). The
container runs like a learner's: `-p` to 127.0.0.1, a datasets volume at /home/learner/datasets (mounted
read-only, the CIFAR-10 copy the other tests read), and 2 GB of memory, as Binder gives. The notebooks run in it
through the Jupyter server's
REST API and kernel WebSocket, as JupyterLab runs them (jupyter_remote.py), with the test suite's run sizes.

Where no Docker engine can start (no root, no apt-get, a kernel that refuses it), the tier is skipped with the
reason; under CI=true it fails instead.
"""

from __future__ import annotations

import json
import re
import time
from functools import lru_cache

import pytest

from conftest import IMAGE_STATE, free_port
from docker_engine import Container
from executed_notebooks import CIFAR_FOLDER, DATASET_LIMIT, MAX_EPOCHS, assert_cells_as_expected, data_root, records_in
from javadl.kernelspec import KERNEL_NAME
from jupyter_remote import JupyterServer, assert_a_kill_for_memory_is_told_once, assert_tensorboard_needs_the_login

CONTAINER = "javadl-test"
LEARNER_UID = 1000
DATASETS = "/home/learner/datasets"
NOTEBOOKS_IN_IMAGE = ["00-setup-check.ipynb", "01-datasets.ipynb", "09-train-cifar10.ipynb"]
# A class pulls the image onto every machine: `make bench-image` shows what takes its room
IMAGE_SIZE_LIMIT = 1.8e9
# Debian 13's newest JDK, which keeps the kernel's classes in an ahead-of-time cache
IMAGE_JAVA = 25
KERNEL_JSON = "/home/learner/javadl/.venv/share/jupyter/kernels/javadl/kernel.json"


@pytest.fixture(scope="session")
def container(engine, image):
    engine.docker("rm", "--force", CONTAINER, check=False)
    port = free_port()
    engine.docker(
        "run",
        "--detach",
        "--name",
        CONTAINER,
        "--memory=2g",
        "--publish",
        f"127.0.0.1:{port}:8888",
        "--volume",
        f"{data_root()}:{DATASETS}:ro",
        "--env",
        f"JAVADL_DATASET_LIMIT={DATASET_LIMIT}",
        "--env",
        f"JAVADL_MAX_EPOCHS={MAX_EPOCHS}",
        image,
    )
    running = Container(engine, CONTAINER, port)
    try:
        yield running
    finally:
        (IMAGE_STATE / "container.log").write_text(running.logs())
        engine.docker("rm", "--force", CONTAINER, check=False)


@pytest.fixture(scope="session")
def server(container) -> JupyterServer:
    server = JupyterServer(f"http://127.0.0.1:{container.port}/", container.token())
    deadline = time.monotonic() + 60
    while True:
        try:
            if server.request("GET", "api", token=False, timeout=5)[0] == 200:
                return server
        except OSError:
            pass  # not listening yet
        assert time.monotonic() < deadline, f"the server did not answer within 60 s:\n{container.logs()}"
        time.sleep(1)


@pytest.fixture(scope="session")
def run_in_container(server):
    """Runs a notebook of the image through its server, once per session; returns its code cells with outputs."""
    return lru_cache(maxsize=None)(lambda name: server.run_notebook(name, KERNEL_NAME))


def test_the_image_is_small_enough_to_pull_onto_every_machine_of_a_class(engine, image):
    size = engine.image_size(image)
    assert size <= IMAGE_SIZE_LIMIT, f"{size / 1e9:.2f} GB; `make bench-image` lists what takes the room"


# What the image holds, asked of one container: its Java, its JDKs, Maven's Java, the kernelspec and the test tools
# it must not have, each part's output after a line "---"
IMAGE_CONTENTS = f"""
java -version 2>&1; echo ---
ls /usr/lib/jvm; echo ---
mvn --version; echo ---
cat {KERNEL_JSON}; echo ---
python3 -c 'import importlib.util as u; print(*[m for m in ("pytest", "playwright", "repo2docker", "dockerspawner")
if u.find_spec(m)])'
"""


def test_the_image_runs_jdk_25_with_the_kernels_ahead_of_time_cache_and_no_test_tools(engine, image):
    java, jdks, maven, spec, tools = engine.docker("run", "--rm", image, "bash", "-c", IMAGE_CONTENTS).stdout.split(
        "---\n"
    )
    assert re.search(rf'^openjdk version "{IMAGE_JAVA}[."]', java, re.MULTILINE), java
    assert jdks.split() and all(f"-{IMAGE_JAVA}" in jdk or f".{IMAGE_JAVA}." in jdk for jdk in jdks.split()), (
        f"a second Java: {jdks}"
    )
    assert re.search(rf"^Java version: {IMAGE_JAVA}[.]", maven, re.MULTILINE), maven
    argv = json.loads(spec)["argv"]
    assert any(option.startswith("-XX:AOTCache=") for option in argv), argv
    assert tools.split() == [], f"test tools in the learner's image: {tools}"


def test_the_health_check_reaches_healthy(container):
    deadline = time.monotonic() + 150  # the check runs every 30 s, the first after 30 s
    while (health := container.inspect("{{.State.Health.Status}}")) != "healthy":
        assert health == "starting", f"health: {health}\n{container.inspect('{{json .State.Health.Log}}')}"
        assert time.monotonic() < deadline, "still starting after 150 s"
        time.sleep(2)


def test_the_server_answers_its_api(server):
    status, body = server.request("GET", "api", token=False)
    assert status == 200 and re.fullmatch(r"\d+\.\d+\.\d+", body["version"]), (status, body)


def test_contents_are_refused_without_the_token_and_served_with_it(server):
    assert server.request("GET", "api/contents", token=False)[0] == 403
    status, listing = server.request("GET", "api/contents")
    assert status == 200
    assert set(NOTEBOOKS_IN_IMAGE) <= {item["name"] for item in listing["content"]}


def test_every_process_runs_as_the_learner_not_root(container, server):
    with server.open_session("00-setup-check.ipynb", KERNEL_NAME) as kernel:
        assert kernel.execute("1 + 1")[0] == "ok"
        processes = container.processes()
    assert {"jupyter-lab", "java"} <= {command for _, command in processes}, processes  # the kernel counts too
    assert {uid for uid, _ in processes} == {LEARNER_UID}, processes


def test_shift_tab_shows_the_javadoc_of_the_jdk_and_of_djl(server):
    with server.open_session("00-setup-check.ipynb", KERNEL_NAME) as kernel:
        status, outputs = kernel.execute(
            "NDManager manager = NDManager.newBaseManager();\nNDArray a = manager.arange(6f);"
        )
        assert status == "ok", outputs
        jdk = kernel.inspect("Math.max(", len("Math.max("))
        djl = kernel.inspect("a.reshape(", len("a.reshape("))
    # the image's Debian JDK has no src.zip: the installer fetched openjdk-25-source's into the kernel's sources
    assert "int Math.max(int a, int b)" in jdk and "Returns the greater of two int values" in jdk, jdk
    assert "Reshapes this NDArray to the given Shape" in djl, djl


def test_the_read_only_datasets_volume_is_read(container, run_in_container):
    mounts = container.inspect('{{range .Mounts}}{{if eq .Destination "' + DATASETS + '"}}{{.RW}}{{end}}{{end}}')
    assert mounts == "false", f"{DATASETS} is not a read-only mount: {mounts!r}"
    printed = "".join(o.get("text", "") for c in run_in_container("01-datasets.ipynb") for o in c["outputs"])

    assert f"Datasets are read from {DATASETS}\n" in printed
    assert f"test_set: {records_in(['test_batch.bin'])} images\n" in printed
    train_files = sorted(p.name for p in (data_root() / CIFAR_FOLDER).glob("data_batch_*.bin"))
    assert f"train_set: {records_in(train_files)} images\n" in printed


@pytest.mark.parametrize("name", NOTEBOOKS_IN_IMAGE)
def test_the_notebook_runs_in_the_container_with_the_outputs_it_expects(run_in_container, name):
    assert_cells_as_expected(run_in_container(name), name)


def test_the_launchers_tensorboard_shows_what_the_notebooks_logged(server, run_in_container):
    run_in_container("01-datasets.ipynb")
    run_in_container("09-train-cifar10.ipynb")
    status, servers = server.request("GET", "server-proxy/servers-info")
    assert status == 200, (status, servers)
    assert [(s["name"], s["launcher_entry"]["title"]) for s in servers["server_processes"]] == [
        ("tensorboard", "TensorBoard")
    ]
    deadline = time.monotonic() + 90  # TensorBoard starts on the first request and reads the logs in the background
    while True:
        status, scalars = server.request("GET", "tensorboard/data/plugin/scalars/tags", timeout=90)
        if status == 200 and "loss/train" in scalars.get("09-train-cifar10", {}):
            break
        assert time.monotonic() < deadline, f"no 09-train-cifar10 loss/train after 90 s: {status} {scalars}"
        time.sleep(2)
    status, images = server.request("GET", "tensorboard/data/plugin/images/tags")
    assert status == 200 and "test_set" in images.get("01-datasets", {}), (status, images)
    assert_tensorboard_needs_the_login(server)


def test_a_kernel_killed_for_memory_is_told_in_the_next_cell(server):
    # the container fixture runs it with `docker run --memory=2g`; the notebooks' tests above are done
    assert_a_kill_for_memory_is_told_once(server, 2 * 2**30)
