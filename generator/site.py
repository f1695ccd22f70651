"""Assemble the parsed articles into a Site: what is published, in what order, under which tags and outlets. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

from generator.errors import Diagnostic
from generator.model import ArchiveMonth, ArchiveYear, Article, Config, Outlet, Site, Tag
from generator.urls import slugify, source_url, tag_url


def is_published(article: Article, now: dt.datetime, *, drafts: bool, future: bool) -> bool:
    """Tell whether an article belongs in this build."""
    if article.draft and not drafts:
        return False
    return future or article.date is None or article.date <= now


def _newest_first(articles: list[Article]) -> tuple[Article, ...]:
    """Sort posts newest first; the path breaks ties so the order never depends on the file system."""
    by_path = sorted(articles, key=lambda a: a.path)
    return tuple(sorted(by_path, key=lambda a: a.date or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True))


def display_names(name_lists: Iterable[Iterable[str]]) -> dict[str, str]:
    """Choose each name's display spelling, keyed by its case-folded form: the most common (ties: first in order)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for names in name_lists:
        for name in names:
            spellings[name.casefold()][name] += 1
    return {key: min(counts, key=lambda s: (-counts[s], s)) for key, counts in spellings.items()}


def tag_names(posts: list[Article]) -> dict[str, str]:
    """Choose each tag's display name: its most common spelling (ties: the first in sort order)."""
    return display_names(post.tags for post in posts)


def _group(
    posts: tuple[Article, ...], names_of: Callable[[Article], Iterable[str]], url_of: Callable[[str], str], what: str
) -> tuple[tuple[tuple[str, str, tuple[Article, ...]], ...], tuple[Diagnostic, ...]]:
    """Group posts by name, case-insensitively, as (display name, slug, posts) sorted by name.

    The display name is the most common spelling; two names with one URL are an error naming both.
    """
    names = display_names(names_of(post) for post in posts)
    members: dict[str, list[Article]] = defaultdict(list)
    for post in posts:
        # A post naming one thing twice ('ITHome' and 'ithome') is listed once.
        for key in dict.fromkeys(name.casefold() for name in names_of(post)):
            members[key].append(post)
    groups: dict[str, tuple[str, str, tuple[Article, ...]]] = {}
    problems: list[Diagnostic] = []
    for key in sorted(members, key=lambda k: names[k]):
        name = names[key]
        url = url_of(name)
        other = groups.get(url)
        if other is not None:
            message = (
                f"{what} '{other[0]}' (in {other[2][0].path}) and '{name}' both make the URL {url}; rename one of them"
            )
            problems.append(Diagnostic(members[key][0].path, 1, 1, message))
            continue
        groups[url] = (name, slugify(name), tuple(members[key]))
    ordered = sorted(groups.values(), key=lambda group: (group[0].casefold(), group[0]))
    return tuple(ordered), tuple(problems)


def group_tags(posts: tuple[Article, ...]) -> tuple[tuple[Tag, ...], tuple[Diagnostic, ...]]:
    """Group posts by tag, case-insensitively; two tags with one slug are an error naming both."""
    groups, problems = _group(posts, lambda post: post.tags, tag_url, "tags")
    return tuple(Tag(*group) for group in groups), problems


def group_outlets(posts: tuple[Article, ...]) -> tuple[tuple[Outlet, ...], tuple[Diagnostic, ...]]:
    """Group posts by the outlets they are based on, case-insensitively, like tags."""
    groups, problems = _group(posts, lambda post: [source.name for source in post.sources], source_url, "sources")
    return tuple(Outlet(*group) for group in groups), problems


def group_by_month(posts: tuple[Article, ...]) -> tuple[ArchiveYear, ...]:
    """Group dated posts (newest first) by year, then month, in the offset each post was written in."""
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for post in posts:
        if post.date is not None:
            months[post.date.year, post.date.month].append(post)
    years: dict[int, list[ArchiveMonth]] = defaultdict(list)
    for (year, month), articles in sorted(months.items(), reverse=True):
        years[year].append(ArchiveMonth(year, month, tuple(articles)))
    return tuple(ArchiveYear(year, tuple(entries)) for year, entries in years.items())


def assemble_site(
    config: Config,
    articles: tuple[Article, ...],
    now: dt.datetime,
    *,
    drafts: bool = False,
    future: bool = False,
) -> tuple[Site, tuple[Diagnostic, ...]]:
    """Keep what is published (drafts and future posts only when asked), sort it, group the tags."""
    kept = [
        replace(a, scheduled=True) if a.date and a.date > now else a
        for a in articles
        if is_published(a, now, drafts=drafts, future=future)
    ]
    names = tag_names([a for a in kept if a.kind == "post"])
    # Every post shows each tag under its display name, whatever the writer's own spelling.
    posts = _newest_first(
        [replace(a, tags=tuple(names[t.casefold()] for t in a.tags)) for a in kept if a.kind == "post"]
    )
    pages = tuple(sorted((a for a in kept if a.kind == "page"), key=lambda a: (a.weight, a.title.casefold())))
    tags, tag_problems = group_tags(posts)
    outlets, outlet_problems = group_outlets(posts)
    scheduled = sum(1 for a in articles if a.date and a.date > now and not future and (drafts or not a.draft))
    skipped_drafts = sum(1 for a in articles if a.draft and not drafts)
    site = Site(config, posts, pages, tags, now, scheduled, skipped_drafts, outlets)
    return site, tag_problems + outlet_problems
