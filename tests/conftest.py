"""Shared helpers: the project's layout, the versions the build declares, and running code in the real kernel."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import pytest
from jupyter_client.manager import KernelManager

from javadl.jdk import java_feature_version
from javadl.kernelspec import KERNEL_NAME, kernelspec_dir
from javadl.project import ROOT

MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")


def shown_figures(notebook: Path) -> list[tuple[str, str]]:
    """The (alt text, path) of each image a notebook's markdown shows: the course's figures, `figures/NAME.svg`."""
    cells = nbformat.read(notebook, as_version=4).cells
    return [m.groups() for c in cells if c.cell_type == "markdown" for m in MARKDOWN_IMAGE.finditer(c.source)]


def installed_kernelspec() -> dict:
    """The javadl kernel's kernel.json, as `make setup` wrote it into the environment that runs the tests."""
    return json.loads((kernelspec_dir(Path(sys.prefix)) / "kernel.json").read_text())


def kernel_jdk_home() -> Path:
    """The JDK `make setup` chose for the installed kernel: kernel.json starts its `bin/java`."""
    return Path(installed_kernelspec()["argv"][0]).parent.parent


def setup_env() -> dict[str, str]:
    """The environment in which a test runs the installer again: JAVA_HOME at the JDK setup chose, so that the
    kernel stays on it whatever `java` comes first on PATH."""
    return dict(os.environ, JAVA_HOME=str(kernel_jdk_home()))


def kernel_java_version() -> str:
    """The feature version of the JDK the installed kernel runs on ("17", "25"), asked of that JDK's own `java`
    as the installer asks it, not of the kernel."""
    return str(java_feature_version(kernel_jdk_home() / "bin" / "java"))


def installed_torch_build() -> str:
    """The PyTorch build the installed kernel loads: "cuda" after `make setup TORCH=cuda`, else "cpu"."""
    return "cpu" if installed_kernelspec()["env"]["PYTORCH_FLAVOR"] == "cpu" else "cuda"


HAS_NVIDIA_DRIVER = Path("/proc/driver/nvidia/version").exists()
NO_GPU_REASON = "this machine has an NVIDIA driver; the test expects what a machine without one shows"
needs_no_gpu = pytest.mark.skipif(HAS_NVIDIA_DRIVER, reason=NO_GPU_REASON)
# The notes the course mirrors are quoted, not shipped (NOTICE): only a checkout with ../shared beside it has a copy
COURSE_NOTES = ROOT.parent / "shared" / "course-notes" / "notes-20241017.txt"
NO_NOTES_REASON = "the course notes are quoted, not shipped, and no copy is beside this checkout"
FULL_SIZE_ONLY_REASON = "the claim needs full-size training: `make test-full-size` checks it (CI runs that tier)"


def build_clause() -> str:
    """What the setup notebook's line says of the installed build on a machine without an NVIDIA driver."""
    if installed_torch_build() == "cpu":
        return "CPU build: cells run on the CPU"
    return (
        "CUDA build, no GPU visible: cells run on the CPU "
        "(no NVIDIA driver on this machine: /proc/driver/nvidia/version does not exist)"
    )


