"""Stamp everything a build reads by file names, times and sizes, to know without reading that nothing changed.

Side effects: it lists and stats the site's files (site.yaml, content/, static/, themes/ and the shipped
themes), and reads only those changed in the last moments, whose times cannot be trusted (as git does).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.content.sources import MARKDOWN_SUFFIXES, RACY_NS, read_file
from generator.layout import CONFIG_FILE, READ_FOLDERS, SHIPPED_THEMES


def _entries(folder: Path) -> Iterator[tuple[str, os.stat_result | None]]:
    """List every file and folder below a folder, links followed (each folder once), with its status."""
    seen: set[tuple[int, int]] = set()
    todo = [folder]
    while todo:
        current = todo.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable: its name and mode are stamped by its parent
        for entry in entries:
            try:
                status: os.stat_result | None = entry.stat()
            except OSError:
                status = None  # a link to nothing: stamped as such, so fixing it is a change
            yield entry.path, status
            if status is not None and stat.S_ISDIR(status.st_mode) and (status.st_dev, status.st_ino) not in seen:
                seen.add((status.st_dev, status.st_ino))
                todo.append(Path(entry.path))


def _content_digest(path: str) -> str:
    """Digest a file's bytes; empty when it cannot be read."""
    try:
        return hashlib.sha1(read_file(Path(path))).hexdigest()
    except OSError:
        return ""


@dataclass(frozen=True, slots=True)
class InputStamp:
    """What a build reads, as far as it can be told without reading it.

    `files` digests every file's name, kind, times and size, with the build's options and code; `frame`
    the same but for the times and sizes of stories (markdown files below content/), so that it tells
    when nothing but the stories' texts changed. A file changed within the file system's time
    resolution of the stamp could change again with the same time and size: its bytes' digest is kept
    (`recent_stories`, `recent_others`), and read again to compare.
    """

    files: str
    frame: str = ""
    recent_stories: tuple[tuple[str, str], ...] = ()
    recent_others: tuple[tuple[str, str], ...] = ()

    def same_as(self, earlier: InputStamp) -> bool:
        """Tell whether the inputs are as they were when `earlier` was taken."""
        return self.files == earlier.files and _same_bytes(earlier.recent_stories + earlier.recent_others)

    def same_frame(self, earlier: InputStamp) -> bool:
        """Tell whether everything but the stories' texts is as it was when `earlier` was taken."""
        return self.frame == earlier.frame and _same_bytes(earlier.recent_others)


def _same_bytes(files: tuple[tuple[str, str], ...]) -> bool:
    """Tell whether files still have the bytes they had."""
    return all(_content_digest(path) == known for path, known in files)


def input_stamp(root: Path, options: str, code: str) -> InputStamp:
    """Stamp every file a build reads (site.yaml, content/, static/, themes), with its options and code."""
    digest = hashlib.sha1(f"{code}\0{options}\0".encode())
    frame = digest.copy()
    moments_ago = time.time_ns() - RACY_NS
    recent: dict[bool, list[tuple[str, str]]] = {True: [], False: []}
    stories = str(root / "content") + os.sep
    folders = [*(root / name for name in READ_FOLDERS), SHIPPED_THEMES]
    for path, status in itertools.chain([_config_entry(root)], *map(_entries, folders)):
        story = path.startswith(stories) and path.lower().endswith(MARKDOWN_SUFFIXES)
        kind, times = "-" if status is None else str(status.st_mode), ""
        # A folder's time changes with every editor's temporary file: its listing says what matters.
        if status is not None and not stat.S_ISDIR(status.st_mode):
            times = f"{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_size}:{status.st_ino}"
            if max(status.st_mtime_ns, status.st_ctime_ns) >= moments_ago:
                recent[story].append((path, _content_digest(path)))
        digest.update(f"{path}\0{kind}:{times}\0".encode())
        frame.update(f"{path}\0{kind}:{'' if story else times}\0".encode())
    return InputStamp(digest.hexdigest(), frame.hexdigest(), tuple(recent[True]), tuple(recent[False]))


def _config_entry(root: Path) -> tuple[str, os.stat_result | None]:
    """Give site.yaml's path and status (None when it is missing)."""
    path = root / CONFIG_FILE
    try:
        return str(path), path.stat()
    except OSError:
        return str(path), None
