"""Assemble the parsed articles into a Site: what is published, in what order, under which tags. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

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


def group_tags(posts: tuple[Article, ...]) -> tuple[tuple[Tag, ...], tuple[Diagnostic, ...]]:
    """Group posts by tag, case-insensitively; two tags with one slug are an error naming both."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[Article]] = defaultdict(list)
    for post in posts:
        for name in post.tags:
            spellings[name.casefold()][name] += 1
            members[name.casefold()].append(post)
    tags: dict[str, Tag] = {}
    problems: list[Diagnostic] = []
    for key in sorted(spellings):
        counts = spellings[key]
        name = min(counts, key=lambda spelling: (-counts[spelling], spelling))
        tag = Tag(name, slugify(name), tuple(members[key]))
        other = tags.get(tag.slug)
        if other is not None:
            where = tag.articles[0].path
            problems.append(
                Diagnostic(
                    where,
                    1,
                    1,
                    f"tags '{other.name}' (in {other.articles[0].path}) and '{tag.name}' both make the URL "
                    f"/tags/{tag.slug}/; rename one of them",
                )
            )
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
    kept = [a for a in articles if is_published(a, now, drafts=drafts, future=future)]
    posts = _newest_first([a for a in kept if a.kind == "post"])
    pages = tuple(sorted((a for a in kept if a.kind == "page"), key=lambda a: (a.weight, a.title.casefold())))
    tags, problems = group_tags(posts)
    scheduled = sum(1 for a in articles if a.date and a.date > now and not future and (drafts or not a.draft))
    skipped_drafts = sum(1 for a in articles if a.draft and not drafts)
    return Site(config, posts, pages, tags, now, scheduled, skipped_drafts), problems
