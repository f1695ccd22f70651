"""When to build again: the date of the next scheduled story, kept in the cache folder for a timer to read.

A story dated in the future is left out of a build until its date; a CI cron job or a systemd timer
that reads `.gazette-cache/next-build` (one ISO 8601 moment in UTC, `2026-01-02T08:30:00Z`) can build
at that moment, so the story appears on time. The file is removed when no story waits.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import suppress
from pathlib import Path

from generator.model import SiteCounts

NEXT_BUILD = "next-build"


def utc_stamp(moment: dt.datetime) -> str:
    """Write a moment in UTC as ISO 8601, to the second: '2026-01-02T08:30:00Z'."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def note_next_build(folder: Path, moment: dt.datetime | None) -> None:
    """Write when the next scheduled story is due into the cache folder, or remove the file when none is.

    The file is written only when it changes (whole, by a rename), so a build that changes nothing
    writes nothing. A cache folder that refuses it only loses the hint: the build itself stands.
    """
    path = folder / NEXT_BUILD
    wanted = f"{utc_stamp(moment)}\n" if moment is not None else None
    with suppress(OSError):
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == wanted:
            return
        if wanted is None:
            path.unlink(missing_ok=True)
            return
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{NEXT_BUILD}.{os.getpid()}.tmp"
        temporary.write_text(wanted, encoding="utf-8")
        os.replace(temporary, path)


def describe_next(counts: SiteCounts) -> str | None:
    """Say when the next scheduled story is due, in the site's zone and in UTC, and which it is; None if none."""
    moment = counts.next_scheduled
    if moment is None:
        return None
    shown = f"{moment:%a} {moment.day} {moment:%b %Y %H:%M} {moment.tzname()}"
    return f"Next scheduled story due {shown} ({utc_stamp(moment)}): {counts.next_path}"
