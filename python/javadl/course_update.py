"""The course in a learner's work folder, brought up to date on every start of the image, keeping the learner's work.

`docker/start-server.sh` runs `python3 -m javadl.course_update COURSE WORK` before it starts the server: COURSE is the
course the image ships (/home/learner/javadl/notebooks), WORK the learner's folder (/home/learner/work, a volume).
The rules, file by file (a path relative to the course folder):

- a course file the work folder has never had is copied in;
- a file the learner left as it was copied gets the course's new version; "as it was" compares what the learner
  writes, not bytes: for a notebook, each cell's type and source (running a notebook changes its outputs, execution
  counts and metadata, not its sources), for any other file its bytes;
- a file the learner changed is kept, and the course's new version goes beside it, named
  `04-convolution (course 2026-12-07).ipynb` after the day of the update (`, 2` and on where that name is taken); a
  notebook that cannot be read counts as changed;
- a file the learner deleted stays deleted;
- a file the course no longer has stays in the work folder.

What was copied is recorded in the work folder's `.javadl-course`, the manifest (`{"format": 1, "updated": ...,
"files": {path: signature}}`), written last, once every file is in place. Every file is written to `<name>.partial`
and renamed into place, and only a file whose sources equal the recorded ones is ever replaced, so an update that is
interrupted leaves each file whole, and the next start finishes it.

Images before this module wrote the date of the first start into `.javadl-course` and nothing else: see
`DATE_MARKER_NOTEBOOKS` for how such a folder is brought under the manifest.

The standard library only: the image's start script may run it with any python3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from javadl.files import replace_with

MARKER = ".javadl-course"
MANIFEST_FORMAT = 1

# The notebooks of the images whose `.javadl-course` held only a date (the start script from commit 20eae29 up to
# this module): each of those images had these ten and copied all of them on a learner's first start, so one that is
# missing from such a learner's folder was deleted by the learner, and stays deleted. A notebook not named here is new
# in the course since, and is copied in. Other files (the figures, which came after the first of those images) are
# copied in where they are missing.
DATE_MARKER_NOTEBOOKS = frozenset(
    {
        "00-setup-check.ipynb",
        "01-datasets.ipynb",
        "02-dataloader.ipynb",
        "03-module.ipynb",
        "04-convolution.ipynb",
        "05-pooling.ipynb",
        "06-activations.ipynb",
        "07-regularization.ipynb",
        "08-gradient-stability.ipynb",
        "09-train-cifar10.ipynb",
    }
)

LOG_PREFIX = "course update:"


@dataclass(frozen=True)
class Action:
    """One thing an update did (or chose not to do) to one course file, as the server's log shows it."""

    kind: str  # added, updated, kept, left deleted, left, failed
    name: str  # the course file, relative to the course folder, with `/`
    note: str = ""
    beside: str | None = None  # kept: where the course's new version went, relative to the work folder

    def __str__(self) -> str:
        return f"{LOG_PREFIX} {self.kind} {self.name}" + (f": {self.note}" if self.note else "")


class Unreadable(Exception):
    """A file whose signature cannot be taken: it cannot be read, or it is a notebook that is not valid JSON with
    a list of cells."""


def signature(path: Path) -> str:
    """What an update compares: for a notebook (`.ipynb`), a SHA-256 of each cell's type and source, so running it
    (outputs, execution counts, metadata) leaves it the same; for any other file, a SHA-256 of its bytes."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise Unreadable(e.strerror or str(e)) from e
    if path.suffix != ".ipynb":
        return "bytes:" + hashlib.sha256(data).hexdigest()
    sources = json.dumps(cell_sources(data), ensure_ascii=False, separators=(",", ":"))
    return "cells:" + hashlib.sha256(sources.encode("utf-8")).hexdigest()


def cell_sources(data: bytes) -> list[list[str]]:
    """Each cell's [type, source] of a notebook of format 4 (a source written as a list of lines is joined)."""
    try:
        notebook = json.loads(data.decode("utf-8"))
    except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise Unreadable(f"not valid JSON ({e})") from e
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise Unreadable("no list of cells (not a notebook of nbformat 4)")
    sources = []
    for number, cell in enumerate(cells, 1):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        source = cell.get("source", "") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(kind, str) or not isinstance(source, str):
            raise Unreadable(f"cell {number} has no cell_type or no text source")
        sources.append([kind, source])
    return sources


def course_files(course: Path) -> list[str]:
    """The course's files, relative to its folder, sorted; hidden ones (`.ipynb_checkpoints`) and `.partial` files
    left out."""

    def walk(folder: Path) -> Iterator[Path]:
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name.endswith(".partial"):
                continue
            if entry.is_dir():
                yield from walk(entry)
            elif entry.is_file():
                yield entry

    return [path.relative_to(course).as_posix() for path in walk(course)]


def read_manifest(work: Path) -> tuple[str, dict[str, str]]:
    """What the work folder's marker says: ("manifest", its files), ("date", {}) for a marker that holds anything
    else (the date that images before the manifest wrote, or a marker that cannot be read: the careful reading), or
    ("none", {}) where there is no marker (the first start)."""
    marker = work / MARKER
    if not os.path.lexists(marker):
        return "none", {}
    try:
        manifest = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "date", {}
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return "date", {}
    return "manifest", files


def write_manifest(work: Path, files: dict[str, str], now: datetime) -> None:
    manifest = {"format": MANIFEST_FORMAT, "updated": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "files": files}
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    replace_with(work / MARKER, lambda partial: partial.write_text(text, encoding="utf-8"))


