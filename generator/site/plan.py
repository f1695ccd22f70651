"""Plan every output of a site as a job; two jobs at one path are an error naming both.

Pure, except that it lists the files of static folders.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from generator.content.markup import highlight_css
from generator.content.sources import MARKDOWN_SUFFIXES, is_ignored
from generator.errors import Diagnostic
from generator.model import (
    Article,
    Card,
    CardJob,
    CopyJob,
    DataJob,
    FeedJob,
    Job,
    NewsSitemapJob,
    PageJob,
    Pagination,
    RedirectJob,
    Site,
    SitemapEntry,
    SitemapJob,
)
from generator.publish.search import BUNDLE_FOLDER, is_bundle_file
from generator.render.redirects import redirects_file
from generator.render.sitemaps import is_news, robots_txt
from generator.render.themes import Theme
from generator.site.assemble import group_by_month
from generator.site.deps import file_digest
from generator.site.directory import AuthorDirectory
from generator.site.social import image_problems
from generator.urls import (
    ARCHIVES_URL,
    CNAME_URL,
    CORRECTIONS_URL,
    NEWS_SITEMAP_URL,
    NOJEKYLL_URL,
    NOT_FOUND_URL,
    REDIRECTS_URL,
    ROBOTS_URL,
    SEARCH_URL,
    SITEMAP_URL,
    SOURCES_URL,
    TAGS_URL,
    FeedFormat,
    author_url,
    feed_url,
    hashed_url,
    list_url,
    output_path,
    source_url,
    tag_url,
)

STATIC_URL = "/static/"
FEED_FORMATS: tuple[FeedFormat, ...] = ("rss", "atom", "json")
RELATED_COUNT = 3
# Theme files whose names carry a hash of their content, so hosts may cache them forever. Not images or
# fonts: a stylesheet names those as written (`url(fonts/a.woff2)`), and a new name would break the link.
HASHED_SUFFIXES = (".css", ".js")


def paginate(items: tuple[Article, ...], per_page: int, base: str) -> tuple[Pagination, ...]:
    """Cut a list into pages; an empty list still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    return tuple(
        Pagination(
            number=n,
            count=count,
            total=len(items),
            items=items[(n - 1) * per_page : n * per_page],
            prev_url=list_url(base, n - 1) if n > 1 else None,
            next_url=list_url(base, n + 1) if n < count else None,
        )
        for n in range(1, count + 1)
    )


def _lowest_bits(mask: int, count: int) -> list[int]:
    """Give the positions of the `count` lowest set bits of a mask."""
    found: list[int] = []
    while mask and len(found) < count:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def _add_to_counter(planes: list[int], mask: int) -> None:
    """Add 1 to the count of every post in `mask`, on counters stored one bit plane per binary digit."""
    carry = mask
    for digit, plane in enumerate(planes):
        if not carry:
            return
        planes[digit], carry = plane ^ carry, plane & carry
    if carry:
        planes.append(carry)


def _at_least(planes: list[int], threshold: int, everyone: int) -> int:
    """Give the mask of posts whose count is at least `threshold`, comparing all counters at once."""
    if threshold >= 1 << len(planes):
        return 0
    above, equal = 0, everyone
    for digit in range(len(planes) - 1, -1, -1):
        if threshold >> digit & 1:
            equal &= planes[digit]
        else:
            above |= equal & planes[digit]
            equal &= everyone ^ planes[digit]
    return above | equal


def related_posts(posts: tuple[Article, ...], count: int = RELATED_COUNT) -> dict[str, tuple[Article, ...]]:
    """Map each post's path to the posts sharing the most tags with it; ties go to the newest.

    Shared tags are counted for every candidate at once: each tag is a bit mask over the posts'
    positions (newest first, so a lower bit is a newer post), and a post's tag masks are added into
    counters held as bit planes, so one big-integer operation counts a digit for thousands of posts
    in C. A post with k tags costs O(k log k) such operations, whatever its tags or how many posts
    share them (walking combinations of tags, as before, cost 2^k); candidates are then taken by
    falling shared count, newest first, exactly as before.
    """
    size = (len(posts) + 7) // 8
    bits: dict[str, bytearray] = {}
    for position, post in enumerate(posts):
        for name in {tag.casefold() for tag in post.tags}:
            bits.setdefault(name, bytearray(size))[position >> 3] |= 1 << (position & 7)
    masks = {name: int.from_bytes(value, "little") for name, value in bits.items()}
    everyone = (1 << len(posts)) - 1
    related: dict[str, tuple[Article, ...]] = {}
    for position, post in enumerate(posts):
        names = {tag.casefold() for tag in post.tags}
        planes: list[int] = []
        for name in names:
            _add_to_counter(planes, masks[name])
        taken = 1 << position
        chosen: list[int] = []
        for shared in range(len(names), 0, -1):  # most shared tags first
            pool = _at_least(planes, shared, everyone)
            chosen += _lowest_bits(pool & ~taken, count - len(chosen))
            taken |= pool
            if len(chosen) == count:
                break
        related[post.path] = tuple(posts[other] for other in chosen)
    return related


