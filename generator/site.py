"""Assemble the parsed articles into a Site: what is published, in what order, under which tags. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import replace

from generator.errors import Diagnostic
from generator.model import Article, Config, Site, Tag
from generator.urls import slugify


def is_published(article: Article, now: dt.datetime, *, drafts: bool, future: bool) -> bool:
    """Tell whether an article belongs in this build."""
    if article.draft and not drafts:
        return False
    return future or article.date is None or article.date <= now


def _newest_first(articles: list[Article]) -> tuple[Article, ...]:
    """Sort posts newest first; the path breaks ties so the order never depends on the file system."""
    by_path = sorted(articles, key=lambda a: a.path)
    return tuple(sorted(by_path, key=lambda a: a.date or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True))


def tag_names(posts: list[Article]) -> dict[str, str]:
    """Choose each tag's display name: its most common spelling (ties: the first in sort order)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        for name in post.tags:
            spellings[name.casefold()][name] += 1
    return {key: min(counts, key=lambda s: (-counts[s], s)) for key, counts in spellings.items()}


def group_tags(posts: tuple[Article, ...]) -> tuple[tuple[Tag, ...], tuple[Diagnostic, ...]]:
    """Group posts by tag (their tags already carry display names); two tags with one slug are an error."""
    members: dict[str, list[Article]] = defaultdict(list)
    for post in posts:
        for name in post.tags:
            members[name].append(post)
    tags: dict[str, Tag] = {}
    problems: list[Diagnostic] = []
    for name in sorted(members):
        tag = Tag(name, slugify(name), tuple(members[name]))
        other = tags.get(tag.slug)
        if other is not None:
            message = (
                f"tags '{other.name}' (in {other.articles[0].path}) and '{tag.name}' both make the URL "
                f"/tags/{tag.slug}/; rename one of them"
            )
            problems.append(Diagnostic(tag.articles[0].path, 1, 1, message))
            continue
        tags[tag.slug] = tag
    ordered = sorted(tags.values(), key=lambda t: (t.name.casefold(), t.name))
    return tuple(ordered), tuple(problems)


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
    tags, problems = group_tags(posts)
    scheduled = sum(1 for a in articles if a.date and a.date > now and not future and (drafts or not a.draft))
    skipped_drafts = sum(1 for a in articles if a.draft and not drafts)
    return Site(config, posts, pages, tags, now, scheduled, skipped_drafts), problems
