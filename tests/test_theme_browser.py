"""The default theme in real Chromium: home and story at phone and desktop widths, light and dark.

Screenshots land in tests/artifacts/ (git-ignored) for a human to look at; the assertions are what a
reader would notice: sideways scrolling on a phone, the source hidden below the fold, a page reaching
out to another server, dark mode not applied. JavaScript is off: reading must not need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from tests.conftest import REPO, serve_folder

ARTIFACTS = REPO / "tests" / "artifacts"
PAGES = {"home": "", "article": "2024/01/story-00/"}
VIEWPORTS = {390: 844, 1440: 900}
BACKGROUNDS = {"light": "rgb(252, 252, 250)", "dark": "rgb(18, 19, 22)"}


@pytest.fixture(scope="module")
def site_url(newsroom: Path) -> Iterator[str]:
    with serve_folder(newsroom) as root:
        yield root + "tech/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_theme_in_chromium(browser: Browser, site_url: str, name: str, width: int, scheme: str) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORTS[width]}, color_scheme=scheme, java_script_enabled=False
    )
    page = context.new_page()
    elsewhere: list[str] = []

    def only_this_site(route: Route) -> None:
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    response = page.goto(site_url + PAGES[name])
    assert response is not None and response.status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}-{scheme}.png", full_page=True)

    assert elsewhere == []
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUNDS[scheme]
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if name == "article":
        source = page.locator(".story-header .via a").first
        assert source.text_content() == "ITHome"
        box = source.bounding_box()
        assert box is not None
        if width == 1440:
            assert box["y"] + box["height"] < VIEWPORTS[width]
    context.close()
