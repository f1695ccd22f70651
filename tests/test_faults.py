"""Faults: whatever happens to a build, it ends in a site or in located errors, never a traceback or a hang.

Unreadable sources, a full or read-only disk, a build killed at any moment, two builds at once, a
damaged cache: each test asserts the exact message, and that the output folder holds whole files
that the next build turns into exactly what a clean build makes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from generator.build import BuildOptions, SiteBuilder, build
from generator.content.articles import PARALLEL_FROM
from generator.errors import BuildFailed
from generator.publish.output import MANIFESTS, OutputFolder, read_manifest
from generator.render.pages import PARALLEL_RENDER_FROM
from generator.site.cache import CACHE_DIR, DATABASE, SCHEMA
from tests.conftest import (
    NOW,
    REPO,
    Run,
    change_cache,
    gazette,
    is_locked,
    refuse_to_open,
    refuse_writes_after,
    snapshot,
    stored_articles,
    write_tree,
)

SITE: dict[str, str | bytes] = {
    # Without search: Pagefind's filter indexes vary in order, and these tests compare whole trees.
    "site.yaml": "title: Faults\nbase_url: https://example.org/\nsearch: false\n",
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
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")  # read to the end, it never ends


def _dangling(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("gone.md")


PIPE = "it is a named pipe (FIFO), not an ordinary file; put a file in its place, or remove it"
DEVICE = "it is a device, not an ordinary file; put a file in its place, or remove it"
LINK = "it is a link to gone.md, which does not exist; fix the link or remove it"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("content/posts/odd.md", _fifo, PIPE),
        ("content/posts/odd.md", _device, DEVICE),
        ("content/posts/odd.md", _dangling, LINK),
        ("site.yaml", _fifo, PIPE),
        ("site.yaml", _dangling, LINK),
        ("static/logo.svg", _dangling, LINK),
        ("static/feed.css", _fifo, PIPE),
    ],
    ids=["fifo", "device", "dangling-link", "site.yaml-fifo", "site.yaml-dangling-link", "static-link", "static-fifo"],
)
def test_a_source_that_is_not_a_file_is_a_located_error_not_a_hang(
    site: Path, name: str, make: Callable[[Path], None], message: str
) -> None:
    assert run_build(site).code == 0
    before = snapshot(site / "output")
    make(site / name)
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
        f"{name}:1:1: error: cannot be read: {message}\nBuild failed: 1 error in 1 file; output/ was left as it was.\n"
    )
    assert snapshot(site / "output") == before


@pytest.mark.parametrize("name", ["content/posts/two.md", "static/logo.svg"])
def test_a_file_without_read_permission_is_a_located_error(
    site: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Tests run as root, whom chmod 000 does not stop: the refusal is the operating system's answer, faked.
    refuse_to_open(monkeypatch, name)
    run = run_build(site)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{os.path.relpath(site / name)}:1:1: error: cannot be read: permission denied; "
        "make it readable by you (chmod a+r), then build again"
    )
    assert not (site / "output").exists()


def test_a_folder_named_like_a_story_is_walked_into(site: Path) -> None:
    write_tree(site, {"content/posts/folder.md/three.md": "---\ntitle: Three\ndate: 2024-03-01\n---\nThird.\n"})
    run = run_build(site)
    assert run.code == 0, run.err
    assert (site / "output/2024/03/three/index.html").is_file()


# --- A full or read-only disk --------------------------------------------------------------------------


def test_a_full_disk_stops_the_build_with_output_as_it_was_and_the_next_build_repairs(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_build(site).code == 0
    old = snapshot(site / "output")
    (site / "site.yaml").write_text("title: Faults, renamed\nbase_url: https://example.org/\nsearch: false\n", "utf-8")
    new = clean_build(site)
    with monkeypatch.context() as patch:
        refuse_writes_after(patch, 3)  # three pages staged, then the disk is full
        run = run_build(site)
    assert run.code == 1
    where, message = run.err.splitlines()[0].split(":1:1: ")
    assert Path(where).resolve().is_relative_to((site / "output").resolve())
    assert message == (
        "error: cannot be written: No space left on device; free some space on that disk, then build again"
    )
    assert run.err.splitlines()[1:] == ["Build failed: 1 error in 1 file; output/ was left as it was."]
    assert snapshot(site / "output") == old  # nothing staged is left behind
    assert temporaries(site / "output") == []
    assert run_build(site).code == 0
    assert snapshot(site / "output") == new


def test_an_output_folder_that_cannot_be_made_is_a_located_error(site: Path) -> None:
    (site / "output").write_text("not a folder", "utf-8")
    run = run_build(site)
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f"{os.path.relpath(site / 'output')}:1:1: error: cannot be written: File exists; "
        "fix what is in the way, then build again"
    )


# --- A damaged or foreign cache ------------------------------------------------------------------------


def _database(site: Path) -> Path:
    return site / CACHE_DIR / DATABASE


def _garbage(site: Path) -> None:
    _database(site).write_bytes(bytes(range(256)) * 64)


def _truncated(site: Path) -> None:
    database = _database(site)
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])


def _wrong_types(site: Path) -> None:
    change_cache(
        site / CACHE_DIR,
        """UPDATE articles SET data = json_set(data, '$.title', 5, '$.tags', json('{"$tuple": [null]}'))""",
        """UPDATE outputs SET manifest = '[1]', digests = '["index.html"]'""",
    )


def _other_version(site: Path) -> None:
    folder = site / CACHE_DIR
    change_cache(folder, f"UPDATE meta SET schema = {SCHEMA + 1}")
    # An earlier version's files: one JSON file per article, one of digests per output folder.
    write_tree(folder, {"articles/0123.json": '{"title": "Old"}', "outputs-0123.json": '{"index.html": "d1"}'})


def _folder_is_a_file(site: Path) -> None:
    shutil.rmtree(site / CACHE_DIR)
    (site / CACHE_DIR).write_bytes(b"not a folder")


def _folder_is_the_database(site: Path) -> None:
    _database(site).unlink()
    write_tree(_database(site), {"inside.txt": "x"})


@pytest.mark.parametrize(
    "damage", [_garbage, _truncated, _wrong_types, _other_version, _folder_is_a_file, _folder_is_the_database]
)
def test_a_damaged_or_foreign_cache_is_ignored_and_written_anew(site: Path, damage: Callable[[Path], None]) -> None:
    assert run_build(site).code == 0
    (old_card,) = (site / "output/2024/02/two").glob("card.*.png")  # the retitled story gets a new card
    (site / "content/posts/two.md").write_text("---\ntitle: Two, edited\ndate: 2024-02-01\n---\nNew.\n", "utf-8")
    damage(site)
    run = run_build(site)
    assert run.code == 0, run.err
    assert run.err == ""
    built, clean = snapshot(site / "output"), clean_build(site)
    if damage is _folder_is_a_file:
        # The manifest went with the cache folder: with no list of what Gazette wrote, nothing is removed
        # (it might be the user's), so the pages of tag B, which the edit emptied, and the story's old card stay
        # until output/ is emptied.
        old = old_card.relative_to(site / "output").as_posix()
        tag_b = ["tags/b/atom.xml", "tags/b/feed.json", "tags/b/feed.xml", "tags/b/index.html"]
        assert sorted(built.keys() - clean.keys()) == sorted([old, *tag_b])
        built = {path: data for path, data in built.items() if path in clean}
    assert built == clean
    again = build(BuildOptions(site, site / "output", now=dt.datetime.fromisoformat(NOW)))
    assert again.rendered == ()  # the cache was written anew, and is trusted again
    assert len(stored_articles(site / CACHE_DIR)) == 3
    # Older files pruned; the manifests of output folders kept.
    assert sorted(p.name for p in (site / CACHE_DIR).iterdir()) == ["build.lock", DATABASE, "cards", MANIFESTS]


def test_an_unwritable_cache_only_costs_time_and_is_never_trusted_stale(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_build(site).code == 0
    story = site / "content/posts/two.md"
    original = story.read_bytes()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("generator.site.cache.BuildCache._write", refuse)
    story.write_text("---\ntitle: Two, edited\ndate: 2024-02-01\n---\nNew.\n", "utf-8")
    run = run_build(site)
    assert run.code == 0, run.err
    assert snapshot(site / "output") == clean_build(site)
    # Back as it was: the cache still holds the first build's digests, which match the story again,
    # but output/ was written since; trusting them would leave the edited pages in place.
    story.write_bytes(original)
    run = run_build(site)
    assert run.code == 0, run.err
    assert snapshot(site / "output") == clean_build(site)


# --- Two builds at once --------------------------------------------------------------------------------

HOLD_LOCK = """
import sys
from pathlib import Path
from generator.lock import site_lock
with site_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def gazette_process(site: Path, *args: str, **options: object) -> subprocess.Popen[str]:
    """Start `gazette build` on a site in a process of its own."""
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--now", NOW, *args]
    return subprocess.Popen(command, cwd=REPO, text=True, **options)  # type: ignore[call-overload]


