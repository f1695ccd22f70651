"""Feeds as feed readers see them: feedparser, a strict XML parser, and the specs' own rules."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree

from generator.model import Source
from generator.render.feeds import via_html
from tests.conftest import NOW, gazette, write_tree

BASE = "https://example.org/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}"
)
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}")

SITE = {
    "site.yaml": """
        title: "Le Fil"
        description: "Brèves tech"
        base_url: https://example.org/blog/
        language: fr
        timezone: Europe/Paris
        author: Rédaction
    """,
    "content/posts/azure.md": """
        ---
        title: "Microsoft coupe Azure OpenAI <en Chine>"
        date: 2025-12-31T09:30:00+08:00
        updated: 2025-12-31T12:00:00+08:00
        tags: [Microsoft, IA]
        source:
          name: ITHome
          url: https://www.ithome.com/0/800/000.htm
          lang: zh
          feed: https://www.ithome.com/rss/
        ---
        Voir [l'autre brève](/2024/10/cpp/) et ![logo](/static/logo.png).

        <!-- more -->

        Une note[^1], un [lien relatif](../cpp/) et
        <img src="photo.jpg" srcset="photo.jpg 1x, /static/big.jpg 2x" alt="">.

        [^1]: La note.
    """,
    "content/posts/cpp.md": """
        ---
        title: "C++ 26 & la suite"
        date: 2024-10-02 08:00
        tags: [C++, ia]
        source:
          name: Heise
          url: https://www.heise.de/news/cpp.html
        ---
        Le C++ avance.
    """,
    "content/posts/plain.md": """
        ---
        title: "Sans source"
        date: 2024-09-01T10:00:00Z
        tags: [Divers]
        ---
        Rien à signaler.
    """,
    "content/posts/draft.md": """
        ---
        title: "Brouillon secret"
        date: 2025-01-01
        tags: [IA]
        draft: true
        ---
        Pas encore.
    """,
    "content/posts/later.md": """
        ---
        title: "Annonce programmée"
        date: 2026-06-01
        tags: [IA]
        ---
        Plus tard.
    """,
    "content/pages/about.md": """
        ---
        title: "À propos"
        ---
        Nous.
    """,
}


def build(tmp_path: Path, *args: str, files: dict[str, str] | None = None, name: str = "out") -> Path:
    """Build the test site (or `files`) into tmp_path/name and return that folder."""
    site = tmp_path / "site"
    if not site.exists() or files is not None:
        write_tree(site, files or SITE)
    out = tmp_path / name
    run = gazette("build", "--site", site, "--output", out, "--now", NOW, *args)
    assert run.code == 0, run.err
    return out


def strict_xml(path: Path) -> etree._Element:
    """Parse a file with lxml, refusing anything a lenient parser would repair."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(path.read_bytes(), parser)


def feed_files(out: Path) -> list[Path]:
    """List every XML feed of a build: the site's, then each list's (tags, outlets, authors)."""
    lists = sorted(path for name in ("feed.xml", "atom.xml") for path in out.glob(f"*/*/{name}"))
    return [out / "feed.xml", out / "atom.xml", *lists]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            if name == "srcset" and value:
                self.urls += [part.split()[0] for part in value.split(",")]


def html_links(html: str) -> list[str]:
    """Collect every href, src and srcset URL of an HTML fragment."""
    parser = _Links()
    parser.feed(html)
    return parser.urls


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return build(tmp_path)


def test_every_feed_is_read_by_feedparser_without_bozo_and_parses_strictly(out: Path) -> None:
    files = feed_files(out)
    assert [f.relative_to(out).as_posix() for f in files] == [
        "feed.xml",
        "atom.xml",
        "auteurs/redaction/atom.xml",
        "auteurs/redaction/feed.xml",
        "sources/heise/atom.xml",
        "sources/heise/feed.xml",
        "sources/ithome/atom.xml",
        "sources/ithome/feed.xml",
        "tags/c-plus-plus/atom.xml",
        "tags/c-plus-plus/feed.xml",
        "tags/divers/atom.xml",
        "tags/divers/feed.xml",
        "tags/ia/atom.xml",
        "tags/ia/feed.xml",
        "tags/microsoft/atom.xml",
        "tags/microsoft/feed.xml",
    ]
    for file in files:
        parsed = feedparser.parse(file.read_bytes())
        assert not parsed.bozo, (file, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if file.name == "atom.xml" else "rss20")
        strict_xml(file)


def test_feeds_list_published_posts_newest_first_never_drafts_or_future_posts(out: Path) -> None:
    titles = ["Microsoft coupe Azure OpenAI <en Chine>", "C++ 26 & la suite", "Sans source"]
    for name in ("feed.xml", "atom.xml"):
        assert [e.title for e in feedparser.parse(out / name).entries] == titles
    items = json.loads((out / "feed.json").read_text("utf-8"))["items"]
    assert [item["title"] for item in items] == titles
    tag = feedparser.parse(out / "tags/ia/feed.xml")
    assert [e.title for e in tag.entries] == titles[:2]
    assert tag.feed.title == "Le Fil — Articles étiquetés «\u202fIA\u202f»"
    assert tag.feed.link == BASE + "tags/ia/"


def test_drafts_stay_out_of_feeds_even_when_previewed(tmp_path: Path) -> None:
    out = build(tmp_path, "--drafts")
    assert (out / "2025/01/draft/index.html").is_file()  # previewed as a page...
    for file in [*feed_files(out), out / "feed.json", out / "sitemap.xml"]:
        assert "Brouillon secret" not in file.read_text("utf-8"), file  # ...never announced
        assert "/2025/01/draft/" not in file.read_text("utf-8"), file


def test_future_posts_reach_the_feeds_only_with_future(tmp_path: Path) -> None:
    out = build(tmp_path, "--future")
    assert feedparser.parse(out / "feed.xml").entries[0].title == "Annonce programmée"
    assert feedparser.parse(out / "feed.xml").feed.updated == "Mon, 01 Jun 2026 00:00:00 +0200"


def test_rss_dates_are_rfc_822_with_offsets_and_the_build_date_is_the_newest_story(out: Path) -> None:
    root = strict_xml(out / "feed.xml")
    dates = [e.text for e in root.iter("pubDate", "lastBuildDate")]
    assert dates == [
        "Wed, 31 Dec 2025 12:00:00 +0800",
        "Wed, 31 Dec 2025 09:30:00 +0800",
        "Wed, 02 Oct 2024 08:00:00 +0200",
        "Sun, 01 Sep 2024 10:00:00 +0000",
    ]
    for text in dates:
        assert RFC822.fullmatch(text), text
        assert email.utils.parsedate_to_datetime(text).tzinfo is not None


def test_atom_and_json_dates_are_rfc_3339_with_offsets(out: Path) -> None:
    root = strict_xml(out / "atom.xml")
    atom_dates = [e.text for e in root.iter(f"{ATOM}updated", f"{ATOM}published")]
    assert atom_dates[:3] == ["2025-12-31T12:00:00+08:00", "2025-12-31T12:00:00+08:00", "2025-12-31T09:30:00+08:00"]
    feed = json.loads((out / "feed.json").read_text("utf-8"))
    json_dates = [item[key] for item in feed["items"] for key in ("date_published", "date_modified") if key in item]
    assert json_dates == [
        "2025-12-31T09:30:00+08:00",
        "2025-12-31T12:00:00+08:00",
        "2024-10-02T08:00:00+02:00",
        "2024-09-01T10:00:00+00:00",
    ]
    for text in atom_dates + json_dates:
        assert RFC3339.fullmatch(text), text
        assert dt.datetime.fromisoformat(text).tzinfo is not None


def test_feed_dates_never_come_from_the_clock(tmp_path: Path) -> None:
    first = build(tmp_path, name="a")
    later = tmp_path / "b"
    assert gazette("build", "--site", tmp_path / "site", "--output", later, "--now", "2026-03-01T00:00:00Z").code == 0
    for name in ("feed.xml", "atom.xml", "feed.json", "tags/ia/feed.xml", "sitemap.xml"):
        assert (first / name).read_bytes() == (later / name).read_bytes(), name


def test_every_url_of_every_feed_is_absolute_under_the_base_url_including_inside_stories(out: Path) -> None:
    sources = {
        "https://www.ithome.com/0/800/000.htm",
        "https://www.ithome.com/rss/",
        "https://www.heise.de/news/cpp.html",
    }
    for file in feed_files(out):
        parsed = feedparser.parse(file.read_bytes())
        urls = [parsed.feed.link, *(link.href for link in parsed.feed.links)]
        for entry in parsed.entries:
            urls += [entry.link, entry.id, *(link.href for link in entry.links)]
            for content in [*entry.get("content", []), entry.get("summary_detail", {})]:
                urls += html_links(content.get("value", ""))
        feed = json.loads((out / "feed.json").read_text("utf-8"))
        urls += [feed["home_page_url"], feed["feed_url"]]
        for item in feed["items"]:
            urls += [item["id"], item["url"], *html_links(item["content_html"])]
        outside = [url for url in urls if not url.startswith(BASE) and url not in sources]
        assert outside == [], file


def test_links_inside_a_story_are_resolved_as_on_its_page(out: Path) -> None:
    item = json.loads((out / "feed.json").read_text("utf-8"))["items"][0]
    assert html_links(item["content_html"]) == [
        BASE + "2024/10/cpp/",
        BASE + "static/logo.png",
        BASE + "2025/12/azure/#fn:1",
        BASE + "2025/12/cpp/",
        BASE + "2025/12/azure/photo.jpg",
        BASE + "2025/12/azure/photo.jpg",
        BASE + "static/big.jpg",
        BASE + "2025/12/azure/#fnref:1",
        "https://www.ithome.com/0/800/000.htm",
    ]


def test_ids_are_the_permalinks_and_stay_the_same_across_builds(tmp_path: Path) -> None:
    first = build(tmp_path, name="a")
    extra = dict(SITE)
    extra["content/posts/new.md"] = "---\ntitle: Nouvelle\ndate: 2025-12-31T23:00:00+01:00\n---\nNeuf.\n"
    second = build(tmp_path, files=extra, name="b")
    for name in ("feed.xml", "atom.xml"):
        ids_a = [e.id for e in feedparser.parse(first / name).entries]
        ids_b = [e.id for e in feedparser.parse(second / name).entries]
        assert ids_a == [BASE + "2025/12/azure/", BASE + "2024/10/cpp/", BASE + "2024/09/plain/"]
        assert ids_b == [BASE + "2025/12/new/", *ids_a]
    guids = strict_xml(first / "feed.xml").findall("channel/item/guid")
    assert [g.get("isPermaLink") for g in guids] == ["true", "true", "true"]


def test_rss_items_name_their_source_with_a_via_line_and_a_source_element_only_for_a_feed_url(out: Path) -> None:
    items = strict_xml(out / "feed.xml").findall("channel/item")
    sources = [item.find("source") for item in items]
    assert sources[0] is not None
    assert (sources[0].get("url"), sources[0].text) == ("https://www.ithome.com/rss/", "ITHome")
    assert sources[1] is None  # Heise has a story URL but no feed: RSS 2.0 wants a feed URL there
    assert sources[2] is None
    encoded = [item.find("{http://purl.org/rss/1.0/modules/content/}encoded").text for item in items]
    assert encoded[0].endswith(
        '\n<p class="via">Via\u202f: <a href="https://www.ithome.com/0/800/000.htm">ITHome</a></p>'
    )
    assert encoded[1].endswith('\n<p class="via">Via\u202f: <a href="https://www.heise.de/news/cpp.html">Heise</a></p>')
    assert "via" not in encoded[2]
    descriptions = [item.find("description").text for item in items]
    assert descriptions[1] == "<p>Le C++ avance.</p>"


def test_atom_entries_link_their_sources_with_rel_via(out: Path) -> None:
    entries = strict_xml(out / "atom.xml").findall(f"{ATOM}entry")
    links = [
        [(link.get("rel"), link.get("href"), link.get("hreflang")) for link in e.findall(f"{ATOM}link")]
        for e in entries
    ]
    assert links == [
        [(None, BASE + "2025/12/azure/", None), ("via", "https://www.ithome.com/0/800/000.htm", "zh")],
        [(None, BASE + "2024/10/cpp/", None), ("via", "https://www.heise.de/news/cpp.html", None)],
        [(None, BASE + "2024/09/plain/", None)],
    ]


def check_json_feed(feed: dict[str, Any]) -> None:
    """Check a JSON Feed against version 1.1: required fields, types, dates, extensions."""
    top = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
           "favicon", "authors", "language", "expired", "hubs", "items"}  # fmt: skip
    item_keys = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
                 "banner_image", "date_published", "date_modified", "authors", "tags", "language",
                 "attachments"}  # fmt: skip
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert {key for key in feed if not key.startswith("_")} <= top
    for author in feed.get("authors", []):
        assert set(author) <= {"name", "url", "avatar"} and author
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_html" in item or "content_text" in item
        assert {key for key in item if not key.startswith("_")} <= item_keys
        for key in ("date_published", "date_modified"):
            if key in item:
                assert RFC3339.fullmatch(item[key]), item[key]
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        for key, value in item.items():
            if key.startswith("_"):
                assert isinstance(value, dict)


