"""Links between stories: `[x](other.md)` becomes the other story's URL, or an error where it is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.content.links import locate, story_target
from tests.conftest import NOW, gazette

BASE = "base_url: https://example.org/blog/\n"


@pytest.mark.parametrize(
    ("ref", "target"),
    [
        ("other.md", ("content/posts/2024/other.md", "")),
        ("other.md#part-two", ("content/posts/2024/other.md", "part-two")),
        ("../2023/x/index.md", ("content/posts/2023/x/index.md", "")),
        ("../../pages/about.markdown", ("content/pages/about.markdown", "")),
        ("mon%20article.md", ("content/posts/2024/mon article.md", "")),
        ("OTHER.MD", ("content/posts/2024/OTHER.MD", "")),
        ("/2024/10/other.md", None),  # from the site's root: a file of static/, not a story
        ("https://example.com/README.md", None),
        ("//example.com/x.md", None),
        ("photo.jpg", None),
        ("#section", None),
    ],
)
def test_which_links_are_links_to_stories(ref: str, target: tuple[str, str] | None) -> None:
    assert story_target("content/posts/2024/a.md", ref) == target


def test_a_link_is_located_where_it_is_a_link_rather_than_in_prose() -> None:
    text = "---\ntitle: A\n---\nAbout other.md:\nsee [it](other.md) and\n\n[ref]: other.md\n"
    assert locate(text, "other.md") == (5, 10)
    assert locate("x\n[ref]: b.md\n", "b.md") == (2, 8)
    assert locate("nothing here", "b.md") == (1, 1)


SITE: dict[str, str | bytes] = {
    "site.yaml": "title: Links\n" + BASE,
    "content/posts/2024/a.md": "---\ntitle: A\ndate: 2024-01-01\nsummary: 'Voir [B](../b/index.md).'\n---\n"
    "See [B](../b/index.md#deux), [about](../../pages/about.md) and [me](a.md).\n",
    "content/posts/b/index.md": "---\ntitle: B\ndate: 2024-02-01\n---\nBack to [A](../2024/a.md).\n\n## Deux\n",
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
}


@pytest.fixture
def in_site(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    """Write a site (SITE with some files replaced) and work from its folder, as a writer does."""

    def make(files: dict[str, str | bytes] | None = None) -> Path:
        site = make_site(SITE | (files or {}))
        monkeypatch.chdir(site)
        return site

    return make


def test_links_between_stories_become_their_urls_on_pages_and_in_feeds(in_site: Callable[..., Path]) -> None:
    site = in_site()
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0, run.err
    page = (site / "output/2024/01/a/index.html").read_text("utf-8")
    assert 'href="/blog/2024/02/b/#deux"' in page
    assert 'href="/blog/about/"' in page
    assert 'href="/blog/2024/01/a/"' in page
    assert 'href="/blog/2024/01/a/"' in (site / "output/2024/02/b/index.html").read_text("utf-8")
    feed = (site / "output/feed.xml").read_text("utf-8")
    assert "https://example.org/blog/2024/02/b/#deux" in feed
    assert ".md" not in feed
    home = (site / "output/index.html").read_text("utf-8")
    assert 'Voir <a href="/blog/2024/02/b/">B</a>' in home  # the summary's link too


def test_a_link_to_no_story_is_an_error_at_the_link(in_site: Callable[..., Path]) -> None:
    site = in_site(
        {"content/posts/c.md": "---\ntitle: C\ndate: 2024-03-01\n---\nIntro.\n\nSee [gone](../gone.md#x).\n"}
    )
    (site / "output").mkdir()
    (site / "output/keep.txt").write_text("mine", "utf-8")
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 1
    assert run.err.splitlines()[:3] == [
        "content/posts/c.md:7:12: error: '../gone.md#x' links to content/gone.md, which is no story of this site; "
        "fix the path (it is read from this file's folder) or remove the link",
        "    See [gone](../gone.md#x).",
        "               ^",
    ]
    assert sorted(p.name for p in (site / "output").iterdir()) == ["keep.txt"]


def test_a_link_to_a_draft_warns_and_strict_makes_it_fail(in_site: Callable[..., Path]) -> None:
    site = in_site({"content/pages/about.md": "---\ntitle: About\ndraft: true\n---\nUs.\n"})
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0, run.err
    assert run.err.startswith(
        "content/posts/2024/a.md:6:38: warning: '../../pages/about.md' links to content/pages/about.md, a draft: "
        "the link leads nowhere until it is published\n"
    )
    before = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    (site / "content/posts/2024/a.md").write_text(
        (site / "content/posts/2024/a.md").read_text("utf-8").replace("See", "Now see"), "utf-8"
    )
    strict = gazette("build", "--site", site, "--now", NOW, "--strict")
    assert strict.code == 1
    assert "content/posts/2024/a.md:6:42: error: '../../pages/about.md' links to" in strict.err
    assert strict.err.rstrip().endswith("Build failed: 1 error in 1 file; output/ was left as it was.")
    assert {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()} == before


def test_strict_fails_a_build_that_found_nothing_changed_but_had_warnings(in_site: Callable[..., Path]) -> None:
    site = in_site({"content/pages/about.md": "---\ntitle: About\ndraft: true\n---\nUs.\n"})
    assert gazette("build", "--site", site, "--now", NOW).code == 0
    assert gazette("build", "--site", site, "--now", NOW, "--strict").code == 1
    assert gazette("build", "--site", site, "--now", NOW).code == 0


def test_a_scheduled_target_is_named_with_its_date(in_site: Callable[..., Path]) -> None:
    later = dt.datetime(2027, 5, 1, tzinfo=dt.UTC).date().isoformat()
    site = in_site({"content/posts/b/index.md": f"---\ntitle: B\ndate: {later}\n---\nLater.\n\n## Deux\n"})
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0, run.err
    assert "links to content/posts/b/index.md, scheduled for 2027-05-01T00:00:00+00:00: the link leads" in run.err


def test_a_link_broken_in_a_file_not_read_again_is_still_located(
    in_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.content.sources.RACY_NS", 0)  # every file is old enough to be known by its stamp
    site = in_site()
    assert gazette("build", "--now", NOW).code == 0
    (site / "content/pages/about.md").unlink()  # a.md, unchanged, is not read again: its story is cached
    run = gazette("build", "--now", NOW)
    assert run.code == 1
    assert run.err.splitlines()[:3] == [
        "content/posts/2024/a.md:6:38: error: '../../pages/about.md' links to content/pages/about.md, which is no "
        "story of this site; fix the path (it is read from this file's folder) or remove the link",
        "    See [B](../b/index.md#deux), [about](../../pages/about.md) and [me](a.md).",
        "                                         ^",
    ]


def test_in_a_draft_a_broken_link_is_a_warning_and_a_link_to_a_draft_is_nothing(in_site: Callable[..., Path]) -> None:
    site = in_site(
        {
            "content/posts/c.md": "---\ntitle: C\ndate: 2024-03-01\ndraft: true\n---\nSee [x](gone.md), [d](d.md).\n",
            "content/posts/d.md": "---\ntitle: D\ndate: 2024-03-02\ndraft: true\n---\nD.\n",
        }
    )
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0, run.err
    assert [line for line in run.err.splitlines() if ": warning: " in line] == [
        "content/posts/c.md:6:9: warning: 'gone.md' links to content/posts/gone.md, which is no story of this site; "
        "fix the path (it is read from this file's folder) or remove the link"
    ]
    preview = gazette("build", "--site", site, "--now", NOW, "--drafts", "--output", site / "preview")
    assert preview.code == 1  # built, the draft's page would carry the broken link
    assert "content/posts/c.md:6:9: error: 'gone.md' links to" in preview.err
