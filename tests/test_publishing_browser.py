"""Published sites in real Chromium: a `relative_urls` site opened from disk (`file://`), every internal
link of every page followed and found, its stylesheets applied; and old URLs of moved stories that land
on the story, from disk and over http."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import NOW, REPO, gazette, newsroom_files, serve_folder, write_tree

GOLDEN = REPO / "tests/golden"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
PHOTO_STORY = """---
title: "Une photo, un logo et des liens"
date: 2024-03-01T09:00:00+01:00
tags: [Cloud]
source: ITHome
aliases: [/ancien/photo/, /archives/photo.html]
---

![La photo](photo.svg) et ![le logo](/img/logo.svg), [la une](/), [une brève](/2024/01/story-00/#contexte)
et [les tags](/tags/).
"""
# What a page links to or loads: every one inside the site must be a file of output/.
LINKS = "a[href], link[href], img[src], script[src]"


@pytest.fixture(scope="module")
def relative_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the 50-story newsroom, plus a story with a photo, a logo and links, with relative URLs."""
    files = newsroom_files()
    files["site.yaml"] = f"{files['site.yaml']!s}relative_urls: true\n"
    files["content/posts/photo/index.md"] = PHOTO_STORY
    files["content/posts/photo/photo.svg"] = SVG
    files["static/img/logo.svg"] = SVG
    root = write_tree(tmp_path_factory.mktemp("relative") / "site", files)
    out = root.parent / "output"
    run = gazette("build", "--site", root, "--output", out, "--now", NOW)
    assert run.code == 0, run.err
    return out


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Give a page that may load files from disk but reaches no server."""
    context = browser.new_context()
    opened = context.new_page()
    opened.route("http*://**", lambda route: route.abort())
    yield opened
    context.close()


def on_disk(url: str) -> Path:
    """Give the file a file:// URL names, without its query or fragment."""
    return Path(unquote(urlsplit(url).path))


def default_body_style(page: Page) -> dict[str, str]:
    """Read what Chromium gives a page's body when no stylesheet applies."""
    page.set_content("<!doctype html><body><p>x</p></body>")
    return page.evaluate(BODY_STYLE)


BODY_STYLE = "() => { const s = getComputedStyle(document.body); return {margin: s.margin, font: s.fontFamily}; }"


def test_a_relative_site_opened_from_disk_has_every_link_found_and_its_styles_applied(
    relative_site: Path, page: Page
) -> None:
    unstyled = default_body_style(page)
    queue, visited, missing = [relative_site / "index.html"], set[Path](), list[str]()
    while queue:
        current = queue.pop()
        if current in visited:
            continue
        visited.add(current)
        page.goto(current.as_uri())
        assert page.evaluate(BODY_STYLE) != unstyled, f"no stylesheet applied on {current}"
        targets: list[str] = page.eval_on_selector_all(LINKS, "els => els.map((e) => e.href || e.src)")
        for target in targets:
            if not target.startswith("file:"):
                continue  # another site, or an absolute canonical URL
            file = on_disk(target)
            if not file.is_file():
                missing.append(f"{current.relative_to(relative_site)} -> {target}")
            elif file.suffix == ".html":
                queue.append(file)
    assert missing == []
    every_page = set(relative_site.rglob("*.html"))
    # Only pages no link leads to are left: the 404 page (its links start from the root, since a host
    # serves it at any depth) and the pages at old URLs.
    unlinked = {relative_site / p for p in ("404.html", "ancien/photo/index.html", "archives/photo.html")}
    assert visited == every_page - unlinked
    assert len(visited) >= 70  # 51 stories, a page, the home pages, tags, sources, archives


@pytest.mark.parametrize("old", ["ancien/photo/index.html", "archives/photo.html"])
def test_an_old_url_opened_from_disk_lands_on_the_story(relative_site: Path, page: Page, old: str) -> None:
    page.goto((relative_site / old).as_uri())
    story = relative_site / "2024/03/photo/index.html"
    page.wait_for_url(story.as_uri())
    assert page.locator("h1").inner_text() == "Une photo, un logo et des liens"


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the moved-stories golden site over http at /blog/, where its base_url puts it."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(GOLDEN / "moved-stories/expected", www / "blog")
    with serve_folder(www) as root:
        yield root


@pytest.mark.parametrize(
    ("old", "story", "title"),
    [
        ("blog/2019/10/ancien-slug/", "blog/2024/10/azure-chine/", "Azure OpenAI & la Chine : <fin> de l’accès"),
        ("blog/caf%C3%A9/vieux/", "blog/2024/10/azure-chine/", "Azure OpenAI & la Chine : <fin> de l’accès"),
        ("blog/archives/azure.html", "blog/2024/10/azure-chine/", "Azure OpenAI & la Chine : <fin> de l’accès"),
        ("blog/about/", "blog/a-propos/", "À propos"),
    ],
)
def test_an_old_url_served_over_http_lands_on_the_story(
    moved_site: str, page: Page, old: str, story: str, title: str
) -> None:
    page.unroute("http*://**")  # this one is served from 127.0.0.1
    page.goto(moved_site + old)
    page.wait_for_url(moved_site + story)
    assert page.locator("h1").inner_text().replace("\u202f", " ") == title
