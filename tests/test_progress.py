"""The build's progress bar: on a terminal (a real pseudo-terminal here) it shows, erases itself before the
diagnostics, and leaves out colour under NO_COLOR; in a pipe, with -q, or on a dumb terminal there is none."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from generator.content.articles import PARALLEL_FROM
from tests.conftest import NOW, write_tree

STORIES = PARALLEL_FROM + 50  # parsed in worker processes, whose results are counted as they come back

# `gazette build`, with the bar shown from the first moment rather than after a second: a fast machine
# builds this site in less.
BUILD = "import sys; from generator import cli, progress; progress.SHOW_AFTER = 0; sys.exit(cli.main(sys.argv[1:]))"
SUMMARY = re.compile(
    rf"Built {STORIES} articles and 0 pages into output/: 328 files \(328 rendered, (328|0) written, 0 removed\) "
    r"in \d+\.\d\d s\n"
)
ERASE_BAR = "\x1b[1A\x1b[2K"  # up to the bar's line, and clear it
COLOUR = re.compile(r"\x1b\[[0-9;]*[34]\d[0-9;]*m")  # a select-graphic-rendition setting a colour
STYLE = re.compile(r"\x1b\[[0-9;]*m")
WARNING = (
    "content/notes.md:1:1: warning: not under content/posts/ or content/pages/, so not published; "
    "move it into one of them\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files: dict[str, str | bytes] = {
        # No social cards: drawing 250 of them on each of these clean builds would only slow the tests.
        "site.yaml": "title: Progress\nbase_url: https://example.org/\nsearch: false\nsocial_cards: false\n",
        "content/notes.md": "---\ntitle: Notes\n---\nNot published.\n",  # a warning, printed after the bar
    }
    for n in range(STORIES):
        files[f"content/posts/story-{n:03d}.md"] = (
            f"---\ntitle: Story {n}\ndate: 2024-01-{1 + n % 28:02d}\ntags: [T{n % 5}]\n---\nStory {n}, *briefly*.\n"
        )
    return write_tree(tmp_path_factory.mktemp("progress") / "site", files)


def clean_build(site: Path, *args: str) -> list[str]:
    """Give the command of a build that parses and renders every story again."""
    shutil.rmtree(site / ".gazette-cache", ignore_errors=True)
    return [sys.executable, "-c", BUILD, "build", "--site", str(site), "--now", NOW, *args]


def build_on_terminal(site: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """Build with stderr on a pseudo-terminal of 100 columns and stdout on a pipe; give status, stdout, terminal."""
    command = clean_build(site, *args)
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm"} | env
    process = subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=terminal, text=True, env=environment)
    os.close(terminal)
    shown = b""
    while True:  # read as it comes: a full terminal buffer would stop the build
        ready, _, _ = select.select([controller], [], [], 120)
        assert ready, "the build printed nothing for 2 minutes"
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the build, the terminal's last writer, has exited
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    out = process.stdout.read() if process.stdout else ""
    return process.wait(timeout=60), out, shown.decode("utf-8").replace("\r\n", "\n")


def test_a_terminal_shows_each_stage_counted_then_erased_before_the_diagnostics(site: Path) -> None:
    code, out, shown = build_on_terminal(site)
    assert code == 0
    assert SUMMARY.fullmatch(out)
    plain = STYLE.sub("", shown)
    assert re.search(rf"Parsing .* [\d,]+/{STORIES} stories, [\d,]+/s", plain)
    assert re.search(r"Rendering .* [\d,]+/[\d,]+ outputs", plain)
    assert "Writing" in plain
    # The bar's last line is erased, then the diagnostics are printed whole, on a line of their own.
    assert plain.endswith(ERASE_BAR + WARNING)
    assert COLOUR.search(shown)


def test_no_color_keeps_the_bar_without_colour(site: Path) -> None:
    code, _, shown = build_on_terminal(site, NO_COLOR="1")
    assert code == 0 and "Parsing" in shown
    assert not COLOUR.search(shown)


@pytest.mark.parametrize(("args", "env"), [(("-q",), {}), ((), {"TERM": "dumb"})], ids=["quiet", "dumb terminal"])
def test_quiet_or_a_dumb_terminal_shows_no_bar(site: Path, args: tuple[str, ...], env: dict[str, str]) -> None:
    code, out, shown = build_on_terminal(site, *args, **env)
    assert code == 0
    if args:  # -q: errors only
        assert (out, shown) == ("", "")
    else:
        assert SUMMARY.fullmatch(out) and STYLE.sub("", shown) == WARNING


def test_a_pipe_shows_no_bar(site: Path) -> None:
    run = subprocess.run(clean_build(site), cwd=site, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0
    assert SUMMARY.fullmatch(run.stdout)
    assert run.stderr == WARNING
