"""Reliability, case 6: a kernel without a GPU, asked for a CUDA build of PyTorch that is not there, runs the
setup notebook on the CPU and says why in one line, with no native errors in any cell."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import KERNEL_NAME, NOTEBOOKS, pom_property

HAS_GPU = Path("/dev/nvidia0").exists()


@pytest.mark.skipif(HAS_GPU, reason="this machine has a GPU; the case is a machine without one")
def test_a_missing_cuda_build_falls_back_to_the_cpu_with_one_line(tmp_path):
    notebook = nbformat.read(NOTEBOOKS / "00-setup-check.ipynb", as_version=4)
    empty_cache = tmp_path / "djl-cache"  # cold: nothing unpacked yet, so DJL cannot find a CUDA build there either
    client = NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout=300, allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})

    client.execute(env=dict(os.environ, PYTORCH_FLAVOR="cu128", DJL_CACHE_DIR=str(empty_cache)))

    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert [o for o in outputs if o.output_type == "stream" and o.name == "stderr"] == [], "native errors in a cell"
    info = [c for c in notebook.cells if c.cell_type == "code" and "SystemInfo.collect()" in c.source][0]
    lines = "".join(o.text for o in info.outputs if o.output_type == "stream").splitlines()
    assert len(lines) == 1, lines
    assert "default device: cpu() (no GPU found)" in lines[0]
    assert lines[0].endswith("| PYTORCH_FLAVOR=cu128 asks for CUDA, but there is no GPU or no CUDA build of "
                             f"PyTorch {pom_property('pytorch.version')} here: cells run on the CPU"), lines[0]
    assert (empty_cache / "pytorch").is_dir(), "the kernel really used the empty cache"
