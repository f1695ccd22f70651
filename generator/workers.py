"""Worker processes for parsing and rendering in parallel, which never outlive the build that started them.

A pool's workers are joined when it closes; should the build be killed first (SIGKILL, the OOM killer),
each worker is ended by the kernel with it (Linux's parent-death signal), instead of waiting forever
for work, and holding memory, as an orphan.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from typing import Literal

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with(parent: int) -> None:
    """In a new worker: ask to be killed when the parent dies, and end now if it already has."""
    with suppress(OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def worker_pool(workers: int, start: Literal["fork", "spawn"]) -> ProcessPoolExecutor:
    """Start a pool of worker processes that end with this one."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(start), initializer=_end_with, initargs=(os.getpid(),)
    )
