"""How much memory a process (a kernel's JVM) holds, as Linux counts it in /proc/PID/status: resident now (VmRSS)
or at its peak so far (VmHWM). The tests bound the notebooks' peaks with it, and bench/ reports them."""

from __future__ import annotations

import re
from pathlib import Path


def resident_bytes(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory now ("VmRSS") or at its peak ("VmHWM"), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024
