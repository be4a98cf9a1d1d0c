"""make bench's table: its rows, the ratios and spreads it shows, the machine it ran on, and the share of the CPU's
peak that training reaches (bench/run.py measures, this reports)."""

from __future__ import annotations

import csv
import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path

MiB = 2**20
# The course CNN (lib's CourseCnn), for its arithmetic: (in channels, out channels, kernel side, output side) of
# each convolution, and (inputs, outputs) of each linear layer
CNN_CONVS = [(3, 32, 5, 32), (32, 32, 5, 16), (32, 64, 5, 8)]
CNN_LINEARS = [(1024, 64), (64, 10)]


@dataclass
class Row:
    """One line of the table. Times are seconds, memory bytes; `images` is per timed pass (0: not a rate);
    `first_pass_ratio` is ours / PyTorch's time of each process's first pass, before any warm-up; `round_ratios`
    the ratio of each round's own medians, so that one slow round (another process, a busy core) shows."""

    workload: str
    unit: str
    ours: float
    pytorch: float | None
    images: int
    target: str
    met: bool
    first_pass_ratio: float | None = None
    round_ratios: list[float] | None = None
    fault_ratio: float | None = None  # ours / PyTorch's page faults a run (medians): 5x and more points at malloc
    others_busy: float | None = None  # the most cores other processes kept busy during one of the row's runs


def training_flops_per_image() -> float:
    """The forward pass's multiply-adds, times 2 FLOP; the backward pass costs twice the forward (the gradients
    of the weights and of the inputs) less the first convolution's input gradient, which nothing needs. Pooling,
    the loss and the SGD update are left out: under 1% of the total."""
    convs = [c_in * k * k * c_out * side * side for c_in, c_out, k, side in CNN_CONVS]
    forward = 2 * (sum(convs) + sum(n_in * n_out for n_in, n_out in CNN_LINEARS))
    return 3 * forward - 2 * convs[0]


def fp32_peak() -> tuple[float, str]:
    """The CPU's FP32 peak in FLOP/s and how it was computed: cores x clock x FLOP a cycle, where a core issues
    two fused multiply-adds a cycle (two FMA pipes) on the widest vector its flags show (16 floats with avx512f,
    8 with fma). An assumption: cores that split 512-bit work into two halves (AMD Zen 4) reach half of it."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    flags = set(re.search(r"^flags\s*:(.*)$", cpuinfo, re.M).group(1).split())
    mhz = float(re.search(r"^cpu MHz\s*:\s*([\d.]+)", cpuinfo, re.M).group(1))
    lanes = 16 if "avx512f" in flags else 8 if "fma" in flags else 4
    per_cycle = 2 * 2 * lanes
    cores = os.cpu_count()
    return cores * mhz * 1e6 * per_cycle, f"{cores} cores x {mhz / 1000:.2f} GHz x {per_cycle} FLOP/cycle"


def flop_share_row(epoch_row: Row) -> Row:
    """The share of the CPU's FP32 peak that one training epoch reaches, ours and PyTorch's."""
    flops = training_flops_per_image()
    peak, how = fp32_peak()
    share = lambda seconds: epoch_row.images * flops / seconds / peak  # noqa: E731
    return Row(
        f"(e) share of the FP32 peak: {flops / 1e6:.1f} MFLOP/image, {peak / 1e9:.0f} GFLOP/s ({how})",
        "share",
        share(epoch_row.ours),
        share(epoch_row.pytorch),
        0,
        "",
        True,
    )


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{platform.node()}: {cpu}, {os.cpu_count()} cores, Linux {platform.release()}"


def shown(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}"
    if unit == "share":
        return f"{100 * value:.0f}%"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.2f} s"
    if unit == "MiB":
        return f"{value / MiB:.0f} MiB"
    return f"{100 * value:+.1f}%"


def spread(row: Row) -> str:
    """The lowest and highest of a row's ratios round by round, as "0.95-1.10"."""
    return f"{min(row.round_ratios):.2f}-{max(row.round_ratios):.2f}" if row.round_ratios else "-"


def ratio(row: Row) -> float | None:
    return row.ours / row.pytorch if row.unit in ("s", "MiB") else None


def report(rows: list[Row], results: Path) -> None:
    print(
        f"\n{'workload':84} {'ours':>10} {'PyTorch':>10} {'ratio':>6} {'rounds':>11} {'1st pass':>8} "
        f"{'faults':>6} {'others':>6} {'ours img/s':>11} {'PyT img/s':>10}  target"
    )
    for row in rows:
        rates = (
            f"{row.images / row.ours:>11,.0f} {row.images / row.pytorch:>10,.0f}"
            if row.images
            else f"{'-':>11} {'-':>10}"
        )
        verdict = "" if not row.target else ("met" if row.met else "MISSED")
        print(
            f"{row.workload:84} {shown(row.ours, row.unit):>10} {shown(row.pytorch, row.unit):>10} "
            f"{shown(ratio(row), 'x'):>6} {spread(row):>11} {shown(row.first_pass_ratio, 'x'):>8} "
            f"{shown(row.fault_ratio, 'x'):>6} {shown(row.others_busy, 'x'):>6} {rates}  {row.target} {verdict}"
        )
    print(
        "ratio: ours / PyTorch's time (or memory) after the warm-up; rounds: the lowest and highest ratio of one\n"
        "round's medians (each round runs both sides once); 1st pass: the ratio of each process's first pass,\n"
        "before the JIT compiler has compiled DJL's Java code. Below 1: the course's Java code is faster.\n"
        "faults: ours / PyTorch's minor page faults a run (5 and more: malloc gives the tensors' memory back and\n"
        "faults it in again, see docs/performance.md); others: the most cores other processes kept busy during a\n"
        "run (on 2 cores, one busy core made (d) 2-5x slower on both sides, single passes up to 11x: OpenMP's\n"
        "threads wait for a core)."
    )
    results.parent.mkdir(parents=True, exist_ok=True)
    with open(results, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "workload",
                "unit",
                "ours",
                "pytorch",
                "ours_over_pytorch",
                "round_ratios",
                "first_pass_ours_over_pytorch",
                "faults_ours_over_pytorch",
                "others_busy_cores",
                "ours_images_per_s",
                "pytorch_images_per_s",
                "target",
                "met",
            ]
        )
        for row in rows:
            scale = MiB if row.unit == "MiB" else 1
            writer.writerow(
                [
                    row.workload,
                    row.unit,
                    round(row.ours / scale, 4),
                    round(row.pytorch / scale, 4),
                    round(ratio(row), 3) if ratio(row) else "",
                    " ".join(f"{r:.3f}" for r in row.round_ratios or []),
                    round(row.first_pass_ratio, 3) if row.first_pass_ratio else "",
                    round(row.fault_ratio, 2) if row.fault_ratio else "",
                    round(row.others_busy, 2) if row.others_busy is not None else "",
                    round(row.images / row.ours) if row.images else "",
                    round(row.images / row.pytorch) if row.images else "",
                    row.target,
                    row.met if row.target else "",
                ]
            )
    print(f"Written to {results}")
