"""JupyterLab in a real browser, as a learner uses it: 01-datasets opened and run through the Java (DJL) kernel,
the course's figures shown in the text, and the launcher's TensorBoard showing what 01 and 09 logged.

Each test starts `jupyter lab` from the test environment on 127.0.0.1 with a token and drives headless Chromium
(Debian's, through Playwright). Screenshots are saved to build/jupyterlab-01-datasets.png, build/jupyterlab-01-datasets-
answer.png (its first exercise's answer, opened), build/jupyterlab-figure-NN.png (each notebook's figure) and
build/jupyterlab-tensorboard.png. Without chromium the tests are skipped, except in CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port, shown_figures, venv_bin, wait_until_answering
from executed_notebooks import kernel_env, run_dir
from javadl.project import NOTEBOOKS, ROOT
from jupyter_remote import JupyterServer, assert_tensorboard_needs_the_login

TOKEN = "javadl-browser-test"
NOTEBOOK = "01-datasets.ipynb"
SCREENSHOT = ROOT / "build" / "jupyterlab-01-datasets.png"
TENSORBOARD_SCREENSHOT = ROOT / "build" / "jupyterlab-tensorboard.png"
ANSWER_SCREENSHOT = ROOT / "build" / "jupyterlab-01-datasets-answer.png"
# what `make setup` configured for JupyterLab (python/javadl/install.py, step 8): the TensorBoard launcher item
INSTALLED_SERVER_CONFIG = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"


@contextlib.contextmanager
def jupyter_lab(tmp_path: Path, served: Path):
    """JupyterLab serving `served`, with fresh user settings and a user config folder of its own
    (tmp_path/config), on a free port; yields its base URL."""
    settings = tmp_path / "settings" / "@jupyterlab"
    for extension, file, values in (
        ("notebook-extension", "tracker", {"windowingMode": "none"}),  # render every cell, not only those in view
        ("apputils-extension", "notification", {"fetchNews": "false"}),
    ):  # no news prompt (and no network)
        (settings / extension).mkdir(parents=True)
        (settings / extension / f"{file}.jupyterlab-settings").write_text(json.dumps(values))
    port = free_port()
    command = [
        venv_bin("jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={served}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.getuid() == 0:
        command.append("--allow-root")
    # JUPYTER_PREFER_ENV_PATH=0: the config folder above then comes before the environment's (in a venv, Jupyter
    # otherwise reads the environment's first)
    env = dict(
        kernel_env(),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_PREFER_ENV_PATH="0",
    )
    with open(tmp_path / "lab.log", "w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/api/status?token={TOKEN}", process, tmp_path / "lab.log")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving a copy of the notebook (so its logs stay out of notebooks/)."""
    served = tmp_path / "notebooks"
    served.mkdir()
    shutil.copy(NOTEBOOKS / NOTEBOOK, served / NOTEBOOK)
    with jupyter_lab(tmp_path, served) as base:
        yield base


def run_all_cells(page, prompts, tries: int = 3) -> None:
    """Run > Run All Cells, as a learner does. Queued cells show "[*]:" at once; where every prompt still shows
    "[ ]:" 10 s after the click, the click did not reach the menu (seen once in CI, with JupyterLab still
    settling), and it is made again."""
    for _ in range(tries):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(t.strip() != "[ ]:" for t in prompts.all_inner_texts()):
                return
            time.sleep(0.5)
    raise AssertionError(f"Run All Cells started no cell in {tries} tries: {prompts.all_inner_texts()}")


def test_jupyterlab_runs_01_datasets_with_the_java_djl_kernel(lab, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab}/lab/tree/{NOTEBOOK}?token={TOKEN}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    kernel_name = page.locator(".jp-NotebookPanel-toolbar .jp-Toolbar-kernelName")
    kernel_name.filter(has_text="Java (DJL)").wait_for(timeout=60_000)

    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    run_all_cells(page, prompts)
    deadline = time.monotonic() + 300
    while True:
        # "[7]:" on every cell, none "[*]:" or "[ ]:"; a collapsed answer's prompt is hidden (empty), and the clean-up
        # cell after the answers runs last
        texts = [t.strip() for t in prompts.all_inner_texts()]
        if texts and all(t[1:-2].isdigit() for t in texts if t) and texts[-1]:
            break
        assert time.monotonic() < deadline, f"cells did not finish within 300 s: {texts}"
        time.sleep(1)
    table = page.locator(".jp-OutputArea-output.jp-RenderedHTMLCommon table", has_text="images per class")
    table.scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    assert kernel_name.inner_text().strip() == "Java (DJL)"
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    images = page.locator(".jp-OutputArea-output.jp-RenderedImage img")
    sizes = images.evaluate_all("images => images.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes and all(w > 0 and h > 0 for w, h in sizes), sizes
    assert table.count() == 1
    assert table.locator("tbody tr").count() == 10

    # the exercises' answers: their code collapsed until the learner opens it (JupyterLab shows a cell's output
    # once it has run, so Run All shows their results)
    assert page.locator(".jp-CodeCell", has=page.locator(".jp-InputPlaceholder")).count() == 3
    first = page.locator(".jp-CodeCell", has=page.locator(".jp-OutputArea-output", has_text="train_set[0]: target"))
    first.scroll_into_view_if_needed()
    assert not first.locator(".jp-InputArea-editor").is_visible()
    first.locator(".jp-InputPlaceholder").click()
    first.locator(".jp-InputArea-editor", has_text="// The answer to exercise 1").wait_for(timeout=10_000)
    page.screenshot(path=str(ANSWER_SCREENSHOT))
    page.close()


@pytest.fixture
def lab_with_the_course(tmp_path):
    """JupyterLab serving a copy of the course: the notebooks and their figures."""
    served = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, served, ignore=shutil.ignore_patterns("logs", "models", ".ipynb_checkpoints"))
    with jupyter_lab(tmp_path, served) as base:
        yield base


