import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.workers import collection_paused, worker_pool
from tests.conftest import REPO

# A build that dies while its workers work: it starts them, says who they are, and waits to be killed.
ORPHANING = """
import os, sys, time
from generator.workers import worker_pool
with worker_pool(2, sys.argv[1]) as pool:
    futures = [pool.submit(time.sleep, 600) for _ in range(2)]
    time.sleep(1)
    print(" ".join(str(p) for p in pool._processes), flush=True)
    time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie waiting to be reaped does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_end_when_their_build_is_killed(start: str) -> None:
    build = subprocess.Popen([sys.executable, "-c", ORPHANING, start], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    workers = [int(pid) for pid in build.stdout.readline().split()]
    assert len(workers) == 2 and all(alive(pid) for pid in workers)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = [pid for pid in workers if alive(pid)]
    for pid in orphans:  # leave no process behind, even when failing
        os.kill(pid, signal.SIGKILL)
    assert orphans == []


def test_a_pool_runs_work_and_joins_its_workers() -> None:
    with worker_pool(2, "fork") as pool:
        assert list(pool.map(abs, [-1, -2, 3])) == [1, 2, 3]
        workers = list(pool._processes.values())
    assert all(not worker.is_alive() for worker in workers)


def test_leaving_a_pool_early_drops_the_work_not_yet_started() -> None:
    with pytest.raises(KeyboardInterrupt), worker_pool(2, "fork") as pool:
        futures = [pool.submit(time.sleep, 0.5) for _ in range(20)]
        raise KeyboardInterrupt
    # Dropped, not run: counted rather than timed, since a loaded machine makes any time bound flaky.
    assert sum(future.cancelled() for future in futures) >= 16


def test_collection_is_paused_while_a_site_is_assembled_then_resumed_and_all_unfrozen_even_on_error() -> None:
    """A build reads with the collector paused, renders with the site frozen, and leaves the collector as it was."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(KeyboardInterrupt), collection_paused() as resume:
        assert not gc.isenabled()
        resume()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        raise KeyboardInterrupt
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with collection_paused() as resume:
            resume()
            assert not gc.isenabled()  # paused by someone else before: left paused
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
