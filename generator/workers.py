"""Worker processes for parsing and rendering in parallel, which never outlive the build that started them.

A pool's workers are joined when it closes, its pending work dropped when the build stops early (Ctrl-C),
and the resource tracker that a spawning pool starts is stopped and joined with it;
should the build be killed outright (SIGKILL, the OOM killer), each worker is ended by the kernel with it
(Linux's parent-death signal), instead of waiting forever for work, and holding memory, as an orphan.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from multiprocessing import resource_tracker
from typing import Literal

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with(parent: int) -> None:
    """In a new worker: ask to be killed when the parent dies, and end now if it already has.

    Ctrl-C reaches every process of the terminal's group: the build decides what it means, not its workers.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()  # a worker collects its own garbage, if forked while a build paused collection
    with suppress(OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def can_fork() -> bool:
    """Tell whether workers may be forked: the platform can, and this process runs no other thread.

    Forking a process with threads (`gazette serve`'s server) can deadlock the child on a lock that
    another thread held; forking a single-threaded one is safe, and starts a worker in milliseconds
    where spawning takes a second (a new interpreter imports Gazette and its libraries again).
    """
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


@contextmanager
def worker_pool(workers: int, start: Literal["fork", "spawn"]) -> Iterator[ProcessPoolExecutor]:
    """Run a pool of worker processes that end with this one; leaving early drops the work not yet started."""
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(start), initializer=_end_with, initargs=(os.getpid(),)
    )
    finished = False
    try:
        yield pool
        finished = True
    finally:
        pool.shutdown(wait=True, cancel_futures=not finished)
        _stop_resource_tracker()


@contextmanager
def collection_paused() -> Iterator[Callable[[], None]]:
    """Pause the garbage collector while a build reads and assembles the site; give what resumes it.

    Reading 10,000 stories makes millions of objects that live until the build ends, and Python's
    collector walks all of them again each time their number grows by a quarter: about a second of a
    build that renders one edited story. None of them is garbage. Resuming freezes what exists by then,
    so that no later collection walks it, in this process or in the workers forked to render (which
    then share those objects' pages instead of copying them), and collects what rendering leaves. The
    end of the build unfreezes everything, so that a long-lived `gazette serve` frees the last site.
    """
    enabled = gc.isenabled()
    gc.disable()

    def resume() -> None:
        gc.freeze()
        if enabled:
            gc.enable()

    try:
        yield resume
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _stop_resource_tracker() -> None:
    """Stop and join the resource tracker a spawning pool started, so that it does not outlive the build.

    Left alone, it ends only after this process has, when it sees its pipe close: a process left behind
    in the build's group. A later pool starts it again.
    """
    stop = getattr(resource_tracker._resource_tracker, "_stop", None)  # private: absent, the old way stays
    if stop is not None:
        stop()
