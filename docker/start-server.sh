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

# The CPU cores the container may use (`docker run --cpus`, a hub's CPU limit), whole, at least 1; nothing where it has
# no limit. Read from its cgroup: v2's cpu.max ("max 100000" or "150000 100000"), or v1's cfs quota (-1: none).
cpu_limit_cores() {
  local root="${JAVADL_CGROUP_ROOT:-/sys/fs/cgroup}" quota period
  if [ -r "$root/cpu.max" ]; then
    read -r quota period < "$root/cpu.max"
  elif [ -r "$root/cpu/cpu.cfs_quota_us" ] && [ -r "$root/cpu/cpu.cfs_period_us" ]; then
    quota="$(< "$root/cpu/cpu.cfs_quota_us")"
    period="$(< "$root/cpu/cpu.cfs_period_us")"
  else
    return 1
  fi
  [[ "$quota" =~ ^[0-9]+$ && "$period" =~ ^[1-9][0-9]*$ ]] || return 1
  echo $(( quota / period > 0 ? quota / period : 1 ))
}
# PyTorch starts a thread for every core of the machine, whatever the container's CPU limit, and under a limit those
# threads wait out its throttling: with one core each and two threads, a learner's cells beside another who trained
# still ran 2.6 times slower; with one thread, no slower (bench/hub_capacity.py). So the kernel's PyTorch gets as
# many threads as the limit has cores.
if [ -z "${OMP_NUM_THREADS:-}" ] && cores="$(cpu_limit_cores)"; then
  export OMP_NUM_THREADS="$cores"
fi

if [ -n "${JUPYTERHUB_API_TOKEN:-}" ]; then
  exec jupyterhub-singleuser --ServerApp.root_dir="$work" "$@"
fi
exec jupyter lab --ip=0.0.0.0 --port=8888 --no-browser --ServerApp.root_dir="$work" "$@"
