"""Assemble the parsed articles into a Site: what is published, in what order, under which tags and outlets. Pure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from zoneinfo import ZoneInfo

from generator.errors import Diagnostic
from generator.model import (
    NO_DATA,
    ArchiveMonth,
    ArchiveYear,
    Article,
    Author,
    Config,
    Outlet,
    Site,
    SiteData,
    Tag,
)
from generator.render.sitemaps import NEWS_WINDOW
from generator.site.directory import Directory
from generator.urls import AUTHORS_URL, author_url, slugify, source_url, tag_url


def is_published(article: Article, now: dt.datetime, *, drafts: bool, future: bool) -> bool:
    """Tell whether an article belongs in this build."""
    if article.draft and not drafts:
        return False
    return future or article.date is None or article.date <= now


def steady_between(articles: Iterable[Article], now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Give the moments around `now` between which every article stays published, scheduled and news, or not.

    An article changes at its date (published, and news) and two days later (no longer news). Both
    moments are `now` itself when one falls on it; None means no change before, or after.
    """
    dates = [a.date for a in articles if a.date is not None]
    # Two days after the last date there is (year 9999) is never.
    later = [date + NEWS_WINDOW for date in dates if date.replace(tzinfo=None) <= dt.datetime.max - NEWS_WINDOW]
    moments = dates + later
    since = max((moment for moment in moments if moment <= now), default=None)
    until = min((moment for moment in moments if moment >= now), default=None)
    return since, until


def next_scheduled(waiting: Iterable[Article], timezone: str) -> tuple[dt.datetime | None, str]:
    """Give the date of the first of the stories left out for their date, in the site's zone, and its file."""
    first = min((a for a in waiting if a.date is not None), key=lambda a: (a.date, a.path), default=None)
    if first is None or first.date is None:
        return None, ""
    return first.date.astimezone(ZoneInfo(timezone)), first.path


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _instant(article: Article) -> int:
    """Give the moment a story is dated as microseconds since 1970, to sort by; an undated one comes before all.

    Dates of different time zones compare through their offsets, asked again at each comparison: sorting
    10,000 stories by their dates themselves took a third of a second, by this number a hundredth.
    """
    return (article.date - _EPOCH) // _MICROSECOND if article.date is not None else -(1 << 63)


def _newest_first(articles: list[Article]) -> tuple[Article, ...]:
    """Sort posts newest first; the path breaks ties so the order never depends on the file system."""
    by_path = sorted(articles, key=lambda a: a.path)
    return tuple(sorted(by_path, key=_instant, reverse=True))


def _listed(paths: list[str], shown: int = 3) -> str:
    """Name a few files, and how many more there are."""
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


class Spellings:
    """The spellings of names (tags, outlets) that make one URL, and the files that use each.

    Spellings that make the same URL ('End of Life', 'End-of-Life', 'end of life') are one name,
    shown in its most used spelling (ties: the first seen, in the order posts are given).
    """

    def __init__(self, url_of: Callable[[str], str]) -> None:
        self.url_of = url_of
        self._urls: dict[str, str] = {}
        self.by_url: dict[str, dict[str, list[str]]] = {}
        self._shown: dict[str, str] = {}  # `display`'s answers, until a file is added

    def url(self, name: str) -> str:
        """Give a name's URL, computing each distinct spelling's only once."""
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = self.url_of(name)
        return found

    def add(self, path: str, names: Iterable[str]) -> None:
        """Count the names one file uses; a file naming one thing twice counts once."""
        self._shown.clear()
        for name in dict.fromkeys(names):
            users = self.by_url.setdefault(self.url(name), {}).setdefault(name, [])
            if not users or users[-1] != path:
                users.append(path)

    def display(self, url: str) -> str:
        """Give the spelling shown for a URL: the most used, ties to the first seen."""
        shown = self._shown.get(url)
        if shown is None:
            variants = self.by_url[url]
            shown = self._shown[url] = max(variants, key=lambda name: len(variants[name]))
        return shown

    def clashes(self) -> Iterator[str]:
        """Give each URL written several ways."""
        return (url for url, variants in self.by_url.items() if len(variants) > 1)

    def clash_message(self, what: str, url: str) -> str:
        """Say which spellings make one URL, with the files using each, and the one that is shown."""
        listed = [f"'{name}' ({_listed(paths)})" for name, paths in self.by_url[url].items()]
        return (
            f"{what} {', '.join(listed[:-1])} and {listed[-1]} make one URL, {url}: they are one, "
            f"shown as '{self.display(url)}'; write it one way everywhere to silence this"
        )

    def warnings(self, what: str) -> tuple[Diagnostic, ...]:
        """Warn once per URL written several ways, at the first file using a spelling that is not shown."""
        problems = []
        for url in self.clashes():
            shown = self.display(url)
            first_other = next(paths[0] for name, paths in self.by_url[url].items() if name != shown)
            problems.append(Diagnostic(first_other, 1, 1, self.clash_message(what, url), "warning"))
        return tuple(problems)


