from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from dataclasses import replace
from pathlib import Path

from generator.model import Alias, Article, Config, DataJob, Job, PageJob, RedirectJob
from generator.render.themes import load_theme
from generator.site.assemble import assemble_site
from generator.site.plan import asset_urls, plan_outputs, related_posts
from tests.conftest import write_tree
from tests.unit.test_site import post
from tests.unit.test_themes import at

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def titles(articles: tuple[Article, ...]) -> list[str]:
    return [a.title for a in articles]


def test_related_posts_share_the_most_tags_then_are_the_newest() -> None:
    posts = (
        post("f", 6, ("IA", "Cloud", "Chine")),
        post("e", 5, ("IA",)),
        post("d", 4, ("ia", "cloud")),  # tags match whatever their case
        post("c", 3, ("Cloud", "Chine", "IA")),
        post("b", 2, ("Rust",)),
        post("a", 1, ("IA",)),
    )
    related = related_posts(posts)
    assert titles(related["content/posts/f.md"]) == ["c", "d", "e"]
    assert titles(related["content/posts/a.md"]) == ["f", "e", "d"]
    assert related["content/posts/b.md"] == ()
    assert titles(related_posts(posts, count=1)["content/posts/d.md"]) == ["f"]


def _related_by_counting(posts: tuple[Article, ...], count: int) -> dict[str, list[str]]:
    """Rank candidates the obvious way: count shared tags, most first, then the newest (first in order)."""
    tags = [{t.casefold() for t in p.tags} for p in posts]
    ranked = {}
    for i, p in enumerate(posts):
        shared = [(-len(tags[i] & tags[j]), j) for j in range(len(posts)) if j != i and tags[i] & tags[j]]
        ranked[p.path] = [posts[j].title for _, j in sorted(shared)[:count]]
    return ranked


def test_related_posts_equal_counting_shared_tags_one_by_one() -> None:
    rng = random.Random(8)
    vocabulary = [f"t{n}" for n in range(12)] + ["T3", "t3"]
    posts = tuple(post(f"p{n}", n % 28 + 1, tuple(rng.sample(vocabulary, rng.randint(0, 6)))) for n in range(60))
    posts = tuple(sorted(posts, key=lambda p: p.date, reverse=True))
    for count in (1, 3, 7):
        found = {path: titles(chosen) for path, chosen in related_posts(posts, count).items()}
        assert found == _related_by_counting(posts, count)


def test_a_post_with_a_hundred_and_fifty_tags_is_related_in_linear_work() -> None:
    many = tuple(f"package-{n}" for n in range(150))
    posts = (post("changelog", 3, many), post("one", 2, many[:1]), post("two", 1, many[100:102]))
    related = related_posts(posts)  # walking combinations of 150 tags would never end
    assert titles(related["content/posts/changelog.md"]) == ["two", "one"]
    assert titles(related["content/posts/one.md"]) == ["changelog"]


def test_story_jobs_carry_their_neighbours_in_time_and_related_stories(tmp_path: Path) -> None:
    site, problems = assemble_site(
        Config(), (post("old", 1, ("IA",)), post("mid", 2, ("Rust",)), post("new", 3, ("IA",))), NOW
    )
    assert problems == ()
    theme, _ = load_theme(tmp_path, "default", at)
    assert theme is not None
    jobs, _ = plan_outputs(tmp_path, site, theme)
    stories = {job.page.title: job for job in jobs if isinstance(job, PageJob) and job.template == "article.html"}
    assert (stories["new"].newer, titles((stories["new"].older,))) == (None, ["mid"])
    assert (titles((stories["mid"].newer,)), titles((stories["mid"].older,))) == (["new"], ["old"])
    assert (titles((stories["old"].newer,)), stories["old"].older) == (["mid"], None)
    assert titles(stories["new"].related) == ["old"]
    assert stories["mid"].related == ()


def test_related_posts_matches_counting_every_pair_on_random_sites() -> None:
    """The bit-mask search gives exactly what counting shared tags post by post gives."""
    import datetime as dt
    import random

    from generator.model import Article
    from generator.site.plan import related_posts

    rng = random.Random(7)
    names = [f"T{i}" for i in range(12)]
    posts = tuple(
        Article(
            kind="post",
            path=f"p{i}",
            title="",
            slug="",
            url="",
            date=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            updated=None,
            tags=tuple(dict.fromkeys(rng.choices(names, [1 / (n + 1) for n in range(12)], k=rng.randint(0, 5)))),
            sources=(),
            authors=(),
            summary_html="",
            html="",
            toc_html="",
            words=0,
        )
        for i in range(150)
    )

    def by_counting(post: Article) -> tuple[str, ...]:
        mine = {t.casefold() for t in post.tags}
        scored = [
            (-len(mine & {t.casefold() for t in other.tags}), position, other.path)
            for position, other in enumerate(posts)
            if other is not post and mine & {t.casefold() for t in other.tags}
        ]
        return tuple(path for _, _, path in sorted(scored)[:3])

    found = related_posts(posts)
    assert {path: tuple(a.path for a in value) for path, value in found.items()} == {
        post.path: by_counting(post) for post in posts
    }


