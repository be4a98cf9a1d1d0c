"""Files written whole or not at all, copied only when they differ, and the stamps that record what an output was
made from, so that a second install does nothing.

Everything here writes to `<name>.partial` first and renames it into place: a reader never sees half a file, and an
interrupted install leaves the old file, not a broken one (a folder is renamed aside first, so an install
interrupted between the two renames leaves none, and the next one writes it again).
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def partial_path(path: Path) -> Path:
    """The temporary name `path` is written under before it is renamed into place."""
    return path.with_name(path.name + ".partial")


def replace_with(path: Path, write: Callable[[Path], None]) -> None:
    """Calls `write` with a temporary path beside `path`, then renames what it wrote over `path` (a file, a link or
    a folder); when `write` fails, the temporary is removed and `path` is unchanged."""
    partial = partial_path(path)
    remove(partial)
    try:
        write(partial)
        if is_folder(partial) and is_folder(path):  # os.replace moves a folder only onto an empty one
            aside = path.with_name(path.name + ".old.partial")
            remove(aside)
            os.replace(path, aside)
            os.replace(partial, path)
            remove(aside)
        else:
            os.replace(partial, path)
    finally:
        remove(partial)


def is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def remove(path: Path) -> None:
    if is_folder(path):
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_if_changed(path: Path, text: str) -> bool:
    """Writes `text` to `path` unless it holds it already; returns whether it wrote."""
    if is_stamped(path, text):
        return False
    replace_with(path, lambda partial: partial.write_text(text, encoding="utf-8"))
    return True


def is_stamped(stamp: Path, text: str) -> bool:
    """Whether the file `stamp` holds `text`: the record of the inputs an output was made from, written once the
    output is whole (with write_if_changed)."""
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == text


def sync_file(source: Path, target: Path) -> bool:
    """Copies source over target unless they already hold the same bytes (a rebuilt but identical jar is left
    alone); returns whether it copied."""
    if target.exists() and filecmp.cmp(source, target, shallow=True):
        return False
    replace_with(target, lambda partial: shutil.copy2(source, partial))
    return True


def sync_folder(source: Path, target: Path, keep: frozenset[str] = frozenset(), skip: str | None = None) -> bool:
    """Makes target hold exactly source's files but those matching the pattern `skip`, and those named in `keep`
    where it has them; copies only what differs. Returns whether anything changed."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in source.iterdir() if p.is_file() and not (skip and p.match(skip))}
    keep = keep - wanted
    changed = False
    for stale in [p for p in target.iterdir() if p.name not in wanted | keep]:
        stale.unlink()
        changed = True
    for name in sorted(wanted):
        changed |= sync_file(source / name, target / name)
    return changed
