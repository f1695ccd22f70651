import datetime as dt

from generator.model import Article, Config, Source
from generator.site import assemble_site, group_by_month, group_outlets, group_tags

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


def brief(path: str, date: str, tags: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> Article:
    return Article(
        kind="post",
        path=path,
        title=path,
        slug=path,
        url=f"/{path}/",
        date=dt.datetime.fromisoformat(date),
        updated=None,
        tags=tags,
        sources=tuple(Source(name) for name in sources),
        authors=(),
        summary_html="",
        html="",
        toc_html="",
        words=0,
    )


def test_group_tags_slugs_spell_symbols_fold_accents_and_keep_chinese() -> None:
    a = brief("a", "2024-10-03T00:00:00+00:00", ("IA", "C++"))
    b = brief("b", "2024-10-02T00:00:00+00:00", ("ia",))
    c = brief("c", "2024-10-01T00:00:00+00:00", ("ia", "C#", ".NET", "CI/CD", "sécurité", "人工智能"))
    tags, problems = group_tags((a, b, c))
    assert problems == ()
    assert [(t.name, t.slug, [p.path for p in t.articles]) for t in tags] == [
        (".NET", "dotnet", ["c"]),
        ("C#", "c-sharp", ["c"]),
        ("C++", "c-plus-plus", ["a"]),
        ("CI/CD", "ci-cd", ["c"]),
        ("ia", "ia", ["a", "b", "c"]),
        ("sécurité", "securite", ["c"]),
        ("人工智能", "人工智能", ["c"]),
    ]


def test_a_tie_between_spellings_is_broken_the_same_way_every_time() -> None:
    tags, _ = group_tags(
        (brief("a", "2024-10-02T00:00:00+00:00", ("ia",)), brief("b", "2024-10-01T00:00:00+00:00", ("IA",)))
    )
    assert [t.name for t in tags] == ["IA"]


def test_outlets_group_like_tags_and_a_brief_is_listed_once_per_outlet() -> None:
    a = brief("a", "2024-10-02T00:00:00+00:00", sources=("ITHome", "ithome"))
    b = brief("b", "2024-10-01T00:00:00+00:00", sources=("Heise", "ITHome"))
    outlets, problems = group_outlets((a, b))
    assert problems == ()
    assert [(o.name, o.slug, [p.path for p in o.articles]) for o in outlets] == [
        ("Heise", "heise", ["b"]),
        ("ITHome", "ithome", ["a", "b"]),
    ]


def test_archives_group_by_year_and_month_in_each_post_s_own_offset() -> None:
    posts = (
        brief("d", "2025-01-01T00:30:00+01:00"),  # December 31 in UTC, January where it was written
        brief("c", "2024-10-31T23:00:00-05:00"),
        brief("b", "2024-10-01T00:00:00+00:00"),
        brief("a", "2024-09-30T00:00:00+00:00"),
    )
    years = group_by_month(posts)
    assert [(y.year, [(m.month, [p.path for p in m.articles]) for m in y.months]) for y in years] == [
        (2025, [(1, ["d"])]),
        (2024, [(10, ["c", "b"]), (9, ["a"])]),
    ]
