import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, gazette

POST = "---\ntitle: T\ndate: 2024-01-01\n---\nx\n"


def test_usage_errors_exit_2() -> None:
    assert gazette("frobnicate").code == 2
    run = gazette("build", "--base-url", "example.org")
    assert run.code == 2
    assert "is not an absolute http(s) URL" in run.err


def test_summary_line_and_quiet(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = make_site({"content/posts/a.md": POST, "content/posts/b.md": POST.replace("title: T", "title: U")})
    run = gazette("build", "--site", site, "--now", "2025-01-01")
    assert run.code == 0
    assert run.out.startswith(f"Built 2 articles and 0 pages into {site / 'output'}/: ")
    assert gazette("build", "--site", site, "-q").out == ""


def test_scheduled_posts_are_counted(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = make_site({"content/posts/a.md": POST, "content/posts/b.md": POST.replace("2024", "2030")})
    run = gazette("build", "--site", site, "--now", "2025-01-01T00:00:00Z")
    assert "Built 1 article and 0 pages" in run.out
    assert ", 1 scheduled in " in run.out
    run = gazette("build", "--site", site, "--now", "2025-01-01T00:00:00Z", "--future")
    assert "Built 2 articles" in run.out


def test_site_is_found_from_a_subfolder(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"site.yaml": "title: X\n", "content/posts/a.md": POST})
    monkeypatch.chdir(site / "content" / "posts")
    assert gazette("build", "-q").code == 0
    assert (site / "output" / "index.html").is_file()


def test_python_dash_m_generator_works(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = make_site({"content/posts/a.md": POST})
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 1 article")


def test_an_unforeseen_file_error_is_a_message_not_a_traceback(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA.\n"})
    template = site / "themes/mine/templates/base.html"

    def refuse(*args: object) -> dict[str, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(template))

    monkeypatch.setattr("generator.pipeline.digest_jobs", refuse)
    run = gazette("build", "--site", site)
    assert (run.code, run.out) == (1, "")
    assert run.err == f"gazette: error: {os.path.relpath(template)}: Permission denied\n"
