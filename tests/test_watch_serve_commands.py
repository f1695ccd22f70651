"""`gazette watch` and `gazette serve` as processes: what they print, what they rebuild, how they stop."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import write_tree

WAIT_SECONDS = 20.0  # generous: only ever waited in full when the command is broken
POST = "content/posts/a.md"
GOOD = "---\ntitle: First words\ndate: 2024-10-14T09:30:00+02:00\n---\n\nFirst words.\n"


class Lines:
    """Read a process's stdout and stderr as they come, together, one line at a time."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        for stream in (process.stdout, process.stderr):
            assert stream is not None
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, start: str) -> list[str]:
        """Give every line up to the first starting with `start`."""
        seen: list[str] = []
        while not seen or not seen[-1].startswith(start):
            try:
                seen.append(self.lines.get(timeout=WAIT_SECONDS))
            except queue.Empty:
                pytest.fail(f"no line starting with {start!r}; got {seen}")
        return seen

    def wait_for_each(self, *starts: str) -> list[str]:
        """Give every line up to one starting with each of `starts`, in any order: stdout and stderr are read apart."""
        seen: list[str] = []
        for start in starts:
            if not any(line.startswith(start) for line in seen):
                seen += self.wait_for(start)
        return seen


def _run(site: Path, *args: str) -> subprocess.Popen[str]:
    """Start a gazette command in the site's folder, as a writer would."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _interrupt(process: subprocess.Popen[str]) -> None:
    """Press Ctrl-C; the command must stop cleanly, without a traceback."""
    process.send_signal(signal.SIGINT)
    process.wait(timeout=WAIT_SECONDS)
    assert process.returncode == 0


@pytest.fixture
def site(make_site) -> Path:  # type: ignore[no-untyped-def]
    return make_site({"site.yaml": "title: T\ntimezone: Europe/Paris\n", POST: GOOD})


def test_watch_rebuilds_output_on_each_save(site: Path) -> None:
    process = _run(site, "watch")
    try:
        lines = Lines(process)
        built = [line for line in lines.wait_for_each("Watching ", "Built ") if line.startswith("Built ")]
        assert built[0].startswith("Built 1 article and 0 pages into ")
        story = site / "output/2024/10/a/index.html"
        assert "First words." in story.read_text()

        (site / POST).write_text(GOOD.replace("First words.", "Second words."))
        assert lines.wait_for("Built 1 article")[-1].startswith("Built 1 article and 0 pages into ")
        assert "Second words." in story.read_text()

        (site / POST).write_text(GOOD.replace("title: First words", "title: First words\ndraft: maybe"))
        failure = lines.wait_for("Build failed")
        assert failure[-4:] == [
            "content/posts/a.md:3:8: error: 'draft' must be true or false, not 'maybe'; write it without quotes\n",
            "    draft: maybe\n",
            "           ^\n",
            "Build failed: 1 error; output/ was left as it was\n",
        ]
        assert "Second words." in story.read_text()
    finally:
        _interrupt(process)
    assert not (site / ".gazette-cache/preview").exists()


def test_serve_warns_when_reachable_from_other_machines(site: Path) -> None:
    process = _run(site, "serve", "--bind", "0.0.0.0", "--port", "0")
    try:
        lines = Lines(process)
        seen = lines.wait_for_each("Serving http://localhost:", "gazette: warning: ")
        assert "gazette: warning: serving on 0.0.0.0: other machines can read this preview, drafts included\n" in seen
    finally:
        _interrupt(process)


def test_serve_keeps_drafts_out_of_output(site: Path) -> None:
    write_tree(site, {"content/posts/draft.md": "---\ntitle: Unfinished\ndate: 2024-10-15\ndraft: true\n---\n"})
    process = _run(site, "serve", "--port", "0")
    try:
        Lines(process).wait_for("Serving ")
        assert "Unfinished" in (site / ".gazette-cache/preview/index.html").read_text()
        assert not (site / "output").exists()
    finally:
        _interrupt(process)
