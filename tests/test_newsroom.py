"""A newsroom's stories: updates, corrections, sources with roles and translated briefs, read back as readers,
feed readers and search engines read them (feedparser, JSON-LD parsed as JSON)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import feedparser
from lxml import html

from generator.build import BuildOptions, build
from generator.site.cache import BuildCache
from tests.conftest import write_tree
from tests.test_theme import html_errors

CASE = Path(__file__).parent / "golden" / "newsroom"
EXPECTED = CASE / "expected"
STORY = "https://example.org/2024/11/panne-cloud/"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# The schema.org properties and types the JSON-LD of a story may use (https://schema.org/NewsArticle).
SCHEMA_PROPERTIES = {
    "@context", "@type", "headline", "description", "url", "mainEntityOfPage", "inLanguage", "author",
    "publisher", "datePublished", "dateModified", "keywords", "isBasedOn", "translationOfWork", "correction",
    "name", "text", "image",
}  # fmt: skip
SCHEMA_TYPES = {"NewsArticle", "CreativeWork", "Report", "Dataset", "Organization", "Person", "CorrectionComment"}


def page(url_path: str, root: Path = EXPECTED) -> Any:
    """Parse a page of a built site."""
    return html.fromstring((root / url_path / "index.html").read_bytes())


def json_ld(url_path: str) -> dict[str, Any]:
    """Read a story's JSON-LD back as JSON."""
    data: dict[str, Any] = json.loads(page(url_path).xpath("//script[@type='application/ld+json']/text()")[0])
    return data


def walk(value: Any) -> list[dict[str, Any]]:
    """List every object of a JSON-LD tree."""
    if isinstance(value, dict):
        return [value, *(found for item in value.values() for found in walk(item))]
    if isinstance(value, list):
        return [found for item in value for found in walk(item)]
    return []


def text_of(tree: Any, xpath: str) -> list[str]:
    """Give the text of each element an XPath finds, spaces made plain."""
    return [
        " ".join(element.text_content().replace("\u202f", " ").replace("\u00a0", " ").split())
        for element in tree.xpath(xpath)
    ]


def test_the_story_shows_its_updates_in_date_order_under_one_heading() -> None:
    story = page("2024/11/panne-cloud")
    assert text_of(story, "//section[@id='updates']/h2") == ["Mises à jour et corrections"]
    assert text_of(story, "//section[@id='updates']//li") == [
        "Mise à jour, 14 h 05 : L’hébergeur confirme que toutes les régions sont rétablies.",
        "Correction, 5 novembre 2024 à 8 h 00 : La panne a duré quatre heures, et non six comme nous l’écrivions"
        " d’abord.",
        "Mise à jour, 6 novembre 2024 : Le rapport d’incident est publié.",
    ]
    assert story.xpath("//section[@id='updates']//li/@class") == ["update", "correction", "update"]
    assert text_of(story, "//p[@class='updated']") == ["Mis à jour le 6 novembre 2024 · voir ce qui a changé"]


def test_sources_read_as_a_reader_expects_and_an_unroled_source_keeps_its_via_line() -> None:
    assert text_of(page("2024/11/panne-cloud"), "//header//p[@class='via']") == [
        "Source : ITHome, via The Register (original en anglais)"  # the translation line says chinois
    ]
    assert text_of(page("2024/11/puce-ia"), "//header//p[@class='via']") == [
        "Sources : Fondeur SA (communiqué de presse) et Gartner (rapport)"
    ]
    assert text_of(page("2024/10/sans-role"), "//header//p[@class='via']") == ["Via : Heise (original en allemand)"]


