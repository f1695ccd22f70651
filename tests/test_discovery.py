"""Sitemaps, robots.txt, archives, tag and source pages, and scheduled posts, on a built site."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import NOW, gazette, write_tree

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

SITE = {
    "site.yaml": "title: Le Fil\nbase_url: https://example.org/blog/\nlanguage: fr\ntimezone: Europe/Paris\n",
    # Two days before NOW, to the second: still news.
    "content/posts/edge.md": "---\ntitle: Juste à temps\ndate: 2025-12-30T00:00:00Z\ntags: [IA]\n"
    "source: {name: ithome, url: 'https://www.ithome.com/1/'}\n---\nA.\n",
    "content/posts/news.md": "---\ntitle: Dernière minute\ndate: 2025-12-31T18:00:00+01:00\nlang: zh-TW\n"
    "updated: 2025-12-31T20:00:00+01:00\ntags: [ia, Sécurité]\nsource: ITHome\n---\nB.\n",
    "content/posts/old.md": "---\ntitle: Vieille affaire\ndate: 2024-10-14 09:30\ntags: [Sécurité]\n"
    "source: [{name: Heise}, {name: ITHome}]\n---\nC.\n",
    "content/posts/older.md": "---\ntitle: Encore plus vieux\ndate: 2024-09-30 23:30\n---\nD.\n",
    "content/posts/later.md": "---\ntitle: Pas encore\ndate: 2026-01-01T00:00:01Z\ntags: [Futur]\n"
    "source: Demain\n---\nE.\n",
    "content/pages/about.md": "---\ntitle: À propos\n---\nNous.\n",
}


def build(tmp_path: Path, *args: str, files: dict[str, str | bytes] | None = None) -> tuple[Path, str]:
    """Build a site and return its output folder and the summary line."""
    site = write_tree(tmp_path / "site", files or SITE)
    out = tmp_path / "out"
    run = gazette("build", "--site", site, "--output", out, *args)
    assert run.code == 0, run.err
    return out, run.out


def xml(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes(), etree.XMLParser(recover=False, resolve_entities=False))


def main_of(page: Path) -> str:
    """Return the <main> element of a page, blank lines dropped."""
    text = page.read_text("utf-8")
    main = text[text.index("<main") : text.index("</main>") + 7]
    return "\n".join(line for line in main.splitlines() if line.strip())


def test_sitemap_lists_every_page_with_its_lastmod_and_nothing_unpublished(tmp_path: Path) -> None:
    out, _ = build(tmp_path, "--now", NOW)
    root = xml(out / "sitemap.xml")
    entries = [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in root]
    newest = "2025-12-31T20:00:00+01:00"
    assert entries == [
        ("https://example.org/blog/", newest),
        ("https://example.org/blog/2025/12/news/", newest),
        ("https://example.org/blog/2025/12/edge/", "2025-12-30T00:00:00+00:00"),
        ("https://example.org/blog/2024/10/old/", "2024-10-14T09:30:00+02:00"),
        ("https://example.org/blog/2024/09/older/", "2024-09-30T23:30:00+02:00"),
        ("https://example.org/blog/about/", None),  # a page without a date has no known change date
        ("https://example.org/blog/tags/", newest),
        ("https://example.org/blog/tags/ia/", newest),
        ("https://example.org/blog/tags/securite/", newest),
        ("https://example.org/blog/sources/", newest),
        ("https://example.org/blog/sources/heise/", "2024-10-14T09:30:00+02:00"),
        ("https://example.org/blog/sources/ithome/", newest),
        ("https://example.org/blog/archives/", newest),
    ]


def test_news_sitemap_holds_the_posts_of_the_last_two_days_in_google_news_format(tmp_path: Path) -> None:
    out, _ = build(tmp_path, "--now", NOW)
    root = xml(out / "news-sitemap.xml")
    assert root.nsmap == {None: SITEMAP[1:-1], "news": NEWS[1:-1]}
    found = [
        (
            url.findtext(f"{SITEMAP}loc"),
            url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name"),
            url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            url.findtext(f"{NEWS}news/{NEWS}publication_date"),
            url.findtext(f"{NEWS}news/{NEWS}title"),
        )
        for url in root
    ]
    assert found == [
        ("https://example.org/blog/2025/12/news/", "Le Fil", "zh-tw", "2025-12-31T18:00:00+01:00", "Dernière minute"),
        ("https://example.org/blog/2025/12/edge/", "Le Fil", "fr", "2025-12-30T00:00:00+00:00", "Juste à temps"),
    ]
    # One second later, the edge post is no longer news and the scheduled one is published.
    out, _ = build(tmp_path, "--now", "2026-01-01T00:00:01+00:00")
    assert [u.findtext(f"{SITEMAP}loc") for u in xml(out / "news-sitemap.xml")] == [
        "https://example.org/blog/2026/01/later/",
        "https://example.org/blog/2025/12/news/",
    ]


def test_robots_txt_points_at_both_sitemaps_and_a_site_s_own_wins(tmp_path: Path) -> None:
    out, _ = build(tmp_path, "--now", NOW)
    assert (out / "robots.txt").read_text("utf-8") == (
        "User-agent: *\nDisallow:\n\n"
        "Sitemap: https://example.org/blog/sitemap.xml\n"
        "Sitemap: https://example.org/blog/news-sitemap.xml\n"
    )
    out, _ = build(tmp_path, "--now", NOW, files={**SITE, "static/robots.txt": "User-agent: *\nDisallow: /\n"})
    assert (out / "robots.txt").read_text("utf-8") == "User-agent: *\nDisallow: /\n"


def test_archives_group_by_year_then_month_with_localized_month_names(tmp_path: Path) -> None:
    out, _ = build(tmp_path, "--now", NOW)
    assert main_of(out / "archives/index.html") == "\n".join(
        [
            '<main id="main" class="wrap">',
            "<h1>Archives</h1>",
            '<section class="archive-year">',
            "  <h2>2025</h2>",
            "  <h3>décembre 2025</h3>",
            '  <ul class="story-list">',
            '  <li><time datetime="2025-12-31T18:00:00+01:00">31 déc. 2025</time> '
            '<a href="/blog/2025/12/news/">Dernière minute</a></li>',
            '  <li><time datetime="2025-12-30T00:00:00+00:00">30 déc. 2025</time> '
            '<a href="/blog/2025/12/edge/">Juste à temps</a></li>',
            "</ul>",
            "</section>",
            '<section class="archive-year">',
            "  <h2>2024</h2>",
            "  <h3>octobre 2024</h3>",
            '  <ul class="story-list">',
            '  <li><time datetime="2024-10-14T09:30:00+02:00">14 oct. 2024</time> '
            '<a href="/blog/2024/10/old/">Vieille affaire</a></li>',
            "</ul>",
            "  <h3>septembre 2024</h3>",
            '  <ul class="story-list">',
            '  <li><time datetime="2024-09-30T23:30:00+02:00">30 sept. 2024</time> '
            '<a href="/blog/2024/09/older/">Encore plus vieux</a></li>',
            "</ul>",
            "</section>",
            "</main>",
        ]
    )


def test_source_pages_list_every_brief_of_an_outlet_matched_without_regard_to_case(tmp_path: Path) -> None:
    out, _ = build(tmp_path, "--now", NOW)
    page = main_of(out / "sources/ithome/index.html")
    assert "<h1>Articles d’après ITHome</h1>" in page  # 'ITHome' twice, 'ithome' once
    assert re.findall(r'href="([^"]+)"', page) == [
        "/blog/sources/",
        "/blog/sources/ithome/feed.xml",
        "/blog/sources/ithome/atom.xml",
        "/blog/sources/ithome/feed.json",
        "/blog/2025/12/news/",
        "/blog/2025/12/edge/",
        "/blog/2024/10/old/",
    ]
    index = main_of(out / "sources/index.html")
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">([^<]+)</span>', index) == [
        ("/blog/sources/heise/", "Heise", "1 article"),
        ("/blog/sources/ithome/", "ITHome", "3 articles"),
    ]


def test_two_source_spellings_with_one_slug_are_one_outlet_with_a_warning(tmp_path: Path) -> None:
    files = {
        "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nsource: Le Monde\n---\nA.\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\nsource: Le-Monde\n---\nB.\n",
    }
    site = write_tree(tmp_path / "site", files)
    run = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert run.code == 0
    assert (
        "content/posts/b.md:1:1: warning: sources 'Le Monde' (content/posts/a.md) and 'Le-Monde' "
        "(content/posts/b.md) make one URL, /sources/le-monde/: they are one, shown as 'Le Monde'; "
        "write it one way everywhere to silence this" in run.err
    )
    outlet = (tmp_path / "out/sources/le-monde/index.html").read_text()
    assert "/2024/01/a/" in outlet and "/2024/01/b/" in outlet


def test_tag_index_counts_and_tag_pages_link_their_feeds(tmp_path: Path) -> None:
    out, _ = build(tmp_path, "--now", NOW)
    index = main_of(out / "tags/index.html")
    assert re.findall(r'<a href="([^"]+)" rel="tag">([^<]+)</a> <span class="count">([^<]+)</span>', index) == [
        ("/blog/tags/ia/", "IA", "2 articles"),
        ("/blog/tags/securite/", "Sécurité", "2 articles"),
    ]
    tag = main_of(out / "tags/securite/index.html")
    assert "<h1>Articles étiquetés «\u202fSécurité\u202f»</h1>" in tag
    assert (
        '<p class="subscribe">Suivre cette étiquette\u202f: '
        '<a href="/blog/tags/securite/feed.xml" type="application/rss+xml">RSS</a> · '
        '<a href="/blog/tags/securite/atom.xml" type="application/atom+xml">Atom</a> · '
        '<a href="/blog/tags/securite/feed.json" type="application/feed+json">JSON Feed</a></p>'
    ) in tag


def test_a_scheduled_post_is_in_no_output_until_its_time(tmp_path: Path) -> None:
    out, summary = build(tmp_path, "--now", NOW)
    assert ", 1 scheduled in " in summary
    for file in out.rglob("*"):
        if file.is_file():
            data = file.read_bytes()  # the search index's files are compressed: read what they hold
            text = (gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data).decode("utf-8", "replace")
            assert "Pas encore" not in text and "later" not in text and "Demain" not in text, file
            assert "futur" not in text.lower(), file
    assert not (out / "tags/futur").exists() and not (out / "sources/demain").exists()


def test_future_includes_a_scheduled_post_everywhere(tmp_path: Path) -> None:
    out, summary = build(tmp_path, "--now", NOW, "--future")
    assert "scheduled" not in summary
    for name in ("index.html", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "archives/index.html"):
        assert "/2026/01/later/" in (out / name).read_text("utf-8"), name
    assert (out / "tags/futur/feed.xml").is_file() and (out / "sources/demain/index.html").is_file()


def test_source_date_epoch_fixes_now_when_no_now_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patch = monkeypatch
    patch.setenv("SOURCE_DATE_EPOCH", "1767225601")  # 2026-01-01T00:00:01Z: the scheduled post is due
    out, summary = build(tmp_path)
    assert "scheduled" not in summary
    assert (out / "2026/01/later/index.html").is_file()
    patch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # one second earlier: not yet
    out, summary = build(tmp_path)
    assert ", 1 scheduled in " in summary
    assert not (out / "2026/01/later/index.html").exists()
