"""The content checks of `gazette check`: what a build lets through, but a reader would trip on.

Stories are read and parsed exactly as a build reads them (`read_content`, which reads files and the
cache); the checks themselves (`check_content`) are pure, and point each finding at the front matter
key or the spot of the body it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit, urlunsplit

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.config import load_config
from generator.content import fields
from generator.content.articles import parse_articles
from generator.content.data import read_data
from generator.content.frontmatter import split_front_matter
from generator.content.links import locate, resolve_story_links, story_target
from generator.content.markup import link_refs
from generator.content.sources import read_source, read_sources, text_reader
from generator.errors import Diagnostic, Finding, at_line, has_errors
from generator.model import Article, Config, PageJob, Site, SourceFile
from generator.publish.checks import FUTURE_DAYS
from generator.render.pages import authors_section
from generator.render.themes import load_theme
from generator.site.assemble import (
    Spellings,
    assemble_site,
    author_names,
    outlet_names,
    spellings_of,
    tag_names,
)
from generator.site.cache import CACHE_DIR, BuildCache
from generator.site.directory import Directory
from generator.site.plan import plan_outputs
from generator.urls import (
    absolute,
    author_url,
    output_path,
    path_in_site,
    resolve_link,
    served_file,
    source_url,
    tag_url,
)


@dataclass(frozen=True, slots=True)
class Content:
    """A site's stories as a build reads them, and what the site publishes now.

    `articles` are all the stories parsed, drafts and scheduled ones included, their links between
    stories resolved, their outlets and authors named as the data files name them; `site` holds what a
    build publishes now; `planned` is every output path a build with drafts and future stories would
    write, and `pages` those of them rendered from the theme's templates (both None when the theme
    cannot be loaded).
    """

    config: Config
    sources: dict[str, SourceFile]
    articles: tuple[Article, ...]
    site: Site
    planned: frozenset[str] | None
    pages: frozenset[str] | None
    problems: tuple[Finding, ...]


def read_content(root: Path, base_url: str | None, now: dt.datetime) -> Content | tuple[Finding, ...]:
    """Read, parse and assemble a site as a build would; give its problems alone when site.yaml has errors."""
    loaded = load_config(root, base_url=base_url)
    settings = tuple(Finding("settings", d) for d in loaded.diagnostics)
    if has_errors(loaded.diagnostics):
        return settings
    config = loaded.config
    files, read_problems = read_sources(root)
    articles, parse_problems = parse_articles(files, config, BuildCache.load(root / CACHE_DIR))
    articles, link_problems = resolve_story_links(articles, text_reader(files), config.base_path, now)
    data, data_problems = read_data(root, config)
    # An outlet of data/outlets.yaml is one outlet however stories spell it: its variants are no spelling problem.
    articles = tuple(map(Directory(data).named, articles))
    theme, theme_problems = load_theme(root, config.theme, partial(loaded.error_at, "theme"))
    named = partial(assemble_site, data=data, authors_url=authors_section(theme, config.language))
    site, _ = named(config, articles, now)  # spellings are checked below, each where it is written
    everything, _ = named(config, articles, now, drafts=True, future=True)
    planned = pages = None
    if theme is not None:
        jobs, _ = plan_outputs(root, everything, theme)
        planned = frozenset(output_path(job.url) for job in jobs)
        pages = frozenset(output_path(job.url) for job in jobs if isinstance(job, PageJob))
    problems = (
        settings
        + tuple(Finding("build", d) for d in read_problems + parse_problems + data_problems + theme_problems)
        + tuple(Finding("story-link", d) for d in link_problems)
    )
    # The texts, to point at what a finding is about (a file that cannot be read or decoded has no story).
    texts = {f.path: text for f in files if isinstance(text := read_source(f.path, f.where), SourceFile)}
    return Content(config, texts, articles, site, planned, pages, problems)


class FrontMatter:
    """A story's front matter as located YAML nodes, to point a finding at what it is about."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        split = split_front_matter(source)
        self.doc = None if isinstance(split, Diagnostic) else split.meta
        self.root = fields.compose(self.doc)[0] if self.doc is not None else None
        self.keys: dict[str, Node] = {}
        if isinstance(self.root, MappingNode):
            self.keys = {str(key.value): value for key, value in self.root.value}

    def node(self, *names: str) -> Node | None:
        """Give the value of the first of these keys that is written."""
        return next((self.keys[name] for name in names if name in self.keys), None)

    def at(self, node: Node | None, message: str, *, warning: bool = True) -> Diagnostic:
        """Make a diagnostic at a node, else at the front matter, else at the file's first line."""
        target = node if node is not None else self.root
        if self.doc is not None and target is not None:
            return self.doc.error(target, message, warning=warning)
        return at_line(self.source.path, self.source.text, 1, 1, message, warning=warning)


def find_scalar(node: Node | None, value: str) -> Node | None:
    """Find the text `value` below a node (in a list, a mapping's values); the node itself when it is not there."""
    todo = [node] if node is not None else []
    while todo:
        current = todo.pop(0)
        if isinstance(current, ScalarNode) and str(current.value).strip() == value:
            return current
        if isinstance(current, SequenceNode):
            todo += current.value
        elif isinstance(current, MappingNode):
            todo += [item for _, item in current.value]
    return node


