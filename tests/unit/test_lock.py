import os
from pathlib import Path

import pytest

from generator.lock import LOCK_FILE, site_lock
from tests.conftest import is_locked


def test_the_lock_is_held_inside_only_and_names_its_holder(tmp_path: Path) -> None:
    folder = tmp_path / ".gazette-cache"
    with site_lock(folder):
        assert is_locked(folder)
        assert (folder / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    assert not is_locked(folder)


def test_a_forked_child_does_not_keep_the_lock(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    ready, ready_writer = os.pipe()
    stop, stop_writer = os.pipe()
    with site_lock(folder):
        child = os.fork()
        if child == 0:  # the child outlives the parent's lock, as an orphaned worker would
            os.write(ready_writer, b"!")  # after the fork handlers ran
            os.read(stop, 1)
            os._exit(0)
        os.read(ready, 1)
    try:
        assert not is_locked(folder)
    finally:
        os.write(stop_writer, b"!")
        os.waitpid(child, 0)
        for fd in (ready, ready_writer, stop, stop_writer):
            os.close(fd)


def test_a_cache_folder_that_cannot_be_made_builds_unlocked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    with site_lock(tmp_path / "file" / "cache"):
        pass
    assert capsys.readouterr().err == ""
