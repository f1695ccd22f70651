"""Scheduled publishing on time: the date of the next scheduled story, printed after the summary and written
to .gazette-cache/next-build for a CI cron job or a systemd timer (docs/publishing.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import NOW, gazette, write_tree

GOLDEN = Path(__file__).parent / "golden/social-cards"  # its content/posts/2025/programme.md is scheduled


def test_the_next_scheduled_story_is_printed_and_written_for_a_timer(tmp_path: Path) -> None:
    site = shutil.copytree(GOLDEN / "site", tmp_path / "site")
    next_build = site / ".gazette-cache/next-build"
    run = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert run.code == 0
    assert run.out.splitlines()[1] == (
        "Next scheduled story due Fri 2 Jan 2026 09:30 CET (2026-01-02T08:30:00Z): content/posts/2025/programme.md"
    )
    assert next_build.read_text() == "2026-01-02T08:30:00Z\n"
    # Nothing changed: the same line, from the last build's record.
    again = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert again.out.splitlines()[1] == run.out.splitlines()[1] and "(0 rendered" in again.out
    # A build that shows future stories (a preview) knows nothing to wait for, and leaves the file be.
    assert gazette("build", "--site", site, "--output", tmp_path / "preview", "--now", NOW, "--future", "-q").code == 0
    assert next_build.read_text() == "2026-01-02T08:30:00Z\n"
    # Once its moment has come, the story is published and the file goes: no story waits.
    late = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", "2026-01-02T08:30:00Z")
    assert late.code == 0 and len(late.out.splitlines()) == 1 and "Next" not in late.out
    assert not next_build.exists()


def test_the_first_of_several_scheduled_stories_counts_and_a_draft_does_not(tmp_path: Path) -> None:
    site = write_tree(tmp_path, {
        "site.yaml": "timezone: America/New_York\n",
        "content/posts/later.md": "---\ntitle: Later\ndate: 2026-03-01 12:00\n---\nText.\n",
        "content/posts/sooner.md": "---\ntitle: Sooner\ndate: 2026-02-01T06:15:00+01:00\n---\nText.\n",
        "content/posts/draft.md": "---\ntitle: Draft\ndate: 2026-01-15 12:00\ndraft: true\n---\nText.\n",
        "content/posts/now.md": "---\ntitle: Now\ndate: 2025-12-31 12:00\n---\nText.\n",
    })  # fmt: skip
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0
    # Shown in the site's zone (a story's own offset is only how its writer wrote the moment).
    assert run.out.splitlines()[1] == (
        "Next scheduled story due Sun 1 Feb 2026 00:15 EST (2026-02-01T05:15:00Z): content/posts/sooner.md"
    )
    assert (site / ".gazette-cache/next-build").read_text() == "2026-02-01T05:15:00Z\n"
    assert gazette("build", "--site", site, "--now", NOW, "-q").out == ""  # -q: errors only


def test_a_site_with_nothing_scheduled_says_nothing_and_writes_no_file(tmp_path: Path) -> None:
    site = write_tree(tmp_path, {"content/posts/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nText.\n"})
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0 and len(run.out.splitlines()) == 1
    assert not (site / ".gazette-cache/next-build").exists()
