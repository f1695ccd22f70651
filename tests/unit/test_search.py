from dataclasses import replace

import pytest

from generator.errors import Diagnostic
from generator.model import Config, PageJob
from generator.publish.search import INSTALL_COMMAND, index_digest, is_bundle_file, settle_search, story_pages
from tests.unit.test_site import post


def located(key: str, message: str) -> Diagnostic:
    return Diagnostic("site.yaml", 3, 9, f"{key}: {message}")


@pytest.mark.parametrize(
    ("written", "version", "settled"),
    [(None, "1.5.2", True), (None, None, False), (True, "1.5.2", True), (False, "1.5.2", False), (False, None, False)],
)
def test_search_is_settled_by_the_setting_else_by_pagefind_being_there(
    written: bool | None, version: str | None, settled: bool
) -> None:
    assert settle_search(Config(search=written), version, located) == settle_search(Config(search=settled), "", located)
    assert settle_search(Config(search=written), version, located).config.search is settled


def test_search_asked_for_without_pagefind_names_the_install_command() -> None:
    settled = settle_search(Config(search=True), None, located)
    assert settled.config.search is False
    assert settled.problems == (
        Diagnostic(
            "site.yaml",
            3,
            9,
            f"search: search is on, but Pagefind is not installed; install it with: {INSTALL_COMMAND}",
        ),
    )
    assert INSTALL_COMMAND == "pip install 'gazette[search]'"


def test_only_stories_are_searched() -> None:
    story, page = post("a", 1), replace(post("b", 2), kind="page")
    jobs = (
        PageJob("/", "index.html", "home"),
        PageJob(story.url, "article.html", story.path, page=story),
        PageJob(page.url, "page.html", page.path, page=page),
    )
    assert story_pages(jobs) == ("a/index.html",)


def test_the_index_digest_follows_every_story_and_pagefind() -> None:
    stories = ("a/index.html", "b/index.html")
    digest = index_digest(stories, {"a/index.html": "1", "b/index.html": "2"}, "1.5.2")
    assert digest != index_digest(stories, {"a/index.html": "1", "b/index.html": "3"}, "1.5.2")
    assert digest != index_digest(stories, {"a/index.html": "1", "b/index.html": "2"}, "1.5.3")
    assert digest != index_digest(stories[:1], {"a/index.html": "1"}, "1.5.2")


def test_the_bundle_is_the_pagefind_folder() -> None:
    assert is_bundle_file("pagefind/pagefind.js") and not is_bundle_file("pagefinder/index.html")
