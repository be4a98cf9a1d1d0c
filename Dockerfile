# JavaDL Notebooks: JupyterLab with the Java (DJL) kernel and the course.
#   docker build -t javadl .
#   docker run --rm -p 8888:8888 -v javadl-datasets:/home/learner/datasets -v javadl-work:/home/learner/work javadl
# The image runs the same install script as `make setup` and CI (kernel/install.py), so CI checks its steps, and
# `make test-image` builds and runs it (on a base made locally: --build-arg BASE_IMAGE=...).
ARG BASE_IMAGE=debian:12.8-slim
FROM ${BASE_IMAGE}

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# The PyTorch build, as `make setup TORCH=...`: cpu (the default), PyTorch's CPU library from Maven Central; or
# cuda, PyPI's torch 2.7.1 (CUDA 12.6, about 5 GB more), for `docker run --gpus all` on a host with NVIDIA's driver
# and container toolkit.
ARG PYTORCH_FLAVOR=cpu
RUN case "${PYTORCH_FLAVOR}" in cpu|cuda) ;; \
      *) echo "PYTORCH_FLAVOR=${PYTORCH_FLAVOR}: use cpu or cuda (see README, 'Docker')" >&2; exit 1 ;; \
    esac

# A full JDK (the kernel runs on JShell) and Maven to build the course library, as binder/apt.txt names them for
# Binder (one list for both), and Python for Jupyter.
COPY binder/apt.txt /tmp/apt.txt
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      $(grep -v '^#' /tmp/apt.txt) python3 python3-venv make ca-certificates \
 && rm /tmp/apt.txt \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

# The user's folders are made here, as root, and given to the user: after USER, a WORKDIR that does not exist yet
# is created owned by root by every builder but BuildKit (the classic builder, Podman, Buildah).
RUN useradd --create-home --uid 1000 --shell /bin/bash learner \
 && install --directory --owner=learner --group=learner \
      /home/learner/javadl /home/learner/datasets /home/learner/work
USER learner
WORKDIR /home/learner/javadl

COPY --chown=learner:learner . .
# .venv, the Maven build, the javadl kernel (with openjdk-17-source's src.zip alone, for the JDK's Javadoc on
# Shift+Tab: apt fetches it as the learner, with lists of its own), and DJL's native cache (PyTorch unpacked once,
# here); then the Maven cache goes: the kernel carries its own copy of every jar. pip keeps no copy of the wheels.
RUN PIP_NO_CACHE_DIR=1 python3 kernel/install.py --torch "${PYTORCH_FLAVOR}" --tensorboard-logs /home/learner/work/logs \
 && rm -rf /home/learner/.m2/repository

ENV PATH=/home/learner/javadl/.venv/bin:${PATH} \
    JAVADL_DATA=/home/learner/datasets
VOLUME ["/home/learner/datasets"]

EXPOSE 8888
# Jupyter's /api answers without a token; the token itself stays on (JupyterLab prints the URL with it,
# or set JUPYTER_TOKEN). Under JupyterHub the server's URLs start with the learner's prefix (/user/NAME/).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8888${JUPYTERHUB_SERVICE_PREFIX:-/}api', timeout=4)"
# JupyterLab on /home/learner/work, where the course is copied on the first start (mount a volume there to keep a
# learner's edits); under JupyterHub, the same script starts jupyterhub-singleuser instead.
CMD ["/home/learner/javadl/kernel/start-server.sh"]
