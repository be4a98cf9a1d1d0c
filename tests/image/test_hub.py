"""`make test-image`: a class on JupyterHub. The image built in this run, spawned by DockerSpawner for three learners.

The Hub is tests/jupyter_hub.py's: the project's jupyterhub/jupyterhub_config.py as a teacher runs it. Each learner
reaches their own server only through the Hub's proxy, with their own token, and runs notebooks through the Jupyter
server's REST API and kernel WebSocket (jupyter_remote.py), as JupyterLab would.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import IMAGE_STATE, report
from executed_notebooks import assert_cells_as_expected
from javadl.kernelspec import KERNEL_NAME
from javadl.project import ROOT
from jupyter_hub import Hub, memory_limit, oom_kills, peak_memory, running_hub
from jupyter_remote import JupyterServer, assert_a_kill_for_memory_is_told_once, err

LEARNERS = ["ada", "grace", "linus"]
NEWCOMER = "eve"  # made, never started: her first start is the one a test asks for
HUB_NOTEBOOKS = ["00-setup-check.ipynb", "02-dataloader.ipynb"]
COURSE = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
MEMORY_LIMIT = 2 * 2**30


@pytest.fixture(scope="module")
def learners(engine, image) -> Hub:
    """The Hub with three learners, each with a token of their own and a running server, and a newcomer."""
    with running_hub(engine, image, IMAGE_STATE / "hub", [*LEARNERS, NEWCOMER]) as hub:
        for name in LEARNERS:
            hub.start(name)
        yield hub


def test_each_learner_gets_the_course_in_their_own_work_folder(learners: Hub):
    for name in LEARNERS:
        status, listing = learners.learner(name).request("GET", "api/contents")
        assert status == 200, (name, status, listing)
        assert {item["name"] for item in listing["content"]} >= set(COURSE), (name, listing)
        mounts = {m["Destination"]: m for m in learners.container(name)["Mounts"]}
        assert mounts["/home/learner/work"]["Name"] == f"javadl-work-{name}"
        assert mounts["/home/learner/datasets"]["RW"] is False


def test_three_learners_run_the_notebooks_at_once_within_their_2_gb(learners: Hub, pytestconfig):
    def run(name: str) -> dict[str, list[dict]]:
        return {notebook: learners.learner(name).run_notebook(notebook, KERNEL_NAME) for notebook in HUB_NOTEBOOKS}

    with ThreadPoolExecutor(len(LEARNERS)) as pool:
        runs = dict(zip(LEARNERS, pool.map(run, LEARNERS), strict=True))

    for name, notebooks in runs.items():
        for notebook, cells in notebooks.items():
            assert_cells_as_expected(cells, f"{name}, {notebook}")
    for name in LEARNERS:
        peak = peak_memory(learners, name)
        report(
            pytestconfig,
            "hub",
            f"{name}'s container, peak memory (00 and 02 with two others at once)",
            f"{peak / 2**20:.0f} MiB of {MEMORY_LIMIT / 2**20:.0f} MiB",
        )
        assert memory_limit(learners, name) == MEMORY_LIMIT
        assert oom_kills(learners, name) == 0, f"{name}'s container had processes killed for memory"
        assert peak < MEMORY_LIMIT


def test_each_learner_has_one_core_and_their_kernels_pytorch_one_thread(learners: Hub):
    host = learners.container("ada")["HostConfig"]
    assert host["CpuQuota"] == host["CpuPeriod"] > 0, host  # the config's JAVADL_HUB_CPU_LIMIT, 1
    with learners.learner("ada").open_session("00-setup-check.ipynb", KERNEL_NAME) as kernel:
        status, outputs = kernel.execute(
            "Engine.getInstance();\n"
            'System.out.println(System.getenv("OMP_NUM_THREADS") + " " + Runtime.getRuntime().availableProcessors()'
            ' + " " + ai.djl.pytorch.jni.JniUtils.getNumThreads());'
        )
    assert status == "ok" and outputs[-1]["text"] == "1 1 1\n", outputs  # PyTorch would take one a core


def test_a_learner_cannot_reach_another_learners_server_or_files(learners: Hub):
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


def test_requests_without_a_token_are_refused(learners: Hub):
    for path in ("api/contents", "api/kernels", "api/sessions"):
        status, _ = learners.learner("ada", token="").request("GET", path, token=False)
        assert status == 403, f"/user/ada/{path} without a token: {status}"
    assert learners.api.request("GET", "hub/api/users", token=False)[0] == 403


def test_a_restarted_server_keeps_the_learners_edited_notebook(learners: Hub):
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


def test_a_learner_gets_the_course_image_only(learners: Hub):
    # DockerSpawner lets a spawn's options choose the image only where allowed_images names some (GHSA-hfgr-h3vc-p6c2)
    as_the_newcomer = JupyterServer(learners.url, learners.tokens[NEWCOMER])
    status, body = as_the_newcomer.request("POST", f"hub/api/users/{NEWCOMER}/server", {"image": "debian:13"})
    assert status == 400 and "Specifying image to launch is not allowed" in str(body), (status, body)
    assert learners.server_state(NEWCOMER) is None


def test_a_kernel_killed_for_memory_is_told_to_its_learner_once_and_to_nobody_else(learners: Hub):
    assert_a_kill_for_memory_is_told_once(learners.learner("ada"), MEMORY_LIMIT)

    kills = {name: oom_kills(learners, name) for name in LEARNERS}
    assert kills == {"ada": 1, "grace": 0, "linus": 0}, kills
    with learners.learner("grace").open_session("00-setup-check.ipynb", KERNEL_NAME) as kernel:
        status, outputs = kernel.execute("1 + 1")
    assert status == "ok" and "Out of memory" not in err(outputs), outputs
