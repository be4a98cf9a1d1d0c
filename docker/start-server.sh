#!/usr/bin/env bash
# The image's command. On a container's first start it copies the course into the learner's work folder
# (/home/learner/work, where a volume keeps their edits and TensorBoard logs), then starts JupyterLab there, or
# jupyterhub-singleuser when a JupyterHub spawned the container (it sets JUPYTERHUB_API_TOKEN). Arguments go on
# to the server.
set -euo pipefail

course=/home/learner/javadl/notebooks
work="${JAVADL_WORK:-/home/learner/work}"
marker="$work/.javadl-course"

mkdir -p "$work"
if [ ! -e "$marker" ]; then
  # --no-clobber: a notebook the learner already has is never overwritten
  cp --recursive --no-clobber "$course/." "$work/"
  date --utc +%FT%TZ > "$marker"
fi
cd "$work"

if [ -n "${JUPYTERHUB_API_TOKEN:-}" ]; then
  exec jupyterhub-singleuser --ServerApp.root_dir="$work" "$@"
fi
exec jupyter lab --ip=0.0.0.0 --port=8888 --no-browser --ServerApp.root_dir="$work" "$@"
