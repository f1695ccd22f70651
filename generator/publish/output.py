"""Write a rendered site into the output folder. The only module that writes there.

Rendered files are staged as they are made, in a hidden folder inside the output folder, and moved
into place only once every output rendered without error: a build holds no page in memory after it is
rendered, and a failed build removes what it staged, leaving output/ as it was. Each file is written
only when its bytes changed, and moved into place by a rename, so a build that dies at any moment
leaves each file whole, old or new. A manifest remembers what Gazette wrote, so a later build removes
its own stale files and never anything else (a CNAME, a .git folder, files a deploy tool put there),
and knows when the last build did not finish: only once every file is on the disk does it say that
this build finished, so even a power cut is repaired by the next build. The manifest is kept in the
site's cache folder, one per output folder, so that it is never published with the site.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildFailed, Diagnostic
from generator.model import Output

MANIFESTS = "manifests"  # the cache folder's folder of manifests, one per output folder
LEGACY_MANIFEST = ".gazette-manifest.json"  # where earlier versions kept it: inside the output folder
STAGING = ".gazette-staging"  # where a build's new files wait until every output has rendered
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".gazette-", ".tmp"


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing changed: files written, left as they were, and removed."""

    written: int
    unchanged: int
    removed: int


@dataclass(frozen=True, slots=True)
class OutputFolder:
    """An output folder, and the file in the cache folder that lists what Gazette generated in it."""

    path: Path
    manifest: Path

    @classmethod
    def of(cls, path: Path, cache_dir: Path) -> OutputFolder:
        """Name the manifest of an output folder after its absolute path, so each folder has its own."""
        key = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:20]
        return cls(path, cache_dir / MANIFESTS / f"{key}.json")

    @property
    def legacy_manifest(self) -> Path:
        """Where an earlier version of Gazette kept the manifest, read once and removed."""
        return self.path / LEGACY_MANIFEST


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the output folder's manifest says: the files Gazette generated, and whether that build finished."""

    files: frozenset[str]
    finished: bool


def read_manifest(file: Path) -> Manifest:
    """Read a manifest; none, or an unreadable one, lists nothing and counts as unfinished."""
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return Manifest(frozenset(), False)
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return Manifest(frozenset(), False)
    files = frozenset(f for f in data["files"] if isinstance(f, str))
    return Manifest(files, data.get("finished", True) is not False)  # older manifests lack the flag: finished


def manifest_stamp(folder: OutputFolder) -> str | None:
    """Identify the manifest as last written (every write makes a new file, so a new stamp); None without one."""
    try:
        stat = folder.manifest.stat()
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
def _writing(path: Path, *, touching: bool = True) -> Iterator[None]:
    """Turn a failure to write or remove `path` into a located error that says what to do.

    `touching` says whether a failure there leaves output/ changed (not while staging: that is undone).
    """
    try:
        yield
    except OSError as error:
        raise BuildFailed((Diagnostic(str(path), 1, 1, write_advice(error)),), output_touched=touching) from None


def _inside(out_dir: Path, relative: str) -> Path:
    """Resolve a generated path, refusing any that would land outside the output folder."""
    target = out_dir / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ValueError(f"refusing to write outside the output folder: {relative}")
    return target


def _temporary(folder: Path, data: bytes, *, durable: bool = False) -> str:
    """Write bytes into a new temporary file in a folder, readable by all, and give its path.

    `durable` flushes the bytes to the disk (fsync), for a file whose word counts after a power cut;
    other files are flushed all at once by who wrote them, far faster than one by one.
    """
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file, flushed to the disk, so that readers see the old bytes or the new ones, never half of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path.parent, data, durable=True)
    try:
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


def _write_manifest(file: Path, files: frozenset[str], *, finished: bool) -> None:
    """List the generated files, saying whether the build that wrote them finished."""
    data = json.dumps({"generator": "gazette", "finished": finished, "files": sorted(files)}, indent=0)
    with _writing(file):
        write_atomic(file, data.encode())


def _previous_manifest(folder: OutputFolder) -> tuple[Manifest, bool]:
    """Read the last build's manifest, or the one an earlier version left in the output folder (then say so)."""
    if folder.manifest.exists() or not folder.legacy_manifest.is_file():
        return read_manifest(folder.manifest), False
    return read_manifest(folder.legacy_manifest), True


def _holds(target: Path, data: bytes) -> bool:
    """Tell whether a file already holds exactly these bytes (a link is never trusted to)."""
    try:
        return target.is_file() and not target.is_symlink() and target.read_bytes() == data
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Staged:
    """An output rendered: its path inside output/, and its staged file, or None when its file already holds it.

    `reads` is what the rendering read of stories' texts (`Output.reads`).
    """

    path: str
    staged: str | None
    reads: frozenset[str] | None = None