class KernelSession:
    """A running javadl kernel, driven through the Jupyter protocol like a notebook front end.

    `argv_prefix` runs the kernel's command under another one (such as `setpriv ...`); `spec_env` replaces
    variables of the kernelspec's own env, which wins over `env`; other keyword arguments go to jupyter_client's
    `start_kernel` (such as `env` and `cwd`).
    """

    def __init__(self, argv_prefix: list[str] | None = None, spec_env: dict[str, str] | None = None, **start_kwargs):
        self.manager = KernelManager(kernel_name=KERNEL_NAME)
        if argv_prefix:
            self.manager.kernel_spec.argv = [*argv_prefix, *self.manager.kernel_spec.argv]
        if spec_env:
            self.manager.kernel_spec.env = dict(self.manager.kernel_spec.env, **spec_env)
        self.manager.start_kernel(**start_kwargs)
        self.client = self.manager.client()
        self.client.start_channels()
        try:
            self.client.wait_for_ready(timeout=120)
        except RuntimeError:
            self.close()
            raise

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def run(self, code: str, timeout: float = 120, on_output=None) -> tuple[str, list[dict]]:
        """Executes one cell; returns its status ("ok" or "error") and the outputs it published. `on_output`, if
        given, is called with each output as it arrives, while the cell runs."""
        outputs: list[dict] = []

        def collect(msg):
            kind = msg["msg_type"]
            if kind in ("stream", "execute_result", "display_data", "error"):
                outputs.append({"output_type": kind, **msg["content"]})
                if on_output is not None:
                    on_output(outputs[-1])

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=collect)
        return reply["content"]["status"], outputs

    def value(self, code: str, timeout: float = 120) -> str:
        """Executes a cell that must succeed and returns its printed text and plain-text result."""
        status, outputs = self.run(code, timeout)
        assert status == "ok", f"{code!r} failed: {outputs}"
        return "".join(
            o["text"] if o["output_type"] == "stream" else o.get("data", {}).get("text/plain", "") for o in outputs
        )

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel_session():
    session = KernelSession()
    yield session
    session.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png_size(png: bytes | str) -> tuple[int, int]:
    """The (width, height) a PNG's header gives: of its bytes, or of a notebook's base64 `image/png` output."""
    if isinstance(png, str):
        png = base64.b64decode(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", png[16:24])


def wait_until_answering(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Polls a server that `process` is starting until `url` answers; fails with its log if it dies or is slow."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"{url} did not answer within {seconds:.0f} s"
            time.sleep(0.5)


def stop_process_group(process: subprocess.Popen, seconds: float) -> None:
    """Ends a process started with `start_new_session=True`, and its children: SIGTERM to its group, then SIGKILL
    if it is still running after `seconds`."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command name: element 0 is field 3 (the state)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far, user and system, over all its threads."""
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def minor_faults(pid: int) -> int:
    """The minor page faults a process has had so far (field 10 of /proc/PID/stat)."""
    return int(_stat_fields(pid)[7])


MEASUREMENTS = ROOT / "build" / "measurements.tsv"


def record(case: str, what: str, value: str) -> None:
    """Appends a measurement to build/measurements.tsv, where the closing notes take their numbers from."""
    MEASUREMENTS.parent.mkdir(parents=True, exist_ok=True)
    with open(MEASUREMENTS, "a") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')}\t{case}\t{what}\t{value}\n")


def traceback_text(error: dict) -> str:
    """An error output's traceback as plain text: its lines joined, the terminal colours taken out."""
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error["traceback"]))


def venv_bin(tool: str) -> str:
    """A command of the environment that runs the tests (make test runs them from .venv)."""
    return str(Path(sys.prefix) / "bin" / tool)


