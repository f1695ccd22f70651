"""Turn one source file into an Article: front matter checked field by field, markdown rendered. Pure."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content import fields
from generator.content.characters import drop_located
from generator.content.fields import FieldError, YamlText
from generator.content.frontmatter import split_front_matter
from generator.content.limits import MAX_DEPTH, nesting_problem
from generator.content.links import find_story_links, story_target
from generator.content.markup import render_inline, render_markdown, render_summary, rewrite_links
from generator.content.sources import read_source
from generator.errors import Diagnostic, at_line, has_errors
from generator.model import (
    SOURCE_ROLES,
    Alias,
    Article,
    Config,
    FrozenMap,
    Image,
    KnownFile,
    OriginalWork,
    Source,
    SourceFile,
    Update,
)
from generator.progress import SILENT, Progress, counted
from generator.site.cache import BuildCache
from generator.urls import (
    host_name,
    is_web_url,
    page_url,
    post_url,
    read_alias,
    rebase_link,
    resolve_link,
    slug_problem,
    slugify,
    split_url,
    tag_url,
)
from generator.workers import can_fork, worker_pool

PARALLEL_FROM = 200  # below this many files to parse, starting worker processes costs more than it saves
POSTS_DIR = "content/posts/"
PAGES_DIR = "content/pages/"
_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")
# Other generators' names for our fields.
_ALIASES = {"lastmod": "updated", "modified": "updated", "authors": "author"}


def article_kind(path: str) -> Literal["post", "page"] | None:
    """Say whether a content path is a post, a page, or neither."""
    if path.startswith(POSTS_DIR):
        return "post"
    if path.startswith(PAGES_DIR):
        return "page"
    return None


def _url(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    if not is_web_url(value):
        raise FieldError(doc.error(node, f"'{key}' must be a full http(s) URL, not '{value}'"))
    return value


def _entry(
    doc: YamlText,
    node: Node,
    what: str,
    readers: Mapping[str, fields.Reader],
    required: Mapping[str, str] | None = None,
    label: str = "",
) -> dict[str, Any]:
    """Read a mapping of known keys, each with its reader; every unknown key, missing key and bad value is reported.

    `what` names the mapping in messages ("source"), `label` prefixes the key a reader names ("source url");
    `required` gives each key that must be there the message that says so.
    """
    values: dict[str, Any] = {}
    written = {name for name, value in fields.mapping_items(doc, node, what) if not fields.is_null(value)}
    # A missing key is reported at the mapping's start, so before the problems of the keys that are there.
    problems = [doc.error(node, message) for name, message in (required or {}).items() if name not in written]
    for name, value in fields.mapping_items(doc, node, what):
        if name not in readers:
            problems.append(doc.error(value, f"unknown key '{name}' in {what}; use {', '.join(readers)}"))
        elif not fields.is_null(value):
            try:
                values[name] = readers[name](doc, value, f"{label or what} {name}")
            except FieldError as exc:
                problems.extend(exc.diagnostics)
    if problems:
        raise FieldError(*problems)
    return values


def _role(doc: YamlText, node: Node, key: str) -> str:
    """Read a source's role: one of SOURCE_ROLES."""
    value = fields.to_text(doc, node, key)
    if value not in SOURCE_ROLES:
        raise FieldError(doc.error(node, f"unknown role '{value}' in source; use {', '.join(SOURCE_ROLES)}"))
    return value


def _one_source(doc: YamlText, node: Node) -> Source:
    """Read a source given as a mapping (name, url, lang, feed, role), a name, or a bare URL."""
    if not isinstance(node, MappingNode):
        text = fields.to_text(doc, node, "source")
        if text.startswith(("http://", "https://")):
            url = _url(doc, node, "source")
            return Source(host_name(url), url)
        return Source(text)
    readers = {"name": fields.to_text, "url": _url, "lang": fields.to_text, "feed": _url, "role": _role}
    values = _entry(doc, node, "source", readers)
    if not values.get("name"):
        if "url" not in values:
            raise FieldError(doc.error(node, f"a source needs at least a name, like '{doc.example('name: ITHome')}'"))
        values["name"] = host_name(values["url"])
    return Source(**values)


