"""One build of a site at a time: an exclusive lock on a file in the cache folder. Side effects: that file.

`gazette build`, and each build of `gazette serve` and `gazette watch`, holds the lock from reading the
first source to writing the last output, so two builds never interleave their writes. The holder's
process id is kept in the file, so a build that must wait can say whom it waits for.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

LOCK_FILE = "build.lock"

_held: set[int] = set()  # the descriptors of held locks, closed in forked children


def _forget_in_child() -> None:
    """Close a forked child's copies of held locks (the parent still holds them), so no child outlives one."""
    for fd in _held:
        os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def _holder(fd: int) -> str:
    """Name the process that holds the lock, as far as its file says."""
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f" (process {pid})" if pid.isdigit() else ""


@contextmanager
def site_lock(folder: Path) -> Iterator[None]:
    """Hold the build lock of the site whose cache folder this is; wait, saying so once, while another holds it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        fd = -1  # a cache folder that cannot be written cannot hold a lock: building unlocked beats not building
    if fd < 0:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"gazette: waiting for another build of this site{_holder(fd)} to finish…", file=sys.stderr, flush=True
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held.add(fd)
        with suppress(OSError):  # only a courtesy to a build that waits: a full disk must not stop this one
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # releases the lock
