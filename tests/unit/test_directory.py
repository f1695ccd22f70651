"""Matching the outlets and authors stories name to those of the data files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.model import AuthorInfo, OutletInfo, SiteData, Source
from generator.site.directory import AuthorDirectory, Directory, OutletDirectory
from tests.unit.test_site import post

ITHOME = OutletInfo("ITHome", aliases=("IT之家",), url="https://www.ithome.com/", feed="https://rss.ithome.com/feed")
REGISTER = OutletInfo("The Register", url="https://theregister.com/", language="en")
OUTLETS = OutletDirectory((ITHOME, REGISTER))


@pytest.mark.parametrize(
    "source",
    [
        Source("ITHome"),
        Source("ithome"),
        Source("IT Home"),  # no: 'it-home' is another URL than 'ithome'
        Source("IT之家", "https://example.org/mirror"),  # an alias, wherever the story is
        Source("ithome.com", "https://www.ithome.com/0/800/000.htm"),  # a bare URL: named by its host
        Source("m.ithome.com", "https://m.ithome.com/html/1.htm"),  # a sub-domain
        Source("ithome.com", "https://ithome.com/0/1.htm"),  # no www.
        Source("news.rss.ithome.com", "https://news.rss.ithome.com/a"),  # below the feed's host
        Source("ithome.com"),  # a name that is a host
        Source("Reuters", "https://www.ithome.com/0/1.htm"),  # a name of its own wins over the host
        Source("notithome.com", "https://notithome.com/a"),  # another site that ends alike
    ],
)
def test_an_outlet_is_found_by_any_spelling_of_its_names_or_by_host_when_unnamed(source: Source) -> None:
    expected = {"IT Home": None, "Reuters": None, "notithome.com": None}.get(source.name, ITHOME)
    assert OUTLETS.find(source) == expected


def test_a_matched_source_takes_the_outlet_s_name_language_and_feed_where_it_has_none() -> None:
    assert OUTLETS.named(Source("theregister.com", "https://www.theregister.com/2024/x/")) == Source(
        "The Register", "https://www.theregister.com/2024/x/", "en"
    )
    assert OUTLETS.named(Source("ithome", lang="zh-Hans", feed="https://x.example/feed")) == Source(
        "ITHome", None, "zh-Hans", "https://x.example/feed"
    )
    assert OUTLETS.named(Source("Le Monde")) == Source("Le Monde")


def test_authors_are_matched_without_regard_to_case_and_named_as_the_data_file_writes_them() -> None:
    authors = AuthorDirectory((AuthorInfo("Claire Martin"),))
    assert authors.named("CLAIRE MARTIN") == "Claire Martin"
    assert authors.named("Jean") == "Jean"
    assert authors.described(("claire martin", "Jean")) == (AuthorInfo("Claire Martin"),)


def test_a_story_is_named_as_the_data_files_name_its_outlets_and_authors() -> None:
    story = replace(post("a", 1), sources=(Source("ithome"),), authors=("ANA", "ana"))
    named = Directory(SiteData((ITHOME,), (AuthorInfo("Ana"),))).named(story)
    assert (named.sources, named.authors) == ((Source("ITHome", feed=ITHOME.feed),), ("Ana",))


def test_a_site_without_data_files_keeps_its_stories_as_they_are() -> None:
    story = replace(post("a", 1), sources=(Source("ithome"),), authors=("ANA",))
    assert Directory(SiteData()).named(story) is story