def test_a_translated_brief_names_its_language_and_links_its_original_without_inventing_a_title() -> None:
    story = page("2024/11/panne-cloud")
    assert text_of(story, "//p[@class='translation']") == ["Traduit et adapté du chinois : article d’origine"]
    assert story.xpath("//p[@class='translation']/a/@href") == ["https://www.ithome.com/0/810/000.htm"]
    titled = page("2024/11/puce-ia")
    assert text_of(titled, "//p[@class='translation']") == [
        "Traduit et adapté de l’anglais : Foundry unveils 2 nm AI accelerator"
    ]
    assert titled.xpath("//p[@class='translation']//cite/@lang") == ["en"]


def test_the_corrections_page_lists_every_correction_newest_first_with_its_story() -> None:
    corrections = page("corrections")
    assert corrections.xpath("//ol[@class='corrections-list']/li//h2/a/@href") == [
        "/2024/11/panne-cloud/#updates",
        "/2024/11/puce-ia/#updates",
    ]
    assert corrections.xpath("//ol[@class='corrections-list']/li/time/@datetime") == [
        "2024-11-05T08:00:00+01:00",
        "2024-11-03T11:20:00+01:00",
    ]
    assert text_of(corrections, "//div[@class='correction-text']")[1] == "La puce est gravée en 2 nm, et non en 3 nm."
    assert page("").xpath("//nav[@class='discovery']//a[text()='Corrections']/@href") == ["/corrections/"]


def test_json_ld_uses_schema_org_names_for_sources_translation_corrections_and_the_last_change() -> None:
    data = json_ld("2024/11/panne-cloud")
    for node in walk(data):
        assert set(node) <= SCHEMA_PROPERTIES, node
        assert node.get("@type", "NewsArticle") in SCHEMA_TYPES, node
    assert data["dateModified"] == "2024-11-06T00:00:00+01:00"
    assert data["inLanguage"] == "fr"
    assert data["isBasedOn"] == [
        {
            "@type": "NewsArticle",
            "url": "https://www.ithome.com/0/810/000.htm",
            "inLanguage": "zh",
            "publisher": {"@type": "Organization", "name": "ITHome"},
        },
        {
            "@type": "NewsArticle",
            "url": "https://www.theregister.com/2024/11/04/cloud_outage/",
            "inLanguage": "en",
            "publisher": {"@type": "Organization", "name": "The Register"},
        },
    ]
    assert data["translationOfWork"] == {
        "@type": "CreativeWork",
        "url": "https://www.ithome.com/0/810/000.htm",
        "inLanguage": "zh",
    }  # no name: the original's title is not known
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "La panne a duré quatre heures, et non six comme nous l’écrivions d’abord.",
            "datePublished": "2024-11-05T08:00:00+01:00",
        }
    ]
    puce = json_ld("2024/11/puce-ia")
    assert [work["@type"] for work in puce["isBasedOn"]] == ["CreativeWork", "Report"]
    assert puce["translationOfWork"]["name"] == "Foundry unveils 2 nm AI accelerator"


def test_feeds_carry_the_original_and_the_newest_update() -> None:
    atom = feedparser.parse((EXPECTED / "atom.xml").read_bytes())
    rss = feedparser.parse((EXPECTED / "feed.xml").read_bytes())
    assert not atom.bozo and not rss.bozo
    story = next(entry for entry in atom.entries if entry.id == STORY)
    assert story.updated == "2024-11-06T00:00:00+01:00"
    assert story.published == "2024-11-04T09:30:00+01:00"
    assert [link.href for link in story.links if link.rel == "via"] == [
        "https://www.ithome.com/0/810/000.htm",
        "https://www.theregister.com/2024/11/04/cloud_outage/",
    ]
    assert atom.feed.updated == "2024-11-06T00:00:00+01:00"
    assert next(entry for entry in rss.entries if entry.id == STORY).link == STORY
    items = {item["id"]: item for item in json.loads((EXPECTED / "feed.json").read_text("utf-8"))["items"]}
    assert items[STORY]["external_url"] == "https://www.ithome.com/0/810/000.htm"
    assert items[STORY]["date_modified"] == "2024-11-06T00:00:00+01:00"
    assert items["https://example.org/2024/11/puce-ia/"]["external_url"] == "https://press.example.com/2024/puce-2nm"


