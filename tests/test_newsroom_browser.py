"""A story with updates, a correction and two sources, and the corrections page, in real Chromium.

At phone and desktop widths, light and dark. Screenshots land in tests/artifacts/ (git-ignored) for a
human to look at; the assertions are what a reader would notice: sideways scrolling on a phone, a label
that wraps inside its time, text that is hard to read in dark mode; and axe-core finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import REPO, serve_folder

ARTIFACTS = REPO / "tests" / "artifacts"
SITE = Path(__file__).parent / "golden" / "newsroom" / "expected"
PAGES = {"newsroom-story": "2024/11/panne-cloud/", "newsroom-corrections": "corrections/"}
VIEWPORTS = {390: 844, 1440: 900}
# WCAG 2 AA: normal text needs a contrast ratio of 4.5 with what is behind it.
LEGIBLE = 4.5
AXE = REPO / "node_modules/axe-core/axe.min.js"  # from package.json, installed by npm as .ci/run does


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    with serve_folder(SITE) as root:
        yield root


def luminance(colour: str) -> float:
    """Give the relative luminance of a CSS rgb() colour, as WCAG defines it."""
    channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(page: Page, selector: str, behind: str) -> float:
    """Give the contrast ratio of an element's text against the background of an element around it."""
    fore = page.eval_on_selector(selector, "e => getComputedStyle(e).color")
    back = page.eval_on_selector(behind, "e => getComputedStyle(e).backgroundColor")
    light, dark = sorted((luminance(fore), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_newsroom_pages_in_chromium(browser: Browser, site_url: str, name: str, width: int, scheme: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]}, color_scheme=scheme)
    page = context.new_page()
    response = page.goto(site_url + PAGES[name])
    assert response is not None and response.status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}-{scheme}.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']}))"
        ".violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)"
    )
    assert found == []
    if name == "newsroom-story":
        assert contrast(page, ".updates .correction .change-label", ".updates") >= LEGIBLE
        assert contrast(page, ".updates li", ".updates") >= LEGIBLE
        assert contrast(page, ".translation", "body") >= LEGIBLE
        # A time of day is never cut in two at the end of a line ("14 h" / "05").
        heights = page.eval_on_selector_all(".change-label time", "ts => ts.map(t => t.getClientRects().length)")
        assert heights and all(count == 1 for count in heights)
    else:
        assert page.locator(".corrections-list li").count() == 2
        assert contrast(page, ".corrections-list time", "body") >= LEGIBLE
    context.close()
