"""What the installer's steps share: the error a user has to fix, the progress line, and running a command."""

from __future__ import annotations

import subprocess


class InstallError(Exception):
    """A problem the user has to fix; its message says how."""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Runs `command`; a failure becomes an InstallError with the command, its exit code and its stderr."""
    try:
        return subprocess.run(command, check=True, **kwargs)
    except subprocess.CalledProcessError as e:
        detail = (e.stderr or "").strip() if isinstance(e.stderr, str) else ""
        raise InstallError(
            f"'{' '.join(command)}' failed with exit code {e.returncode}" + (f":\n{detail}" if detail else "")
        ) from None
