"""The data that flows through a build: read this module first. Pure (frozen dataclasses only).

content/**/*.md -> SourceFile -> Article -> Site -> PageJob | FeedJob | SitemapJob | ... -> Output -> output/
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from generator.errors import Diagnostic
from generator.urls import AUTHORS_URL, FeedFormat


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping that can be pickled (for the cache and worker processes), unlike MappingProxyType."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items(), key=lambda item: item[0])))


EMPTY: Mapping[str, Any] = FrozenMap()


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A text file of the site, decoded: path relative to the site root, text with LF newlines."""

    path: str
    text: str
    digest: str


@dataclass(frozen=True, slots=True)
class KnownFile:
    """A text file of the site known by the digest of its bytes, and `where` to read them when they must be parsed."""

    path: str
    digest: str
    where: Path


# What a file's bytes were known by: its modification and change times (ns), size, inode, and digest.
FileStamp = tuple[int, int, int, int, str]


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of `site.yaml`, every one with a default."""

    title: str = "Gazette"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    theme: str = "default"
    per_page: int = 10
    permalink: str = "/{year}/{month}/{slug}/"
    feed_size: int = 20
    typography: bool | None = None  # None: on for French
    unsafe_html: bool = False  # True: raw HTML in bodies is published as written, for trusted writers only
    emoji: bool = False  # :rocket: shortcodes as emoji; else left as written, as GitHub's markdown renderer does
    relative_urls: bool = False  # True: links in pages are relative, so output/ works from disk or any path
    redirects_file: bool = False  # True: moved stories are also listed in a `_redirects` file (Netlify, Cloudflare)
    cname: str = ""  # the custom domain GitHub Pages serves the site on, written to a `CNAME` file
    search: bool | None = None  # None: on when Pagefind is installed; the build settles it to True or False
    social_cards: bool = True  # a story without `image:` gets a card drawn for social networks
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': '/blog/' for https://example.org/blog/."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


# What a source is to a story (front matter `role:`): the story it reports, an outlet that relayed it, the
# press release, report or data it rests on.
SourceRole = Literal["original", "via", "press-release", "report", "data"]
SOURCE_ROLES: tuple[SourceRole, ...] = get_args(SourceRole)


@dataclass(frozen=True, slots=True)
class Source:
    """A story or document a brief is based on ("Via : ITHome"); `role` says what it is to the brief."""

    name: str
    url: str | None = None
    lang: str | None = None
    feed: str | None = None
    role: SourceRole | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """An update or a correction made to a story after it was published (front matter `updates`).

    `html` is the writer's text rendered as inline markdown and sanitized; `timed` says whether the date
    was written with a time of day (a date alone is shown without one).
    """

    date: dt.datetime
    html: str
    kind: Literal["update", "correction"] = "update"
    timed: bool = True


@dataclass(frozen=True, slots=True)
class OriginalWork:
    """The story a translated brief adapts (front matter `original`): its language; its title and URL when known."""

    lang: str
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    """An old URL of a story (front matter `aliases`), with where it is written, to report a clash there."""

    url: str
    line: int
    col: int
    source_line: str


@dataclass(frozen=True, slots=True)
class Image:
    """A story's own picture for social networks (front matter `image`, `image_alt`), with where it is written.

    `url` is a full http(s) URL, or a path inside the site ('/img/chart.png', or a file of the story's
    folder, '/2024/10/slug/photo.jpg'), which the build checks is one of its files.
    """

    url: str
    alt: str
    line: int
    col: int
    source_line: str


@dataclass(frozen=True, slots=True)
class StoryLink:
    """A link in a story's body to another story's markdown file (`[x](other.md#part)`).

    `target` is the linked file's path from the site root (`content/posts/other.md`); `url` is the
    linked story's URL once every story is known (empty before), so that a story's digest changes
    when a story it links to moves.
    """

    ref: str
    target: str
    url: str = ""


# The fields of a story that follow from its text, by the part of the text a page shows with them: lists
# show a summary, a deck or a reading time, and most never the rest, its "body" (every edit changes it).
# A page is rendered again after an edit of a story's text only when it read a part that changed.
TEXT_PARTS: Mapping[str, str] = FrozenMap(
    {"html": "body", "toc_html": "body", "digest": "body", "warnings": "body"}
    | {name: name for name in ("summary_html", "deck_html", "words")}
)


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed post or page: metadata, rendered HTML, and where it will live."""

    kind: Literal["post", "page"]
    path: str
    title: str
    slug: str
    url: str
    date: dt.datetime | None
    updated: dt.datetime | None
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    authors: tuple[str, ...]
    summary_html: str
    html: str
    toc_html: str
    words: int
    digest: str = ""  # of the source file and the settings it was parsed with: equal digests, equal articles
    deck_html: str = ""  # the summary the writer gave, shown under the title; never an excerpt of the body
    draft: bool = False
    scheduled: bool = False  # dated after "now", built only with --future
    lang: str | None = None
    weight: int = 0
    aliases: tuple[Alias, ...] = ()  # old URLs that redirect to this one
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    warnings: tuple[Diagnostic, ...] = ()  # found while parsing; shown on every build, cached or not
    links: tuple[StoryLink, ...] = ()  # links to other stories' files, resolved after parsing (links.py)
    updates: tuple[Update, ...] = ()  # oldest first; the newest is also in `updated`
    original: OriginalWork | None = None  # the story this one translates
    featured: bool = False  # front matter `featured: true`: on top of the home page while the newest such story
    image: Image | None = None  # the picture social networks show; without one, the build draws a card

    @property
    def source(self) -> Source | None:
        """The original story: the first source whose role is 'original', else the first source."""
        return next((s for s in self.sources if s.role == "original"), self.sources[0] if self.sources else None)

    @property
    def corrections(self) -> tuple[Update, ...]:
        """The corrections among the story's updates, oldest first."""
        return tuple(update for update in self.updates if update.kind == "correction")


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction of a story, as the site's corrections page lists it."""

    article: Article
    update: Update


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag, matched case-insensitively: its display name, URL slug and articles (newest first)."""

    name: str
    slug: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class OutletInfo:
    """What `data/outlets.yaml` says of an outlet: its name, other names, home page, feed, language and country."""

    name: str
    aliases: tuple[str, ...] = ()
    url: str | None = None
    feed: str | None = None
    language: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet briefs are based on, matched case-insensitively like tags: name, slug, briefs (newest first).

    `info` is its entry in `data/outlets.yaml`, when it has one.
    """

    name: str
    slug: str
    articles: tuple[Article, ...]
    info: OutletInfo | None = None


