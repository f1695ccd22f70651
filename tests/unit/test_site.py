import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from generator.model import Article, Config, Source
from generator.site.assemble import assemble_site, group_by_month, steady_between

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


def test_posts_dated_in_other_time_zones_sort_by_the_moment_they_name() -> None:
    paris, kolkata = ZoneInfo("Europe/Paris"), dt.timezone(dt.timedelta(hours=5, minutes=30))
    moment = dt.datetime(2024, 3, 31, 1, 59, 59, 999999, tzinfo=dt.UTC)  # the second before Paris moves to summer
    dated = {
        "same-in-paris": moment.astimezone(paris),
        "same-in-kolkata": moment.astimezone(kolkata),
        "a-microsecond-later": (moment + dt.timedelta(microseconds=1)).astimezone(paris),
        "a-microsecond-earlier": (moment - dt.timedelta(microseconds=1)).astimezone(kolkata),
        "undated": None,
    }
    posts = tuple(replace(post(name, 1), date=date) for name, date in dated.items())
    site, _ = assemble_site(Config(), posts, NOW, drafts=True)
    assert [p.slug for p in site.posts] == [
        "a-microsecond-later", "same-in-kolkata", "same-in-paris", "a-microsecond-earlier", "undated"
    ]  # fmt: skip
    assert site.posts[1] is posts[1]  # a post shown as it is written is not copied


def test_drafts_and_future_posts_are_left_out_unless_asked() -> None:
    articles = (post("old", 1), post("draft", 2, draft=True), post("later", 3, year=2030))
    site, _ = assemble_site(Config(), articles, NOW)
    assert [p.slug for p in site.posts] == ["old"]
    assert (site.scheduled, site.drafts) == (1, 1)
    site, _ = assemble_site(Config(), articles, NOW, drafts=True, future=True)
    assert [p.slug for p in site.posts] == ["later", "draft", "old"]


def test_tags_match_without_case_and_show_the_most_common_spelling() -> None:
    site, problems = assemble_site(Config(), (post("a", 1, ("IA",)), post("b", 2, ("ia",)), post("c", 3, ("IA",))), NOW)
    assert [(p.path, p.severity) for p in problems] == [("content/posts/b.md", "warning")]
    assert [(t.name, t.slug, len(t.articles)) for t in site.tags] == [("IA", "ia", 3)]
    assert {p.tags for p in site.posts} == {("IA",)}


def test_spellings_that_make_one_url_are_one_tag_with_one_warning_listing_them() -> None:
    posts = (
        post("a", 1, ("End of Life", "TiDB 4.0")),
        post("b", 2, ("End-of-Life",)),
        post("c", 3, ("end-of-life", "TiDB-4.0")),
        post("d", 4, ("End-of-Life",)),
        post("e", 5, ("End of Life",)),
    )
    site, problems = assemble_site(Config(), posts, NOW)
    assert [(t.name, t.slug, len(t.articles)) for t in site.tags] == [
        ("End of Life", "end-of-life", 5),
        ("TiDB 4.0", "tidb-4-0", 2),
    ]
    assert {p.path: p.tags for p in site.posts}["content/posts/c.md"] == ("End of Life", "TiDB 4.0")
    assert [(p.path, p.severity, p.message) for p in problems] == [
        (
            "content/posts/b.md",
            "warning",
            "tags 'End of Life' (content/posts/a.md, content/posts/e.md), 'End-of-Life' (content/posts/b.md, "
            "content/posts/d.md) and 'end-of-life' (content/posts/c.md) make one URL, /tags/end-of-life/: they are "
            "one, shown as 'End of Life'; write it one way everywhere to silence this",
        ),
        (
            "content/posts/c.md",
            "warning",
            "tags 'TiDB 4.0' (content/posts/a.md) and 'TiDB-4.0' (content/posts/c.md) make one URL, /tags/tidb-4-0/: "
            "they are one, shown as 'TiDB 4.0'; write it one way everywhere to silence this",
        ),
    ]


def test_a_warning_names_a_few_files_per_spelling_and_counts_the_rest() -> None:
    posts = (*(post(f"p{n}", n + 1, ("Sécurité",)) for n in range(5)), post("z", 9, ("securite",)))
    _, problems = assemble_site(Config(), posts, NOW)
    assert (
        "'Sécurité' (content/posts/p0.md, content/posts/p1.md, content/posts/p2.md and 2 more)" in problems[0].message
    )


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
    site, _ = assemble_site(Config(), (a, b, c), NOW)
    assert [(t.name, t.slug, [p.path for p in t.articles]) for t in site.tags] == [
        (".NET", "dotnet", ["c"]),
        ("C#", "c-sharp", ["c"]),
        ("C++", "c-plus-plus", ["a"]),
        ("CI/CD", "ci-cd", ["c"]),
        ("ia", "ia", ["a", "b", "c"]),
        ("sécurité", "securite", ["c"]),
        ("人工智能", "人工智能", ["c"]),
    ]


def test_a_tie_between_spellings_is_broken_the_same_way_every_time() -> None:
    posts = (brief("b", "2024-10-02T00:00:00+00:00", ("ia",)), brief("a", "2024-10-01T00:00:00+00:00", ("IA",)))
    site, _ = assemble_site(Config(), posts, NOW)
    assert [t.name for t in site.tags] == ["IA"]  # the first seen in file order, whatever the dates


def test_outlets_group_like_tags_and_a_brief_is_listed_once_per_outlet() -> None:
    a = brief("a", "2024-10-02T00:00:00+00:00", sources=("ITHome", "ithome"))
    b = brief("b", "2024-10-01T00:00:00+00:00", sources=("Heise", "ITHome"))
    site, problems = assemble_site(Config(), (a, b), NOW)
    assert [p.message.split(" make")[0] for p in problems] == ["sources 'ITHome' (a, b) and 'ithome' (a)"]
    assert [(o.name, o.slug, [p.path for p in o.articles]) for o in site.outlets] == [
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


def test_the_site_stays_the_same_between_two_stories_changing_state() -> None:
    posts = [post("old", 1, year=2020), post("news", 31), post("future", 5, year=2025)]
    # From Jan 31 the 2024 story is published and news, until Feb 2; on Jan 5 2025 the next one is published.
    now = dt.datetime(2024, 2, 1, 12, tzinfo=dt.UTC)
    assert steady_between(posts, now) == (
        dt.datetime(2024, 1, 31, tzinfo=dt.UTC),
        dt.datetime(2024, 2, 2, tzinfo=dt.UTC),
    )
    published = dt.datetime(2025, 1, 5, tzinfo=dt.UTC)
    assert steady_between(posts, published) == (published, published)
    assert steady_between([], now) == (None, None)