def read_line(stream: IO[str], timeout: float) -> str:
    """Read one line of a child's output, or '' when none comes in time."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def test_a_second_build_waits_for_the_first_and_says_for_whom(site: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(site / ".gazette-cache")],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    waiting: subprocess.Popen[str] | None = None
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert read_line(holder.stdout, 30) == "held\n"
        waiting = gazette_process(site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert waiting.stderr is not None
        line = read_line(waiting.stderr, 30)
        assert line == f"gazette: waiting for another build of this site (process {holder.pid}) to finish…\n"
        time.sleep(0.5)
        assert waiting.poll() is None and not (site / "output").exists()
        holder.stdin.close()  # the first build ends
        out, err = waiting.communicate(timeout=60)
    finally:
        for process in (holder, waiting):
            if process is not None:
                process.kill()
                process.wait()
    assert (waiting.returncode, err) == (0, "")  # said once, then built
    assert out.startswith("Built 2 articles and 1 page into ")
    assert snapshot(site / "output") == clean_build(site)


def test_a_long_lived_builder_holds_the_lock_only_while_building(site: Path) -> None:
    builder = SiteBuilder(BuildOptions(site, site / "output", now=dt.datetime.fromisoformat(NOW)))
    assert not isinstance(builder.rebuild(), BuildFailed)
    assert not is_locked(site / ".gazette-cache")  # `gazette serve` and `watch` wait between builds unlocked


# --- Processes -----------------------------------------------------------------------------------------


def test_a_build_leaves_no_process_behind(tmp_path: Path) -> None:
    # Enough stories to parse, and outputs to render, in worker processes.
    root = write_tree(tmp_path / "site", newsroom(max(PARALLEL_FROM, PARALLEL_RENDER_FROM), "Pooled"))
    command = [sys.executable, "-m", "generator", "build", "--site", str(root), "--now", NOW, "-q"]
    build = subprocess.Popen(command, cwd=REPO, start_new_session=True)
    assert build.wait(timeout=120) == 0
    group = build.pid  # a new session is a new process group, led by the build
    deadline = time.monotonic() + 1  # time for the kernel to reap what ended with the build
    with contextlib.suppress(ProcessLookupError):
        while time.monotonic() < deadline:
            os.killpg(group, 0)
            time.sleep(0.02)
        left = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(group)], capture_output=True, text=True)
        os.killpg(group, signal.SIGKILL)  # leave no process behind, even when failing
        pytest.fail(f"still in the build's process group after it exited:\n{left.stdout}")


# --- A build killed at any moment ----------------------------------------------------------------------


def newsroom(stories: int, title: str) -> dict[str, str | bytes]:
    """Give a site of many small stories; every page shows the site's title."""
    files: dict[str, str | bytes] = {"site.yaml": f"title: {title}\nbase_url: https://example.org/\nsearch: false\n"}
    for n in range(stories):
        files[f"content/posts/story-{n:03d}.md"] = (
            f"---\ntitle: Story {n}\ndate: 2024-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\n"
            f"tags: [T{n % 7}, U{n % 5}]\n---\nStory {n} in a few words.\n"
        )
    return files