@dataclass(frozen=True, slots=True)
class AuthorLink:
    """A link of an author's (home page, Mastodon...): its label and URL."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class AuthorInfo:
    """What `data/authors.yaml` says of an author: the name, a bio (rendered HTML) and links."""

    name: str
    bio_html: str = ""
    links: tuple[AuthorLink, ...] = ()


@dataclass(frozen=True, slots=True)
class Author:
    """A byline, matched case-insensitively like tags: display name, slug, stories (newest first), and its data."""

    name: str
    slug: str
    articles: tuple[Article, ...]
    info: AuthorInfo | None = None


@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    """The posts of one month, newest first."""

    year: int
    month: int
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    """The months of one year that have posts, newest first."""

    year: int
    months: tuple[ArchiveMonth, ...]


@dataclass(frozen=True, slots=True)
class SiteData:
    """The site's data files (`data/outlets.yaml`, `data/authors.yaml`), read; empty when there are none."""

    outlets: tuple[OutletInfo, ...] = ()
    authors: tuple[AuthorInfo, ...] = ()


NO_DATA = SiteData()


@dataclass(frozen=True, slots=True)
class SiteCounts:
    """How much a build published, and left out, for its one-line summary."""

    posts: int
    pages: int
    scheduled: int
    drafts: int
    next_scheduled: dt.datetime | None = None  # the date of the next scheduled story, in the site's zone
    next_path: str = ""  # that story's file


