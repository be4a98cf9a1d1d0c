"""A Jupyter front end for a server that runs elsewhere (in a container, behind a proxy), as JupyterLab talks to it.

It uses what JupyterLab uses: the server's REST API with the token in the `Authorization` header, a session per
notebook (`POST /api/sessions`, which starts the kernel in the notebook's folder) and the kernel's WebSocket
(`/api/kernels/<id>/channels`) for the messages of the Jupyter protocol. Nothing runs through `docker exec`.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from javadl.kernelspec import KERNEL_NAME


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class JupyterServer:
    """A Jupyter server at `base_url` (such as `http://127.0.0.1:8888/`), reached with `token`."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url.rstrip("/") + "/"
        self.token = token

    def request(
        self, method: str, path: str, body: dict | None = None, token: bool = True, timeout: float = 30
    ) -> tuple[int, object]:
        """Sends one REST request; returns the HTTP status and the decoded JSON body (None when empty)."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path.lstrip("/"), data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def answer_without_login(self, path: str) -> tuple[int, str]:
        """The HTTP status and Location header that a request without token or cookie gets, redirects not
        followed: Jupyter sends such a browser to its login page (302) and refuses API calls (403)."""
        try:
            with urllib.request.build_opener(_NoRedirect).open(self.base_url + path.lstrip("/"), timeout=30) as answer:
                return answer.status, answer.headers.get("Location", "")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location", "")

    def notebook(self, path: str) -> dict:
        """The notebook at `path` (relative to the server's root) as the server holds it."""
        status, model = self.request("GET", f"api/contents/{path}?content=1")
        assert status == 200, f"GET api/contents/{path}: {status} {model}"
        return model["content"]

    def run_notebook(self, path: str, kernel_name: str, timeout: float = 900) -> list[dict]:
        """Runs every code cell of the server's notebook at `path` in a new kernel, in order, like JupyterLab's
        *Run All*; returns the code cells, each with the outputs it published. The kernel is shut down after."""
        cells = [c for c in self.notebook(path)["cells"] if c["cell_type"] == "code"]
        with self.open_session(path, kernel_name) as kernel:
            for cell in cells:
                cell["status"], cell["outputs"] = kernel.execute("".join(cell["source"]), timeout=timeout)
        return cells

    def open_session(self, path: str, kernel_name: str) -> RemoteKernel:
        status, session = self.request(
            "POST",
            "api/sessions",
            {"path": path, "name": path, "type": "notebook", "kernel": {"name": kernel_name}},
            timeout=120,
        )
        assert status == 201, f"POST api/sessions for {path}: {status} {session}"
        return RemoteKernel(self, session["id"], session["kernel"]["id"])


class RemoteKernel:
    """A running kernel of a JupyterServer, driven through its WebSocket; closing it ends the session."""

    def __init__(self, server: JupyterServer, session_id: str, kernel_id: str):
        self.server, self.session_id, self.kernel_id = server, session_id, kernel_id
        self.client_session = uuid.uuid4().hex
        self.loop = asyncio.new_event_loop()
        self.socket = self.loop.run_until_complete(self._connect())

    async def _connect(self):
        url = self.server.base_url.replace("http", "ws", 1) + f"api/kernels/{self.kernel_id}/channels"
        request = HTTPRequest(
            url + f"?session_id={self.client_session}", headers={"Authorization": f"token {self.server.token}"}
        )
        return await websocket_connect(request, max_message_size=256 * 2**20)  # inside the loop, to belong to it

    def reconnect(self) -> None:
        """Opens a new WebSocket to the kernel, as a front end does after it lost its connection. A kernel that died
        in its first seconds is started again on new ports, which the old WebSocket's channels never reach."""
        self.socket.close()
        self.socket = self.loop.run_until_complete(self._connect())

    def execute(self, code: str, timeout: float = 300) -> tuple[str, list[dict]]:
        """Runs one cell; returns the reply's status ("ok" or "error") and the outputs published for it."""
        reply, outputs = self.loop.run_until_complete(
            asyncio.wait_for(self._request("execute_request", self._execute_content(code)), timeout)
        )
        return reply["status"], outputs

    @staticmethod
    def _execute_content(code: str) -> dict:
        return {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }

    def execute_until_restarted(self, code: str, timeout: float = 300) -> str:
        """Runs a cell that ends its kernel (as Linux's out-of-memory killer does): returns the state the server
        then announces, "restarting" when it starts a new kernel in its place, or "dead"."""
        return self.loop.run_until_complete(asyncio.wait_for(self._until_restarted(code), timeout))

    async def _until_restarted(self, code: str) -> str:
        await self._send("execute_request", self._execute_content(code))
        while True:
            raw = await self.socket.read_message()
            if raw is None:
                raise ConnectionError("the kernel's WebSocket closed before the server announced a new kernel")
            message = json.loads(raw)
            if message["msg_type"] == "status" and message["content"]["execution_state"] in ("restarting", "dead"):
                return message["content"]["execution_state"]

    def send_and_leave(self, code: str) -> None:
        """Sends a cell and closes the WebSocket at once, as a browser tab that is closed while its cell runs: the
        kernel runs the cell on, and its session stays."""
        self.loop.run_until_complete(self._send("execute_request", self._execute_content(code)))
        self.socket.close()
        self.loop.run_until_complete(asyncio.sleep(0.5))  # the closing frame goes out through the loop
        self.loop.close()

    def restart(self, timeout: float = 120) -> None:
        """Restarts the kernel as JupyterLab's Restart Kernel does."""
        status, body = self.server.request("POST", f"api/kernels/{self.kernel_id}/restart", timeout=timeout)
        assert status == 200, (status, body)

    def inspect(self, code: str, cursor: int, timeout: float = 60) -> str:
        """What Shift+Tab shows with the cursor at `cursor`, as JupyterLab asks for it; "" when nothing is found."""
        reply, _ = self.loop.run_until_complete(
            asyncio.wait_for(
                self._request("inspect_request", {"code": code, "cursor_pos": cursor, "detail_level": 0}), timeout
            )
        )
        assert reply["status"] == "ok", reply
        return reply["data"].get("text/plain", "") if reply["found"] else ""

    async def _send(self, msg_type: str, content: dict) -> str:
        """Sends a shell request; returns its message id."""
        msg_id = uuid.uuid4().hex
        await self.socket.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": msg_type,
                        "username": "test",
                        "session": self.client_session,
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": content,
                }
            )
        )
        return msg_id

    async def _request(self, msg_type: str, content: dict) -> tuple[dict, list[dict]]:
        """Sends a shell request; returns its reply's content, and the outputs published until the kernel is idle."""
        msg_id = await self._send(msg_type, content)
        reply_type = msg_type.replace("_request", "_reply")
        outputs: list[dict] = []
        reply, idle = None, False
        while reply is None or not idle:
            raw = await self.socket.read_message()
            if raw is None:
                raise ConnectionError(f"the kernel's WebSocket closed during {msg_type} {content}"[:200])
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == reply_type:
                reply = message["content"]
            elif kind == "status":
                idle = message["content"]["execution_state"] == "idle"
            elif kind in ("stream", "execute_result", "display_data", "error"):
                outputs.append({"output_type": kind, **message["content"]})
        return reply, outputs

    def close(self) -> None:
        self.loop.run_until_complete(self._close())
        self.loop.close()

    async def _close(self) -> None:
        self.socket.close()  # inside the loop: the closing frame is written through it
        self.server.request("DELETE", f"api/sessions/{self.session_id}")

    def __enter__(self) -> RemoteKernel:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def assert_tensorboard_needs_the_login(server: JupyterServer) -> None:
    """The launcher's TensorBoard (jupyter-server-proxy at /tensorboard/) is behind the server's login: its page
    sends a browser to the login, its data is refused."""
    status, location = server.answer_without_login("tensorboard/")
    assert status == 302 and "/login" in location, (status, location)
    status, location = server.answer_without_login("tensorboard/data/plugin/scalars/tags")
    assert (status, location.split("?")[0].endswith("/login")) in ((302, True), (403, False)), (status, location)


