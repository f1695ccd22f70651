"""Show how far a build has come on a terminal: its stage, a count and a rate, or nothing at all. Writes to stderr.

The build reports to a Progress; `gazette build` gives it a bar on a terminal, everything else (pipes,
CI, `-q`, `gazette serve` and `watch`) the silent one, which costs a method call that does nothing.
Counts are kept in this process: work done in worker processes is counted as its results come back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import Task, TaskID
    from rich.progress_bar import ProgressBar
    from rich.text import Text

SHOW_AFTER = 1.0  # seconds: a build quicker than this shows no bar, only its summary
_REDRAW_EVERY = 0.1  # seconds: drawing more often costs time and shows nothing more


class Progress(Protocol):
    """Where a build says which stage it is in and how much of it is done."""

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        """Begin a stage, of `total` units when it is counted."""

    def advance(self, count: int = 1) -> None:
        """Count units of the current stage done."""


class Silent:
    """The progress of a build that shows none."""

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        """Show nothing."""

    def advance(self, count: int = 1) -> None:
        """Show nothing."""


SILENT = Silent()
Result = TypeVar("Result")


def counted(results: Iterable[Result], progress: Progress) -> Iterator[Result]:
    """Pass results on, counting each one done as it comes."""
    for result in results:
        progress.advance()
        yield result


def shows_progress(stream: TextIO, *, quiet: bool) -> bool:
    """Tell whether a bar belongs on this stream: a terminal that can redraw a line, and no -q."""
    return not quiet and stream.isatty() and os.environ.get("TERM", "") != "dumb"


class _Bar:
    """A progress bar drawn with rich, after the build has run SHOW_AFTER seconds, and erased when closed.

    Redrawn when counted, never by a timer: a drawing thread would keep the renderer from forking workers.
    """

    def __init__(self, stream: TextIO) -> None:
        # Imported here, so that a build without a bar never loads rich.
        from rich.console import Console
        from rich.progress import BarColumn, ProgressColumn, TextColumn
        from rich.progress import Progress as RichProgress
        from rich.table import Column
        from rich.text import Text

        class CountedBar(ProgressColumn):
            """A bar for a counted stage; nothing for the others, whose length is not known."""

            bar = BarColumn()

            def render(self, task: Task) -> Text | ProgressBar:
                return self.bar.render(task) if task.total is not None else Text("")

        class Count(ProgressColumn):
            """Units done of all, and how many a second: '312/1,000 stories, 95/s'."""

            def render(self, task: Task) -> Text:
                if task.total is None:
                    return Text("")
                speed = task.finished_speed or task.speed
                rate = f", {speed:,.0f}/s" if speed else ""
                return Text(f"{task.completed:,.0f}/{task.total:,.0f} {task.fields['unit']}{rate}")

        # rich itself leaves colour out under NO_COLOR.
        self.bar: RichProgress = RichProgress(
            TextColumn("{task.description}", table_column=Column(min_width=9)),
            CountedBar(),
            Count(),
            console=Console(file=stream),
            auto_refresh=False,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.task: TaskID | None = None
        self.born = time.monotonic()
        self.drawn = 0.0
        self.shown = False

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        """Replace the shown stage with a new one, once the last is drawn as it ended (its count and rate)."""
        if self.task is not None:
            self._draw(force=True)
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(name, total=total, unit=unit)
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        """Count units done, and redraw now and then."""
        assert self.task is not None, "advance() before stage()"
        self.bar.advance(self.task, count)
        self._draw(force=False)

    def _draw(self, *, force: bool) -> None:
        """Draw the bar once the build has run long enough, at most every _REDRAW_EVERY unless `force`."""
        now = time.monotonic()
        if now - self.born < SHOW_AFTER or (not force and now - self.drawn < _REDRAW_EVERY):
            return
        if not self.shown:
            self.bar.start()
            self.shown = True
        self.bar.refresh()
        self.drawn = now

    def close(self) -> None:
        """Erase the bar, so that what is printed next starts on a clean line."""
        if self.shown:
            self.bar.stop()


@contextmanager
def build_progress(stream: TextIO, *, show: bool) -> Iterator[Progress]:
    """Give the progress of one build: a bar on `stream` when `show`, erased on leaving; else the silent one."""
    if not show:
        yield SILENT
        return
    bar = _Bar(stream)
    try:
        yield bar
    finally:
        bar.close()
