"""`make lab` starts JupyterLab on notebooks/, and that JupyterLab offers the javadl kernel."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.request

from conftest import free_port, wait_until_answering
from javadl.kernelspec import KERNEL_NAME
from javadl.project import ROOT

TOKEN = "javadl-test-token"


def get_json(url: str):
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def test_make_lab_serves_the_notebooks_with_the_javadl_kernel(tmp_path):
    port = free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN}"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    with open(tmp_path / "lab.log", "w") as log:
        lab = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/api/status?token={TOKEN}", lab, tmp_path / "lab.log")
        specs = get_json(f"{base}/api/kernelspecs")

        assert specs["kernelspecs"][KERNEL_NAME]["spec"]["display_name"] == "Java (DJL)"
        names = {item["name"] for item in get_json(f"{base}/api/contents")["content"]}
        assert "00-setup-check.ipynb" in names
        with urllib.request.urlopen(f"{base}/lab?token={TOKEN}", timeout=5) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