def assert_a_kill_for_memory_is_told_once(server: JupyterServer, limit_bytes: int) -> None:
    """A cell asks for more memory than the server's limit allows, even with as much swap again: Linux's
    out-of-memory killer ends its kernel, and Jupyter starts a new one. The new kernel's first cell says so, with the
    limit; its second cell does not, nor does the first cell after a plain restart."""
    floats = limit_bytes * 5 // 2 // 4  # float32s: two and a half times the limit
    with server.open_session("out-of-memory.ipynb", KERNEL_NAME) as kernel:
        killed = kernel.execute_until_restarted(
            f"var tooBig = NDManager.newBaseManager().ones(new Shape({floats}L));", timeout=240
        )
        assert killed == "restarting", f"the server announced {killed!r}, not a new kernel"
        kernel.reconnect()
        first = kernel.execute("1 + 1", timeout=180)
        second = kernel.execute("2 + 2")
        kernel.restart()
        after_restart = kernel.execute("3 + 3", timeout=180)
    limit = f"{limit_bytes / 2**30:.1f} GiB"
    assert first[0] == "ok" and f"Out of memory: this server needed more than its {limit} of memory" in err(first[1]), (
        first
    )
    assert "run its notebook's cells again from the top" in err(first[1]), first
    for cell in (second, after_restart):
        assert cell[0] == "ok" and "Out of memory" not in err(cell[1]), cell


def err(outputs: list[dict]) -> str:
    """What a cell printed on its error stream."""
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr")
