"""Reliability, case 6: a kernel on a machine without a GPU, asked for CUDA (PYTORCH_FLAVOR=cu128 in the server's
environment, as DJL's own documentation suggests), runs the setup notebook on the CPU and says so in one line, with
no native errors in any cell. The kernelspec names the build it loads (PYTORCH_FLAVOR, with the library's folder),
so the wish does not reach DJL: the CPU build says that it is the CPU build; the CUDA build says that it sees no
GPU and why."""

from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

from conftest import build_clause, needs_no_gpu
from javadl.kernelspec import KERNEL_NAME
from javadl.project import NOTEBOOKS, pom_property


@needs_no_gpu
def test_a_wish_for_cuda_without_a_gpu_runs_on_the_cpu_and_says_why_in_one_line(tmp_path):
    notebook = nbformat.read(NOTEBOOKS / "00-setup-check.ipynb", as_version=4)
    empty_cache = tmp_path / "djl-cache"  # cold: nothing unpacked yet, so DJL cannot find a CUDA build there either
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=300,
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )

    client.execute(env=dict(os.environ, PYTORCH_FLAVOR="cu128", DJL_CACHE_DIR=str(empty_cache)))

    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert [o for o in outputs if o.output_type == "stream" and o.name == "stderr"] == [], "native errors in a cell"
    info = [c for c in notebook.cells if c.cell_type == "code" and "SystemInfo.collect()" in c.source][0]
    lines = "".join(o.text for o in info.outputs if o.output_type == "stream").splitlines()
    assert len(lines) == 1, lines
    assert lines[0].endswith(f"| PyTorch {pom_property('pytorch.version')} | {build_clause()}"), lines[0]
    assert (empty_cache / "pytorch").is_dir(), "the kernel really used the empty cache"