def test_files_beside_an_index_md_story_are_copied_next_to_its_page(tmp_path) -> None:
    from tests.conftest import gazette, write_tree

    write_tree(tmp_path, {
        "content/posts/azure/index.md": "---\ntitle: A\ndate: 2024-10-14\nimage: photo.jpg\n---\n![p](photo.jpg)\n",
        "content/posts/azure/photo.jpg": b"JPG",
        "content/posts/azure/img/x.png": b"PNG",
        "content/posts/azure/.notes.swp": b"editor",
        "content/posts/azure/sub/index.md": "---\ntitle: B\ndate: 2024-10-15\n---\nNested.\n",
        "content/posts/azure/sub/s.png": b"S",
    })  # fmt: skip
    assert gazette("build", "--site", tmp_path, "-q").code == 0
    out = tmp_path / "output/2024/10"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    cards = [name for name in files if re.fullmatch(r"sub/card\.[0-9a-f]{10}\.png", name)]
    assert len(cards) == 1  # the story with a picture of its own (`image: photo.jpg`) gets no card
    assert [name for name in files if name not in cards] == [
        "azure/img/x.png",
        "azure/index.html",
        "azure/photo.jpg",
        "sub/index.html",
        "sub/s.png",
    ]
    assert '<img alt="p" src="photo.jpg">' in (out / "azure/index.html").read_text(encoding="utf-8")


def _plan(root: Path, config: Config, *posts: Article) -> dict[str, Job]:
    """Plan a site of these posts with the default theme (and the site's own themes/, if any)."""
    site, problems = assemble_site(config, posts, NOW)
    assert problems == ()
    theme, _ = load_theme(root, config.theme, at)
    assert theme is not None
    jobs, problems = plan_outputs(root, site, theme)
    assert problems == ()
    return {job.url: job for job in jobs}


def test_theme_stylesheets_carry_a_hash_of_their_content_and_a_childs_replaces_its_parents(tmp_path: Path) -> None:
    files = {"theme.yaml": "extends: default\n", "templates/x.html": "", "static/style.css": "p {}\n",
             "static/app.js": "1;\n", "static/logo.svg": "<svg/>"}  # fmt: skip
    write_tree(tmp_path / "themes/child", files)
    jobs = _plan(tmp_path, Config(theme="child"), post("a", 1, ()))
    assets = asset_urls(jobs.values())
    assert set(assets) == {"/static/style.css", "/static/app.js", "/static/search.js", "/static/highlight.css"}
    child_css = hashlib.sha1(b"p {}\n\0").hexdigest()[:10]  # the digest of the child's file, not the default's
    assert assets["/static/style.css"] == f"/static/style.{child_css}.css"
    assert all(re.fullmatch(r"/static/\w+\.[0-9a-f]{10}\.(css|js)", url) for url in assets.values())
    assert "/static/logo.svg" in jobs and "/static/style.css" not in jobs  # images keep their names


def test_host_files_and_redirects_are_planned(tmp_path: Path) -> None:
    moved = replace(post("a", 1, ()), aliases=(Alias("/old/a/", 4, 3, "  - /old/a/"),))
    config = Config(cname="blog.example.org", redirects_file=True, base_url="https://example.org/blog/")
    jobs = _plan(tmp_path, config, moved)
    assert isinstance(nojekyll := jobs["/.nojekyll"], DataJob) and nojekyll.data == b""
    assert isinstance(cname := jobs["/CNAME"], DataJob) and cname.data == b"blog.example.org\n"
    assert jobs["/old/a/"] == RedirectJob("/old/a/", moved.url, "a", moved.path, moved.aliases[0])
    assert isinstance(redirects := jobs["/_redirects"], DataJob)
    assert redirects.data == f"/blog/old/a/ /blog{moved.url} 301\n".encode()
    plain = _plan(tmp_path, Config(), moved)
    assert "/CNAME" not in plain and "/_redirects" not in plain and "/old/a/" in plain