def test_json_feed_follows_version_1_1_and_carries_the_sources(out: Path) -> None:
    raw = (out / "feed.json").read_bytes()
    feed = json.loads(raw)
    check_json_feed(feed)
    assert raw.decode("utf-8").count("\\u") == 0  # UTF-8 as written, not escaped
    assert (feed["title"], feed["home_page_url"], feed["feed_url"], feed["language"]) == (
        "Le Fil",
        BASE,
        BASE + "feed.json",
        "fr",
    )
    first, second, third = feed["items"]
    assert first["external_url"] == "https://www.ithome.com/0/800/000.htm"
    assert first["_gazette"] == {
        "sources": [
            {
                "name": "ITHome",
                "url": "https://www.ithome.com/0/800/000.htm",
                "lang": "zh",
                "feed": "https://www.ithome.com/rss/",
            }
        ]
    }
    assert first["summary"] == "Voir l'autre brève et ."
    assert first["authors"] == [{"name": "Rédaction"}]
    assert second["_gazette"] == {"sources": [{"name": "Heise", "url": "https://www.heise.de/news/cpp.html"}]}
    assert "external_url" not in third and "_gazette" not in third


def test_feed_size_comes_from_site_yaml(tmp_path: Path) -> None:
    files = dict(SITE)
    files["site.yaml"] = SITE["site.yaml"].replace("author: Rédaction", "author: Rédaction\n        feed_size: 2")
    out = build(tmp_path, files=files)
    assert len(feedparser.parse(out / "feed.xml").entries) == 2
    assert len(json.loads((out / "feed.json").read_text("utf-8"))["items"]) == 2
    assert [e.title for e in feedparser.parse(out / "tags/ia/feed.xml").entries] == [
        "Microsoft coupe Azure OpenAI <en Chine>",
        "C++ 26 & la suite",
    ]


