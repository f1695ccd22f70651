"""Rebuild tests: build, change one thing, build again; assert which outputs were rendered, and that
the result equals a clean build byte for byte."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build import BuildOptions, BuildResult, build
from generator.content.sources import RACY_NS, read_file
from generator.model import FrozenMap
from generator.publish.output import MANIFESTS
from generator.site.cache import CACHE_DIR, DATABASE, BuildCache
from tests.conftest import change_cache, snapshot, stored_articles, write_tree

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SITE = {
    "site.yaml": "title: Rebuilds\nbase_url: https://example.org/\nsearch: false\n",  # see test_search_build.py
    "content/posts/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [A]\nsource: {name: Wire, url: https://w.example/1}\n---\nFirst.\n",
    "content/posts/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [B]\n---\nSecond.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
}


@pytest.fixture
def site(make_site: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_site(SITE)


def run(site: Path, cache: BuildCache | None = None) -> BuildResult:
    return build(BuildOptions(site, site / "output", now=NOW), cache)


def rebuild_after(site: Path, change: Callable[[], object], *, fresh: bool = False) -> set[str]:
    """Build, change something, build again with the same cache; return what the second build rendered.

    `fresh`: each build loads the cache from the site's cache folder, as `gazette build` does.
    """
    cache = None if fresh else BuildCache()
    run(site, cache)
    change()
    rendered = set(run(site, cache).rendered)
    clean = site.parent / "clean"
    build(BuildOptions(site, clean, now=NOW), BuildCache())
    assert snapshot(site / "output") == snapshot(clean)
    return rendered


def card_of(site: Path, story: str) -> str:
    """Name the social card of a story in output/ (its name carries a digest of what it shows)."""
    (card,) = (site / "output" / story).glob("card.*.png")
    return card.relative_to(site / "output").as_posix()


def cards(site: Path) -> set[str]:
    """Name every social card in output/."""
    return {path.relative_to(site / "output").as_posix() for path in (site / "output").rglob("card.*.png")}


def theme_copies(site: Path) -> set[str]:
    """Name the theme's stylesheet and script in output/, whose names carry a hash of their content."""
    found = [*(site / "output/static").glob("style.*.css"), *(site / "output/static").glob("search.*.js")]
    assert len(found) == 2
    return {path.relative_to(site / "output").as_posix() for path in found}


def feeds_of(folder: str) -> set[str]:
    """Name the three feeds (RSS, Atom, JSON Feed) of a list whose pages are in `folder`."""
    return {f"{folder}/feed.xml", f"{folder}/atom.xml", f"{folder}/feed.json"}


def test_nothing_changed_renders_nothing(site: Path) -> None:
    assert rebuild_after(site, lambda: None) == set()


def test_editing_a_story_renders_only_what_shows_it(site: Path) -> None:
    post = site / "content/posts/two.md"
    rendered = rebuild_after(site, lambda: post.write_text(post.read_text().replace("Second.", "Changed."), "utf-8"))
    assert rendered == {
        "2024/02/two/index.html",
        "2024/01/one/index.html",  # links to two as the newer story
        "index.html",  # shows its summary, which is its only paragraph
        "tags/b/index.html",
        *feeds_of("tags/b"),
        "feed.xml",
        "atom.xml",
        "feed.json",
    }  # not the sitemaps: the story's dates did not change; not the archive or the tag index: no text there


def edit(path: Path, old: str, new: str) -> Callable[[], object]:
    """Make the change that replaces some text of a file."""
    return lambda: path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


# What a story is in, besides its page and its tags' pages: the lists, feeds and indexes that showed it.
LISTED = ("archives/index.html", "tags/index.html", "feed.xml", "atom.xml", "feed.json")


def test_retitling_a_story_renders_what_names_it(site: Path) -> None:
    rendered = rebuild_after(site, edit(site / "content/posts/two.md", "title: Two", "title: Deux"))
    assert rendered == {
        "2024/02/two/index.html",
        card_of(site, "2024/02/two"),  # the title is on its card: a new card, at a new URL
        "2024/01/one/index.html",  # names two as the newer story
        "index.html",
        "tags/b/index.html",
        *feeds_of("tags/b"),
        *LISTED,
    }  # not the sitemaps: no page came or went, and no date changed


