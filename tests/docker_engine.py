"""A Docker engine of the image tests' own, and the images they build on it.

Docker Hub cannot be reached from the machines that run these tests, and they may have no Docker at all, so:
- it runs as root, as dockerd must (`sudo make test-image`);
- Debian's `docker.io` and `debootstrap` are installed when missing;
- `dockerd` is started with the `overlay2` storage driver, or with `vfs` where overlay2 cannot start (no overlayfs
  in the kernel, or a data root that is itself on overlayfs): vfs works inside any container or VM, but copies a
  whole image into each new container. Its data root is in `build/docker/` (kept, so that a second run reuses the
  base and the unchanged layers; earlier builds' layers are pruned), its sockets in a short temporary folder;
- the base image is made with `debootstrap --variant=minbase trixie` (Debian 13, the Dockerfile's base), with the
  host's certificate authorities
  (`/usr/local/share/ca-certificates/`), so that pip and Maven inside the build trust the same ones the host does;
- the project's Dockerfile is built on it with the classic builder, the one that made a root-owned WORKDIR.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import stop_process_group

DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBIAN_SUITE = "trixie"  # the Dockerfile's base, debian:13.N-slim
BASE_IMAGE = f"javadl-test-base:{DEBIAN_SUITE}"
# the apt sources of Debian's own images: the release, its updates and its security fixes
DEBIAN_SOURCES = f"""\
Types: deb
URIs: {DEBIAN_MIRROR}
Suites: {DEBIAN_SUITE} {DEBIAN_SUITE}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: {DEBIAN_MIRROR}-security
Suites: {DEBIAN_SUITE}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""
HOST_CA_CERTIFICATES = Path("/usr/local/share/ca-certificates")


# the storage drivers the engine tries, in order: overlay2 shares an image's layers with its containers, vfs copies
# them, and works anywhere
STORAGE_DRIVERS = ("overlay2", "vfs")


class EngineUnavailable(Exception):
    """This machine cannot run a Docker engine; the message says why."""


def system_tool(name: str) -> str | None:
    """A command on PATH or in the system folders (dockerd and debootstrap live in /usr/sbin)."""
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def ensure_packages() -> None:
    """Installs Debian's docker.io and debootstrap when `dockerd` or `debootstrap` is missing."""
    if os.geteuid() != 0:
        raise EngineUnavailable("the image tests start their own dockerd, which needs root: run 'sudo make test-image'")
    missing = [
        package
        for tool, package in (("dockerd", "docker.io"), ("debootstrap", "debootstrap"))
        if system_tool(tool) is None
    ]
    if not missing:
        return
    if shutil.which("apt-get") is None:
        raise EngineUnavailable(f"{' and '.join(missing)} missing, and this machine has no apt-get to install them")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
    ):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise EngineUnavailable(f"'{' '.join(command)}' failed: {result.stderr.strip()[-2000:]}")