def _sources(doc: YamlText, node: Node, key: str) -> tuple[Source, ...]:
    """Read one source or a list of them, reporting the problems of every item."""
    return fields.read_each(doc, node.value if isinstance(node, SequenceNode) else [node], _one_source)


# A language code as BCP 47 writes it: 'zh', 'en-US', 'zh-Hant-TW'.
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _language(doc: YamlText, node: Node, key: str) -> str:
    """Read a language code ('zh', 'pt-BR'); a language's name is an error that says so."""
    value = fields.to_text(doc, node, key)
    if not _LANGUAGE_CODE.fullmatch(value):
        raise FieldError(doc.error(node, f"'{key}' must be a language code like 'zh' or 'pt-BR', not '{value}'"))
    return value


def _original(doc: YamlText, node: Node, key: str) -> OriginalWork:
    """Read the story a brief translates: its language (required), title and URL (when known)."""
    readers = {"lang": _language, "title": fields.to_text, "url": _url}
    required = {"lang": f"'{key}' needs the language of the original story, like '{doc.example('lang: zh')}'"}
    return OriginalWork(**_entry(doc, node, f"'{key}'", readers, required, label=key))


def _kind(doc: YamlText, node: Node, key: str) -> Literal["update", "correction"]:
    """Read the kind of an update: update or correction."""
    value = fields.to_text(doc, node, key)
    if value not in ("update", "correction"):
        raise FieldError(doc.error(node, f"unknown kind '{value}' in 'updates'; use update or correction"))
    return "correction" if value == "correction" else "update"


_DAY_ONLY = re.compile(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}")


def _one_update(doc: YamlText, node: Node, zone: ZoneInfo, sanitize: bool) -> Update:
    """Read one entry of `updates`: its date and text, and its kind (an update unless it says correction)."""
    readers = {
        "date": lambda doc, node, key: fields.to_datetime(doc, node, key, zone),
        "text": fields.to_text,
        "kind": _kind,
    }
    required = {
        "date": f"an entry of 'updates' needs a 'date', like '{doc.example('date: 2024-10-15 14:05')}'",
        "text": f"an entry of 'updates' needs a 'text', like '{doc.example('text: What changed, and why')}'",
    }
    values = _entry(doc, node, "an entry of 'updates'", readers, required, label="updates")
    written = dict(fields.mapping_items(doc, node, "an entry of 'updates'"))["date"]
    timed = not _DAY_ONLY.fullmatch(str(written.value).strip())
    html = render_inline(values["text"], sanitize=sanitize)
    return Update(values["date"], html, values.get("kind", "update"), timed)


def _updates(doc: YamlText, node: Node, zone: ZoneInfo, sanitize: bool) -> tuple[Update, ...]:
    """Read the list of updates and corrections, oldest first, reporting the problems of every entry."""
    if not isinstance(node, SequenceNode):
        raise FieldError(doc.error(node, "'updates' must be a list of entries, each with '- date:' and 'text:'"))
    found = fields.read_each(doc, node.value, partial(_one_update, zone=zone, sanitize=sanitize))
    return tuple(sorted(found, key=lambda update: update.date))


def _name(doc: YamlText, node: Node, key: str) -> str:
    """Read one author: a name, or a mapping with a `name` (as other generators write them)."""
    if isinstance(node, MappingNode):
        found = dict(fields.mapping_items(doc, node, f"'{key}'")).get("name")
        if found is None:
            raise FieldError(doc.error(node, f"an author given as a mapping needs a 'name' in '{key}'"))
        node = found
    return fields.to_text(doc, node, key)


def _names(doc: YamlText, node: Node, key: str) -> tuple[str, ...]:
    """Read the authors: one, or a list."""
    items = node.value if isinstance(node, SequenceNode) else [node]
    return tuple(_name(doc, item, key) for item in items if not fields.is_null(item))


def _slug(doc: YamlText, node: Node, key: str) -> str:
    """Read a slug, used exactly as written: one that is no valid path segment is an error suggesting one."""
    value = fields.to_text(doc, node, key)
    if not value:
        raise FieldError(doc.error(node, "'slug' is empty; remove it or give a name"))
    problem = slug_problem(value)
    if problem is not None:
        raise FieldError(doc.error(node, f"'slug' must be one part of a URL, and {problem}; write '{slugify(value)}'"))
    return value