def _static_files(folder: Path, prefix: str, origin: str, *, hashed: bool = False) -> Iterator[CopyJob]:
    """Copy every non-hidden file below a folder, keeping its relative path under `prefix`.

    `hashed` marks its stylesheets and scripts as assets, to be given a name that carries their hash.
    """
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        # Not only regular files: a link to nothing or a named pipe is copied in vain, and said so.
        if not path.is_dir() and not any(is_ignored(part) for part in relative.parts):
            url = prefix + relative.as_posix()
            asset = url if hashed and path.suffix.lower() in HASHED_SUFFIXES else ""
            yield CopyJob(url, path, f"{origin}/{relative.as_posix()}", asset)


def _home_jobs(site: Site) -> Iterator[PageJob]:
    """Yield the pages of the home: the featured story on top of the first, then every other story, newest first."""
    featured = site.featured
    river = site.posts if featured is None else tuple(post for post in site.posts if post.path != featured.path)
    for pagination in paginate(river, site.config.per_page, "/"):
        top = featured if pagination.number == 1 else None
        yield PageJob(
            list_url("/", pagination.number), "index.html", "the home page", pagination=pagination, featured=top
        )


def _author_jobs(site: Site) -> Iterator[PageJob]:
    """Yield the authors' index, then each author's pages, paginated like a tag's."""
    if site.authors:
        yield PageJob(site.authors_url, "authors.html", "the author index")
    for author in site.authors:
        base = author_url(site.authors_url, author.name)
        bare = replace(author, articles=())  # as for tags: each page's share is in its pagination
        for pagination in paginate(author.articles, site.config.per_page, base):
            url = list_url(base, pagination.number)
            yield PageJob(url, "author.html", f"author '{author.name}'", pagination=pagination, author=bare)


def _page_jobs(site: Site, cards: Mapping[str, Card]) -> Iterator[PageJob]:
    """Yield every HTML page: lists, articles, pages, tags, outlets, authors, archives, search, then the 404 page.

    A story's page carries its social card (`cards`, by file), whose URL it names.
    """
    yield from _home_jobs(site)
    related = related_posts(site.posts)
    authors = AuthorDirectory(site.data.authors)
    for position, post in enumerate(site.posts):
        yield PageJob(
            post.url,
            "article.html",
            post.path,
            page=post,
            newer=site.posts[position - 1] if position > 0 else None,
            older=site.posts[position + 1] if position + 1 < len(site.posts) else None,
            related=related[post.path],
            people=authors.described(post.authors),
            card=cards.get(post.path),
        )
    for page in site.pages:
        yield PageJob(page.url, "page.html", page.path, page=page, card=cards.get(page.path))
    if site.tags:
        yield PageJob(TAGS_URL, "tags.html", "the tag index")
    for tag in site.tags:
        base = tag_url(tag.name)
        # The job carries the tag without its articles: each page's share is in its pagination,
        # so a changed article re-renders only the tag page that lists it.
        bare = replace(tag, articles=())
        for pagination in paginate(tag.articles, site.config.per_page, base):
            url = list_url(base, pagination.number)
            yield PageJob(url, "tag.html", f"tag '{tag.name}'", pagination=pagination, tag=bare)
    if site.outlets:
        yield PageJob(SOURCES_URL, "sources.html", "the source index")
    for outlet in site.outlets:
        yield PageJob(source_url(outlet.name), "source.html", f"source '{outlet.name}'", outlet=outlet)
    yield from _author_jobs(site)
    if site.posts:
        yield PageJob(ARCHIVES_URL, "archives.html", "the archives", archive=group_by_month(site.posts))
    if "corrections" in site.sections:
        yield PageJob(CORRECTIONS_URL, "corrections.html", "the corrections page")
    if "search" in site.sections:
        yield PageJob(SEARCH_URL, "search.html", "the search page")
    yield PageJob(NOT_FOUND_URL, "404.html", "the 404 page")