def wait_for_writing(build: subprocess.Popen[str], out_dir: Path) -> float:
    """Wait until a build starts changing output/; give the moment, or 0 if it ended first."""

    def times() -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for p in out_dir.rglob("*.html")}

    before = times() if out_dir.exists() else {}
    while build.poll() is None:
        try:
            if not out_dir.exists() or times() == before:
                time.sleep(0.002)
                continue
        except FileNotFoundError:  # a file replaced while listed: changing
            pass
        return time.monotonic()
    return 0.0


def test_a_build_killed_or_interrupted_while_writing_is_repaired_by_the_next(tmp_path: Path) -> None:
    rng = random.Random(8)
    site = write_tree(tmp_path / "site", newsroom(150, "Round 0"))
    out_dir = site / "output"
    first = gazette_process(site, stdout=subprocess.DEVNULL)
    started = wait_for_writing(first, out_dir)
    assert first.wait(timeout=120) == 0 and started
    writing = time.monotonic() - started  # how long writing every file takes
    killed_while_writing = 0
    # Killed outright twice, then stopped by Ctrl-C, which reaches the build's whole process group.
    for round, stop in enumerate((signal.SIGKILL, signal.SIGKILL, signal.SIGINT), start=1):
        delay = rng.uniform(0, writing * 0.8)
        for attempt in range(6):  # a build faster than its first may end before the signal: again, sooner
            # Every page changes (the title), a story comes and the last round's goes: stale files to remove.
            extra: dict[str, str | bytes] = {
                f"content/posts/extra-{round}.md": f"---\ntitle: Extra\ndate: 2024-06-0{round}\n---\nNew.\n"
            }
            write_tree(site, newsroom(150, f"Round {round}.{attempt}") | extra)
            (site / f"content/posts/extra-{round - 1}.md").unlink(missing_ok=True)
            build = gazette_process(site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
            wait_for_writing(build, out_dir)
            time.sleep(delay)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(build.pid, stop)
            _, err = build.communicate(timeout=60)
            if build.returncode != 0:
                break
            delay /= 4
        if stop == signal.SIGKILL:
            assert build.returncode == -signal.SIGKILL
        else:
            assert (build.returncode, err) == (
                130,
                "gazette: interrupted; every file in output/ is whole, and the next build finishes it\n",
            )
        killed_while_writing += not read_manifest(OutputFolder.of(out_dir, site / CACHE_DIR).manifest).finished
        assert all(p.read_bytes() for p in out_dir.rglob("*.html"))  # nothing half-written
    assert killed_while_writing >= 2
    repair = gazette_process(site, stdout=subprocess.DEVNULL)
    assert repair.wait(timeout=120) == 0
    assert snapshot(out_dir) == clean_build(site)
    assert temporaries(out_dir) == [] and temporaries(site / ".gazette-cache") == []