def _aliases(doc: YamlText, node: Node, key: str) -> tuple[Alias, ...]:
    """Read a story's old URLs: one path, or a list; each must be a path inside the site (every bad one is reported)."""

    def one(doc: YamlText, item: Node) -> Alias:
        url, problem = read_alias(fields.to_text(doc, item, key))
        if problem is not None:
            raise FieldError(doc.error(item, f"'{key}' holds '{url}', but {problem}"))
        where = doc.error(item, "")
        return Alias(url, where.line, where.col, where.source_line)

    return fields.read_each(doc, node.value if isinstance(node, SequenceNode) else [node], one)


# Pictures social networks show: not SVG (none shows it), nor formats some of them refuse (AVIF, TIFF).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def _image(doc: YamlText, node: Node, key: str) -> Image | None:
    """Read a story's picture: a full http(s) URL, or the path of a picture of the site, as written for now.

    It may also be written as jekyll-seo-tag writes it, `{path, alt, width, height}`: the file's own
    size is what social networks read, so `width` and `height` are checked, not used. Left empty (as
    Hugo's and Jekyll's templates for new posts leave it), there is no picture.
    """
    if isinstance(node, MappingNode):
        numbers: fields.Reader = partial(fields.to_int, minimum=1)
        readers: dict[str, fields.Reader] = {
            "path": _image_path,
            "alt": fields.to_text,
            "width": numbers,
            "height": numbers,
        }
        required = {
            "path": f"'{key}' written as a mapping needs its 'path', like '{doc.example('path: /img/photo.jpg')}'"
        }
        values = _entry(doc, node, f"'{key}'", readers, required, label=key)
        return replace(values["path"], alt=values.get("alt", "")) if values["path"] is not None else None
    return _image_path(doc, node, key)


def _image_path(doc: YamlText, node: Node, key: str) -> Image | None:
    """Read the picture's URL or path (see `_image`); a protocol-relative `//host/…` URL is read as https."""
    value = fields.to_text(doc, node, key)
    hint = "give a full https:// URL, a path from the site's root (/img/photo.jpg) or a file beside the story"
    if not value:
        return None
    if value.startswith("//"):
        value = f"https:{value}"
    if value.startswith(("http://", "https://")):
        if not is_web_url(value):
            raise FieldError(doc.error(node, f"'{key}' is no valid URL: '{value}'; {hint}"))
    elif ":" in value.split("/", 1)[0]:
        raise FieldError(doc.error(node, f"'{key}' must be a picture or a web address, not '{value}'; {hint}"))
    where = doc.error(node, "")
    return Image(value, "", where.line, where.col, where.source_line)


def _unshown(image: Image | None, path: str) -> Diagnostic | None:
    """Warn of a picture of the site that social networks do not show (SVG, AVIF…): a card is drawn instead."""
    if image is None or is_web_url(image.url):
        return None
    file = urlsplit(image.url).path
    if file.lower().endswith(IMAGE_SUFFIXES):
        return None
    kinds = ", ".join(suffix.lstrip(".").upper() for suffix in IMAGE_SUFFIXES)
    message = (
        f"'image' names '{file}', which social networks do not show (they show {kinds}), so the story gets "
        "a drawn card instead; give a picture of one of those kinds to show it"
    )
    return Diagnostic(path, image.line, image.col, message, "warning", source_line=image.source_line)


def _placed(image: Image | None, alt: str, story_url: str) -> Image | None:
    """Put a story's picture at its URL in the site (a path beside the story is read from the story's URL)."""
    if image is None:
        return None
    url = image.url if is_web_url(image.url) else urljoin(story_url, image.url)
    return replace(image, url=url, alt=alt or image.alt)


def _readers(zone: ZoneInfo, sanitize: bool) -> dict[str, Callable[[YamlText, Node, str], Any]]:
    """Map each known front matter key to the function that reads it."""

    def date(doc: YamlText, node: Node, key: str) -> dt.datetime:
        return fields.to_datetime(doc, node, key, zone)

    def changed(doc: YamlText, node: Node, key: str) -> dt.datetime | None:
        """Read `updated`; left empty, as templates for new posts leave it, it says nothing."""
        return None if isinstance(node, ScalarNode) and not str(node.value).strip() else date(doc, node, key)

    def updates(doc: YamlText, node: Node, key: str) -> tuple[Update, ...]:
        return _updates(doc, node, zone, sanitize)

    return {
        "title": fields.to_text,
        "date": date,
        "updated": changed,
        "tags": fields.to_text_list,
        "source": _sources,
        "author": _names,
        "summary": fields.to_text,
        "description": fields.to_text,
        "draft": fields.to_bool,
        "published": fields.to_bool,
        "slug": _slug,
        "lang": fields.to_text,
        "weight": fields.to_int,
        "aliases": _aliases,
        "updates": updates,
        "original": _original,
        "featured": fields.to_bool,
        "image": _image,
        "image_alt": fields.to_text,
    }


