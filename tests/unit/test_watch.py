"""The watcher: what starts a build, and how bursts of changes are coalesced (real inotify and polling)."""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.preview.watch import Watcher, WatchError, is_relevant
from tests.conftest import write_tree

DEBOUNCE = 0.2
TIMEOUT = 15.0  # generous: only ever waited in full when the behaviour is broken


class Bursts:
    """Record each call of the watcher's callback."""

    def __init__(self) -> None:
        self.calls: list[frozenset[str]] = []
        self.changed = threading.Condition()

    def __call__(self, paths: frozenset[str]) -> None:
        with self.changed:
            self.calls.append(paths)
            self.changed.notify_all()

    def wait_for(self, path: str) -> None:
        """Wait until some burst names `path`."""
        with self.changed:
            assert self.changed.wait_for(lambda: path in self.seen, TIMEOUT), f"no burst named {path}: {self.calls}"

    @property
    def seen(self) -> set[str]:
        return set().union(*self.calls)

    def settle(self) -> None:
        """Give a late, wrong extra burst time to show up before counting bursts."""
        time.sleep(DEBOUNCE * 5)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "site",
        {
            "site.yaml": "title: T\n",
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA\n",
            "themes/mine/templates/base.html": "{% block main %}{% endblock %}\n",
            "output/index.html": "old\n",
        },
    )


@pytest.fixture(params=["inotify", "poll"])
def watching(request: pytest.FixtureRequest, site: Path) -> Iterator[tuple[Path, Bursts]]:
    bursts = Bursts()
    watcher = Watcher(site, bursts, poll=request.param == "poll", debounce=DEBOUNCE, poll_interval=0.1)
    with watcher:
        yield site, bursts


@pytest.mark.parametrize(
    ("path", "relevant"),
    [
        ("site.yaml", True),
        ("content/posts/a.md", True),
        ("content/posts/2024", True),
        ("themes/mine/templates/article.html", True),
        ("themes/mine/static/style.css", True),
        ("static/logo.svg", True),
        ("data/outlets.yaml", True),
        ("data", True),
        ("content", True),
        ("output/index.html", False),
        ("output", False),
        (".gazette-cache/preview/index.html", False),
        ("content/posts/.a.md.swp", False),
        ("content/posts/a.md.swp", False),
        ("content/posts/a.md~", False),
        ("content/posts/4913", False),
        ("content/posts/.#a.md", False),
        ("content/posts/#a.md#", False),
        ("content/posts/a.md___jb_tmp___", False),
        ("content/.hidden/a.md", False),
        ("README.md", False),
        (".git/HEAD", False),
    ],
)
def test_relevant_paths(path: str, relevant: bool) -> None:
    assert is_relevant(path) is relevant


def test_editor_temporary_files_never_start_a_build(watching: tuple[Path, Bursts]) -> None:
    site, bursts = watching
    posts = site / "content" / "posts"
    for name in (".a.md.swp", "a.md~", "4913", ".#a.md", "a.md___jb_tmp___", ".hidden.md"):
        (posts / name).write_text("temporary\n")
    (posts / "4913").unlink()
    (site / "content" / "posts" / "b.md").write_text("---\ntitle: B\ndate: 2024-01-02\n---\n")
    bursts.wait_for("content/posts/b.md")
    assert bursts.seen == {"content/posts/b.md"}


def test_reading_the_sources_as_a_build_does_never_starts_a_build(watching: tuple[Path, Bursts]) -> None:
    site, bursts = watching
    for _ in range(3):
        (site / "content/posts/a.md").read_bytes()
        (site / "site.yaml").read_text()
        list((site / "content").rglob("*"))
    (site / "content/posts/b.md").write_text("---\ntitle: B\ndate: 2024-01-02\n---\n")
    bursts.wait_for("content/posts/b.md")
    assert bursts.seen == {"content/posts/b.md"}


def test_atomic_save_is_one_rebuild(watching: tuple[Path, Bursts]) -> None:
    site, bursts = watching
    temporary = site / "content" / "posts" / ".a.md.swp"
    temporary.write_text("---\ntitle: A, edited\ndate: 2024-01-01\n---\nA\n")
    os.replace(temporary, site / "content" / "posts" / "a.md")
    bursts.wait_for("content/posts/a.md")
    bursts.settle()
    assert bursts.calls == [frozenset({"content/posts/a.md"})]


def test_a_burst_of_a_hundred_files_gives_at_most_two_builds(watching: tuple[Path, Bursts]) -> None:
    site, bursts = watching
    names = {f"content/posts/2025/post-{n:03d}.md" for n in range(100)}
    write_tree(site, dict.fromkeys(names, "---\ntitle: N\ndate: 2025-01-01\n---\n"))
    bursts.wait_for("content/posts/2025/post-099.md")
    bursts.settle()
    assert names <= bursts.seen
    assert len(bursts.calls) <= 2, bursts.calls


def test_output_and_cache_never_start_a_build(watching: tuple[Path, Bursts]) -> None:
    site, bursts = watching
    write_tree(
        site,
        {
            "output/index.html": "new\n",
            "output/2025/01/new/index.html": "new\n",
            ".gazette-cache/preview/index.html": "new\n",
            ".gazette-cache/preview/2025/01/new/index.html": "new\n",
            "notes.txt": "not part of the site\n",
        },
    )
    (site / "site.yaml").write_text("title: Changed\n")
    bursts.wait_for("site.yaml")
    assert bursts.seen == {"site.yaml"}


def test_new_and_renamed_folders_are_watched(watching: tuple[Path, Bursts]) -> None:
    site, bursts = watching
    (site / "static").mkdir()
    bursts.wait_for("static")
    write_tree(site, {"static/css/extra.css": "p { color: red }\n"})
    bursts.wait_for("static/css/extra.css")
    write_tree(site, {"content/posts/2024/b.md": "---\ntitle: B\ndate: 2024-01-02\n---\n"})
    bursts.wait_for("content/posts/2024/b.md")
    (site / "content" / "posts" / "2024").rename(site / "content" / "posts" / "archive")
    bursts.wait_for("content/posts/archive")
    (site / "content" / "posts" / "archive" / "b.md").write_text("---\ntitle: B2\ndate: 2024-01-02\n---\n")
    bursts.wait_for("content/posts/archive/b.md")


def test_running_out_of_inotify_watches_says_what_to_do(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    watcher = Watcher(site, Bursts())
    monkeypatch.setattr(watcher.observer, "schedule", refuse)
    with pytest.raises(WatchError) as raised:
        watcher.start()
    assert str(raised.value) == (
        "the system ran out of inotify watches, so Gazette cannot watch the site for changes.\n"
        "  Raise the limit:  sudo sysctl fs.inotify.max_user_watches=524288\n"
        "  (to keep it: echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/90-inotify.conf)\n"
        "  or poll for changes instead (slower, works everywhere): add --poll"
    )


def test_a_crashing_callback_does_not_end_the_watch(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bursts = Bursts()

    def crash_once(paths: frozenset[str]) -> None:
        bursts(paths)
        if len(bursts.calls) == 1:
            raise RuntimeError("a bug in a build")

    with Watcher(site, crash_once, debounce=DEBOUNCE):
        (site / "site.yaml").write_text("title: One\n")
        bursts.wait_for("site.yaml")
        (site / "content" / "posts" / "a.md").write_text("---\ntitle: A2\ndate: 2024-01-01\n---\n")
        bursts.wait_for("content/posts/a.md")
    assert "RuntimeError: a bug in a build" in capsys.readouterr().err