def _shown(job: PageJob, site: Site) -> tuple[Article, ...]:
    """List the stories a page shows, whose changes are its changes."""
    if job.page is not None:
        return (job.page,)
    if job.pagination is not None:
        return job.pagination.items + ((job.featured,) if job.featured is not None else ())
    if job.outlet is not None:
        return job.outlet.articles
    if job.url == CORRECTIONS_URL:
        return tuple(correction.article for correction in site.corrections)
    return site.posts  # the indexes (tags, sources, archives) show or count every post


def _sitemap_entries(pages: tuple[PageJob, ...], site: Site) -> tuple[SitemapEntry, ...]:
    """List every page but the 404, the search page and drafts, with the newest change among the stories it shows."""
    entries = []
    for job in pages:
        if job.url in (NOT_FOUND_URL, SEARCH_URL) or (job.page is not None and job.page.draft):
            continue
        changes = [moment for a in _shown(job, site) if not a.draft and (moment := a.updated or a.date) is not None]
        entries.append(SitemapEntry(job.url, max(changes, default=None)))
    return tuple(entries)


def _list_feeds(
    base: str, articles: tuple[Article, ...], size: int, subject: tuple[str, str, str], origin: str
) -> Iterator[FeedJob]:
    """Yield the feeds of one list (a tag, an outlet, an author) in every format, of its newest published posts."""
    newest = tuple(post for post in articles if not post.draft)[:size]
    for kind in FEED_FORMATS:
        yield FeedJob(feed_url(base, kind), kind, base, newest, f"the {kind} feed of {origin}", subject=subject)


def _feed_jobs(site: Site, posts: tuple[Article, ...]) -> Iterator[FeedJob]:
    """Yield the site's feeds, then each tag's, outlet's and author's, in every format, of the newest posts."""
    size = site.config.feed_size
    for kind in FEED_FORMATS:
        yield FeedJob(feed_url("/", kind), kind, "/", posts[:size], f"the {kind} feed")
    for tag in site.tags:
        yield from _list_feeds(tag_url(tag.name), tag.articles, size, ("tagged", "tag", tag.name), f"tag '{tag.name}'")
    for outlet in site.outlets:
        subject = ("from_source", "source", outlet.name)
        yield from _list_feeds(source_url(outlet.name), outlet.articles, size, subject, f"source '{outlet.name}'")
    for author in site.authors:
        subject = ("by_author", "author", author.name)
        base = author_url(site.authors_url, author.name)
        yield from _list_feeds(base, author.articles, size, subject, f"author '{author.name}'")


def _bundle_files(root: Path, article: Article) -> Iterator[CopyJob]:
    """Copy the files that sit beside a story written as `<folder>/index.md` (a bundle) next to its page.

    So `![](photo.jpg)` in content/posts/2024/azure/index.md shows content/posts/2024/azure/photo.jpg.
    Markdown files and nested bundles (folders with their own index.md) are not copied.
    """
    folder = (root / article.path).parent
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        nested = any(
            (folder / Path(*relative.parts[:depth]) / "index.md").is_file() for depth in range(1, len(relative.parts))
        )
        if (
            not path.is_dir()
            and path.suffix.lower() not in MARKDOWN_SUFFIXES
            and not any(is_ignored(part) for part in relative.parts)
            and not nested
        ):
            yield CopyJob(article.url + relative.as_posix(), path, f"{article.path} (a file of its folder)")


def _redirect_jobs(site: Site) -> Iterator[RedirectJob]:
    """Yield a redirect page at each old URL of each published story (drafts only when they are built)."""
    for article in (*site.posts, *site.pages):
        for alias in article.aliases:
            yield RedirectJob(alias.url, article.url, article.title, article.path, alias)


def _host_files(site: Site) -> Iterator[DataJob]:
    """Yield the files static hosts read: `.nojekyll` (GitHub Pages publishes the folder as it is), `CNAME`."""
    yield DataJob(NOJEKYLL_URL, b"", "the .nojekyll file")
    if site.config.cname:
        yield DataJob(CNAME_URL, f"{site.config.cname}\n".encode(), "the 'cname' setting")


