"""Binder: what repo2docker would build from binder/, and binder/postBuild run in a fresh environment.

Binder builds an image with repo2docker, which reads only binder/ when it exists: apt.txt (the JDK and Maven, of
repo2docker's Ubuntu base), runtime.txt, requirements.txt (the root's pinned set for a learner's server) and
postBuild (the same installer as `make setup`). Docker is not needed: `--no-build` only renders the Dockerfile.
postBuild then runs for real, in a new virtual
environment standing in for Binder's (with the packages setup installed, and setup's JDK), and a notebook runs
through the kernel it installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import kernel_java_version, kernel_jdk_home, setup_env, venv_bin
from javadl.jdk import JDK_SOURCES_ZIP
from javadl.kernelspec import KERNEL_NAME, kernelspec_dir
from javadl.project import NOTEBOOKS, ROOT, pom_property


def test_repo2docker_renders_a_dockerfile_from_binder():
    result = subprocess.run(
        [venv_bin("jupyter-repo2docker"), "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    rendered = result.stdout + result.stderr
    assert result.returncode == 0, rendered
    assert "Building conda environment for python=3.11" in rendered
    packages = [line for line in (ROOT / "binder" / "apt.txt").read_text().splitlines() if not line.startswith("#")]
    jdk = [int(p.split("-")[1]) for p in packages if re.fullmatch(r"openjdk-\d+-jdk-headless", p)]
    assert len(jdk) == 1 and jdk[0] >= int(pom_property("maven.compiler.release")), packages
    assert "FROM docker.io/library/buildpack-deps:24.04" in rendered  # Ubuntu 24.04: its newest JDK is 25
    assert f"apt-get install --yes --no-install-recommends {' '.join(sorted(packages))}" in rendered
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in rendered
    assert "RUN ./binder/postBuild" in rendered


def binder_environment(env_dir: Path) -> dict[str, str]:
    """A new virtual environment standing in for Binder's, which has binder/requirements.txt (the root's pinned
    set) installed before postBuild runs. Those are the packages setup installed into the environment running
    the tests, so the new one sees them through a .pth file instead of downloading them again from PyPI (pip
    finds every requirement satisfied), and gets a copy of the one data folder a package put outside
    site-packages: jjava's kernel, share/jupyter/kernels/java. Returns the environment postBuild runs in: that
    Python first on PATH, JAVA_HOME at the JDK setup chose."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    (site_packages(env_dir) / "setup-packages.pth").write_text(str(site_packages(Path(sys.prefix))) + "\n")
    jjava_kernel = Path("share", "jupyter", "kernels", "java")
    shutil.copytree(Path(sys.prefix) / jjava_kernel, env_dir / jjava_kernel)
    env = dict(setup_env(), PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("VIRTUAL_ENV", None)
    return env


def site_packages(env_dir: Path) -> Path:
    return env_dir / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def test_postbuild_in_a_fresh_environment_installs_a_kernel_that_runs_a_notebook(tmp_path):
    env_dir = tmp_path / "binder-env"
    env = binder_environment(env_dir)
    build = subprocess.run(["binder/postBuild"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "| CPU build: cells run on the CPU" in build.stdout  # Binder's default, without --torch
    assert f"Using Java {kernel_java_version()}" in build.stdout, build.stdout

    spec = json.loads((kernelspec_dir(env_dir) / "kernel.json").read_text())
    assert spec["display_name"] == "Java (DJL)"
    # a JDK without its src.zip (Debian's, or Ubuntu's on Binder) gets its openjdk-N-source's, which postBuild fetches
    # without root, for Shift+Tab
    jdk_has_sources = (kernel_jdk_home() / "lib" / "src.zip").is_file()
    assert (kernelspec_dir(env_dir) / "sources" / JDK_SOURCES_ZIP).is_file() != jdk_has_sources, build.stdout
    # JupyterLab's TensorBoard item, on the notebooks' logs (test_browser.py opens it; on Binder the environment's
    # bin/ has tensorboard, which this stand-in environment does not: its packages come through the .pth file)
    config = json.loads((env_dir / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    command = config["ServerProxy"]["servers"]["tensorboard"]["command"]
    assert command[:3] == [str(env_dir / "bin" / "tensorboard"), "--logdir", str(NOTEBOOKS / "logs")], command
    executed = tmp_path / "03-module.ipynb"
    run = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}",
            f"--output={executed}",
            str(NOTEBOOKS / "03-module.ipynb"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    outputs = [o for c in json.loads(executed.read_text())["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("".join(o.get("text", "")).startswith("ND: () cpu() float32\n2.") for o in outputs)
