"""The Python environment: a virtual environment (unless the installer runs in one it was given), the packages of
requirements.txt and of the files given with `--with`, and this package itself, installed in editable form."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pwd
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from javadl.files import write_if_changed
from javadl.project import ROOT, display
from javadl.steps import InstallError, run, step

REQUIREMENTS = ROOT / "requirements.txt"  # what a learner's server needs; `--with` adds other sets
PACKAGE = ROOT / "python"  # this package, whose pyproject.toml counts as one more set
REQUIREMENTS_STAMP = ".javadl-requirements"  # in the environment: "<file> <digest>" of each set installed


def ensure_venv(venv_dir: Path) -> Path:
    """Creates the environment if needed; returns its Python."""
    python = venv_dir / "bin" / "python"
    if not python.exists():
        step(f"Creating the Python environment {display(venv_dir)}")
        check_writable(venv_dir)
        if importlib.util.find_spec("ensurepip") is None:
            raise InstallError(
                f"Could not create {venv_dir}: this Python ({sys.executable}) has no 'ensurepip', which its venv "
                "module needs to put pip into a new environment (Debian/Ubuntu: 'sudo apt install python3-venv')."
            )
        try:
            venv.EnvBuilder(with_pip=True).create(venv_dir)
        except (OSError, subprocess.CalledProcessError) as e:
            raise InstallError(f"Could not create {venv_dir}: {e}.") from None
    return python


def check_writable(target: Path) -> None:
    """Refuses, naming the folder and its owner, when `target` cannot be created or written by this user."""
    folder = existing_parent(target)
    if os.access(folder, os.W_OK | os.X_OK):
        return
    owner, user = user_name(folder.stat().st_uid), user_name(os.getuid())
    raise InstallError(
        f"Could not create {target}: {folder} belongs to {owner}, and this user ({user}) cannot write there. "
        f"Make that folder yours ('sudo chown {user} {folder}') or install elsewhere ('--venv DIR')."
    )


def check_free_space(target: Path, needed: int, what: str, otherwise: str) -> None:
    """Refuses when the disk that will hold `target` has less than `needed` bytes free for `what`; the message ends
    with what to do `otherwise`."""
    folder = existing_parent(target)
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise InstallError(
            f"{what} needs about {needed / 1e9:.0f} GB in {folder}, which has {free / 1e9:.1f} GB free. "
            f"Free some space, or {otherwise}."
        )


def existing_parent(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid without an account, as containers run with
        return f"uid {uid}"


def requirements_digest(path: Path) -> str:
    """A digest of a requirements file and of the files it includes (`-r`)."""
    digest = hashlib.sha256()
    pending = [path]
    while pending:
        current = pending.pop()
        text = current.read_text()
        digest.update(text.encode())
        for line in text.splitlines():
            if line.startswith("-r "):
                pending.append(current.parent / line[3:].split("#")[0].strip())
    return digest.hexdigest()


def ensure_requirements(env_dir: Path, python: Path, extra: list[Path]) -> None:
    """Installs requirements.txt, the `extra` requirement files and this package into the environment, unless each
    is installed there already as it is now. A set installed before and still current stays counted, so that
    `make setup` after `make test` installs nothing (the test tools stay; pip removes nothing)."""
    stamp = env_dir / REQUIREMENTS_STAMP
    missing = [str(path) for path in extra if not path.is_file()]
    if missing:
        raise InstallError(
            f"No requirements file {', '.join(missing)}: give --with a file such as requirements-dev.txt."
        )
    sets = [REQUIREMENTS, *extra, PACKAGE / "pyproject.toml"]
    wanted = {display(path.absolute()): requirements_digest(path) for path in sets}
    installed = dict(line.split(" ", 1) for line in stamp.read_text().splitlines()) if stamp.is_file() else {}
    if all(installed.get(name) == digest for name, digest in wanted.items()):
        step("Python packages: up to date")
        return
    step(f"Installing the Python packages of {', '.join(wanted)} (first time: about a minute)")
    files = [argument for path in [REQUIREMENTS, *extra] for argument in ("-r", str(path.absolute()))]
    # the editable install builds with pyproject.toml's flit_core, which pip fetches from PyPI like the rest
    run([str(python), "-m", "pip", "install", "--quiet", *files, "--editable", str(PACKAGE)])
    still_current = {
        name: digest
        for name, digest in installed.items()
        if (ROOT / name).is_file() and requirements_digest(ROOT / name) == digest
    }
    write_if_changed(stamp, "".join(f"{name} {digest}\n" for name, digest in {**still_current, **wanted}.items()))