def _read_meta(
    doc: YamlText, zone: ZoneInfo, sanitize: bool
) -> tuple[dict[str, Any], dict[str, Any], list[Diagnostic], Node | None]:
    """Read known keys into typed values and unknown keys into `extra`, gathering every error and warning."""
    node, problems = fields.compose(doc)
    if has_errors(problems):
        return {}, {}, list(problems), node
    try:
        items = fields.mapping_items(doc, node, "front matter")
    except FieldError as exc:
        return {}, {}, [*problems, exc.diagnostic], node
    values, unknown, errors = fields.read_fields(doc, items, _readers(zone, sanitize), _ALIASES)
    return values, {key: fields.to_plain(value) for key, value in unknown}, [*problems, *errors], node


def _unique(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Drop repeated tags, two spellings making one URL being one tag; the first spelling stays."""
    first: dict[str, str] = {}
    for tag in tags:
        first.setdefault(tag_url(tag), tag)
    return tuple(first.values())


def _name_parts(path: str) -> tuple[str, dt.date | None]:
    """Get the slug and Jekyll-style date from a file name: '2024-10-14-azure.md' -> ('azure', date)."""
    pure = PurePosixPath(path)
    stem = pure.parent.name if pure.stem == "index" else pure.stem
    match = _DATED_NAME.fullmatch(stem)
    if match:
        try:
            return match.group(4), dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    return stem, None


# Where a link that rebasing changes may stand: a link attribute whose value starts with `/` (or with an
# entity that may be one), or any srcset. A fragment without one has nothing to rebase, and is not parsed.
_MAY_REBASE = re.compile(r"""\b(?:href|src|poster)\s*=\s*["']?[/&]|srcset""", re.IGNORECASE)


def _rebased(html: str, base_path: str) -> str:
    """Put root-relative links under the base path: '/img/a.png' in a story means the site's root."""
    if base_path == "/" or not _MAY_REBASE.search(html):
        return html
    return rewrite_links(html, lambda ref: rebase_link(base_path, ref))


# A URL attribute whose value a browser may read relative to the page: no scheme, not from the root.
_MAY_ANCHOR = re.compile(r"""\b(?:href|src|poster)\s*=\s*["']?(?![a-zA-Z][-+.a-zA-Z0-9]*:|/)|srcset""", re.IGNORECASE)


def _anchored(html: str, path: str, url: str) -> str:
    """Resolve an HTML fragment's relative links against the story's URL; links to stories' files stay (links.py)."""
    if not _MAY_ANCHOR.search(html):
        return html

    def anchor(ref: str) -> str:
        parts = split_url(ref.strip())
        if parts is None or parts.scheme or parts.netloc or parts.path.startswith("/") or story_target(path, ref):
            return ref
        return resolve_link(url, ref)

    return rewrite_links(html, anchor)


def _updates_before(doc: YamlText, root: Node, published: dt.datetime, zone: ZoneInfo) -> list[Diagnostic]:
    """Point at each update dated before the story it updates: a typo in one of the dates."""
    entries = dict(fields.mapping_items(doc, root, "front matter"))["updates"].value
    dates = (dict(fields.mapping_items(doc, entry, "an entry of 'updates'"))["date"] for entry in entries)
    shown = published.strftime("%Y-%m-%d %H:%M")
    return [
        doc.error(node, f"this update is dated before the story's date ({shown}); correct one of the two dates")
        for node in dates
        if fields.to_datetime(doc, node, "date", zone) < published
    ]


def _last_change(updated: dt.datetime | None, updates: tuple[Update, ...]) -> dt.datetime | None:
    """Give the moment a story last changed: the later of `updated:` and its newest update."""
    return max((moment for moment in (updated, *(u.date for u in updates)) if moment is not None), default=None)


def parse_article(source: SourceFile, config: Config) -> Article | tuple[Diagnostic, ...]:
    """Parse a post or page; return the Article (with its warnings), or every problem found in the file."""
    kind = article_kind(source.path)
    assert kind is not None, source.path
    text, dropped = drop_located(source.path, source.text)
    source = replace(source, text=text)
    warnings: tuple[Diagnostic, ...] = (dropped,) if dropped else ()
    split = split_front_matter(source)
    if isinstance(split, Diagnostic):
        return (*warnings, split)
    zone = ZoneInfo(config.timezone)
    sanitize = not config.unsafe_html
    values, extra, diagnostics, root = _read_meta(split.meta, zone, sanitize)
    warnings += tuple(d for d in diagnostics if d.severity == "warning")
    if has_errors(diagnostics):
        return (*warnings, *(d for d in diagnostics if d.severity == "error"))
    name_slug, name_date = _name_parts(source.path)
    title = values.get("title", "")
    if not title:
        example = split.meta.example('title: "Your headline"')
        message = f"'title' is missing; add a line like '{example}'"
        if root is None:
            return (*warnings, Diagnostic(source.path, 1, 1, message, source_line="---"))
        written = dict(fields.mapping_items(split.meta, root, "front matter")).get("title")
        if written is not None:
            return (*warnings, split.meta.error(written, "'title' is empty; write the headline there"))
        return (*warnings, split.meta.error(root, message))
    date = values.get("date")
    if date is None and name_date is not None:
        date = dt.datetime.combine(name_date, dt.time(), zone)
    if kind == "post" and date is None:
        assert root is not None  # a title was read, so the front matter is a mapping
        message = f"'date' is missing; add a line like '{split.meta.example('date: 2024-10-14 09:30')}'"
        if _DATED_NAME.fullmatch(name_slug):
            message = f"'date' is missing, and the file name's date {name_slug[:10]} is no real date; fix one of them"
        return (*warnings, split.meta.error(root, message))
    if date is not None and any(update.date < date for update in values.get("updates", ())):
        assert root is not None  # updates were read, so the front matter is a mapping
        return (*warnings, *_updates_before(split.meta, root, date, zone))
    if kind == "page" and values.get("featured") and root is not None:
        written = dict(fields.mapping_items(split.meta, root, "front matter"))["featured"]
        message = "'featured' puts a post on top of the home page; a page is never listed there, remove it"
        warnings += (split.meta.error(written, message, warning=True),)
    slug = values.get("slug") or slugify(name_slug)
    if values.get("image_alt") and values.get("image") is None:
        written = dict(fields.mapping_items(split.meta, root, "front matter"))["image_alt"]
        return (*warnings, split.meta.error(written, "'image_alt' describes no picture; add 'image' or remove it"))
    image = values.get("image")
    if (unshown := _unshown(image, source.path)) is not None:
        warnings, image = (*warnings, unshown), None
    too_deep = nesting_problem(split.body)
    if too_deep is not None:
        line = split.body_line + too_deep.line - 1
        message = f"{too_deep.what} nested more than {MAX_DEPTH} levels deep; Gazette renders {MAX_DEPTH}, flatten them"
        return (*warnings, at_line(source.path, source.text, line, too_deep.col, message))
    try:
        rendered = render_markdown(split.body, title=title, emoji=config.emoji, sanitize=sanitize)
    except RecursionError:  # emphasis or brackets thousands deep: Python-Markdown recurses once per level
        message = "this story nests emphasis, links or blocks too deeply to render; flatten it"
        return (*warnings, at_line(source.path, source.text, split.body_line, 1, message))
    html, summary_html, deck_html = rendered.html, rendered.summary_html, ""
    summary = values.get("summary") or values.get("description")
    if summary:  # written for this: the deck under the title, and the summary in lists
        summary_html = deck_html = render_summary(summary, sanitize=sanitize)
    url = post_url(config.permalink, date, slug) if kind == "post" and date else page_url(slug)
    # Lists and feeds show the summary away from the story's page: its relative links are made to
    # point where they do on that page.
    summary_html, deck_html = _anchored(summary_html, source.path, url), _anchored(deck_html, source.path, url)
    html, summary_html = _rebased(html, config.base_path), _rebased(summary_html, config.base_path)
    deck_html = _rebased(deck_html, config.base_path)
    return Article(
        kind=kind,
        path=source.path,
        title=title,
        slug=slug,
        url=url,
        date=date,
        updated=_last_change(values.get("updated"), values.get("updates", ())),
        tags=_unique(values.get("tags", ())),
        sources=values.get("source", ()),
        authors=values.get("author") or ((config.author,) if config.author else ()),
        summary_html=summary_html,
        deck_html=deck_html,
        html=html,
        toc_html=rendered.toc_html,
        words=rendered.words,
        draft=values.get("draft", not values.get("published", True)),
        lang=values.get("lang"),
        weight=values.get("weight", 0),
        aliases=values.get("aliases", ()),
        featured=kind == "post" and values.get("featured", False),
        extra=FrozenMap(extra),
        digest=source.digest,
        warnings=warnings,
        links=find_story_links(source.path, html, summary_html, deck_html),
        updates=tuple(replace(u, html=_rebased(u.html, config.base_path)) for u in values.get("updates", ())),
        original=values.get("original"),
        image=_placed(image, values.get("image_alt", ""), url),
    )


def _parse_settings(config: Config) -> str:
    """Name the settings an article's parse depends on: a change to one of them parses everything again."""
    return f"{config.timezone}|{config.permalink}|{config.author}|{config.unsafe_html}|{config.emoji}"


def parse_file(source: SourceFile | KnownFile, config: Config) -> tuple[str, Article | tuple[Diagnostic, ...]]:
    """Parse a file, reading it first when only its digest is known; give the digest of the bytes parsed too."""
    if isinstance(source, KnownFile):
        read = read_source(source.path, source.where)
        if isinstance(read, Diagnostic):
            return source.digest, (read,)
        source = read
    return source.digest, parse_article(source, config)


def _parse_many(
    sources: list[SourceFile | KnownFile], config: Config, progress: Progress
) -> list[tuple[str, Article | tuple[Diagnostic, ...]]]:
    """Parse files, in worker processes when there are many (markdown is most of a clean build's time)."""
    progress.stage("Parsing", len(sources), "stories")
    workers = min(os.cpu_count() or 1, 8)
    if len(sources) < PARALLEL_FROM or workers < 2:
        return list(counted((parse_file(source, config) for source in sources), progress))
    with worker_pool(workers, "fork" if can_fork() else "spawn") as pool:
        chunk = max(16, len(sources) // (workers * 8))
        # Counted here, as each chunk's results come back: the workers know nothing of the terminal.
        parsed = pool.map(partial(parse_file, config=config), sources, chunksize=chunk)
        return list(counted(parsed, progress))


def parse_articles(
    sources: tuple[SourceFile | KnownFile, ...],
    config: Config,
    cache: BuildCache | None = None,
    progress: Progress = SILENT,
) -> tuple[tuple[Article, ...], tuple[Diagnostic, ...]]:
    """Parse every post and page, gathering the problems of all files; unchanged files come from the cache.

    A file known by its digest alone is read only if its story is not in the cache.
    """
    cache = cache if cache is not None else BuildCache()
    settings = _parse_settings(config)
    results: dict[str, Article | tuple[Diagnostic, ...]] = {}
    misses: list[SourceFile | KnownFile] = []
    used: set[str] = set()
    for source in sources:
        if article_kind(source.path) is None:
            message = f"not under {POSTS_DIR} or {PAGES_DIR}, so not published; move it into one of them"
            results[source.path] = (Diagnostic(source.path, 1, 1, message, "warning"),)
            continue
        key = cache.article_key(source.path, source.digest, settings)
        if (known := cache.article(key)) is not None:
            results[source.path] = known
            used.add(key)
        else:
            misses.append(source)
    for source, (digest, result) in zip(misses, _parse_many(misses, config, progress), strict=True):
        results[source.path] = result
        key = cache.article_key(source.path, digest, settings)  # the bytes parsed: the file may have changed
        used.add(key)
        if isinstance(result, Article):
            cache.add_article(key, result)
    cache.keep_articles(used)
    articles = tuple(r for r in results.values() if isinstance(r, Article))
    problems = tuple(d for r in results.values() for d in (r.warnings if isinstance(r, Article) else r))
    return articles, problems
