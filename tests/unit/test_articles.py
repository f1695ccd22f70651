import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.content.articles import parse_article, parse_articles
from generator.errors import Diagnostic
from generator.model import Article, Config, OriginalWork, Source, SourceFile, Update
from generator.urls import site_path

CONFIG = Config(timezone="Europe/Paris", author="Rédaction")


def parse(path: str, text: str, config: Config = CONFIG) -> Article:
    result = parse_article(SourceFile(path, text, "digest"), config)
    assert isinstance(result, Article), result
    return result


def test_full_front_matter() -> None:
    article = parse(
        "content/posts/2024/azure.md",
        "---\ntitle: Azure\ndate: 2024-10-14T09:30:00+08:00\nupdated: 2024-10-15\ntags: [IA, ia, Chine]\n"
        "source:\n  name: ITHome\n  url: https://www.ithome.com/0/800/000.htm\n  lang: zh\n"
        "author: [A, B]\nsummary: 'Short *one*.'\ncategories: [news]\nlang: fr-CA\n---\nBody.\n",
    )
    assert article.kind == "post"
    assert article.url == "/2024/10/azure/"
    assert article.date == dt.datetime(2024, 10, 14, 1, 30, tzinfo=dt.UTC)
    assert article.updated is not None and article.updated.isoformat() == "2024-10-15T00:00:00+02:00"
    assert article.tags == ("IA", "Chine")
    assert article.sources == (Source("ITHome", "https://www.ithome.com/0/800/000.htm", "zh"),)
    assert article.authors == ("A", "B")
    assert article.summary_html == article.deck_html == "<p>Short <em>one</em>.</p>"
    assert article.lang == "fr-CA"
    assert dict(article.extra) == {"categories": ("news",)}


def test_without_a_summary_lists_show_an_excerpt_and_the_story_no_deck() -> None:
    article = parse(
        "content/posts/2024-10-14-notes.md",
        "---\ntitle: Notes 2.0\n---\n# Notes 2.0\n\n## Changes\n\n- Faster start\n\n"
        "Get it: [tar](/a.tgz) | [zip](/a.zip)\n",
    )
    assert article.summary_html == "<p>Faster start</p>"
    assert article.deck_html == ""
    assert "Notes 2.0</h" not in article.html


def test_a_summarys_relative_links_point_where_they_do_on_the_storys_page() -> None:
    article = parse(
        "content/posts/kernel/index.md",
        "---\ntitle: K\ndate: 2025-12-31\n---\nSee [notes](notes/), [up](../x.png), a note[^1], "
        "[other](../rust.md), [root](/a/), [web](https://e.org/p), [mail](mailto:a@e.org) and "
        '<img src="d.png" srcset="d.png 1x, d2.png 2x" alt="">.\n\n<!-- more -->\n\nMore.\n\n[^1]: Note.\n',
    )
    assert article.summary_html == (
        '<p>See <a href="/2025/12/kernel/notes/">notes</a>, <a href="/2025/12/x.png">up</a>, '
        'a note<sup id="fnref:1"><a class="footnote-ref" href="/2025/12/kernel/#fn:1">1</a></sup>, '
        '<a href="../rust.md">other</a>, <a href="/a/">root</a>, <a href="https://e.org/p">web</a>, '
        '<a href="mailto:a@e.org">mail</a> and '
        '<img src="/2025/12/kernel/d.png" srcset="/2025/12/kernel/d.png 1x, /2025/12/kernel/d2.png 2x" alt="">.</p>'
    )
    assert 'href="notes/"' in article.html  # on its own page, a link stays as written


def test_jekyll_style_post() -> None:
    article = parse(
        "content/posts/_posts/2023-05-04-hello-world.md", "---\nlayout: post\ntitle: Hi\npublished: false\n---\nx\n"
    )
    assert article.slug == "hello-world"
    assert article.url == "/2023/05/hello-world/"
    assert article.draft is True
    assert article.authors == ("Rédaction",)