# Under CI=true a skipped test fails, but for the skips that cannot be helped on a machine CI may run on;
# CONTRIBUTING.md ("Every skip says why") names them. Each entry is the start of the skip's reason.
SKIPS_ALLOWED_IN_CI = (NO_GPU_REASON, FULL_SIZE_ONLY_REASON, NO_NOTES_REASON)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, a skip that CONTRIBUTING.md does not name becomes a failure, with the skip's reason."""
    outcome = yield
    report = outcome.get_result()
    if not (os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail")):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    if not reason.startswith(SKIPS_ALLOWED_IN_CI):
        report.outcome = "failed"
        report.longrepr = f"CI=true, and CI must run this test, but it was skipped: {reason}"


def pytest_report_header() -> str:
    from executed_notebooks import DATASET_LIMIT, FULL_SIZE, MAX_EPOCHS, data_root

    size = (
        "at full size (JAVADL_TEST_FULL_SIZE=1)"
        if FULL_SIZE
        else f"(JAVADL_DATASET_LIMIT={DATASET_LIMIT}, JAVADL_MAX_EPOCHS={MAX_EPOCHS})"
    )
    return f"notebooks read CIFAR-10 from {data_root()} {size}"


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """Debian's chromium (or $JAVADL_CHROMIUM). Without it the browser tests are skipped, except in CI."""
    path = os.environ.get("JAVADL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip(
            "chromium is not installed; `sudo apt install chromium` (Debian) enables the browser tests "
            "(.ci/run installs it)"
        )
    return path


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium, driven by Playwright."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# The course library in the local Maven repository, where programs of one's own find it --------------------------

LIBRARY_DOC = ROOT / "docs" / "library.md"
POM = {"m": "http://maven.apache.org/POM/4.0.0"}
LOCAL_REPOSITORY = Path.home() / ".m2" / "repository"


def doc_blocks(language: str) -> list[str]:
    """The fenced code blocks of a language in docs/library.md's steps for a program of one's own (the page's overview
    of the library, before them, shows parts of cells)."""
    text = LIBRARY_DOC.read_text()
    return re.findall(rf"```{language}\n(.*?)```", text[text.index("\n## In a program of your own\n") :], re.S)


def project_version() -> str:
    return ElementTree.parse(ROOT / "pom.xml").getroot().find("m:version", POM).text


@pytest.fixture(scope="session")
def installed_library() -> Path:
    """Runs docs/library.md's install command in the checkout, once; returns the course library's folder in the local
    Maven repository, where programs of one's own and exported notebooks find it."""
    install = [
        line
        for block in doc_blocks("sh")
        for line in block.splitlines()
        if line.startswith("mvn ") and " install " in line
    ]
    assert len(install) == 1, install
    subprocess.run(shlex.split(install[0]) + ["--batch-mode", "-Dstyle.color=never"], cwd=ROOT, check=True, timeout=600)
    return LOCAL_REPOSITORY / "io" / "javadl" / "javadl-lib" / project_version()


# The image tier (tests/image/, `make test-image`) ---------------------------------------------------------------

IMAGE_STATE = ROOT / "build" / "docker"
IMAGE_TAG = "javadl-test:latest"


def report(config: pytest.Config, case: str, what: str, value: str) -> None:
    """Prints a measurement in pytest's output at once, and keeps it in build/measurements.tsv."""
    with config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        config.pluginmanager.get_plugin("terminalreporter").write_line(f"[{case}] {what}: {value}")
    record(case, what, value)


@pytest.fixture(scope="session")
def engine(pytestconfig):
    """The image tier's own Docker engine (docker_engine.py); skipped with the reason where none can start,
    except in CI, where that fails."""
    from docker_engine import DockerEngine, EngineUnavailable

    engine = DockerEngine(IMAGE_STATE)
    try:
        engine.start()
    except EngineUnavailable as e:
        pytest.skip(f"no Docker engine here: {e}")
    report(
        pytestconfig,
        "image",
        "storage driver",
        engine.storage_driver + (f" ({engine.fallback_reason})" if engine.fallback_reason else ""),
    )
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="session")
def image(engine, pytestconfig) -> str:
    """The project's Dockerfile, built on a local Debian base with the classic builder; returns its tag."""
    started = time.monotonic()
    base = engine.build_debian_base()
    based = time.monotonic()
    engine.build(ROOT, IMAGE_TAG, IMAGE_STATE / "build.log", {"BASE_IMAGE": base})
    built = time.monotonic()
    size = engine.image_size(IMAGE_TAG)
    report(
        pytestconfig, "image", "local Debian base (debootstrap, cached after the first run)", f"{based - started:.0f} s"
    )
    report(pytestconfig, "image", f"docker build (classic builder, {engine.storage_driver})", f"{built - based:.0f} s")
    report(pytestconfig, "image", "image size", f"{size / 10**9:.2f} GB ({size / 2**30:.2f} GiB)")
    return IMAGE_TAG
