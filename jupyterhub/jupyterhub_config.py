"""JupyterHub for a class on one server: every learner gets the javadl image in a container of their own.

Start it with `make hub` (as root, or as a user in the `docker` group), after `docker build -t javadl .`. Learners
log in with their accounts on this server (JupyterHub's default authenticator, PAM); for other logins (GitHub,
your school's OAuth, ...) see JupyterHub's authenticators. The image tests' hub (tests/image/test_hub.py) loads
this file and changes only where things run (ports, image tag, data) and how test learners log in.

Settings through the environment:
- JAVADL_IMAGE: the image (default `javadl:latest`);
- JAVADL_HUB_DATASETS: a folder of this server holding `cifar-10-batches-bin/`, mounted read-only into every
  learner's container, so that nobody downloads CIFAR-10; without it each learner's first notebook that needs it
  downloads it (170 MB) into a volume of their own;
- JAVADL_HUB_CULL_IDLE_SECONDS: how long a learner's server may stay idle before it is stopped (default 3600, an
  hour, as in Zero to JupyterHub; 0 turns culling off), and JAVADL_HUB_CULL_EVERY_SECONDS how often that is checked
  (default 600);
- JAVADL_HUB_CPU_LIMIT: the CPU cores each learner's container may use (default 1; 0 for no limit; docs/teaching.md,
  "How many learners fit", says why).
"""

import fcntl
import os
import socket
import struct
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines it when it loads this file)

WORK = "/home/learner/work"
DATASETS = "/home/learner/datasets"
# Each learner's server (JupyterLab, one kernel at a time) fits in 2 GB: the kernel's heap is half the container's
# memory (-XX:MaxRAMPercentage=50), and its peak resident memory at full size is about 1.1 GB (docs/performance.md).
LEARNER_MEMORY = "2G"
CPU_LIMIT = float(os.environ.get("JAVADL_HUB_CPU_LIMIT", "1"))
CULL_IDLE_SECONDS = int(os.environ.get("JAVADL_HUB_CULL_IDLE_SECONDS", "3600"))
CULL_EVERY_SECONDS = int(os.environ.get("JAVADL_HUB_CULL_EVERY_SECONDS", "600"))


def interface_address(name: str) -> str:
    """The IPv4 address of a network interface of this machine, such as Docker's bridge `docker0`."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("256s", name.encode()[:15])
        return socket.inet_ntoa(fcntl.ioctl(s.fileno(), 0x8915, request)[20:24])  # SIOCGIFADDR


c.JupyterHub.spawner_class = "docker"
c.DockerSpawner.image = os.environ.get("JAVADL_IMAGE", "javadl:latest")
# the image's own command brings the course into the work folder on each start (keeping the learner's edits), then
# starts jupyterhub-singleuser; a learner's work folder is a volume of their own, kept when their container is removed
c.DockerSpawner.volumes = {"javadl-work-{username}": WORK}
if os.environ.get("JAVADL_HUB_DATASETS"):
    c.DockerSpawner.volumes[os.environ["JAVADL_HUB_DATASETS"]] = {"bind": DATASETS, "mode": "ro"}
else:
    c.DockerSpawner.volumes["javadl-datasets-{username}"] = DATASETS
c.DockerSpawner.remove = True
c.DockerSpawner.mem_limit = LEARNER_MEMORY
# One core per learner: a learner who trains then slows no other learner's cells, where without a limit the cells
# beside a training ran 5 to 7 times slower (docs/teaching.md, "How many learners fit"). The image's command gives the
# kernel's PyTorch as many threads as the limit has cores.
if CPU_LIMIT > 0:
    c.DockerSpawner.cpu_limit = CPU_LIMIT
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # the first start of a container on a busy server

# the learners' containers reach the Hub's API on Docker's bridge
c.JupyterHub.hub_ip = interface_address("docker0")
c.ConfigurableHTTPProxy.command = [str(Path(__file__).parent / "node_modules" / ".bin" / "configurable-http-proxy")]

# Idle servers are stopped, never the learners' accounts: JupyterHub's idle culler, as a Hub service. A stopped
# server's container goes; its work volume stays, and the learner's next login starts a new one. A server is idle
# when nothing reached it: no browser tab sending requests, no kernel message, and no running cell (the image's
# server extension javadl.busy_kernels counts a busy kernel as activity, so training is never cut off).
if CULL_IDLE_SECONDS > 0:
    c.JupyterHub.services.append(
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={CULL_IDLE_SECONDS}",
                f"--cull-every={CULL_EVERY_SECONDS}",
            ],
        }
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "services": ["idle-culler"],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        }
    )
