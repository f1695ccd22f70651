"""Read the site's text files from disk and decode them (UTF-8, with or without BOM; LF or CRLF).

A file that cannot be read (permissions, a dangling link, a named pipe that would block the build)
is a located error saying what to do, never a traceback or a hang.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator.errors import Diagnostic
from generator.model import FileStamp, KnownFile, SourceFile

MARKDOWN_SUFFIXES = (".md", ".markdown")


def decode(path: str, data: bytes) -> tuple[str, Diagnostic | None]:
    """Decode UTF-8 (a BOM is dropped) and make newlines LF; other encodings are a located error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        message = (
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8 "
            "(in most editors: 'Save with encoding')"
        )
        start = before.rfind(b"\n") + 1
        end = data.find(b"\n", exc.start)
        shown = data[start : end if end >= 0 else len(data)].decode("utf-8", errors="replace").rstrip("\r")
        return "", Diagnostic(path, line, col, message, source_line=shown)
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


class NotAFile(OSError):
    """A path that is no regular file (a folder, a named pipe, a device): reading it could fail, block, or never end."""


_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def read_file(path: Path) -> bytes:
    """Read a regular file's bytes; raise NotAFile for anything else, without ever waiting on it."""
    # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer, maybe forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else _KINDS.get(stat.S_IFMT(mode), "a special file")
            raise NotAFile(f"is {kind}, not an ordinary file")
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def read_problem(name: str, path: Path, error: OSError) -> Diagnostic:
    """Say, at the file's first line, why it could not be read and what to do."""
    if isinstance(error, NotAFile):
        message = f"cannot be read: it {error}; put a file in its place, or remove it"
    elif isinstance(error, FileNotFoundError) and path.is_symlink():
        message = (
            f"cannot be read: it is a link to {os.readlink(path)}, which does not exist; fix the link or remove it"
        )
    elif isinstance(error, FileNotFoundError):
        message = "cannot be read: it went away while the site was read; build again"
    elif isinstance(error, PermissionError):
        message = "cannot be read: permission denied; make it readable by you (chmod a+r), then build again"
    else:
        message = f"cannot be read: {error.strerror or error}; check the file"
    return Diagnostic(name, 1, 1, message)


def read_text(name: str, path: Path) -> tuple[str, Diagnostic | None]:
    """Read and decode a text file, or say where and why it cannot be: unreadable, or not UTF-8."""
    try:
        data = read_file(path)
    except OSError as error:
        return "", read_problem(name, path, error)
    return decode(name, data)


def is_ignored(name: str) -> bool:
    """Tell whether a file name is hidden or an editor's temporary file."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", "___jb_tmp___", "___jb_old___"))
        or name == "4913"
    )


# A file changed this recently may change again within the file system's time resolution without
# its size or time changing: it is read again next time rather than trusted (as git does).
RACY_NS = 2_000_000_000


def _markdown_files(base: Path) -> Iterator[tuple[str, ...]]:
    """List the markdown files below a folder as path parts, leaving hidden and temporary ones out."""
    for directory, folders, names in os.walk(base):
        folders[:] = [f for f in folders if not is_ignored(f)]
        inside = Path(directory).relative_to(base).parts
        for name in names:
            if not is_ignored(name) and name.lower().endswith(MARKDOWN_SUFFIXES):
                yield (*inside, name)


def read_source(name: str, path: Path) -> SourceFile | Diagnostic:
    """Read and decode one markdown file, or say where and why it cannot be."""
    try:
        data = read_file(path)
    except OSError as error:
        return read_problem(name, path, error)
    text, problem = decode(name, data)
    return problem if problem else SourceFile(name, text, hashlib.sha256(data).hexdigest())


def text_reader(files: Iterable[KnownFile]) -> Callable[[str], str]:
    """Make the function that reads one of these files' text by its path ("" when it cannot be read).

    For what needs a story's text only now and then, like locating a broken link.
    """
    where = {file.path: file.where for file in files}

    def text_of(path: str) -> str:
        read = read_source(path, where[path]) if path in where else None
        return read.text if isinstance(read, SourceFile) else ""

    return text_of


def read_sources(
    root: Path, folder: str = "content", known: dict[str, FileStamp] | None = None
) -> tuple[tuple[KnownFile, ...], tuple[Diagnostic, ...]]:
    """Digest every markdown file below root/folder, in path order; the text is read again where it is parsed.

    Only digests are kept: the stories' text, 130 MB at 10,000 stories, is never all in memory at
    once. `known` maps a path to the times, size and inode it had when its bytes had a digest: a
    file whose stamp did not change is not read at all. It is brought up to date with the files
    read, but for those changed too recently to trust their times.
    """
    started = time.time_ns()
    base = root / folder
    files: list[KnownFile] = []
    problems: list[Diagnostic] = []
    if not base.is_dir():
        return (), ()
    for parts in sorted(_markdown_files(base)):
        path = base.joinpath(*parts)
        name = "/".join((folder, *parts))
        try:
            status = path.stat()
        except OSError as error:
            problems.append(read_problem(name, path, error))
            continue
        stamp = (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
        remembered = known.get(name) if known is not None else None
        if remembered is not None and remembered[:4] == stamp and stat.S_ISREG(status.st_mode):
            files.append(KnownFile(name, remembered[4], path))
            continue
        try:
            digest = hashlib.sha256(read_file(path)).hexdigest()
        except OSError as error:
            problems.append(read_problem(name, path, error))
            continue
        files.append(KnownFile(name, digest, path))
        if known is None:
            continue
        if max(status.st_mtime_ns, status.st_ctime_ns) < started - RACY_NS:
            known[name] = (*stamp, digest)
        else:  # it may change again within the times' resolution, leaving them as they are
            known.pop(name, None)
    if known is not None:  # forget deleted files, and those that cannot be read
        for gone in known.keys() - {f.path for f in files}:
            del known[gone]
    return tuple(files), tuple(problems)