def test_retagging_a_story_renders_both_tags_and_what_lists_tags(site: Path) -> None:
    rendered = rebuild_after(site, edit(site / "content/posts/two.md", "tags: [B]", "tags: [A, C]"))
    assert rendered == {
        "2024/02/two/index.html",
        "2024/01/one/index.html",  # two is now related to one, sharing tag A
        "index.html",
        "tags/a/index.html",
        *feeds_of("tags/a"),
        "tags/c/index.html",
        *feeds_of("tags/c"),
        "sitemap.xml",  # tag B's page went, tag C's came
        *LISTED,
    }
    assert not (site / "output/tags/b").exists()


def test_redating_a_story_moves_it_in_every_list(site: Path) -> None:
    rendered = rebuild_after(site, edit(site / "content/posts/two.md", "date: 2024-02-01", "date: 2023-12-01"))
    assert rendered == {
        "2023/12/two/index.html",  # its URL holds its date
        card_of(site, "2023/12/two"),  # so does its card's, which shows the date
        "2024/01/one/index.html",  # two is now the older story
        "index.html",
        "tags/b/index.html",
        *feeds_of("tags/b"),
        "sitemap.xml",
        *LISTED,
    }
    assert not (site / "output/2024/02").exists()


def test_making_a_story_a_draft_removes_it_everywhere(site: Path) -> None:
    rendered = rebuild_after(site, edit(site / "content/posts/two.md", "tags: [B]", "tags: [B]\ndraft: true"))
    assert rendered == {"2024/01/one/index.html", "index.html", "sitemap.xml", *LISTED}
    assert not (site / "output/2024/02/two").exists()


def test_deleting_a_story_renders_what_showed_it(site: Path) -> None:
    rendered = rebuild_after(site, (site / "content/posts/two.md").unlink)
    assert rendered == {"2024/01/one/index.html", "index.html", "sitemap.xml", *LISTED}
    assert not (site / "output/tags/b").exists()


def test_renaming_a_story_file_moves_its_page(site: Path) -> None:
    posts = site / "content/posts"
    rendered = rebuild_after(site, lambda: (posts / "two.md").rename(posts / "deux.md"))
    assert rendered == {
        "2024/02/deux/index.html",  # its slug comes from its file's name
        card_of(site, "2024/02/deux"),
        "2024/01/one/index.html",
        "index.html",
        "tags/b/index.html",
        *feeds_of("tags/b"),
        "sitemap.xml",
        *LISTED,
    }


def test_editing_site_yaml_renders_what_reads_the_setting(site: Path) -> None:
    rendered = rebuild_after(site, edit(site / "site.yaml", "title: Rebuilds", "title: Renamed"))
    assert rendered == set(snapshot(site / "output")) - theme_copies(site)


def test_adding_a_static_file_copies_only_it(site: Path) -> None:
    rendered = rebuild_after(site, lambda: write_tree(site / "static", {"img/logo.svg": "<svg/>"}))
    assert rendered == {"img/logo.svg"}


@pytest.mark.parametrize(
    "change",
    [
        ("content/posts/two.md", "Second.", "Changed."),
        ("content/posts/two.md", "title: Two", "title: Deux"),
        ("site.yaml", "title: Rebuilds", "title: Renamed"),
    ],
)
def test_a_fresh_process_renders_what_a_long_lived_one_does(tmp_path: Path, change: tuple[str, str, str]) -> None:
    rendered = []
    for fresh in (False, True):
        site = write_tree(tmp_path / str(fresh) / "site", SITE)
        rendered.append(rebuild_after(site, edit(site / change[0], *change[1:]), fresh=fresh))
    assert rendered[0] == rendered[1] != set()


@pytest.mark.parametrize(
    "change",
    [
        ("content/posts/two.md", "Second.", "Changed."),
        ("content/posts/one.md", "First.", "First, with [a link](https://example.org/)."),
        ("content/pages/about.md", "Us.", "Them."),
    ],
)
def test_a_text_edit_renders_what_digesting_every_output_would(tmp_path: Path, change: tuple[str, str, str]) -> None:
    """But for the pages that read no part of the text that changed: they are left as they are."""
    rendered, trees = [], []
    for forget in (False, True):
        site = write_tree(tmp_path / str(forget) / "site", SITE)
        cache = BuildCache()
        run(site, cache)
        if forget:  # without the last build's index of stories, every output is digested again
            for folder, (stamp, digests, last) in cache.outputs.items():
                assert last is not None
                cache.outputs[folder] = (stamp, digests, replace(last, stories=FrozenMap()))
        before = snapshot(site / "output")
        edit(site / change[0], *change[1:])()
        rendered.append(set(run(site, cache).rendered))
        trees.append(snapshot(site / "output"))
    assert set() != rendered[0] <= rendered[1]
    assert trees[0] == trees[1]
    left = rendered[1] - rendered[0]
    assert {path: before[path] for path in left} == {path: trees[1][path] for path in left}


