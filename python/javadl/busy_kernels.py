"""A running cell counts as activity: a Jupyter server extension for servers that something stops when idle, such as
JupyterHub's idle culler, which stops a class's servers after an hour without activity.

Jupyter's server takes its last activity from API requests, terminals and the kernels' messages. A cell that trains
for an hour and prints nothing sends no message, so its server looked idle and was stopped mid-cell. This extension
notes, every CHECK_SECONDS, whether a kernel is busy, under a setting whose name ends in `_last_activity`, which the
server counts with the rest (jupyter_server's ServerWebApplication.last_activity); jupyterhub-singleuser reports it to
the Hub. A cell that never ends so keeps its server: the idle culler's `--max-age` bounds a server's life.

The installer turns it on in the environment's jupyter_server_config.d (`ensure_enabled`), as JupyterLab is.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from javadl.files import write_if_changed
from javadl.project import display
from javadl.steps import step

CHECK_SECONDS = 10  # well under the shortest activity report JupyterHub asks for (JUPYTERHUB_ACTIVITY_INTERVAL)
SETTING = "javadl_busy_kernels_last_activity"


def _jupyter_server_extension_points():
    return [{"module": "javadl.busy_kernels"}]


def _load_jupyter_server_extension(server_app) -> None:
    from tornado.ioloop import PeriodicCallback  # the server's, not the installer's: it runs before any package

    kernels = server_app.kernel_manager
    settings = server_app.web_app.settings

    def is_busy(kernel_id: str) -> bool:
        try:
            return getattr(kernels.get_kernel(kernel_id), "execution_state", None) == "busy"
        except KeyError:  # shut down since it was listed
            return False

    def note_busy_kernels() -> None:
        if any(is_busy(kernel_id) for kernel_id in kernels.list_kernel_ids()):
            settings[SETTING] = datetime.now(timezone.utc)

    PeriodicCallback(note_busy_kernels, CHECK_SECONDS * 1000).start()
    server_app.log.info(f"javadl: a busy kernel counts as activity (checked every {CHECK_SECONDS} s)")


def ensure_enabled(env_dir: Path) -> None:
    """Turns the extension on for the Jupyter servers of the environment at `env_dir`."""
    config = env_dir / "etc" / "jupyter" / "jupyter_server_config.d" / "javadl-busy-kernels.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    enabled = {"ServerApp": {"jpserver_extensions": {"javadl.busy_kernels": True}}}
    changed = write_if_changed(config, json.dumps(enabled, indent=2) + "\n")
    step(f"A busy kernel counts as its server's activity: {'on in' if changed else 'up to date in'} {display(config)}")