def copy_file(source: Path, target: Path) -> None:
    """Copies source to target through `target.partial` (the learner's umask decides the mode: the course in the
    image may be read-only, the learner's copy must not be)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_with(target, lambda partial: shutil.copyfile(source, partial))


def beside_name(target: Path, new: str, day: date) -> tuple[Path, bool]:
    """Where the course's new version of `target` goes when the learner's is kept: `NAME (course DAY).EXT`, or
    `NAME (course DAY, 2).EXT` and on where that name holds something else. Returns the path and whether it still has
    to be written: not when a file beside it, of any day, already holds the new version (an update that was
    interrupted before its manifest, on this day or an earlier one)."""
    stem, suffix = (target.stem, target.suffix) if target.suffix else (target.name, "")
    for earlier in sorted(target.parent.glob(f"{glob_escape(stem)} (course *){glob_escape(suffix)}")):
        try:
            if earlier.is_file() and signature(earlier) == new:
                return earlier, False
        except Unreadable:
            pass
    number = 1
    while True:
        label = f"course {day.isoformat()}" + (f", {number}" if number > 1 else "")
        candidate = target.with_name(f"{stem} ({label}){suffix}")
        if not os.path.lexists(candidate):
            return candidate, True
        try:
            if signature(candidate) == new:
                return candidate, False
        except Unreadable:
            pass
        number += 1


def glob_escape(text: str) -> str:
    """`text` matched literally by Path.glob (a course file's name may hold `[`, `*` or `?`)."""
    return "".join(f"[{c}]" if c in "[]*?" else c for c in text)


def update(
    course: Path,
    work: Path,
    *,
    now: datetime | None = None,
    log: Callable[[str], None] = print,
    date_marker_notebooks: frozenset[str] = DATE_MARKER_NOTEBOOKS,
) -> list[Action]:
    """Brings the course in `work` up to date with `course` by the rules of this module, logs one line per action,
    writes the manifest last, and returns the actions."""
    now = now or datetime.now(timezone.utc)
    work.mkdir(parents=True, exist_ok=True)
    mode, known_files = read_manifest(work)
    record: dict[str, str] = {}
    actions: list[Action] = []

    def act(action: Action) -> None:
        actions.append(action)
        log(str(action))

    names = course_files(course)
    for name in names:
        source, target = course / name, work / name
        known = known_files.get(name)
        try:
            new = signature(source)
        except Unreadable as e:
            act(Action("failed", name, f"the course's copy cannot be read ({e}); the work folder's is left as it is"))
            if known is not None:
                record[name] = known
            continue
        if known == new:  # the course has not changed it since the last update: nothing to read or write
            record[name] = new
            continue
        try:
            action = update_file(source, target, name, new, known, mode, now.date(), date_marker_notebooks)
        except OSError as e:
            action = Action("failed", name, f"{e}; the learner's files are as they were")
            if known is not None:
                record[name] = known
        else:
            record[name] = new
        if action is not None:
            act(action)

    for name in sorted(set(known_files) - set(names)):
        if os.path.lexists(work / name):
            act(Action("left", name, "no longer in the course; the work folder's copy stays"))

    if mode != "manifest" or record != known_files:
        write_manifest(work, record, now)
    if not actions:
        log(f"{LOG_PREFIX} up to date with {course}")
    return actions


def update_file(
    source: Path,
    target: Path,
    name: str,
    new: str,
    known: str | None,
    mode: str,
    day: date,
    date_marker_notebooks: frozenset[str],
) -> Action | None:
    """One course file whose version differs from the one the manifest recorded (or that it does not name)."""
    if not os.path.lexists(target):
        deleted = known is not None or (mode == "date" and name in date_marker_notebooks)
        if deleted:
            return Action("left deleted", name, f"deleted by the learner; the course's version is {source}")
        copy_file(source, target)
        return Action("added", name)
    try:
        mine: str | None = signature(target)
        problem = ""
    except Unreadable as e:
        mine, problem = None, f"cannot be read ({e}), so it counts as changed"
    if mine == new:  # already the course's version (copied by hand, or an update interrupted before its manifest)
        return None
    if mine is not None and mine == known:
        copy_file(source, target)
        return Action("updated", name)
    beside, to_write = beside_name(target, new, day)
    if to_write:
        copy_file(source, beside)
    if problem:
        reason = problem
    elif known is not None:
        reason = "changed by the learner"
    elif mode == "date":  # a folder of an image before the manifest: no record of the version it was given
        reason = "differs from the course's new version, and the folder has no record of the one it was given"
    else:
        reason = "a file of the learner's has its name"
    relative = Path(name).with_name(beside.name).as_posix()
    return Action("kept", name, f"{reason}; the course's new version is beside it: {relative}", beside=relative)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m javadl.course_update",
        description="Bring the course in a learner's work folder up to date, keeping the learner's work.",
    )
    parser.add_argument("course", type=Path, help="the course the image ships (/home/learner/javadl/notebooks)")
    parser.add_argument("work", type=Path, help="the learner's work folder (/home/learner/work)")
    args = parser.parse_args(argv)
    if not args.course.is_dir():
        print(f"{LOG_PREFIX} no course folder {args.course}: the work folder is left as it is", file=sys.stderr)
        return 2
    actions = update(args.course, args.work, log=lambda line: print(line, flush=True))
    return 1 if any(a.kind == "failed" for a in actions) else 0


if __name__ == "__main__":
    sys.exit(main())