def _group(
    posts: tuple[Article, ...], spellings: Spellings, names_of: Callable[[Article], Iterable[str]]
) -> tuple[tuple[str, str, tuple[Article, ...]], ...]:
    """Group posts (newest first) by the URL of their names, as (display name, slug, posts) sorted by name."""
    members: dict[str, list[Article]] = defaultdict(list)
    for post in posts:
        # A post naming one thing twice ('ITHome' and 'ithome') is listed once.
        for url in dict.fromkeys(spellings.url(name) for name in names_of(post)):
            members[url].append(post)
    groups = [(spellings.display(url), tuple(articles)) for url, articles in members.items()]
    ordered = sorted(groups, key=lambda group: (group[0].casefold(), group[0]))
    return tuple((name, slugify(name), articles) for name, articles in ordered)


def spellings_of(
    posts: Iterable[Article], names_of: Callable[[Article], Iterable[str]], url_of: Callable[[str], str]
) -> Spellings:
    """Gather the spellings of names used by posts, in the order the posts are given."""
    spellings = Spellings(url_of)
    for post in posts:
        spellings.add(post.path, names_of(post))
    return spellings


def tag_names(post: Article) -> Iterable[str]:
    return post.tags


def outlet_names(post: Article) -> Iterable[str]:
    return [source.name for source in post.sources]


def author_names(post: Article) -> Iterable[str]:
    return post.authors


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
    data: SiteData = NO_DATA,
    authors_url: str = AUTHORS_URL,
) -> tuple[Site, tuple[Diagnostic, ...]]:
    """Keep what is published (drafts and future posts only when asked), sort it, group tags, outlets and authors.

    Outlets and authors the data files list are shown as the data files name them, with what they say;
    `authors_url` is the authors' section, in the theme's language.
    """
    directory = Directory(data)
    kept = [
        directory.named(replace(a, scheduled=True) if a.date and a.date > now else a)
        for a in articles
        if is_published(a, now, drafts=drafts, future=future)
    ]
    # Spellings are counted in file order, so that "the first seen" breaks ties the same way every time.
    in_file_order = sorted((a for a in kept if a.kind == "post"), key=lambda a: a.path)
    tag_spellings = spellings_of(in_file_order, tag_names, tag_url)
    author_spellings = spellings_of(in_file_order, author_names, partial(author_url, authors_url))
    # Every post shows each tag and author under its display name, whatever the writer's own spelling.
    posts = _newest_first([_as_displayed(a, tag_spellings, author_spellings) for a in kept if a.kind == "post"])
    pages = tuple(sorted((a for a in kept if a.kind == "page"), key=lambda a: (a.weight, a.title.casefold())))
    tags = tuple(Tag(*group) for group in _group(posts, tag_spellings, tag_names))
    outlet_spellings = spellings_of(in_file_order, outlet_names, source_url)
    outlets = tuple(
        Outlet(*group, info=directory.outlets.info(group[0])) for group in _group(posts, outlet_spellings, outlet_names)
    )
    authors = tuple(
        Author(*group, info=directory.authors.info(group[0])) for group in _group(posts, author_spellings, author_names)
    )
    featured = next((post for post in posts if post.featured), None)  # newest first: the newest featured
    waiting = [a for a in articles if a.date and a.date > now and not future and (drafts or not a.draft)]
    skipped_drafts = sum(1 for a in articles if a.draft and not drafts)
    due, due_path = next_scheduled(waiting, config.timezone)
    site = Site(
        config,
        posts,
        pages,
        tags,
        now,
        scheduled=len(waiting),
        drafts=skipped_drafts,
        outlets=outlets,
        authors=authors,
        featured=featured,
        data=data,
        authors_url=authors_url,
        next_scheduled=due,
        next_path=due_path,
    )
    warnings = tag_spellings.warnings("tags") + outlet_spellings.warnings("sources")
    return site, warnings + author_spellings.warnings("authors")


def _as_displayed(post: Article, tag_spellings: Spellings, author_spellings: Spellings) -> Article:
    """Give a post with its tags and authors as they are shown; the post itself when it wrote them so."""
    tags, authors = _displayed(post.tags, tag_spellings), _displayed(post.authors, author_spellings)
    # Most posts do: copying every one of 10,000 took a third of a second of each build.
    return post if tags == post.tags and authors == post.authors else replace(post, tags=tags, authors=authors)


def _displayed(names: tuple[str, ...], spellings: Spellings) -> tuple[str, ...]:
    """Write each name as it is shown, a name given twice once."""
    return tuple(dict.fromkeys(spellings.display(spellings.url(name)) for name in names))
