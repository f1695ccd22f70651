"""`gazette serve` in real Chromium: a saved edit shows by itself, a broken file shows the overlay, a fix clears it."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import REPO, gazette, write_tree

WAIT_MS = 20_000  # generous: only ever waited in full when live reload is broken
POST = "content/posts/welcome-to-your-gazette.md"


@dataclass
class Serving:
    site: Path
    url: str


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    """Make a small site with `gazette init` and a theme of its own, serve it, and stop it with Ctrl-C."""
    site = tmp_path / "blog"
    assert gazette("init", site).code == 0
    with (site / "site.yaml").open("a") as config:
        config.write("theme: mine\n")
    write_tree(
        site,
        {
            "themes/mine/theme.yaml": "extends: default\n",
            "themes/mine/templates/page.html": '{% extends "!default/page.html" %}\n',
            "themes/mine/static/style.css": "body { background-color: rgb(1, 2, 3); }\n",
        },
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    url = ""
    for line in server.stdout:
        if line.startswith("Serving "):
            url = line.split()[1].rstrip("/")
            break
    try:
        assert url, server.communicate(timeout=30)
        yield Serving(site, url)
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Traceback" not in err
    assert err.endswith("Stopped.\n")
    assert not (site / "output").exists(), "the preview must never write output/"


def test_an_edit_on_disk_shows_up_and_errors_come_and_go(serving: Serving, page: Page) -> None:
    page.goto(serving.url + "/")
    page.get_by_role("link", name="Welcome to your Gazette").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("This is your first story.")
    post = serving.site / POST
    original = post.read_text(encoding="utf-8")

    post.write_text(original.replace("This is your first story.", "Edited on disk, shown by itself."), "utf-8")
    expect(main).to_contain_text("Edited on disk, shown by itself.", timeout=WAIT_MS)

    post.write_text(original.replace("draft: false", 'draft: "false"'), "utf-8")
    overlay = page.locator("#gazette-overlay")
    expect(overlay).to_contain_text(
        f"{POST}:8:8: error: 'draft' must be true or false, not \"false\" (quoted text); write it without quotes",
        timeout=WAIT_MS,
    )
    expect(overlay).to_contain_text('draft: "false"')
    expect(main).to_contain_text("Edited on disk, shown by itself.")  # the last good build stays

    post.write_text(original, "utf-8")
    expect(overlay).to_have_count(0, timeout=WAIT_MS)
    expect(main).to_contain_text("This is your first story.", timeout=WAIT_MS)


def test_a_stylesheet_change_applies_without_a_reload(serving: Serving, page: Page) -> None:
    page.goto(serving.url + "/")
    expect(page.locator("body")).to_have_css("background-color", "rgb(1, 2, 3)")
    page.evaluate("window.sameDocument = true")
    (serving.site / "themes/mine/static/style.css").write_text("body { background-color: rgb(4, 5, 6); }\n")
    expect(page.locator("body")).to_have_css("background-color", "rgb(4, 5, 6)", timeout=WAIT_MS)
    assert page.evaluate("window.sameDocument") is True
