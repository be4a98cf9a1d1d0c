"""The Dockerfile, read: it must run the installer CI runs, as a non-root user, with the token left on.
`make test-image` (tests/image/) builds it and runs the image; these checks are the quick ones of `make test`."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from javadl.project import ROOT, pom_property

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction, continuation lines joined."""
    joined = DOCKERFILE.replace("\\\n", " ")
    return [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.*)$", joined, re.MULTILINE)]


def test_the_base_image_is_a_build_argument_pinned_to_a_release_by_default():
    assert instructions("FROM") == ["${BASE_IMAGE}"]
    assert re.fullmatch(r"BASE_IMAGE=debian:\d+\.\d+-slim", instructions("ARG")[0])


def test_it_installs_what_a_learners_server_needs_with_the_same_script_as_make_setup():
    run = "\n".join(instructions("RUN"))
    assert 'PYTHONPATH=python python3 -m javadl.install --torch "${PYTORCH_FLAVOR}"' in run
    assert "--with" not in run, "the image installs requirements.txt alone: no test tools"
    jdk = re.findall(r"\bopenjdk-(\d+)-jdk-headless\b", run)
    assert len(jdk) == 1 and int(jdk[0]) >= int(pom_property("maven.compiler.release")), jdk
    assert "--no-install-recommends" in run and "rm -rf /var/lib/apt/lists/*" in run
    assert not [c for c in instructions("COPY") if "binder/" in c], "Binder's base is Ubuntu's: its list is its own"


def test_jupyterlab_runs_as_uid_1000_with_its_token_on():
    assert "useradd --create-home --uid 1000" in DOCKERFILE
    assert instructions("USER")[-1] == "1000:1000"  # learner, by number
    assert instructions("EXPOSE") == ["8888"]
    assert instructions("HEALTHCHECK")
    assert instructions("CMD")[-1] == '["/home/learner/javadl/docker/start-server.sh"]'
    start = (ROOT / "docker" / "start-server.sh").read_text()
    assert "exec jupyter lab --ip=0.0.0.0 --port=8888 --no-browser" in start
    assert "exec jupyterhub-singleuser" in start
    assert not re.search(r"token\s*=\s*['\"]{2}|disable_check_xsrf|password\s*=\s*['\"]{2}", DOCKERFILE)


def test_the_build_context_leaves_out_local_builds():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv/", "build/", "**/target/"} <= set(ignored)


@pytest.mark.parametrize("flavor, accepted", [("cpu", True), ("cuda", True), ("cu128", False), ("", False)])
def test_the_pytorch_flavor_argument_takes_what_make_setup_takes(flavor, accepted):
    check = next(run for run in instructions("RUN") if run.startswith('case "${PYTORCH_FLAVOR}"'))
    assert instructions("ARG")[1] == "PYTORCH_FLAVOR=cpu"

    result = subprocess.run(
        ["bash", "-c", check], env=dict(os.environ, PYTORCH_FLAVOR=flavor), capture_output=True, text=True
    )

    assert (result.returncode == 0) == accepted, result.stderr
    if not accepted:
        assert f"PYTORCH_FLAVOR={flavor}: use cpu or cuda" in result.stderr