def test_the_sitemap_dates_a_story_by_its_newest_update() -> None:
    sitemap = (EXPECTED / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{STORY}</loc>\n    <lastmod>2024-11-06T00:00:00+01:00</lastmod>" in sitemap


def feed_ids(output: Path) -> dict[str, list[str]]:
    """Read the item ids of the site's three feeds, as feed readers keep them."""
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    rss = feedparser.parse((output / "feed.xml").read_bytes())
    items = json.loads((output / "feed.json").read_text("utf-8"))["items"]
    return {
        "atom": [entry.id for entry in atom.entries],
        "rss": [entry.id for entry in rss.entries],
        "json": [item["id"] for item in items],
    }


def test_a_correction_never_changes_a_feed_items_id(tmp_path: Path) -> None:
    site = shutil.copytree(CASE / "site", tmp_path / "site")
    build(BuildOptions(site, tmp_path / "before", now=NOW), BuildCache())
    story = site / "content/posts/2024/sans-role.md"
    correction = "updates:\n  - date: 2024-11-10 09:00\n    kind: correction\n    text: Heise, not Golem.\n"
    story.write_text(story.read_text("utf-8").replace("---\n\n", f"{correction}---\n\n", 1), "utf-8")
    build(BuildOptions(site, tmp_path / "after", now=NOW), BuildCache())
    assert feed_ids(tmp_path / "before") == feed_ids(tmp_path / "after")
    entries = feedparser.parse((tmp_path / "after" / "atom.xml").read_bytes()).entries
    corrected = next(entry for entry in entries if entry.id == "https://example.org/2024/10/sans-role/")
    assert corrected.updated == "2024-11-10T09:00:00+01:00"
    assert "Heise, not Golem." in (tmp_path / "after" / "corrections" / "index.html").read_text("utf-8")


ENGLISH = {
    "site.yaml": "title: Wire\nbase_url: https://example.org/\nlanguage: en\ntimezone: America/New_York\n"
    "search: false\n",
    "content/posts/outage.md": """
        ---
        title: Cloud outage
        date: 2024-11-04 09:30
        source:
          - {name: The Register, url: "https://www.theregister.com/x", role: via}
          - {name: ITHome, url: "https://www.ithome.com/0/810/000.htm", role: original}
          - {name: Reuters, role: via}
        original: {lang: zh}
        updates:
          - {date: 2024-11-04 14:05, text: All regions are back.}
          - {date: 2024-11-05 08:00, kind: correction, text: "Four hours, not six."}
        ---
        Body.
    """,
}


def test_an_english_site_says_it_in_english(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", ENGLISH)
    build(BuildOptions(site, site / "output", now=NOW), BuildCache())
    story = page("2024/11/outage", site / "output")
    assert text_of(story, "//header//p[@class='via']") == ["Source: ITHome, via The Register and Reuters"]
    assert text_of(story, "//p[@class='translation']") == ["Translated and adapted from Chinese"]
    assert text_of(story, "//section[@id='updates']//strong") == [
        "Update, 2:05 PM:",
        "Correction, November 5, 2024, 8:00 AM:",
    ]
    assert text_of(page("corrections", site / "output"), "//h1") == ["Corrections"]
    # Written second, the original still comes first wherever a feed names one source, or all of them.
    item = json.loads((site / "output/feed.json").read_text("utf-8"))["items"][0]
    assert item["external_url"] == "https://www.ithome.com/0/810/000.htm"
    assert item["content_html"].endswith(
        '<p class="via">Via: <a href="https://www.ithome.com/0/810/000.htm">ITHome</a>, '
        '<a href="https://www.theregister.com/x">The Register</a>, Reuters</p>'
    )


def test_every_page_passes_the_nu_html_checker() -> None:
    assert html_errors(EXPECTED) == (0, "")