def test_sources_as_name_url_or_list() -> None:
    by_name = parse("content/posts/a.md", "---\ntitle: T\ndate: 2024-01-01\nsource: Reuters\n---\n")
    assert by_name.sources == (Source("Reuters"),)
    by_url = parse("content/posts/a.md", "---\ntitle: T\ndate: 2024-01-01\nsource: https://www.ithome.com/x\n---\n")
    assert by_url.sources == (Source("ithome.com", "https://www.ithome.com/x"),)
    many = parse(
        "content/posts/a.md",
        "---\ntitle: T\ndate: 2024-01-01\nsource:\n  - {name: A, feed: https://a.example/rss}\n  - url: https://b.example/x\n---\n",
    )
    assert many.sources == (Source("A", feed="https://a.example/rss"), Source("b.example", "https://b.example/x"))


def test_page_slug_from_bundle_folder_and_no_date_needed() -> None:
    page = parse("content/pages/about/index.md", "---\ntitle: About\nweight: 3\n---\nHello.\n")
    assert (page.kind, page.url, page.date, page.weight) == ("page", "/about/", None, 3)


@pytest.mark.parametrize(
    ("slug", "url"),
    [("010", "/2024/01/010/"), ("Mon-Titre-Été", "/2024/01/Mon-Titre-%C3%89t%C3%A9/"),
     ("c++_v2.0~x", "/2024/01/c++_v2.0~x/"), ("人工智能", "/2024/01/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD/")],
)  # fmt: skip
def test_a_slug_that_is_one_path_segment_is_used_exactly_as_written(slug: str, url: str) -> None:
    article = parse("content/posts/a.md", f"---\ntitle: T\ndate: 2024-01-01\nslug: {slug}\n---\n")
    assert site_path("/", article.url) == url


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("a/b", "'slug' must be one part of a URL, and '/' cannot stand in one part of a URL; write 'a-b'"),
        ("../../x", "'slug' must be one part of a URL, and it would name a hidden folder or leave its own; "
         "write 'dot-x'"),
        ("Mon Titre", "'slug' must be one part of a URL, and ' ' cannot stand in one part of a URL; write 'mon-titre'"),
        ("a?b#c", "'slug' must be one part of a URL, and '?' cannot stand in one part of a URL; write 'a-b-sharp-c'"),
        ("x" * 300, "'slug' must be one part of a URL, and it is longer than 255 bytes, which file systems refuse; "
         "write '" + "x" * 96 + "'"),
    ],
)  # fmt: skip
def test_a_slug_that_is_no_path_segment_is_a_located_error_suggesting_one(slug: str, message: str) -> None:
    result = parse_article(
        SourceFile("content/posts/a.md", f"---\ntitle: T\ndate: 2024-01-01\nslug: '{slug}'\n---\n", "d"), CONFIG
    )
    assert isinstance(result, tuple)
    assert [(d.line, d.col, d.message) for d in result] == [(4, 7, message)]


def test_every_field_error_of_a_file_is_reported() -> None:
    result = parse_article(
        SourceFile("content/posts/a.md", "---\ntitle: [x]\ndate: soon\ndraft: 1\nweight: x\n---\n", "d"), CONFIG
    )
    assert isinstance(result, tuple)
    assert [(d.line, d.col) for d in result] == [(2, 8), (3, 7), (4, 8), (5, 9)]


def test_files_outside_posts_and_pages_are_a_warning() -> None:
    articles, problems = parse_articles((SourceFile("content/notes.md", "---\ntitle: x\n---\n", "d"),), CONFIG)
    assert articles == ()
    assert problems == (
        Diagnostic(
            "content/notes.md",
            1,
            1,
            "not under content/posts/ or content/pages/, so not published; move it into one of them",
            "warning",
        ),
    )


def test_dates_and_authors_as_other_generators_write_them() -> None:
    mail = parse(
        "content/posts/a.md",
        "---\ntitle: T\ndate: Mon, 14 Oct 2024 09:30:00 +0800\nauthor: {name: Jane, email: j@x.org}\n---\n",
    )
    assert mail.date == dt.datetime(2024, 10, 14, 1, 30, tzinfo=dt.UTC)
    assert mail.authors == ("Jane",)
    slashed = parse("content/posts/a.md", "---\ntitle: T\ndate: 2024/10/14\nauthor: [{name: A}, B]\n---\n")
    assert slashed.date is not None and slashed.date.isoformat() == "2024-10-14T00:00:00+02:00"
    assert slashed.authors == ("A", "B")