class Staging:
    """The files of one build, staged beside the output folder's own until the build commits or discards them.

    Made before rendering: a staging folder that a killed build left is removed. `stage` may be called
    from forked workers; the folder (and the output folder, on a first build) is made by the first file
    that needs it, so a build that changes nothing makes nothing.
    """

    def __init__(self, target: OutputFolder) -> None:
        self.target = target
        self.out_dir = out_dir = target.path
        self.folder = out_dir / STAGING
        self.made_out_dir = not out_dir.exists()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stage(self, output: Output) -> Staged:
        """Write an output's bytes into the staging folder, unless its file already holds them."""
        if _holds(_inside(self.out_dir, output.path), output.data):
            return Staged(output.path, None, output.reads)
        if not self.folder.is_dir():
            with _writing(self.out_dir, touching=False):
                self.out_dir.mkdir(parents=True, exist_ok=True)
                self.folder.mkdir(exist_ok=True)
        with _writing(self.out_dir / output.path, touching=False):
            staged = _temporary(self.folder, output.data)
        return Staged(output.path, os.path.basename(staged), output.reads)

    def scratch(self, name: str) -> Path:
        """Make an empty folder inside the staging folder for work whose results are staged after, and give it."""
        folder = self.folder / name
        with _writing(folder, touching=False):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        return folder

    def holder(self, staged: Staged) -> Path:
        """Give the file that holds a rendered output's bytes: its staged file, or its file in the output folder."""
        return self.folder / staged.staged if staged.staged is not None else _inside(self.out_dir, staged.path)

    def discard(self) -> None:
        """Remove what was staged: the output folder is left as it was (none, if there was none)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.made_out_dir:
            with suppress(OSError):  # only if empty: never a file that someone else put there meanwhile
                self.out_dir.rmdir()

    def commit(self, staged: Iterable[Staged], kept: frozenset[str] = frozenset()) -> WriteReport:
        """Move the staged files into place, remove stale generated files, update the manifest.

        `kept` names generated files that were not rendered again because their inputs did not change.
        A failure raises BuildFailed naming the file; what was moved by then is whole, and listed.
        """
        try:
            return self._commit(tuple(staged), kept)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _commit(self, staged: tuple[Staged, ...], kept: frozenset[str]) -> WriteReport:
        """Commit, leaving the staging folder to be removed."""
        out_dir, manifest = self.out_dir, self.target.manifest
        with _writing(out_dir):
            out_dir.mkdir(parents=True, exist_ok=True)
        previous, legacy = _previous_manifest(self.target)
        if not previous.finished:
            with _writing(out_dir):
                remove_temporaries(out_dir)
        # A build killed while it wrote a manifest, even the first (which leaves the last one finished), left
        # its temporary file beside them: the manifests' folder is Gazette's own, and small.
        with _writing(manifest.parent):
            remove_temporaries(manifest.parent)
        current = frozenset(s.path for s in staged) | kept
        changed = [s for s in staged if s.staged is not None]
        stale = previous.files - current
        if previous.finished and not changed and previous.files == current and not legacy:
            return WriteReport(0, len(staged), 0)  # nothing to do: not even the manifest is written again
        # Listed before any file is moved: should this build die half-way, the next one still knows
        # every file it wrote as Gazette's own, and removes those it no longer generates.
        _write_manifest(manifest, previous.files | current, finished=False)
        if legacy:  # now known from the cache folder: it is no longer published with the site
            with _writing(self.target.legacy_manifest):
                self.target.legacy_manifest.unlink(missing_ok=True)
        folders: set[Path] = set()
        for output in changed:
            assert output.staged is not None
            target = _inside(out_dir, output.path)
            with _writing(target):
                if target.parent not in folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(target.parent)
                os.replace(self.folder / output.staged, target)
        written, unchanged = len(changed), len(staged) - len(changed)
        removed = _remove_stale(out_dir, stale)
        if written:
            os.sync()  # every new file on the disk before the manifest says this build finished
        _write_manifest(manifest, current, finished=True)
        return WriteReport(written, unchanged, removed)


def write_outputs(outputs: Iterable[Output], target: OutputFolder, kept: frozenset[str] = frozenset()) -> WriteReport:
    """Write every output whose bytes changed, remove stale generated files, update the manifest.

    `kept` names generated files that were not rendered again because their inputs did not change.
    A failure to stage a file leaves the output folder as it was; a failure later names the file, and
    what was written by then is whole, and listed.
    """
    staging = Staging(target)
    try:
        staged = [staging.stage(output) for output in outputs]
    except BaseException:
        staging.discard()
        raise
    return staging.commit(staged, kept)
