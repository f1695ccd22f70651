import datetime as dt

from generator.model import Article, Config
from generator.site import assemble_site

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def post(name: str, day: int, tags: tuple[str, ...] = (), *, draft: bool = False, year: int = 2024) -> Article:
    return Article(
        kind="post", path=f"content/posts/{name}.md", title=name, slug=name, url=f"/{name}/",
        date=dt.datetime(year, 1, day, tzinfo=dt.UTC), updated=None, tags=tags, sources=(), authors=(),
        summary_html="", html="", toc_html="", words=0, draft=draft,
    )  # fmt: skip


def test_newest_first_with_path_as_tie_breaker() -> None:
    site, _ = assemble_site(Config(), (post("b", 1), post("c", 2), post("a", 1)), NOW)
    assert [p.slug for p in site.posts] == ["c", "a", "b"]


def test_drafts_and_future_posts_are_left_out_unless_asked() -> None:
    articles = (post("old", 1), post("draft", 2, draft=True), post("later", 3, year=2030))
    site, _ = assemble_site(Config(), articles, NOW)
    assert [p.slug for p in site.posts] == ["old"]
    assert (site.scheduled, site.drafts) == (1, 1)
    site, _ = assemble_site(Config(), articles, NOW, drafts=True, future=True)
    assert [p.slug for p in site.posts] == ["later", "draft", "old"]


def test_tags_match_without_case_and_show_the_most_common_spelling() -> None:
    site, problems = assemble_site(Config(), (post("a", 1, ("IA",)), post("b", 2, ("ia",)), post("c", 3, ("IA",))), NOW)
    assert problems == ()
    assert [(t.name, t.slug, len(t.articles)) for t in site.tags] == [("IA", "ia", 3)]
    assert {p.tags for p in site.posts} == {("IA",)}


def test_tags_with_one_slug_are_an_error_naming_both() -> None:
    _, problems = assemble_site(Config(), (post("a", 1, ("Sécurité",)), post("b", 2, ("securite",))), NOW)
    assert [p.message for p in problems] == [
        "tags 'Sécurité' (in content/posts/a.md) and 'securite' both make the URL /tags/securite/; rename one of them"
    ]