@dataclass(frozen=True, slots=True)
class Site:
    """Everything a theme can show: the published articles (newest first), pages, tags and outlets."""

    config: Config
    posts: tuple[Article, ...]
    pages: tuple[Article, ...]
    tags: tuple[Tag, ...]
    now: dt.datetime
    scheduled: int = 0
    drafts: int = 0
    outlets: tuple[Outlet, ...] = ()
    authors: tuple[Author, ...] = ()
    featured: Article | None = None  # the newest story with `featured: true`, on top of the home page
    data: SiteData = NO_DATA  # what the data files say of outlets and authors
    authors_url: str = AUTHORS_URL  # the authors' section, named in the theme's language ('/auteurs/')
    next_scheduled: dt.datetime | None = None  # the date of the next story left out for its date
    next_path: str = ""  # that story's file
    # Every correction of every published story and page, newest first (the corrections page). Made once
    # from the stories, not on each read: every page's menu asks `sections`, which asks it.
    corrections: tuple[Correction, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        found = (Correction(story, update) for story in (*self.posts, *self.pages) for update in story.corrections)
        newest_first = sorted(found, key=lambda c: (c.update.date, c.article.url), reverse=True)
        object.__setattr__(self, "corrections", tuple(newest_first))

    @property
    def counts(self) -> SiteCounts:
        """Count what this site publishes and leaves out."""
        return SiteCounts(
            len(self.posts), len(self.pages), self.scheduled, self.drafts, self.next_scheduled, self.next_path
        )

    @property
    def sections(self) -> tuple[str, ...]:
        """Name the index pages the site has ('archives', 'tags', 'sources', 'authors', 'corrections', 'search').

        Templates test this rather than `site.posts`, so that a page's menu does not make it depend on
        every story (see deps.py): it changes only when an index appears or goes.
        """
        searched = self.posts if self.config.search else ()
        present = (
            ("archives", self.posts),
            ("tags", self.tags),
            ("sources", self.outlets),
            ("authors", self.authors),
            ("corrections", self.corrections),
            ("search", searched),
        )
        return tuple(name for name, items in present if items)


@dataclass(frozen=True, slots=True)
class Pagination:
    """One page of a paginated list."""

    number: int
    count: int
    total: int
    items: tuple[Article, ...]
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class PageJob:
    """An HTML (or text) output rendered from a template, with everything its template shows.

    A story's job carries its neighbours in time (`newer`, `older`), the stories sharing its tags
    (`related`) and what the data files say of its authors (`people`), so that what a page shows is
    known from its job alone.
    """

    url: str
    template: str
    origin: str
    page: Article | None = None
    pagination: Pagination | None = None
    tag: Tag | None = None
    outlet: Outlet | None = None
    author: Author | None = None
    featured: Article | None = None  # the home page's first page: the featured story, shown on top
    archive: tuple[ArchiveYear, ...] = ()
    newer: Article | None = None
    older: Article | None = None
    related: tuple[Article, ...] = ()
    people: tuple[AuthorInfo, ...] = ()  # what data/authors.yaml says of the story's authors, for its JSON-LD
    card: Card | None = None  # the social card drawn for the page's story, when it has no image of its own


@dataclass(frozen=True, slots=True)
class CopyJob:
    """A file copied as it is (theme and site static files)."""

    url: str
    source: Path
    origin: str
    asset: str = ""  # set for a theme asset whose name carries a hash: the URL templates ask for


@dataclass(frozen=True, slots=True)
class DataJob:
    """A file whose bytes are already known when planning (stylesheets made by code)."""

    url: str
    data: bytes
    origin: str
    asset: str = ""  # set for a theme asset whose name carries a hash: the URL templates ask for


@dataclass(frozen=True, slots=True)
class RedirectJob:
    """A page at a story's old URL that sends readers (and search engines) on to its current one."""

    url: str
    target: str
    title: str
    origin: str
    alias: Alias


@dataclass(frozen=True, slots=True)
class CardFont:
    """A font a card draws with: as the theme names it, the file found for it, and the characters it has.

    `charset` holds (first, last) code point ranges; empty means "not known", and the font is then
    taken for every character the fonts before it lack.
    """

    name: str
    path: str
    index: int
    charset: tuple[tuple[int, int], ...]
    stamp: str  # size and modification time of the file: another version of the font draws another card


@dataclass(frozen=True, slots=True)
class CardStyle:
    """How a theme draws social cards (`card:` in theme.yaml): colours as '#rrggbb' and fonts, first choice first."""

    background: str
    text: str
    muted: str
    accent: str
    rule: str
    title_fonts: tuple[CardFont, ...]
    text_fonts: tuple[CardFont, ...]
    width: int = 1200
    height: int = 630


@dataclass(frozen=True, slots=True)
class Card:
    """A story's social card: what it shows, how, and where it goes.

    `url` carries a digest of what the card shows, so a corrected title gets a new URL that social
    networks fetch again; `key` digests everything its pixels depend on (the font files and Pillow
    too), and names the drawn PNG in the cache.
    """

    url: str
    key: str
    site: str
    title: str
    outlet: str
    date: str
    lang: str
    style: CardStyle


@dataclass(frozen=True, slots=True)
class CardJob:
    """A social card drawn into a PNG, or taken from the cache folder `store` when it was drawn before."""

    url: str
    card: Card
    origin: str
    store: Path


@dataclass(frozen=True, slots=True)
class FeedJob:
    """A feed (RSS 2.0, Atom or JSON Feed) of the newest posts of the site, or of one list of them.

    `subject` names the list for the feed's title, as a UI string, its placeholder and the value:
    ("tagged", "tag", "IA") for a tag, ("from_source", "source", "ITHome") for an outlet,
    ("by_author", "author", "Claire Martin") for an author.
    """

    url: str
    format: FeedFormat
    home_url: str
    articles: tuple[Article, ...]
    origin: str
    subject: tuple[str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One page in the sitemap, with the date its content last changed when it has one."""

    url: str
    lastmod: dt.datetime | None


@dataclass(frozen=True, slots=True)
class SitemapJob:
    """The sitemap of every page of the site."""

    url: str
    entries: tuple[SitemapEntry, ...]
    origin: str


@dataclass(frozen=True, slots=True)
class NewsSitemapJob:
    """The Google News sitemap: the posts of the last two days."""

    url: str
    articles: tuple[Article, ...]
    origin: str


Job = PageJob | CopyJob | DataJob | RedirectJob | FeedJob | SitemapJob | NewsSitemapJob | CardJob


@dataclass(frozen=True, slots=True)
class Output:
    """A file to write: its path inside output/ and its bytes, and for a page, the parts of stories' texts it read."""

    path: str
    data: bytes
    reads: frozenset[str] | None = None  # parts named in TEXT_PARTS; None: any part (not a page)