def test_toml_front_matter_reads_as_the_same_yaml_does() -> None:
    yaml_story = parse(
        "content/posts/a.md",
        "---\ntitle: 'Mon billet : 2'\ndate: 2019-03-01T10:00:00+01:00\ntags: [Go, Hugo]\ndraft: false\n"
        "source:\n  name: ITHome\n  url: https://www.ithome.com/0/1.htm\nweight: 3\n"
        "params:\n  foo: 1\n  bar: [x, 'y']\n---\nHello **world**.\n",
    )
    toml_story = parse(
        "content/posts/a.md",
        "+++\ntitle = 'Mon billet : 2'\ndate = 2019-03-01T10:00:00+01:00\ntags = ['Go', 'Hugo']\ndraft = false\n"
        "weight = 3\n[source]\n  name = 'ITHome'\n  url = 'https://www.ithome.com/0/1.htm'\n"
        "[params]\n  foo = 1\n  bar = ['x', 'y']\n+++\nHello **world**.\n",
    )
    assert toml_story == yaml_story


def test_a_toml_local_date_is_in_the_sites_zone() -> None:
    story = parse("content/posts/a.md", "+++\ntitle = 'T'\ndate = 2019-03-01\n+++\n")
    assert story.date is not None and story.date.isoformat() == "2019-03-01T00:00:00+01:00"


NEWSROOM = (
    "---\ntitle: Panne\ndate: 2024-11-04T09:30:00+01:00\n"
    "source:\n  - {name: ITHome, url: 'https://www.ithome.com/0/810/000.htm', lang: zh, role: via}\n"
    "  - {name: Reuters, url: 'https://www.reuters.com/x', role: original}\n"
    "original: {lang: zh, url: 'https://www.ithome.com/0/810/000.htm'}\n"
    "updates:\n"
    "  - {date: 2024-11-05, kind: correction, text: 'Four hours, not six.'}\n"
    "  - {date: '2024-11-04 14:05', text: 'Service is **back** <script>alert(1)</script>.'}\n"
    "---\nBody.\n"
)


def test_updates_are_read_oldest_first_with_their_text_as_sanitized_inline_html() -> None:
    article = parse("content/posts/panne.md", NEWSROOM)
    first, second = article.updates
    assert first == Update(
        dt.datetime(2024, 11, 4, 14, 5, tzinfo=ZoneInfo("Europe/Paris")), "Service is <strong>back</strong> .", "update"
    )
    assert (second.kind, second.html, second.timed) == ("correction", "Four hours, not six.", False)
    assert article.corrections == (second,)


def test_the_newest_update_or_updated_wins_as_the_last_change() -> None:
    assert parse("content/posts/panne.md", NEWSROOM).updated == dt.datetime(
        2024, 11, 5, tzinfo=ZoneInfo("Europe/Paris")
    )
    later = NEWSROOM.replace("original:", "updated: 2024-12-01T10:00:00+01:00\noriginal:")
    assert parse("content/posts/panne.md", later).updated == dt.datetime(
        2024, 12, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )


def test_sources_carry_roles_and_the_original_is_the_story_feeds_carry() -> None:
    article = parse("content/posts/panne.md", NEWSROOM)
    assert [source.role for source in article.sources] == ["via", "original"]
    assert article.source == Source("Reuters", "https://www.reuters.com/x", role="original")
    unroled = parse("content/posts/a.md", "---\ntitle: T\ndate: 2024-01-01\nsource: [A, B]\n---\n")
    assert unroled.source == Source("A")


def test_a_translated_brief_names_its_original() -> None:
    assert parse("content/posts/panne.md", NEWSROOM).original == OriginalWork(
        "zh", url="https://www.ithome.com/0/810/000.htm"
    )
    titled = parse(
        "content/posts/a.md", "---\ntitle: T\ndate: 2024-01-01\noriginal: {lang: en, title: A <b>x</b>}\n---\n"
    )
    assert titled.original == OriginalWork("en", "A <b>x</b>")  # text, escaped where it is shown


def test_links_in_updates_are_put_under_the_base_path() -> None:
    text = "---\ntitle: T\ndate: 2024-01-01\nupdates: [{date: 2024-01-02, text: 'See [all](/corrections/).'}]\n---\n"
    article = parse("content/posts/a.md", text, Config(base_url="https://example.org/blog/"))
    assert article.updates[0].html == 'See <a href="/blog/corrections/">all</a>.'
