"""Rebuild tests: build, change one thing, build again; assert which outputs were rendered, and that
the result equals a clean build byte for byte."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildOptions, BuildResult, build
from generator.cache import CACHE_DIR, DATABASE, BuildCache
from tests.conftest import change_cache, snapshot, stored_articles, write_tree

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SITE = {
    "site.yaml": "title: Rebuilds\nbase_url: https://example.org/\n",
    "content/posts/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [A]\nsource: {name: Wire, url: https://w.example/1}\n---\nFirst.\n",
    "content/posts/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [B]\n---\nSecond.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
}


@pytest.fixture
def site(make_site: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_site(SITE)


def run(site: Path, cache: BuildCache | None = None) -> BuildResult:
    return build(BuildOptions(site, site / "output", now=NOW), cache)


def rebuild_after(site: Path, change: Callable[[], object]) -> set[str]:
    """Build, change something, build again with the same cache; return what the second build rendered."""
    cache = BuildCache()
    run(site, cache)
    change()
    rendered = set(run(site, cache).rendered)
    clean = site.parent / "clean"
    build(BuildOptions(site, clean, now=NOW), BuildCache())
    assert snapshot(site / "output") == snapshot(clean)
    return rendered


def test_nothing_changed_renders_nothing(site: Path) -> None:
    assert rebuild_after(site, lambda: None) == set()


def test_editing_a_story_renders_only_what_shows_it(site: Path) -> None:
    post = site / "content/posts/two.md"
    rendered = rebuild_after(site, lambda: post.write_text(post.read_text().replace("Second.", "Changed."), "utf-8"))
    assert rendered == {
        "2024/02/two/index.html",
        "2024/01/one/index.html",  # links to two as the newer story
        "index.html",
        "tags/b/index.html",
        "tags/b/feed.xml",
        "tags/index.html",
        "archives/index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
    }  # not the sitemaps: the story's dates did not change


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


def test_editing_css_copies_only_the_stylesheet(themed: Path) -> None:
    css = themed / "themes/mine/static/extra.css"
    assert rebuild_after(themed, lambda: css.write_text("p { color: red; }\n", "utf-8")) == {"static/extra.css"}


def test_changing_a_setting_renders_everything_but_copies(site: Path) -> None:
    config = site / "site.yaml"
    cache = BuildCache()
    first = run(site, cache)
    config.write_text(config.read_text().replace("Rebuilds", "Renamed"), "utf-8")
    everything = set(snapshot(site / "output")) - {".gazette-manifest.json"}
    assert first.files == len(everything)
    assert set(run(site, cache).rendered) == everything - {"static/style.css"}


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
    assert {p.name for p in (site / CACHE_DIR).iterdir()} == {DATABASE, "build.lock"}


def test_an_earlier_versions_cache_files_are_removed(site: Path) -> None:
    folder = site / CACHE_DIR
    for name in ("articles/0123.json", "outputs-0123.json", ".gazette-x.tmp"):
        write_tree(folder, {name: "{}"})
    run(site)
    assert {p.name for p in folder.iterdir()} == {DATABASE, "build.lock"}


def test_a_damaged_cache_only_costs_a_parse(site: Path) -> None:
    run(site)
    change_cache(site / CACHE_DIR, "UPDATE articles SET data = '{not json'")
    (site / "output/index.html").unlink()
    result = run(site)
    assert result.rendered == ("index.html",)
    clean = site.parent / "clean"
    build(BuildOptions(site, clean, now=NOW), BuildCache())
    assert snapshot(site / "output") == snapshot(clean)
