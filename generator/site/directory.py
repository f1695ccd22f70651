"""Match the names stories write to the outlets and authors of the data files. Pure.

A source names its outlet as the writer typed it: `ITHome`, `ithome`, `IT之家`, or a bare URL
(`https://www.ithome.com/0/800/000.htm`, named by its host). The outlet of `data/outlets.yaml` it
means is found by name (the outlet's name or one of its `aliases`, any spelling that makes one URL),
and, for a source with no name of its own, by the site its URL is on (`www.` and sub-domains included).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from generator.model import Article, AuthorInfo, OutletInfo, SiteData, Source
from generator.urls import host_name, host_problem, slugify, split_url


def _hosts(name: str) -> Iterator[str]:
    """Give a host and the sites it belongs to: 'm.news.ithome.com', 'news.ithome.com', 'ithome.com'."""
    labels = name.lower().removeprefix("www.").split(".")
    return (".".join(labels[start:]) for start in range(len(labels) - 1))


def _source_hosts(source: Source) -> Iterator[str]:
    """Give the hosts a source may be matched by: its URL's when it has no name of its own, or a name that is a host."""
    parts = split_url(source.url) if source.url else None
    if parts is not None and parts.hostname and source.name == host_name(source.url or ""):
        yield from _hosts(parts.hostname)
    elif host_problem(source.name.lower()) is None:
        yield from _hosts(source.name)


class OutletDirectory:
    """The outlets of `data/outlets.yaml`, found by any spelling of a name and by host."""

    def __init__(self, outlets: Iterable[OutletInfo]) -> None:
        self.by_slug: dict[str, OutletInfo] = {}
        self.by_host: dict[str, OutletInfo] = {}
        for outlet in outlets:
            for name in (outlet.name, *outlet.aliases):
                self.by_slug.setdefault(slugify(name), outlet)
            for url in (outlet.url, outlet.feed):
                parts = split_url(url) if url else None
                if parts is not None and parts.hostname:
                    self.by_host.setdefault(parts.hostname.lower().removeprefix("www."), outlet)

    def find(self, source: Source) -> OutletInfo | None:
        """Find the outlet a source names, or None when the data file does not list it."""
        found = self.by_slug.get(slugify(source.name))
        if found is None:
            found = next((self.by_host[host] for host in _source_hosts(source) if host in self.by_host), None)
        return found

    def named(self, source: Source) -> Source:
        """Give a source its outlet's name, and the outlet's language and feed where the source has none."""
        outlet = self.find(source)
        if outlet is None:
            return source
        return replace(source, name=outlet.name, lang=source.lang or outlet.language, feed=source.feed or outlet.feed)

    def info(self, name: str) -> OutletInfo | None:
        """Give what the data file says of an outlet shown under this name."""
        return self.by_slug.get(slugify(name))


class AuthorDirectory:
    """The authors of `data/authors.yaml`, found by any spelling of their name that makes one URL."""

    def __init__(self, authors: Iterable[AuthorInfo]) -> None:
        self.by_slug = {slugify(author.name): author for author in authors}

    def info(self, name: str) -> AuthorInfo | None:
        """Give what the data file says of a byline, matched case-insensitively."""
        return self.by_slug.get(slugify(name))

    def described(self, names: Iterable[str]) -> tuple[AuthorInfo, ...]:
        """Give what the data file says of each of these bylines that it lists."""
        return tuple(info for name in names if (info := self.info(name)) is not None)

    def named(self, name: str) -> str:
        """Give a byline the name the data file writes it with."""
        found = self.info(name)
        return found.name if found is not None else name


class Directory:
    """The outlets and authors of the data files, to name a story's sources and bylines as they write them."""

    def __init__(self, data: SiteData) -> None:
        self.outlets = OutletDirectory(data.outlets)
        self.authors = AuthorDirectory(data.authors)

    def named(self, article: Article) -> Article:
        """Name a story's outlets and authors as the data files write them."""
        if not (self.outlets.by_slug or self.authors.by_slug):
            return article
        sources = tuple(self.outlets.named(source) for source in article.sources)
        names = tuple(dict.fromkeys(self.authors.named(name) for name in article.authors))
        return replace(article, sources=sources, authors=names)
