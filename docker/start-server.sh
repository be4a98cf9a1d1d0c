#!/usr/bin/env bash
# The image's command. On every start it brings the course into the learner's work folder (/home/learner/work, where
# a volume keeps their edits and TensorBoard logs): on the first start all of it, on later ones what the image brings
# new, keeping what the learner changed (python/javadl/course_update.py has the rules; docs/teaching.md, Updating
# the course). Then it starts JupyterLab there, or jupyterhub-singleuser when a JupyterHub spawned the container (it
# sets JUPYTERHUB_API_TOKEN). Arguments go on to the server.
set -euo pipefail

# The checkout the image was built from (/home/learner/javadl): its python/ holds the update, its notebooks/ the course
javadl_home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
course="${JAVADL_COURSE:-$javadl_home/notebooks}"
work="${JAVADL_WORK:-/home/learner/work}"

mkdir -p "$work"
# The package from the checkout, so that any python3 runs it (it uses the standard library only). The server starts
# even when the update fails: the learner's files are theirs to reach.
if ! PYTHONPATH="$javadl_home/python" python3 -m javadl.course_update "$course" "$work"; then
  echo "course update: not finished (see above); the server starts with the work folder as it is" >&2
fi
cd "$work"

if [ -n "${JUPYTERHUB_API_TOKEN:-}" ]; then
  exec jupyterhub-singleuser --ServerApp.root_dir="$work" "$@"
fi
exec jupyter lab --ip=0.0.0.0 --port=8888 --no-browser --ServerApp.root_dir="$work" "$@"
