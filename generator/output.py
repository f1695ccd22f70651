"""Write a rendered site into the output folder. The only module that writes there.

Each file is written atomically (temporary file, then renamed) and only when its bytes changed, so a
build that dies at any moment leaves each file whole, old or new. A manifest remembers what Gazette
wrote, so a later build removes its own stale files and never anything else (a CNAME, a .git folder,
files a deploy tool put there), and knows when the last build did not finish: only once every file
is on the disk does it say that this build finished, so even a power cut is repaired by the next build.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildFailed, Diagnostic
from generator.model import Output

MANIFEST = ".gazette-manifest.json"
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".gazette-", ".tmp"


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing changed: files written, left as they were, and removed."""

    written: int
    unchanged: int
    removed: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the output folder's manifest says: the files Gazette generated, and whether that build finished."""

    files: frozenset[str]
    finished: bool


def read_manifest(out_dir: Path) -> Manifest:
    """Read the manifest; none, or an unreadable one, lists nothing and counts as unfinished."""
    try:
        data = json.loads((out_dir / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return Manifest(frozenset(), False)
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return Manifest(frozenset(), False)
    files = frozenset(f for f in data["files"] if isinstance(f, str))
    return Manifest(files, data.get("finished", True) is not False)  # older manifests lack the flag: finished


def manifest_stamp(out_dir: Path) -> str | None:
    """Identify the manifest as last written (every write makes a new file, so a new stamp); None without one."""
    try:
        stat = (out_dir / MANIFEST).stat()
    except OSError:
        return None
    return f"{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_size}"


def write_advice(error: OSError) -> str:
    """Say why a file could not be written, and what to do about it."""
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot be written: {reason}; free some space on that disk, then build again"
    if error.errno == errno.EROFS:
        return f"cannot be written: {reason}; build into a writable folder with --output DIR"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"cannot be written: {reason}; make the folder writable by you, or build elsewhere with --output DIR"
    return f"cannot be written: {reason}; fix what is in the way, then build again"


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn a failure to write or remove `path` into a located error that says what to do."""
    try:
        yield
    except OSError as error:
        raise BuildFailed((Diagnostic(str(path), 1, 1, write_advice(error)),), output_touched=True) from None


def _inside(out_dir: Path, relative: str) -> Path:
    """Resolve a generated path, refusing any that would land outside the output folder."""
    target = out_dir / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ValueError(f"refusing to write outside the output folder: {relative}")
    return target


def write_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write a file so that readers see the old bytes or the new ones, never half of them.

    `durable` flushes the bytes to the disk (fsync) before the rename, for a file whose word counts
    after a power cut; other files are flushed all at once by who wrote them, far faster than one by one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_temporaries(folder: Path) -> None:
    """Remove the temporary files a killed build left below a folder (dot-folders, never Gazette's, are skipped)."""
    for directory, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".")]
        for name in names:
            if name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX):
                Path(directory, name).unlink(missing_ok=True)


def _remove_stale(out_dir: Path, stale: frozenset[str]) -> int:
    """Remove files an earlier build generated and this one did not, and folders left empty."""
    removed = 0
    for relative in sorted(stale, reverse=True):
        target = _inside(out_dir, relative)
        with _writing(target):
            if target.is_file() or target.is_symlink():
                target.unlink()
                removed += 1
            parent = target.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return removed


def _write_manifest(out_dir: Path, files: frozenset[str], *, finished: bool) -> None:
    """List the generated files, saying whether the build that wrote them finished."""
    data = json.dumps({"generator": "gazette", "finished": finished, "files": sorted(files)}, indent=0)
    with _writing(out_dir / MANIFEST):
        write_atomic(out_dir / MANIFEST, data.encode(), durable=True)


def _holds(target: Path, data: bytes) -> bool:
    """Tell whether a file already holds exactly these bytes (a link is never trusted to)."""
    try:
        return target.is_file() and not target.is_symlink() and target.read_bytes() == data
    except OSError:
        return False


def write_outputs(outputs: tuple[Output, ...], out_dir: Path, kept: frozenset[str] = frozenset()) -> WriteReport:
    """Write every output whose bytes changed, remove stale generated files, update the manifest.

    `kept` names generated files that were not rendered again because their inputs did not change.
    A failure raises BuildFailed naming the file; what was written by then is whole, and listed.
    """
    with _writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(out_dir)
    if not previous.finished:
        with _writing(out_dir):
            remove_temporaries(out_dir)
    current = frozenset(o.path for o in outputs) | kept
    changed = [o for o in outputs if not _holds(_inside(out_dir, o.path), o.data)]
    stale = previous.files - current
    if previous.finished and not changed and previous.files == current:
        return WriteReport(0, len(outputs), 0)  # nothing to do: not even the manifest is written again
    # Listed before any file is written: should this build die half-way, the next one still knows
    # every file it wrote as Gazette's own, and removes those it no longer generates.
    _write_manifest(out_dir, previous.files | current, finished=False)
    for output in changed:
        target = _inside(out_dir, output.path)
        with _writing(target):
            write_atomic(target, output.data)
    written, unchanged = len(changed), len(outputs) - len(changed)
    removed = _remove_stale(out_dir, stale)
    if written:
        os.sync()  # every new file on the disk before the manifest says this build finished
    _write_manifest(out_dir, current, finished=True)
    return WriteReport(written, unchanged, removed)
