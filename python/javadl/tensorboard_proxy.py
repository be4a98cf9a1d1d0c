"""JupyterLab's launcher item "TensorBoard" (jupyter-server-proxy): TensorBoard on the notebooks' logs, served at
`<base_url>tensorboard/` behind Jupyter's own login."""

from __future__ import annotations

import json
from pathlib import Path

from javadl.files import write_if_changed
from javadl.project import display
from javadl.steps import InstallError, step

TENSORBOARD_ROUTE = "tensorboard"  # JupyterLab serves it at <base_url>tensorboard/
TENSORBOARD_START_SECONDS = 60  # it starts in about 5 s on 2 cores; a cold first start takes longer
ICON = Path(__file__).resolve().with_name("tensorboard.svg")


def tensorboard_proxy_server(env_dir: Path, logs: Path) -> dict:
    """jupyter-server-proxy's description of the launcher item: TensorBoard on `logs`, started on a free port of
    127.0.0.1 when it is first opened and reached only through Jupyter's server, which checks the login. TensorBoard
    is told its path (`--path_prefix`), so the proxy passes each request's path unchanged."""
    return {
        "command": [
            str(env_dir / "bin" / "tensorboard"),
            "--logdir",
            str(logs),
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--path_prefix",
            "{base_url}" + TENSORBOARD_ROUTE,
        ],  # fmt: skip
        "absolute_url": True,
        "timeout": TENSORBOARD_START_SECONDS,
        "new_browser_tab": False,
        "launcher_entry": {"title": "TensorBoard", "icon_path": str(ICON)},
    }


def ensure_tensorboard_proxy(env_dir: Path, logs: Path) -> None:
    """Adds the TensorBoard server to the environment's jupyter_server_config.json, keeping what else it says
    (Jupyter reads the folder jupyter_server_config.d only for which extensions are on, not for their settings)."""
    config = env_dir / "etc" / "jupyter" / "jupyter_server_config.json"
    try:
        settings = json.loads(config.read_text()) if config.exists() else {}
    except json.JSONDecodeError as e:
        raise InstallError(f"{config} is not valid JSON ({e}): mend or remove it, then run this again.") from None
    servers = settings.setdefault("ServerProxy", {}).setdefault("servers", {})
    servers[TENSORBOARD_ROUTE] = tensorboard_proxy_server(env_dir, logs)
    config.parent.mkdir(parents=True, exist_ok=True)
    changed = write_if_changed(config, json.dumps(settings, indent=2) + "\n")
    state = "configured in" if changed else "up to date in"
    step(f"JupyterLab's launcher item TensorBoard, on {display(logs)}: {state} {display(config)}")