def test_every_page_head_links_the_feeds_and_a_tag_page_its_own_three(out: Path) -> None:
    alternates = (
        '<link rel="alternate" type="application/rss+xml" title="Le Fil (RSS)" href="/blog/feed.xml">\n'
        '<link rel="alternate" type="application/atom+xml" title="Le Fil (Atom)" href="/blog/atom.xml">\n'
        '<link rel="alternate" type="application/feed+json" title="Le Fil (JSON Feed)" href="/blog/feed.json">\n'
    )
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 18  # the search page, the author index and the author's page among them
    for page in pages:
        assert alternates in page.read_text("utf-8"), page
    tag_page = (out / "tags/ia/index.html").read_text("utf-8")
    title = "Le Fil — Articles étiquetés «\u202fIA\u202f»"
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="{title} (RSS)" href="/blog/tags/ia/feed.xml">\n'
        f'<link rel="alternate" type="application/atom+xml" title="{title} (Atom)" href="/blog/tags/ia/atom.xml">\n'
        f'<link rel="alternate" type="application/feed+json" title="{title} (JSON Feed)" '
        'href="/blog/tags/ia/feed.json">'
    ) in tag_page


def test_an_empty_site_still_has_valid_feeds_dated_without_the_clock(tmp_path: Path) -> None:
    out = build(tmp_path, files={"site.yaml": "title: Vide\nbase_url: https://example.org/\n"})
    parsed = feedparser.parse(out / "atom.xml")
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated == "1970-01-01T00:00:00+00:00"
    assert not feedparser.parse(out / "feed.xml").bozo
    check_json_feed(json.loads((out / "feed.json").read_text("utf-8")))


def test_via_line_links_each_source_and_escapes_what_the_author_wrote() -> None:
    sources = (Source("A&B <news>", 'https://a.example/?x=1&y="2"'), Source("Plain"))
    assert via_html(sources, "Via :") == (
        '<p class="via">Via : <a href="https://a.example/?x=1&amp;y=&quot;2&quot;">A&amp;B &lt;news&gt;</a>, Plain</p>'
    )