def _all_jobs(root: Path, site: Site, theme: Theme, cards: tuple[CardJob, ...]) -> Iterator[Job]:
    """Yield every job: pages, social cards, redirects, feeds, sitemaps, robots.txt, host files, then static files."""
    pages = tuple(_page_jobs(site, {job.origin: job.card for job in cards}))
    yield from pages
    yield from cards
    redirects = tuple(_redirect_jobs(site))  # after the pages: a clash is reported at the alias, not the page
    yield from redirects
    if site.config.redirects_file and redirects:
        yield DataJob(REDIRECTS_URL, redirects_file(redirects, site.config.base_path), "the _redirects file")
    # Drafts are previewed with --drafts, but never announced to feed readers or crawlers.
    posts = tuple(post for post in site.posts if not post.draft)
    yield from _feed_jobs(site, posts)
    yield SitemapJob(SITEMAP_URL, _sitemap_entries(pages, site), "the sitemap")
    recent = tuple(post for post in posts if is_news(post, site.now))
    yield NewsSitemapJob(NEWS_SITEMAP_URL, recent, "the news sitemap")
    if not (root / "static" / ROBOTS_URL.lstrip("/")).is_file():  # the site's own robots.txt wins
        yield DataJob(ROBOTS_URL, robots_txt(site.config).encode(), "robots.txt")
    yield from _host_files(site)
    highlight = STATIC_URL + "highlight.css"
    yield DataJob(highlight, highlight_css().encode(), "code highlighting styles", highlight)
    for article in (*site.posts, *site.pages):
        if posixpath.basename(article.path) == "index.md":
            yield from _bundle_files(root, article)
    for folder in theme.static_dirs():
        yield from _static_files(folder, STATIC_URL, f"theme {folder.parent.name} static", hashed=True)
    if (root / "static").is_dir():
        yield from _static_files(root / "static", "/", "static")


def plan_rebuild(
    jobs: tuple[Job, ...], digests: Mapping[str, str], previous: Mapping[str, str], exists: Callable[[str], bool]
) -> tuple[Job, ...]:
    """Keep the jobs whose inputs changed since the last build, or whose file is gone from the output folder."""
    return tuple(job for job in jobs if previous.get(path := output_path(job.url)) != digests[path] or not exists(path))


def plan_outputs(
    root: Path, site: Site, theme: Theme, cards: tuple[CardJob, ...] = ()
) -> tuple[tuple[Job, ...], tuple[Diagnostic, ...]]:
    """List every output; a theme's static file is replaced by its child's, other clashes are errors.

    `cards` draw the social cards of the stories that have no picture of their own; a story's
    `image:` that is no output of the site is an error at that line.
    """
    jobs: dict[str, Job] = {}
    problems: list[Diagnostic] = []
    for job in _all_jobs(root, site, theme, cards):
        path = output_path(job.url)
        if site.config.search and is_bundle_file(path):
            problems.append(
                Diagnostic(
                    job.origin,
                    1,
                    1,
                    f"output {path} is in {BUNDLE_FOLDER}, where the search index goes"
                    "; move the file, or turn search off with 'search: false' in site.yaml",
                )
            )
            continue
        first = jobs.get(path)
        overrides = first is not None and isinstance(first, CopyJob | DataJob) and job.url.startswith(STATIC_URL)
        if first is not None and not overrides:
            problems.append(_clash(path, job, first))
            continue
        jobs[path] = job
    problems += image_problems((*site.posts, *site.pages), jobs.values())
    return tuple(_with_hashed_name(job) for job in jobs.values()), tuple(problems)


def _clash(path: str, job: Job, first: Job) -> Diagnostic:
    """Report a job whose output another job already makes, at the alias or the file that asked for it."""
    if isinstance(job, RedirectJob):
        alias = job.alias
        made_by = f"the alias of {first.origin}" if isinstance(first, RedirectJob) else first.origin
        message = f"alias {alias.url} is already the URL of {made_by}; remove this alias or that page's"
        return Diagnostic(job.origin, alias.line, alias.col, message, source_line=alias.source_line)
    where = job.page.path if isinstance(job, PageJob) and job.page else job.origin
    return Diagnostic(where, 1, 1, f"output {path} is also made by {first.origin}; change a slug or file name")


def _with_hashed_name(job: Job) -> Job:
    """Give a theme asset a name carrying a hash of its content; other jobs are kept as they are."""
    if isinstance(job, DataJob) and job.asset:
        return replace(job, url=hashed_url(job.asset, hashlib.sha1(job.data).hexdigest()))
    if isinstance(job, CopyJob) and job.asset:
        try:
            return replace(job, url=hashed_url(job.asset, file_digest(job.source)))
        except OSError:  # unreadable: copying it reports why, and fails the build
            return job
    return job


def asset_urls(jobs: Iterable[Job]) -> dict[str, str]:
    """Map each theme asset's plain URL ('/static/style.css') to its hashed one, for templates' `url()`."""
    return {job.asset: job.url for job in jobs if isinstance(job, CopyJob | DataJob) and job.asset}
