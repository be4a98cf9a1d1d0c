"""`make html`: executes every course notebook through the javadl kernel and writes a small static site.

    build/html/index.html            the course outline, with a link to each page
    build/html/<notebook>.html       one page per notebook, with its outputs
    build/html/LICENSE.txt, ...      the licenses and credits the index links (LEGAL_FILES)

Pictures are embedded in the pages, the outputs' PNGs and the text's figures (SVG), so they show without a network;
the pages load no script from a CDN except MathJax, which typesets the formulas in the text (offline they show as
TeX). Streams are coalesced, so progress bars that redraw with carriage returns leave only their last state. Notebooks
run from notebooks/, like in JupyterLab, so their TensorBoard logs land in notebooks/logs/. A cell that fails stops
the export with its error; pages already written stay, each written whole or not at all.

    python -m javadl.site.export [--out build/html] [--executed DIR]

--executed exports notebooks that were already executed (such as the tests' build/executed/) instead.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from javadl.files import write_if_changed
from javadl.kernelspec import KERNEL_NAME
from javadl.project import NOTEBOOKS, ROOT

PAGE_TEMPLATE = Path(__file__).resolve().with_name("page.html.j2")
# The licenses and credits the site carries beside its pages, as plain text (NOTICE says what each covers)
LEGAL_FILES = ("LICENSE", "LICENSE-COURSE", "NOTICE")


def title_and_summary(notebook: nbformat.NotebookNode) -> tuple[str, str]:
    """The first heading of the notebook and the paragraph after it (markdown)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            lines = cell.source.strip().splitlines()
            paragraphs = "\n".join(lines[1:]).strip().split("\n\n")
            return lines[0][2:].strip(), " ".join(paragraphs[0].split()) if paragraphs[0] else ""
    return "", ""


def execute(path: Path, kernel_log) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, kernel_name=KERNEL_NAME, timeout=3600, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute(stderr=kernel_log)
    return notebook


def page(notebook: nbformat.NotebookNode) -> str:
    # the figures the text shows (notebooks/figures/*.svg) are embedded too, read from beside the course's notebooks
    # wherever the executed copy lies
    exporter = HTMLExporter(template_name="lab", template_file=str(PAGE_TEMPLATE), embed_images=True)
    exporter.register_preprocessor(CoalesceStreamsPreprocessor(enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"path": str(NOTEBOOKS)}})
    return body


def index_page(entries: list[tuple[str, str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>{markdown2html(summary)}</li>'
        for href, title, summary in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>JavaDL Notebooks</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}
li{{margin-bottom:1em}} li p{{margin:0.2em 0;color:#444}}</style></head>
<body><h1>JavaDL Notebooks</h1>
<p>Deep learning in Java with DJL, following a set of PyTorch beginner notes, one notebook per topic.
Each page was executed with the <code>javadl</code> kernel; its pictures are embedded.</p>
<ol>
{items}
</ol>
<footer><p>The course's text and figures: <a href="LICENSE-COURSE.txt">CC BY-SA 4.0</a>. Its code: <a
href="LICENSE.txt">Apache License 2.0</a>. The notes it follows, CIFAR-10 and the projects it bundles: <a
href="NOTICE.txt">credits</a>.</p></footer></body></html>
"""


def kernel_log_path(out: Path) -> Path:
    return out.parent / (out.name + "-kernel.log")


def export(sources: list[Path], out: Path, run: bool) -> list[Path]:
    """Writes one page per notebook and the index; returns the pages written. The kernels' own log (what
    JupyterLab's terminal would show) goes to a file beside `out`."""
    out.mkdir(parents=True, exist_ok=True)
    entries, pages = [], []
    for number, source in enumerate(sources, 1):
        started = time.monotonic()
        print(f"[{number}/{len(sources)}] {source.name}", end=" ... ", flush=True)
        if run:
            with open(kernel_log_path(out), "a") as kernel_log:
                notebook = execute(source, kernel_log)
        else:
            notebook = nbformat.read(source, as_version=4)
        target = out / (source.stem + ".html")
        write_if_changed(target, page(notebook))
        print(f"{time.monotonic() - started:.0f} s", flush=True)
        title, summary = title_and_summary(notebook)
        entries.append((target.name, title or source.stem, summary))
        pages.append(target)
    for name in LEGAL_FILES:
        write_if_changed(out / f"{name}.txt", (ROOT / name).read_text())
    write_if_changed(out / "index.html", index_page(entries))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--executed", type=Path, help="export the executed notebooks in this folder instead")
    args = parser.parse_args()
    folder = args.executed or NOTEBOOKS
    sources = sorted(folder.glob("*.ipynb"))
    if not sources:
        print(f"No notebooks in {folder}", file=sys.stderr)
        return 1
    try:
        export(sources, args.out, run=args.executed is None)
    except CellExecutionError as error:
        print(
            f"failed\n\n{error.ename}: {error.evalue}\n\nThe cell that failed, and the kernel's log in "
            f"{kernel_log_path(args.out)}, say more. The export stopped there.",
            file=sys.stderr,
        )
        return 1
    print(f"Wrote {len(sources)} pages, index.html and the licenses to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
