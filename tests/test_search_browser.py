"""Search in real Chromium: the repository's own site, with a few more stories, built with Pagefind and served.

The stories are French but for one Chinese story (lang: zh), which Pagefind indexes apart and segments;
the search page searches every language's index.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import test_live_reload_browser as live
from tests.conftest import NOW, REPO, gazette, serve_folder, write_tree

MORE_STORIES: dict[str, str | bytes] = {
    "content/posts/2024/huawei-pliable.md": (
        '---\ntitle: "华为发布新款折叠屏手机"\ndate: 2024-10-10T08:00:00+08:00\nlang: zh\ntags: [Huawei, 手机]\n'
        "source:\n  name: IT之家\n  url: https://www.ithome.com/0/799/000.htm\n---\n\n"
        "华为今天在深圳发布了新一代折叠屏手机，售价九千元起。\n"
    ),
    "content/posts/2024/noyau-linux.md": (
        '---\ntitle: "Le noyau Linux 6.12 arrive"\ndate: 2024-10-12T10:00:00+02:00\ntags: [Linux, Noyau]\n'
        "source:\n  name: Phoronix\n  url: https://www.phoronix.com/news/Linux-6.12\n---\n\n"
        "Linus Torvalds publie la version 6.12, avec un ordonnanceur extensible ; un ornithorynque veille.\n"
        "Les pilotes pour Azure et les autres nuages sont aussi mis à jour.\n"
    ),
    "content/posts/2024/pilotes-linux.md": (
        '---\ntitle: "Des pilotes graphiques pour Linux"\ndate: 2024-10-11T10:00:00+02:00\ntags: [Graphisme]\n'
        "source:\n  name: LWN\n  url: https://lwn.net/Articles/1/\n---\n\n"
        "Les pilotes graphiques libres progressent sous Linux cette saison.\n"
    ),
}


@pytest.fixture(scope="module")
def search_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search") / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    write_tree(root, MORE_STORIES)
    with (root / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("search: true\n")
    run = gazette("build", "--site", root, "--now", NOW)
    assert run.code == 0, run.err
    with serve_folder(root / "output") as url:
        yield url + "search/"


def _titles(page: Page) -> list[str]:
    """Wait for the results to settle, then give their titles in order."""
    page.wait_for_function("document.querySelector('.search-status').textContent.trim() !== ''")
    return page.locator(".search-results .card-title").all_inner_texts()


def _search(page: Page, query: str) -> list[str]:
    """Type a query as a reader would, and give the titles found."""
    page.fill("#search-query", "")
    page.locator("#search-query").press_sequentially(query)
    page.wait_for_function(f"new URLSearchParams(location.search).get('q') === {query!r}")
    expect(page.locator(".search-status")).not_to_have_text("")
    page.wait_for_timeout(300)  # Pagefind answers the last keystroke after the earlier ones
    return _titles(page)


def test_words_titles_and_outlets_are_found(browser: Browser, search_url: str) -> None:
    page = browser.new_page()
    page.goto(search_url)
    expect(page.locator(".search-filters")).to_be_visible()
    assert _search(page, "ornithorynque") == ["Le noyau Linux 6.12 arrive"]
    assert _search(page, "折叠") == ["华为发布新款折叠屏手机"]
    assert _search(page, "Phoronix") == ["Le noyau Linux 6.12 arrive"]
    mark = page.locator(".search-results mark").first
    assert mark.inner_text() == "Phoronix" or mark.is_visible()
    result = page.locator(".search-result").first
    assert "Phoronix" in result.locator(".meta").inner_text()
    assert "octobre 2024" in result.locator(".meta").inner_text()


def test_a_tag_narrows_the_results(browser: Browser, search_url: str) -> None:
    page = browser.new_page()
    page.goto(search_url)
    assert sorted(_search(page, "pilotes")) == ["Des pilotes graphiques pour Linux", "Le noyau Linux 6.12 arrive"]
    page.select_option("select[name=tag]", "Graphisme")
    page.wait_for_function("new URLSearchParams(location.search).get('tag') === 'Graphisme'")
    page.wait_for_timeout(300)
    assert _titles(page) == ["Des pilotes graphiques pour Linux"]


def test_the_address_fills_the_search(browser: Browser, search_url: str) -> None:
    page = browser.new_page()
    page.goto(search_url + "?q=Azure")
    expect(page.locator("#search-query")).to_have_value("Azure")
    expect(page.locator(".search-results .card-title").first).to_have_text(
        "Microsoft coupe Azure OpenAI aux développeurs individuels en Chine"
    )
    assert page.locator(".search-results mark").first.inner_text() == "Azure"


def test_without_javascript_the_page_says_so(browser: Browser, search_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(search_url)
    assert "demande JavaScript" in page.locator("main").inner_text()
    context.close()


AXE = REPO / "node_modules/axe-core/axe.min.js"  # from package.json, installed by npm as .ci/run does


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("address", ["?q=Azure", "../", "../2024/10/microsoft-azure-openai-chine/"])
def test_axe_finds_nothing_and_nothing_scrolls_sideways(
    browser: Browser, search_url: str, address: str, width: int, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(search_url + address)
    if address.startswith("?"):
        expect(page.locator(".search-results mark").first).to_be_visible()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']}))"
        ".violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)"
    )
    assert found == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


serving = live.serving  # `gazette serve` on a new site, shared with the live-reload tests


def test_search_follows_the_edits_in_the_preview(serving: live.Serving, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(serving.url + "/search/?q=ornithorynque")
    expect(page.locator(".search-status")).not_to_have_text(["", "Loading the search index…"], timeout=live.WAIT_MS)
    expect(page.locator(".search-results mark")).to_have_count(0)  # Pagefind may offer a near miss, unmarked
    post = serving.site / live.POST
    post.write_text(post.read_text("utf-8").replace("first story.", "first story, an ornithorynque and more."), "utf-8")
    # The preview reloads the page once the full build, index included, is done.
    expect(page.locator(".search-results mark")).to_have_text(["ornithorynque"], timeout=live.WAIT_MS)
    assert page.locator(".search-results .card-title").all_inner_texts() == ["Welcome to your Gazette"]
    page.close()