@pytest.mark.parametrize("fresh", [False, True])
def test_an_edit_that_keeps_the_summary_and_length_renders_only_what_shows_the_body(site: Path, fresh: bool) -> None:
    post = site / "content/posts/two.md"
    post.write_text(post.read_text("utf-8") + "\n<!-- more -->\n\nA second paragraph.\n", "utf-8")
    shows_the_body = {
        "2024/02/two/index.html",
        "2024/01/one/index.html",  # shows its own body, and links to two
        *feeds_of("tags/b"),
        "feed.xml",
        "atom.xml",
        "feed.json",
    }  # not the home page, the tag's page: they show its summary (what stands before the marker)
    assert (
        rebuild_after(site, edit(post, "A second paragraph.", "The second paragraph."), fresh=fresh) == shows_the_body
    )
    # Pages kept by an edit still know, at the next one, what they read.
    assert (
        rebuild_after(site, edit(post, "The second paragraph.", "Our second paragraph."), fresh=fresh) == shows_the_body
    )


THEMES_READING_THE_BODY = [
    "{% for a in pagination.items %}{{ a.html|safe }}{% endfor %}",
    '{% for a in pagination.items %}{{ a["html"]|safe }}{% endfor %}',
    '{% for a in pagination.items %}{{ a|attr("html")|safe }}{% endfor %}',
    '{{ pagination.items|map(attribute="toc_html")|join|safe }}',
    "{% for a in pagination.items %}{{ a.words }}{% endfor %}",
    "{% for a in pagination.items %}{{ news_article(a)|tojson }}{% endfor %}",
]


