"""Watch a site's sources and call back once per burst of changes. Side effects: file-system watches, a thread.

Only what a build reads is watched: `site.yaml`, `content/`, `data/`, `themes/` and `static/`. The output and
preview folders, the cache, dotfiles and editor temporary files never start a build. Events are
coalesced: the callback runs when the folder has been quiet for `debounce` seconds, so a `git checkout`
of a hundred files gives one build (two when it lasts longer than a build), not a hundred. The quiet
period is short (50 ms): an editor's save, atomic or not, is a run of events microseconds apart, and the
preview shows an edited story's page within moments of the burst's end.
"""

from __future__ import annotations

import errno
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType

from watchdog.events import (
    EVENT_TYPE_MOVED,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from generator.content.sources import is_ignored
from generator.layout import CONFIG_FILE, READ_FOLDERS

WATCHED_FOLDERS = READ_FOLDERS
# The events that are changes, asked of inotify itself. Not opening or closing a file: a build opens every
# source, and 10,000 posts would flood the queue (losing the writer's next save) on every build. Not a
# folder's "modified" either: it only echoes a change to a file in it, editors' temporary files included.
_CHANGE_EVENTS = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]

OnChange = Callable[[frozenset[str]], object]


class WatchError(Exception):
    """The operating system refused to watch the site; the message says what to do."""


def is_relevant(relative: str) -> bool:
    """Tell whether a path (relative to the site, '/'-separated) is something a build reads."""
    parts = PurePosixPath(relative).parts
    if not parts or any(is_ignored(part) for part in parts):
        return False
    return parts == (CONFIG_FILE,) or parts[0] in WATCHED_FOLDERS


def changed_paths(root: Path, event: FileSystemEvent) -> Iterator[str]:
    """Yield the site-relative paths an event changed that a build cares about (both ends of a move)."""
    ends = (event.src_path, event.dest_path) if event.event_type == EVENT_TYPE_MOVED else (event.src_path,)
    for end in ends:
        path = Path(end.decode() if isinstance(end, bytes) else end)
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            continue
        if is_relevant(relative):
            yield relative


def limit_message(error: OSError) -> str:
    """Explain an inotify limit and the two ways around it."""
    what = "watches" if error.errno == errno.ENOSPC else "instances"
    setting = "max_user_watches" if error.errno == errno.ENOSPC else "max_user_instances"
    return (
        f"the system ran out of inotify {what}, so Gazette cannot watch the site for changes.\n"
        f"  Raise the limit:  sudo sysctl fs.inotify.{setting}=524288\n"
        f"  (to keep it: echo fs.inotify.{setting}=524288 | sudo tee /etc/sysctl.d/90-inotify.conf)\n"
        "  or poll for changes instead (slower, works everywhere): add --poll"
    )


class _Events(FileSystemEventHandler):
    """Forward watchdog events to the watcher."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Note one event."""
        self.watcher.note(event)


class Watcher:
    """Watch a site and call `on_change(paths)` in a worker thread, once per quiet-ended burst."""

    def __init__(
        self,
        root: Path,
        on_change: OnChange,
        *,
        poll: bool = False,
        debounce: float = 0.05,
        poll_interval: float = 0.5,
    ) -> None:
        self.root = root.resolve()
        self.on_change = on_change
        self.debounce = debounce
        self.observer: BaseObserver = PollingObserver(timeout=poll_interval) if poll else Observer()
        self._handler = _Events(self)
        self._watches: dict[str, ObservedWatch] = {}
        self._pending: set[str] = set()
        self._last = 0.0
        self._stopped = False
        self._wake = threading.Condition()
        self._worker = threading.Thread(target=self._run, name="gazette-rebuild", daemon=True)

    def start(self) -> None:
        """Start watching; raise WatchError when the system's watch limits are reached."""
        try:
            # The root is watched alone (not its output or cache); each source folder recursively.
            self._watches[""] = self._schedule(self.root, recursive=False)
            self._sync_folders()
            self.observer.start()
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EMFILE):
                raise WatchError(limit_message(error)) from None
            raise
        self._worker.start()

    def stop(self) -> None:
        """Stop watching and let the worker finish the build it is running, if any."""
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join()
        if self._worker.is_alive() and threading.current_thread() is not self._worker:
            self._worker.join()

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _schedule(self, folder: Path, *, recursive: bool) -> ObservedWatch:
        """Watch one folder for changes only (no open or close events)."""
        return self.observer.schedule(self._handler, str(folder), recursive=recursive, event_filter=_CHANGE_EVENTS)

    def _sync_folders(self) -> None:
        """Watch each source folder that exists, and drop watches of folders that went away."""
        for name in WATCHED_FOLDERS:
            folder = self.root / name
            if folder.is_dir() and name not in self._watches:
                self._watches[name] = self._schedule(folder, recursive=True)
            elif not folder.is_dir() and name in self._watches:
                self.observer.unschedule(self._watches.pop(name))

    def note(self, event: FileSystemEvent) -> None:
        """Record what an event changed and restart the quiet-period countdown."""
        paths = set(changed_paths(self.root, event))
        if not paths:
            return
        if any("/" not in path for path in paths):  # a source folder itself appeared, moved or went away
            self._sync_folders()
        with self._wake:
            self._pending |= paths
            self._last = time.monotonic()
            self._wake.notify_all()

    def _next_burst(self) -> frozenset[str] | None:
        """Wait for changes, then for `debounce` seconds without any; None once stopped."""
        with self._wake:
            while not self._pending and not self._stopped:
                self._wake.wait()
            while not self._stopped:
                quiet_left = self._last + self.debounce - time.monotonic()
                if quiet_left <= 0:
                    break
                self._wake.wait(quiet_left)
            if self._stopped:
                return None
            burst, self._pending = frozenset(self._pending), set()
            return burst

    def _run(self) -> None:
        """Call back once per burst until stopped; a crash in one build must not end the watch."""
        while (burst := self._next_burst()) is not None:
            try:
                self.on_change(burst)
            except Exception:
                traceback.print_exc(file=sys.stderr)