def test_jupyterlab_shows_the_figures_in_the_notebooks_text(lab_with_the_course, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    with_figures = [p.name for p in sorted(NOTEBOOKS.glob("*.ipynb")) if shown_figures(p)]
    assert len(with_figures) == 5
    for name in with_figures:
        # ?reset: a workspace without the tabs this loop opened before, which JupyterLab would otherwise restore
        # (and show for a moment) before this notebook
        page.goto(f"{lab_with_the_course}/lab/tree/{name}?reset&token={TOKEN}")
        figure = page.locator(".jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown img")
        figure.first.wait_for(timeout=60_000)
        assert page.locator(".jp-NotebookPanel").count() == 1, name
        assert figure.count() == 1, name
        figure.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=figure.element_handle(), timeout=30_000)
        page.screenshot(path=str(ROOT / "build" / f"jupyterlab-figure-{name[:2]}.png"))
        assert "/files/figures/" in figure.get_attribute("src"), name  # the file beside the notebook, served
        width = figure.evaluate("i => i.getBoundingClientRect().width")
        assert width > 300, f"{name}: the figure is shown {width} pixels wide"
    page.close()


@pytest.fixture
def lab_with_logs(tmp_path):
    """JupyterLab with the installed TensorBoard item, pointed at the logs 01 and 09 wrote when the tests ran them
    (the installed item shows notebooks/logs, which the tests leave alone)."""
    logs = tmp_path / "logs"
    for name in ("01-datasets.ipynb", "09-train-cifar10.ipynb"):
        stem = Path(name).stem
        shutil.copytree(run_dir(name) / "logs" / stem, logs / stem)
    server = json.loads(INSTALLED_SERVER_CONFIG.read_text())["ServerProxy"]["servers"]["tensorboard"]
    command = server["command"]
    assert command[command.index("--logdir") + 1] == str(NOTEBOOKS / "logs")
    command[command.index("--logdir") + 1] = str(logs)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerProxy": {"servers": {"tensorboard": server}}})
    )
    served = tmp_path / "notebooks"
    served.mkdir()
    with jupyter_lab(tmp_path, served) as base:
        yield base


def test_jupyterlab_launcher_opens_tensorboard_on_what_01_and_09_logged(lab_with_logs, chromium):
    base = lab_with_logs
    assert_tensorboard_needs_the_login(JupyterServer(base, TOKEN))

    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab?token={TOKEN}")
    page.locator(".jp-LauncherCard", has_text="TensorBoard").click(timeout=60_000)
    board = page.frame_locator(".jp-MainAreaWidget iframe")
    tags = board.locator("input[placeholder='Filter tags (regex)']")
    tags.wait_for(timeout=90_000)  # TensorBoard starts when first opened
    tags.fill("^(loss/train|test_set)$")
    tags.press("Escape")  # closes the list of matching tags over the cards

    scalars = board.locator("scalar-card", has_text="09-train-cifar10").filter(has_text=re.compile(r"loss\s*/train"))
    scalars.first.wait_for(timeout=60_000)
    images = board.locator("image-card", has_text="01-datasets").filter(has_text="test_set")
    image = images.locator("img")
    image.first.wait_for(timeout=60_000)
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.first.element_handle(), timeout=30_000)
    TENSORBOARD_SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(TENSORBOARD_SCREENSHOT))

    assert image.first.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [32, 32]  # one CIFAR-10 image
    assert "Step 9" in images.first.inner_text()  # the last of the ten test images 01 logged, steps 0 to 9
    assert page.locator(".jp-mod-current.lm-TabBar-tab").inner_text().strip() == "TensorBoard"  # a tab of JupyterLab
    page.close()