@pytest.mark.parametrize("reads", THEMES_READING_THE_BODY)
def test_a_list_that_shows_what_changed_of_a_text_is_rendered_again(site: Path, reads: str) -> None:
    (site / "site.yaml").write_text((site / "site.yaml").read_text("utf-8") + "theme: mine\n", "utf-8")
    (site / "themes/mine/templates").mkdir(parents=True)
    (site / "themes/mine/theme.yaml").write_text("extends: default\n", "utf-8")
    (site / "themes/mine/templates/tag.html").write_text(
        '{% extends "!default/tag.html" %}{% block main %}' + reads + "{{ super() }}{% endblock %}", "utf-8"
    )
    post = site / "content/posts/two.md"
    post.write_text(post.read_text("utf-8") + "\n<!-- more -->\n\n## A heading\n\nA second paragraph.\n", "utf-8")
    rendered = rebuild_after(site, edit(post, "A second paragraph.", "A second, longer paragraph."))
    assert "tags/b/index.html" in rendered
    assert "index.html" not in rendered


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every file look older than the moments whose times cannot be trusted; give the markdown files read."""
    real = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: real() + RACY_NS + 1)
    read: list[str] = []

    def reading(path: Path) -> bytes:
        if path.suffix == ".md":
            read.append(path.name)
        return read_file(path)

    monkeypatch.setattr("generator.content.sources.read_file", reading)
    return read


def test_a_fresh_process_reads_only_the_stories_that_changed(site: Path, settled: list[str]) -> None:
    run(site)
    assert sorted(settled) == ["about.md", "about.md", "one.md", "one.md", "two.md", "two.md"]  # digest, parse
    settled.clear()
    assert "2024/02/two/index.html" in rebuild_after(
        site, edit(site / "content/posts/two.md", "Second.", "Changed."), fresh=True
    )
    assert settled[:2] == ["two.md", "two.md"] and len(settled) == 2 + 6  # then the clean build reads all three


def test_stories_known_by_their_stamps_are_read_when_a_parse_setting_changes(site: Path, settled: list[str]) -> None:
    run(site)
    settled.clear()
    config = site / "site.yaml"
    rendered = rebuild_after(
        site, lambda: config.write_text(SITE["site.yaml"] + "timezone: Asia/Tokyo\n", "utf-8"), fresh=True
    )
    assert "2024/02/two/index.html" in rendered
    assert sorted(settled[:3]) == ["about.md", "one.md", "two.md"] and len(settled) == 3 + 6


@pytest.fixture
def themed(site: Path) -> Path:
    """Give the site a theme of its own that extends the shipped one."""
    (site / "site.yaml").write_text(SITE["site.yaml"] + "theme: mine\n", "utf-8")
    write_tree(site / "themes/mine", {"theme.yaml": "extends: default\n", "static/extra.css": "p {}\n",
                                      "templates/article.html": '{% extends "!default/article.html" %}\n'})  # fmt: skip
    return site


def test_editing_a_template_renders_the_pages_that_use_it(themed: Path) -> None:
    template = themed / "themes/mine/templates/article.html"
    rendered = rebuild_after(themed, lambda: template.write_text(template.read_text() + "{# x #}\n", "utf-8"))
    assert rendered == {"2024/01/one/index.html", "2024/02/two/index.html"}


def test_editing_css_renames_the_stylesheet_and_renders_the_pages_that_name_it(themed: Path) -> None:
    css = themed / "themes/mine/static/extra.css"
    rendered = rebuild_after(themed, lambda: css.write_text("p { color: red; }\n", "utf-8"))
    (new,) = (themed / "output/static").glob("extra.*.css")  # the old name is gone, as in a clean build
    pages = {path for path in snapshot(themed / "output") if path.endswith(".html")}
    assert rendered == {f"static/{new.name}"} | pages  # feeds, sitemaps and other files stay as they were


def test_changing_a_setting_renders_everything_but_copies(site: Path) -> None:
    config = site / "site.yaml"
    cache = BuildCache()
    first = run(site, cache)
    config.write_text(config.read_text().replace("Rebuilds", "Renamed"), "utf-8")
    everything, old_cards = set(snapshot(site / "output")), cards(site)
    assert first.files == len(everything)
    # Every card shows the site's name: each is drawn again, under a new name.
    assert set(run(site, cache).rendered) == everything - theme_copies(site) - old_cards | cards(site)
    assert len(old_cards) == 3 and not old_cards & cards(site)


def test_a_deleted_output_file_is_rendered_again(site: Path) -> None:
    page = site / "output/about/index.html"
    assert rebuild_after(site, page.unlink) == {"about/index.html"}


def test_cache_survives_between_processes(site: Path) -> None:
    run(site)
    assert len(stored_articles(site / CACHE_DIR)) == 3
    assert run(site).rendered == ()
    assert not (site / "output/.gazette-cache").exists()


def test_a_build_that_changes_nothing_leaves_the_cache_file_alone(site: Path) -> None:
    run(site)
    database = site / CACHE_DIR / DATABASE
    before = database.stat()
    assert run(site).rendered == ()
    after = database.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)


def test_cache_keeps_one_file_with_a_row_per_story_and_prunes_deleted_ones(site: Path) -> None:
    run(site)
    (site / "content/posts/two.md").unlink()
    run(site)
    assert len(stored_articles(site / CACHE_DIR)) == 2
    assert {p.name for p in (site / CACHE_DIR).iterdir()} == {DATABASE, "build.lock", MANIFESTS, "cards"}


def test_an_earlier_versions_cache_files_are_removed(site: Path) -> None:
    folder = site / CACHE_DIR
    for name in ("articles/0123.json", "outputs-0123.json", ".gazette-x.tmp"):
        write_tree(folder, {name: "{}"})
    run(site)
    assert {p.name for p in folder.iterdir()} == {DATABASE, "build.lock", MANIFESTS, "cards"}


def test_a_damaged_cache_only_costs_a_parse(site: Path) -> None:
    run(site)
    change_cache(site / CACHE_DIR, "UPDATE articles SET data = '{not json'")
    (site / "output/index.html").unlink()
    result = run(site)
    assert result.rendered == ("index.html",)
    clean = site.parent / "clean"
    build(BuildOptions(site, clean, now=NOW), BuildCache())
    assert snapshot(site / "output") == snapshot(clean)


# What any edit of story two renders (its text, its front matter): the outputs that show it.
SHOWING_TWO = {"2024/02/two/index.html", "2024/01/one/index.html", "index.html", "tags/b/index.html",
               *feeds_of("tags/b"), *LISTED}  # fmt: skip


def test_adding_an_alias_renders_its_redirect_beside_what_any_edit_of_the_story_renders(site: Path) -> None:
    post = site / "content/posts/two.md"
    rendered = rebuild_after(site, edit(post, "title: Two", "aliases: [/old/two/]\ntitle: Two"))
    assert rendered == SHOWING_TWO | {"old/two/index.html"}  # not the sitemaps: an old URL is not listed
    assert b'url=/2024/02/two/"' in (site / "output/old/two/index.html").read_bytes()


def test_removing_an_alias_removes_exactly_its_redirect(site: Path) -> None:
    post = site / "content/posts/two.md"
    cache = BuildCache()
    post.write_text(post.read_text().replace("title: Two", "aliases: [/old/two/, /older/two.html]\ntitle: Two"))
    run(site, cache)
    post.write_text(post.read_text().replace("aliases: [/old/two/, /older/two.html]", "aliases: [/old/two/]"))
    second = run(site, cache)
    assert set(second.rendered) == SHOWING_TWO
    assert second.report.removed == 1
    assert not (site / "output/older").exists()
    assert (site / "output/old/two/index.html").is_file()


def test_an_edit_elsewhere_leaves_redirects_alone(site: Path) -> None:
    post = site / "content/posts/two.md"
    post.write_text(post.read_text().replace("title: Two", "aliases: [/old/two/]\ntitle: Two"), "utf-8")
    rendered = rebuild_after(site, edit(site / "content/posts/one.md", "First.", "First, edited."))
    assert "old/two/index.html" not in rendered


def test_retitling_a_moved_story_renders_its_redirect_and_the_redirects_file_stays(site: Path) -> None:
    (site / "site.yaml").write_text(SITE["site.yaml"] + "redirects_file: true\n", "utf-8")
    post = site / "content/posts/two.md"
    post.write_text(post.read_text().replace("title: Two", "aliases: [/old/two/]\ntitle: Two"), "utf-8")
    rendered = rebuild_after(site, edit(post, "title: Two", "title: Deux"))
    # The link's text is the title, and so is the card's; _redirects is unchanged.
    assert rendered == SHOWING_TWO | {"old/two/index.html", card_of(site, "2024/02/two")}
    assert (site / "output/_redirects").read_text() == "/old/two/ /2024/02/two/ 301\n"


@pytest.mark.parametrize("fresh", [False, True], ids=["same-process", "fresh-process"])
def test_a_story_linking_to_a_moved_story_is_rendered_again(
    make_site: Callable[[dict[str, str | bytes]], Path], fresh: bool
) -> None:
    site = make_site(SITE | {"content/pages/about.md": "---\ntitle: About\n---\nSee [two](../posts/two.md#top).\n"})
    run(site)
    assert 'href="/2024/02/two/#top"' in (site / "output/about/index.html").read_text("utf-8")
    rendered = rebuild_after(
        site, edit(site / "content/posts/two.md", "tags: [B]", "tags: [B]\nslug: deux"), fresh=fresh
    )
    assert "about/index.html" in rendered  # its text did not change, the URL it links to did
    assert 'href="/2024/02/deux/#top"' in (site / "output/about/index.html").read_text("utf-8")


CORRECTION = "updates:\n  - {date: 2024-02-02 10:00, kind: correction, text: Fixed a name.}\n"


def test_editing_a_correction_renders_the_corrections_page(site: Path) -> None:
    edit(site / "content/posts/two.md", "tags: [B]\n", f"tags: [B]\n{CORRECTION}")()
    rendered = rebuild_after(site, edit(site / "content/posts/two.md", "Fixed a name.", "Fixed a date."))
    assert rendered == {
        "2024/02/two/index.html",
        "2024/01/one/index.html",  # carries two as the newer story
        "corrections/index.html",
        "index.html",
        "tags/b/index.html",
        *feeds_of("tags/b"),
        *LISTED,
    }  # not the sitemaps: the correction's date did not change
    assert "Fixed a date." in (site / "output/corrections/index.html").read_text("utf-8")


def test_the_first_correction_adds_the_corrections_page_to_every_menu_and_the_last_removes_it(site: Path) -> None:
    two = site / "content/posts/two.md"
    rendered = rebuild_after(site, edit(two, "tags: [B]\n", f"tags: [B]\n{CORRECTION}"))
    pages = {path.relative_to(site / "output").as_posix() for path in (site / "output").rglob("*.html")}
    assert pages <= rendered  # every page's footer now links to /corrections/
    assert "corrections/index.html" in pages
    assert "sitemap.xml" in rendered
    rebuild_after(site, edit(two, CORRECTION, ""))
    assert not (site / "output/corrections").exists()


# A site whose outlets and authors are named in data/: 'one' cites Wire by a bare URL, 'two' is by Ana.
DATA_SITE = SITE | {
    "content/posts/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [A]\nsource: https://www.w.example/1\n---\nFirst.\n",
    "content/posts/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [B]\nauthor: ana\n---\nSecond.\n",
    "data/outlets.yaml": "- name: Wire\n  url: https://w.example/\n  country: FR\n",
    "data/authors.yaml": "- name: Ana\n  links: [https://ana.example/]\n",
}


@pytest.fixture
def data_site(make_site: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_site(DATA_SITE)


def test_editing_what_the_data_file_says_of_an_outlet_renders_its_pages_alone(data_site: Path) -> None:
    rendered = rebuild_after(data_site, edit(data_site / "data/outlets.yaml", "country: FR", "country: BE"))
    assert rendered == {"sources/wire/index.html", "sources/index.html"}  # its feeds show its stories, not its country
    assert "<dd>Belgium</dd>" in (data_site / "output/sources/wire/index.html").read_text("utf-8")


def test_renaming_an_outlet_in_the_data_file_moves_its_page_and_renames_it_in_its_stories(data_site: Path) -> None:
    rendered = rebuild_after(data_site, edit(data_site / "data/outlets.yaml", "name: Wire", "name: Le Fil"))
    (card,) = (data_site / "output/2024/01/one").glob("card.*.png")
    assert rendered == {
        "2024/01/one/index.html",  # its Via line names the outlet
        f"2024/01/one/{card.name}",  # and so does its social card, drawn anew under a new name
        "2024/02/two/index.html",  # names one as the older story; its page shows no source, but its job holds one
        "index.html",
        *{"sources/le-fil/index.html", "sources/index.html"},
        *feeds_of("sources/le-fil"),
        "tags/a/index.html",
        *feeds_of("tags/a"),
        "sitemap.xml",  # the outlet's page moved
        *LISTED,
    }
    assert not (data_site / "output/sources/wire").exists()


def test_a_new_link_of_an_author_renders_their_page_and_their_stories_json_ld(data_site: Path) -> None:
    change = edit(
        data_site / "data/authors.yaml", "[https://ana.example/]", "[https://ana.example/, https://m.example/@ana]"
    )
    rendered = rebuild_after(data_site, change)
    assert rendered == {"authors/ana/index.html", "authors/index.html", "2024/02/two/index.html"}
    assert '"sameAs": ["https://ana.example/", "https://m.example/@ana"]' in (
        data_site / "output/2024/02/two/index.html"
    ).read_text("utf-8")


def test_adding_the_data_files_gives_outlets_and_authors_their_data(site: Path) -> None:
    def add_data() -> None:
        write_tree(site, {name: DATA_SITE[name] for name in ("data/outlets.yaml", "data/authors.yaml")})

    rendered = rebuild_after(site, add_data)
    assert rendered == {"sources/wire/index.html", "sources/index.html"}  # 'Wire' is the data file's name already


def test_featuring_an_older_story_renders_the_home_page_and_what_shows_the_story(data_site: Path) -> None:
    rendered = rebuild_after(
        data_site, edit(data_site / "content/posts/one.md", "tags: [A]", "tags: [A]\nfeatured: true")
    )
    assert rendered == {
        "2024/01/one/index.html",
        "2024/02/two/index.html",  # one is its older story
        "index.html",  # one leads it now
        "tags/a/index.html",
        *feeds_of("tags/a"),
        "sources/wire/index.html",
        "sources/index.html",
        *feeds_of("sources/wire"),
        *LISTED,
    }  # what any edit of one's front matter renders; not the sitemaps: no date changed
    home = (data_site / "output/index.html").read_text("utf-8")
    assert (
        home.index('class="card card-featured"')
        < home.index('href="/2024/01/one/"')
        < home.index('href="/2024/02/two/"')
    )
    assert home.count('href="/2024/01/one/"') == 1
    unfeatured = rebuild_after(data_site, edit(data_site / "content/posts/one.md", "featured: true", "featured: false"))
    assert "index.html" in unfeatured and "card-featured" not in (data_site / "output/index.html").read_text("utf-8")


def test_editing_the_text_of_the_featured_story_renders_the_home_page(data_site: Path) -> None:
    one = data_site / "content/posts/one.md"
    one.write_text(one.read_text("utf-8").replace("tags: [A]", "tags: [A]\nfeatured: true"), "utf-8")
    rendered = rebuild_after(data_site, edit(one, "First.", "First, edited."))
    assert "index.html" in rendered
    assert "First, edited." in (data_site / "output/index.html").read_text("utf-8")