def running_dockerds() -> list[str]:
    """The process ids of the dockerd processes running on this machine."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "dockerd":
                found.append(comm.parent.name)
        except OSError:
            pass  # the process ended meanwhile
    return found


class DockerEngine:
    """A `dockerd` started and stopped by the tests, with its data under `state_dir`."""

    def __init__(self, state_dir: Path):
        self.state_dir = state_dir
        self.pid_file = state_dir / "dockerd.pid"
        self.log_file = state_dir / "dockerd.log"
        self.run_dir: Path | None = None  # the sockets' folder, made by start()
        self.process: subprocess.Popen | None = None
        self.storage_driver: str | None = None  # the one it runs with, chosen by start()
        self.fallback_reason = ""  # why it runs with vfs, when it does
        # the client of docker.io itself: it speaks the daemon's API version and has its classic builder
        self.cli = "/usr/bin/docker" if Path("/usr/bin/docker").is_file() else shutil.which("docker") or "docker"

    def start(self, seconds: float = 60) -> None:
        """Starts dockerd with the first storage driver of STORAGE_DRIVERS that works here."""
        ensure_packages()
        self.stop_leftover()
        if others := running_dockerds():
            raise EngineUnavailable(
                f"another Docker engine runs here (dockerd, pid {', '.join(others)}); both "
                "would manage the same docker0 bridge. Stop it ('sudo systemctl stop docker "
                "docker.socket') and run the image tests again"
            )
        self.state_dir.mkdir(parents=True, exist_ok=True)
        for driver in STORAGE_DRIVERS:
            try:
                self.start_with(driver, seconds)
                return
            except EngineUnavailable as e:
                if driver == STORAGE_DRIVERS[-1]:
                    raise
                self.fallback_reason = f"{driver} failed: {str(e).splitlines()[-1]}"

    def start_with(self, driver: str, seconds: float) -> None:
        # unix sockets take at most 107 bytes of path, so they live in a short folder of their own
        self.run_dir = Path(tempfile.mkdtemp(prefix="javadl-docker-"))
        command = [
            system_tool("dockerd"),
            f"--storage-driver={driver}",
            f"--data-root={self.state_dir / 'data'}",
            f"--exec-root={self.run_dir / 'exec'}",
            f"--pidfile={self.pid_file}",
            f"--host=unix://{self.socket}",
        ]
        with open(self.log_file, "w") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + seconds
        while self.docker("version", check=False).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = "\n".join(self.log_file.read_text().splitlines()[-15:])
                raise EngineUnavailable(f"dockerd did not start with {driver} (its log, {self.log_file}):\n{tail}")
            time.sleep(0.5)
        self.storage_driver = self.docker("info", "--format={{.Driver}}").stdout.strip()
        if self.storage_driver != driver:
            self.stop()
            raise EngineUnavailable(f"dockerd started with the storage driver {self.storage_driver}, not {driver}")

    @property
    def socket(self) -> Path:
        return self.run_dir / "docker.sock"

    def stop_leftover(self) -> None:
        """Stops a dockerd that an interrupted run of these tests left behind on the same data root."""
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            return
        for _ in range(60):
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.5)

    def stop(self) -> None:
        """Stops the daemon (its containers stop with it) and its containerd; unmounts what it left mounted, and
        removes its sockets' folder."""
        if self.process is not None:
            stop_process_group(self.process, seconds=60)
        # dockerd leaves its network namespace mounted, and with vfs a bind mount of its data root on itself
        for mount_point in self.mounts_in(self.state_dir):
            subprocess.run(["umount", "--lazy", mount_point], check=False)
        if self.run_dir is not None:
            for mount_point in self.mounts_in(self.run_dir):
                subprocess.run(["umount", "--lazy", mount_point], check=False)
            shutil.rmtree(self.run_dir, ignore_errors=True)

    @staticmethod
    def mounts_in(folder: Path) -> list[str]:
        """The mount points under `folder`, deepest first."""
        points = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
        return sorted((p for p in points if p.startswith(f"{folder}/")), key=len, reverse=True)

    def docker(self, *args: str, check: bool = True, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        """Runs the docker client against this daemon; its output is captured as text unless told otherwise."""
        kwargs.setdefault("capture_output", "stdout" not in kwargs)
        env = dict(os.environ, DOCKER_HOST=f"unix://{self.socket}", DOCKER_BUILDKIT="0")
        result = subprocess.run([self.cli, *args], env=env, text=True, timeout=timeout, **kwargs)
        if check and result.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result

    def has_image(self, name: str) -> bool:
        return self.docker("image", "inspect", name, check=False).returncode == 0

    def image_size(self, name: str) -> int:
        """The image's size in bytes, as `docker images` shows it."""
        return int(self.docker("image", "inspect", "--format={{.Size}}", name).stdout)

    def build_debian_base(self) -> str:
        """Imports a minimal Debian (debootstrap's minbase) with the host's CAs as BASE_IMAGE, unless there."""
        if self.has_image(BASE_IMAGE):
            return BASE_IMAGE
        rootfs = self.state_dir / "base-rootfs"
        shutil.rmtree(rootfs, ignore_errors=True)
        result = subprocess.run(
            ["debootstrap", "--variant=minbase", DEBIAN_SUITE, str(rootfs), DEBIAN_MIRROR],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert result.returncode == 0, f"debootstrap failed: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        (rootfs / "etc" / "apt" / "sources.list").unlink(missing_ok=True)
        (rootfs / "etc" / "apt" / "sources.list.d" / "debian.sources").write_text(DEBIAN_SOURCES)
        certificates = rootfs / HOST_CA_CERTIFICATES.relative_to("/")
        certificates.mkdir(parents=True, exist_ok=True)
        for certificate in HOST_CA_CERTIFICATES.glob("**/*.crt") if HOST_CA_CERTIFICATES.is_dir() else []:
            target = certificates / certificate.relative_to(HOST_CA_CERTIFICATES)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(certificate, target)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        self.docker("import", "-", BASE_IMAGE, stdin=tar.stdout)
        assert tar.wait() == 0, f"tar of {rootfs} failed"
        shutil.rmtree(rootfs)
        return BASE_IMAGE

    def build(self, context: Path, tag: str, log: Path, build_args: dict[str, str]) -> None:
        """Builds `context`'s Dockerfile with the classic builder and the host's network; the output goes to
        `log`, whose end the failure message quotes."""
        arguments = [f"--build-arg={name}={value}" for name, value in build_args.items()]
        with open(log, "w") as out:
            result = self.docker(
                "build",
                "--network=host",
                *arguments,
                "--tag",
                tag,
                str(context),
                check=False,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=3600,
            )
        tail = "\n".join(log.read_text().splitlines()[-40:])
        assert result.returncode == 0, f"docker build failed ({log}):\n{tail}"
        self.docker("image", "prune", "--force")  # the layers of earlier builds, so that the data root stays small


class Container:
    """A running container of the image, named `name`, whose Jupyter server listens on 127.0.0.1:`port`; its token
    is read from its log, as a user reads it."""

    def __init__(self, engine: DockerEngine, name: str, port: int):
        self.engine, self.name, self.port = engine, name, port

    def inspect(self, template: str) -> str:
        return self.engine.docker("inspect", f"--format={template}", self.name).stdout.strip()

    def logs(self) -> str:
        result = self.engine.docker("logs", self.name, check=False)
        return result.stdout + result.stderr

    def token(self, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while not (match := re.search(r"\?token=([0-9a-f]+)", self.logs())):
            assert self.inspect("{{.State.Running}}") == "true", f"the container stopped:\n{self.logs()}"
            assert time.monotonic() < deadline, f"no token in the log after {seconds:.0f} s:\n{self.logs()}"
            time.sleep(1)
        return match.group(1)

    def processes(self) -> list[tuple[int, str]]:
        """(uid, command name) of every process in the container, as the host's `ps` sees them."""
        lines = self.engine.docker("top", self.name, "-eo", "pid,uid,comm").stdout.splitlines()[1:]
        return [(int(uid), command) for _, uid, command in (line.split(None, 2) for line in lines)]
