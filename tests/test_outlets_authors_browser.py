"""An outlet's page, an author's page and a home page led by a featured story, in real Chromium.

At phone and desktop widths, light and dark; screenshots land in tests/artifacts/ (git-ignored) for
a human to look at. The assertions are what a reader would notice: sideways scrolling on a phone, the
featured story not first or not marked, the outlet's facts or the author's links missing or hidden.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import NOW, gazette, serve_folder
from tests.test_outlets_authors import GOLDEN_SITE
from tests.test_theme_browser import ARTIFACTS, BACKGROUNDS, VIEWPORTS

PAGES = {"featured-home": "", "outlet": "sources/ithome/", "author": "auteurs/claire-martin/"}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("outlets-authors-browser")
    site = shutil.copytree(GOLDEN_SITE, folder / "site")
    # The site's base_url is https://example.org/news/: served from a folder holding news/.
    run = gazette("build", "--site", site, "--output", folder / "root" / "news", "--now", NOW)
    assert run.code == 0, run.err
    with serve_folder(folder / "root") as root:
        yield root + "news/"


def _shown(page: Page, selector: str, height: int) -> None:
    """Check that an element is drawn, and starts within the first screen."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, selector
    assert box["y"] < height, (selector, box)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_outlet_author_and_featured_pages_in_chromium(
    browser: Browser, site_url: str, name: str, width: int, scheme: str
) -> None:
    height = VIEWPORTS[width]
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme, java_script_enabled=False
    )
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site_url) else route.abort())
    response = page.goto(site_url + PAGES[name])
    assert response is not None and response.status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}-{scheme}.png", full_page=True)

    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUNDS[scheme]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if name == "featured-home":
        first = page.locator(".stories-front .card").first
        assert first.get_attribute("class") == "card card-featured"
        assert first.locator(".featured-label").text_content() == "À la une"
        assert first.locator(".card-title a").text_content() == "Le noyau Linux 6.12 accueille le temps réel"
        _shown(page, ".card-featured .card-title", height)
        # The mark is the accent colour, as the kickers are: not a colour of its own.
        accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert accent in ("#c1121f", "#ff6b6b")
    elif name == "outlet":
        assert page.locator(".facts dd").all_text_contents() == ["ithome.com", "chinois", "Chine", "ithome.com/rss/"]
        _shown(page, ".facts", height)
        _shown(page, ".subscribe", height)
    else:
        assert page.locator(".author-links a").all_text_contents() == ["claire.example.org", "Mastodon"]
        _shown(page, ".bio", height)
        _shown(page, ".author-links", height)
    context.close()
