# JavaDL Notebooks: JupyterLab with the Java (DJL) kernel and the course.
#   docker build -t javadl .
#   docker run --rm -p 8888:8888 -v javadl-datasets:/home/learner/datasets -v javadl-work:/home/learner/work javadl
# The image runs the same installer as `make setup` and CI (python -m javadl.install), so CI checks its steps, and
# `make test-image` builds and runs it (on a base made locally: --build-arg BASE_IMAGE=...).
ARG BASE_IMAGE=debian:13.8-slim
FROM ${BASE_IMAGE}

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# The PyTorch build, as `make setup TORCH=...`: cpu (the default), PyTorch's CPU library from Maven Central; or
# cuda, PyPI's torch 2.7.1 (CUDA 12.6, about 5 GB more), for `docker run --gpus all` on a host with NVIDIA's driver
# and container toolkit.
ARG PYTORCH_FLAVOR=cpu
RUN case "${PYTORCH_FLAVOR}" in cpu|cuda) ;; \
      *) echo "PYTORCH_FLAVOR=${PYTORCH_FLAVOR}: use cpu or cuda (see docs/teaching.md)" >&2; exit 1 ;; \
    esac

# The image's packages (Binder's are binder/apt.txt, CI's machine's in .ci/run): a full JDK, since the kernel runs on
# JShell; Debian 13's newest, 25, which starts the kernel from an ahead-of-time cache. Its charts' text needs
# FreeType, HarfBuzz and fontconfig, which openjdk-25-jre-headless only recommends, and a font. Python runs Jupyter.
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      openjdk-25-jdk-headless libfreetype6 libharfbuzz0b libfontconfig1 fonts-dejavu-core \
      python3 python3-venv ca-certificates \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

# Maven builds the course library (and the projects of docs/programs.md). Debian 13's maven package would bring a
# second Java, openjdk-21-jre-headless (about 200 MB): it asks for default-jre-headless or a java7-runtime-headless,
# which openjdk-25 does not provide. So Maven comes from Maven Central, checked by its SHA-512.
ARG MAVEN_VERSION=3.9.16
ARG MAVEN_SHA512=831a8591fe20c8243b1dbe7d71e3244f31d1665b0804b2e825e38cbbe5ce0cafb8338851f90780735568773e0a6cd07bbec107cda0b896b008b861075358b6f6
RUN url="https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/${MAVEN_VERSION}/apache-maven-${MAVEN_VERSION}-bin.tar.gz" \
 && python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], "/tmp/maven.tar.gz")' "$url" \
 && echo "${MAVEN_SHA512}  /tmp/maven.tar.gz" | sha512sum --check --strict \
 && mkdir /opt/maven \
 && tar --extract --gzip --file=/tmp/maven.tar.gz --directory=/opt/maven --strip-components=1 --no-same-owner \
 && rm /tmp/maven.tar.gz \
 && ln -s /opt/maven/bin/mvn /usr/local/bin/mvn

# The user's folders are made here, as root, and given to the user: after USER, a WORKDIR that does not exist yet
# is created owned by root by every builder but BuildKit (the classic builder, Podman, Buildah).
RUN useradd --create-home --uid 1000 --shell /bin/bash learner \
 && install --directory --owner=learner --group=learner \
      /home/learner/javadl /home/learner/datasets /home/learner/work
# By number, which Kubernetes' runAsNonRoot (Zero to JupyterHub) can check without the image's /etc/passwd
USER 1000:1000
WORKDIR /home/learner/javadl

COPY --chown=learner:learner . .
# .venv with what a learner's server needs (requirements.txt: no test tools), the Maven build, the javadl kernel
# (with PyTorch's CPU library unpacked into it once, and openjdk-25-source's src.zip alone, for the JDK's Javadoc on
# Shift+Tab: apt fetches it as the learner, with lists of its own) and its ahead-of-time cache; then the Maven cache
# and the build's output go: the kernel carries its own copy of every jar (so the image is not a checkout to run
# `make` in: its kernel is built). pip keeps no copy of the wheels.
RUN PIP_NO_CACHE_DIR=1 PYTHONPATH=python python3 -m javadl.install --torch "${PYTORCH_FLAVOR}" \
      --tensorboard-logs /home/learner/work/logs \
 && rm -rf /home/learner/.m2/repository lib/target agent/target kernel/target

ENV PATH=/home/learner/javadl/.venv/bin:${PATH} \
    JAVADL_DATA=/home/learner/datasets
VOLUME ["/home/learner/datasets"]

EXPOSE 8888
# Jupyter's /api answers without a token; the token itself stays on (JupyterLab prints the URL with it,
# or set JUPYTER_TOKEN). Under JupyterHub the server's URLs start with the learner's prefix (/user/NAME/).
# Shell form: the URL takes the hub's prefix from the environment
# hadolint ignore=DL3025
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8888${JUPYTERHUB_SERVICE_PREFIX:-/}api', timeout=4)"
# JupyterLab on /home/learner/work, where each start brings the course up to date, keeping what the learner changed
# (mount a volume there to keep a learner's work); under JupyterHub, the same script starts jupyterhub-singleuser.
CMD ["/home/learner/javadl/docker/start-server.sh"]
