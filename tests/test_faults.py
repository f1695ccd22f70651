"""Faults: whatever happens to a build, it ends in a site or in located errors, never a traceback or a hang.

Unreadable sources, a full or read-only disk, a build killed at any moment, two builds at once, a
damaged cache: each test asserts the exact message, and that the output folder holds whole files
that the next build turns into exactly what a clean build makes.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import NOW, Run, gazette, snapshot, write_tree

SITE: dict[str, str | bytes] = {
    "site.yaml": "title: Faults\nbase_url: https://example.org/\n",
    "content/posts/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [A]\n---\nFirst.\n",
    "content/posts/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [B]\n---\nSecond.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
    "static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "site", SITE)


def run_build(site: Path) -> Run:
    return gazette("build", "--site", site, "--now", NOW)


def clean_build(site: Path) -> dict[str, bytes]:
    """Build a copy of the site, without its cache or output, and return its output tree."""
    copy = site.parent / f"clean-{time.monotonic_ns()}"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".gazette-cache"), symlinks=True)
    run = run_build(copy)
    assert run.code == 0, run.err
    return snapshot(copy / "output")


def temporaries(folder: Path) -> list[str]:
    """List Gazette's temporary files below a folder."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".gazette-*.tmp"))


# --- Unreadable sources -------------------------------------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")  # read to the end, it never ends


def _dangling(path: Path) -> None:
    path.symlink_to("gone.md")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_fifo, "it is a named pipe (FIFO), not a text file; replace it with a text file, or remove it"),
        (_device, "it is a device, not a text file; replace it with a text file, or remove it"),
        (_dangling, "it is a link to gone.md, which does not exist; fix the link or remove it"),
    ],
    ids=["fifo", "device", "dangling-link"],
)
def test_a_source_that_is_not_a_file_is_a_located_error_not_a_hang(
    site: Path, make: Callable[[Path], None], message: str
) -> None:
    assert run_build(site).code == 0
    before = snapshot(site / "output")
    make(site / "content/posts/odd.md")
    # In a process of its own, so that a hang fails the test instead of stopping the suite.
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--now", NOW],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stderr == (
        f"content/posts/odd.md:1:1: error: cannot be read: {message}\n"
        "Build failed: 1 error in 1 file; output/ was left as it was.\n"
    )
    assert snapshot(site / "output") == before


def test_a_source_without_read_permission_is_a_located_error(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, whom chmod 000 does not stop: the refusal is the operating system's answer, faked.
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if str(path).endswith("two.md"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    run = run_build(site)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{os.path.relpath(site / 'content/posts/two.md')}:1:1: error: cannot be read: permission denied; "
        "make it readable by you (chmod a+r), then build again"
    )


def test_an_unreadable_static_file_is_a_located_error(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if str(path).endswith("logo.svg"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    run = run_build(site)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{os.path.relpath(site / 'static/logo.svg')}:1:1: error: cannot be read: permission denied; "
        "make it readable by you (chmod a+r), then build again"
    )
    assert not (site / "output").exists()


def test_a_folder_named_like_a_story_is_walked_into(site: Path) -> None:
    write_tree(site, {"content/posts/folder.md/three.md": "---\ntitle: Three\ndate: 2024-03-01\n---\nThird.\n"})
    run = run_build(site)
    assert run.code == 0, run.err
    assert (site / "output/2024/03/three/index.html").is_file()