def _posts(content: Content) -> list[Article]:
    """Every post parsed, drafts and scheduled ones included, in file order."""
    return sorted((a for a in content.articles if a.kind == "post"), key=lambda a: a.path)


def _no_source(content: Content, matter: Callable[[str], FrontMatter]) -> Iterator[Finding]:
    for post in _posts(content):
        if not post.sources:
            message = "no source: say where the story comes from, with 'source: {name: ITHome, url: https://…}'"
            yield Finding("no-source", matter(post.path).at(None, message))


def _spelling(
    content: Content,
    matter: Callable[[str], FrontMatter],
    what: str,
    keys: tuple[str, ...],
    check: str,
    names_of: Callable[[Article], Iterable[str]],
    url_of: Callable[[str], str],
) -> Iterator[Finding]:
    """Point at every spelling of a name that makes the same URL as another, in each file using it."""
    spellings: Spellings = spellings_of(_posts(content), names_of, url_of)
    for url in spellings.clashes():
        shown, message = spellings.display(url), spellings.clash_message(what, url)
        for name, paths in spellings.by_url[url].items():
            for path in paths if name != shown else ():
                front = matter(path)
                yield Finding(check, front.at(find_scalar(front.node(*keys), name), message))


def _empty_summary(content: Content, matter: Callable[[str], FrontMatter]) -> Iterator[Finding]:
    for post in _posts(content):
        front = matter(post.path)
        written = front.node("summary", "description")
        if isinstance(written, ScalarNode) and not str(written.value).strip():
            message = "the summary is empty, so lists quote the story's first paragraph; write one, or remove the key"
            yield Finding("empty-summary", front.at(written, message))
        elif written is None and not post.summary_html.strip():
            message = (
                "no summary: no 'summary' key, and no paragraph to quote; lists and feeds show the headline alone, "
                "add 'summary: …'"
            )
            yield Finding("empty-summary", front.at(None, message))


def _same_story(url: str) -> str:
    """Reduce a source URL to what tells two stories apart: no fragment, no trailing slash, host in lower case."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def _duplicate_sources(content: Content, matter: Callable[[str], FrontMatter]) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for post in _posts(content):
        for source in post.sources:
            if source.url is None:
                continue
            earlier = first.setdefault(_same_story(source.url), post.path)
            if earlier != post.path:
                message = (
                    f"{post.path} and {earlier} both cite {source.url}: the same story twice? "
                    "merge the two briefs, or keep both when one follows the other up"
                )
                front = matter(post.path)
                yield Finding("duplicate-source", front.at(find_scalar(front.node("source"), source.url), message))


def _far_future(
    content: Content, matter: Callable[[str], FrontMatter], now: dt.datetime, days: int
) -> Iterator[Finding]:
    limit = now + dt.timedelta(days=days)
    for post in _posts(content):
        if post.date is not None and post.date > limit:
            ahead = (post.date - now).days
            message = (
                f"dated {post.date.date().isoformat()}, {ahead:,} days from now: a typo in the year? "
                f"(dates more than {days:,} days ahead are reported; --future-days changes that)"
            )
            front = matter(post.path)
            yield Finding("future-date", front.at(front.node("date"), message, warning=False))


def _missing_hint(article: Article, ref: str, path: str) -> str:
    """Say how to publish a file a story links to."""
    if ref.startswith("/"):
        return f"put the file at static/{path} (static/ is the root of the site), or fix the link"
    if PurePosixPath(article.path).name != "index.md":
        return "files beside a story are published only when it is written as a folder's index.md"
    return "put the file in the story's folder, or fix the link"


def _missing_files(content: Content) -> Iterator[Finding]:
    """Point at every link of a body to a place inside the site where no file is built."""
    config, planned = content.config, content.planned
    if planned is None:
        return
    for article in sorted(content.articles, key=lambda a: a.path):
        page = absolute(config.base_url, article.url)
        text = content.sources[article.path].text
        for ref in dict.fromkeys(link_refs("\n".join((article.html, article.deck_html)))):
            if story_target(article.path, ref) is not None:  # a link to no story, reported as such
                continue
            path = path_in_site(config.base_url, resolve_link(page, ref))
            if path is None or served_file(path, planned) in planned:
                continue
            written = "/" + ref[len(config.base_path) :] if ref.startswith(config.base_path) else ref
            line, col = locate(text, written)
            message = (
                f"'{written}' points at /{path}, where the site has no file; {_missing_hint(article, written, path)}"
            )
            yield Finding("missing-file", at_line(article.path, text, line, col, message))


def check_content(content: Content, now: dt.datetime, future_days: int = FUTURE_DAYS) -> list[Finding]:
    """Run every content check; findings come in no particular order."""
    cached: dict[str, FrontMatter] = {}

    def matter(path: str) -> FrontMatter:
        if path not in cached:
            cached[path] = FrontMatter(content.sources[path])
        return cached[path]

    author_page = partial(author_url, content.site.authors_url)

    return [
        *content.problems,
        *_no_source(content, matter),
        *_spelling(content, matter, "tags", ("tags",), "tag-spelling", tag_names, tag_url),
        *_spelling(content, matter, "sources", ("source",), "source-spelling", outlet_names, source_url),
        *_spelling(content, matter, "authors", ("author", "authors"), "author-spelling", author_names, author_page),
        *_empty_summary(content, matter),
        *_missing_files(content),
        *_duplicate_sources(content, matter),
        *_far_future(content, matter, now, future_days),
    ]
