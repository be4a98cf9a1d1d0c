"""`make bench` says what slowed a run down: the page faults of each side's process, and the cores that other
processes kept busy meanwhile (bench/run.py's run_side; docs/performance.md, "Reading a slow run")."""

from __future__ import annotations

import subprocess
import sys

from javadl.project import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from run import run_side  # noqa: E402 (bench/ holds the benchmark)

# A side's process as CourseBench.java prints its passes, after touching `mib` MiB of new memory page by page
SIDE = """
import sys, time
memory = bytearray({mib} * 2**20)
for page in range(0, len(memory), 4096):
    memory[page] = 1
time.sleep({sleep})
print("first 0.5 64")
print("pass 0.25 64")
"""


def test_a_run_reports_its_passes_and_the_page_faults_of_its_process():
    quiet = run_side([sys.executable, "-c", SIDE.format(mib=1, sleep=0)])
    faulting = run_side([sys.executable, "-c", SIDE.format(mib=200, sleep=0)])

    assert faulting["first"] == [(0.5, 64)] and faulting["pass"] == [(0.25, 64)]
    # 200 MiB touched page by page: at least one fault for each of its 51,200 pages
    assert faulting["faults"][0] - quiet["faults"][0] > 51_200 * 0.9, (quiet, faulting)


def test_a_run_beside_a_busy_process_reports_the_cores_it_took():
    alone = run_side([sys.executable, "-c", SIDE.format(mib=1, sleep=1)])
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        beside = run_side([sys.executable, "-c", SIDE.format(mib=1, sleep=1)])
    finally:
        spinner.kill()
        spinner.wait()

    # the spinning process keeps one core busy for the whole second; the run's own process sleeps
    assert beside["others"][0] > 0.6, beside
    assert beside["others"][0] > alone["others"][0] + 0.4, (alone, beside)
