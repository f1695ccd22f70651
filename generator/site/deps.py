"""What each output depends on, as digests: equal digest, equal bytes. Pure but for reading theme files.

A page's digest covers the theme files its template can reach (through extends, include, import,
found with `jinja2.meta.find_referenced_templates`; a dynamic name means the whole theme), the
attributes of `site` those templates read, the settings, and the data the job itself carries.

When nothing but some stories' texts changed (not where they are listed: their dates, tags, titles
stay), the plan is the same but for those texts: only the outputs that show one of them, in their job
or in the parts of `site` their template reads, are digested again; and of those, a page whose last
rendering read none of the parts of a story's text that changed (`TEXT_PARTS`: an archive reads no
summary, a list no body) keeps its bytes, and its digest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import typing
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2 import meta, nodes

from generator.content.sources import read_file
from generator.model import TEXT_PARTS, Article, CopyJob, Job, PageJob, RedirectJob, Site
from generator.render.themes import Theme
from generator.urls import output_path

_EVERYTHING = None  # a template whose dependencies cannot be known depends on all of them


def _hash(*parts: str | bytes) -> str:
    """Digest some parts, kept apart by a separator."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


# What of a story is its text: everything else decides where it is listed, linked and grouped.
_TEXT = frozenset(TEXT_PARTS)
# The parts of a text that lists show, each digested apart in the index of stories; the rest, the
# body, changes with every edit.
_LISTED_PARTS = tuple(sorted(set(TEXT_PARTS.values()) - {"body"}))
# What of a story no page shows: what follows from its source, and its old URLs, read by its redirect
# pages alone, whose jobs carry them.
_UNSHOWN = (_TEXT - {"digest", "words"}) | {"aliases"}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    """Name a dataclass's fields (asked once per class)."""
    return tuple(f.name for f in dataclasses.fields(kind))


def fingerprint(value: Any, memo: dict[int, tuple[Any, str]] | None = None) -> str:
    """Describe a value by what it is made of; an article by its digest and what assembling changed.

    A dataclass instance is described by the digest of its description: a tag page lists a hundred
    stories, and the site's tags every story, so descriptions nested whole would take hundreds of
    megabytes at 10,000 stories. `memo` remembers the fingerprints of dataclass instances by identity:
    one story is in its page, its neighbours' pages, lists and feeds, and is described once. The memo
    keeps each value alive, so an id is never reused by another object while the memo lives.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if memo is not None and (known := memo.get(id(value))) is not None:
            return known[1]
        if isinstance(value, Article):
            # The rendered HTML follows from the source's digest (and the code, in every digest); every
            # other field is described, since assembling the site may change some (tags, scheduled).
            light = (repr(getattr(value, name)) for name in _field_names(Article) if name not in _UNSHOWN)
            found = _hash(f"A({','.join(light)})")
        else:
            inner = ",".join(fingerprint(getattr(value, name), memo) for name in _field_names(type(value)))
            found = _hash(f"{type(value).__name__}({inner})")
        if memo is not None:
            memo[id(value)] = (value, found)
        return found
    if isinstance(value, tuple | list):
        return "(" + ",".join(fingerprint(item, memo) for item in value) + ")"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k!r}:{fingerprint(v, memo)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return repr(value)


@dataclasses.dataclass(frozen=True, slots=True)
class TemplateDeps:
    """The theme files a template reaches, and the `site` attributes it reads (None: all of them)."""

    files: tuple[Path, ...]
    site_attrs: frozenset[str] | None


def _site_attrs(tree: nodes.Template) -> frozenset[str] | None:
    """List the attributes of `site` a template reads; None when `site` escapes whole (passed along)."""
    reads = [n for n in tree.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "site"]
    names = sum(1 for n in tree.find_all(nodes.Name) if n.name == "site")
    return frozenset(n.attr for n in reads) if names == len(reads) else None


class ThemeDeps:
    """Answer which files and site attributes each template depends on, reading each template once."""

    def __init__(self, env: jinja2.Environment, theme: Theme) -> None:
        self.env = env
        self.theme = theme
        # Memos on the instance, not functools.cache on methods: that would keep every build's
        # environment (and through it its whole site) alive for as long as `gazette serve` runs.
        self._templates: dict[str, TemplateDeps] = {}
        self._read: dict[str, tuple[Path | None, tuple[str, ...] | None, frozenset[str] | None]] = {}
        self._everything: tuple[Path, ...] | None = None

    def _direct(self, name: str) -> tuple[Path | None, tuple[str, ...] | None, frozenset[str] | None]:
        """Read one template (once: every page template reaches the base and the macros) and tell what it uses."""
        if name not in self._read:
            self._read[name] = self._parse(name)
        return self._read[name]

    def _parse(self, name: str) -> tuple[Path | None, tuple[str, ...] | None, frozenset[str] | None]:
        """Parse one template: its file, the templates it names (None if dynamic), the site attributes it reads."""
        assert self.env.loader is not None
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)
            tree = self.env.parse(source)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            return None, None, None  # rendering reports the error; until fixed, it depends on everything
        referenced = tuple(meta.find_referenced_templates(tree))
        names = None if any(r is None for r in referenced) else tuple(r for r in referenced if r)
        return Path(filename) if filename else None, names, _site_attrs(tree)

    def of(self, name: str) -> TemplateDeps:
        """Follow a template's references through the theme chain (once per template)."""
        if name not in self._templates:
            self._templates[name] = self._follow(name)
        return self._templates[name]

    def _follow(self, name: str) -> TemplateDeps:
        """Collect the files and site attributes a template reaches, reading each template once."""
        files: list[Path] = []
        attrs: set[str] | None = set()
        todo, seen = [name], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            path, names, used = self._direct(current)
            if path is not None:
                files.append(path)
            if names is None:
                return TemplateDeps(self.all_files(), None)
            attrs = None if attrs is None or used is None else attrs | used
            todo.extend(names)
        return TemplateDeps(tuple(sorted(files)), None if attrs is None else frozenset(attrs))

    def all_files(self) -> tuple[Path, ...]:
        """List every template of every theme of the chain."""
        if self._everything is None:
            chain = self.theme.chain
            self._everything = tuple(sorted(f for t in chain for f in (t.path / "templates").rglob("*") if f.is_file()))
        return self._everything


def story_shape(article: Article) -> str:
    """Digest all of a story but its text: equal shapes are listed, linked and grouped alike."""
    return _hash(*(repr(getattr(article, name)) for name in _field_names(Article) if name not in _TEXT))


def _story_entry(article: Article) -> str:
    """Describe a story for the index: its source's digest, its shape, and a digest of each part lists show."""
    parts = (_hash(repr(getattr(article, name)))[:16] for name in _LISTED_PARTS)
    return " ".join((article.digest, story_shape(article), *parts))


def index_stories(articles: Iterable[Article], earlier: Mapping[str, str] | None) -> dict[str, str]:
    """Map each story's path to its entry ("digest shape deck summary words"), taken from `earlier` when unchanged.

    `earlier` is given only when the settings and code it was made with are the same.
    """
    earlier = earlier or {}
    return {
        a.path: known if (known := earlier.get(a.path, "")).startswith(f"{a.digest} ") else _story_entry(a)
        for a in articles
    }


@dataclasses.dataclass(frozen=True, slots=True)
class TextEdits:
    """The stories whose text alone changed, and the parts of their texts that did (`TEXT_PARTS`)."""

    stories: frozenset[str]
    parts: frozenset[str]


def text_edits(stories: Mapping[str, str], earlier: Mapping[str, str]) -> TextEdits | None:
    """Name the stories whose text alone changed; None when one came, went, or changed more than its text."""
    if stories.keys() != earlier.keys():
        return None
    edited = frozenset(path for path, entry in stories.items() if entry != earlier[path])
    parts = {"body"} if edited else set()  # an edit changes the source's digest, which is of the body
    for path in edited:
        entry, known = stories[path].split(), earlier[path].split()
        if len(entry) != len(known) or entry[1] != known[1]:
            return None
        parts.update(name for name, new, old in zip(_LISTED_PARTS, entry[2:], known[2:], strict=True) if new != old)
    return TextEdits(edited, frozenset(parts))


def reading(jobs: Iterable[Job], edits: TextEdits, reads: Mapping[str, str]) -> list[Job]:
    """Keep the jobs whose outputs read a part of a text that changed; `reads` lists the parts some pages read.

    A page missing from `reads` read a story's body, or is not known: it is kept, as is any other output.
    """
    return [
        job
        for job in jobs
        if (read := reads.get(output_path(job.url))) is None or not edits.parts.isdisjoint(read.split())
    ]


def text_reads(rendered: Iterable[tuple[str, frozenset[str] | None]]) -> dict[str, str]:
    """List the pages among rendered outputs that read no story's body, with the parts of texts they read."""
    return {path: " ".join(sorted(read)) for path, read in rendered if read is not None and "body" not in read}


def showing(jobs: Iterable[Job], site: Site, deps: ThemeDeps, paths: frozenset[str]) -> list[Job]:
    """Keep the jobs whose output shows one of these stories: in its own data, or in the parts of `site` it reads."""
    memo: dict[int, tuple[Any, bool]] = {}

    def shows(value: Any) -> bool:
        kind: Any = type(value)  # a class is hashable, which mypy does not see of type[Any]
        if kind is Article:
            return value.path in paths
        if kind is tuple or kind is list:
            return any(item.path in paths if type(item) is Article else shows(item) for item in value)
        if (names := _walked_fields(kind)) is not None:
            if (known := memo.get(id(value))) is None:
                known = memo[id(value)] = (value, any(shows(getattr(value, name)) for name in names))
            return known[1]
        return isinstance(value, Mapping) and any(shows(item) for item in value.values())

    @cache
    def site_shows(attr: str) -> bool:
        return shows(getattr(site, attr, None))

    def reads(job: Job) -> bool:
        if isinstance(job, PageJob):
            attrs = deps.of(job.template).site_attrs
            names = attrs if attrs is not None else _field_names(Site)
            return any(site_shows(name) for name in names) or shows(job)
        return shows(job)

    return [job for job in jobs if reads(job)] if paths else []


@cache
def _walked_fields(kind: type) -> tuple[str, ...] | None:
    """Name the fields of a dataclass that may hold a story, None for any other type (asked once per type).

    A field declared as text, a number, a date or a picture holds no story, whatever its value: the
    walk of 15,000 jobs at 10,000 stories does not look into it.
    """
    if not dataclasses.is_dataclass(kind):
        return None
    try:
        hints = typing.get_type_hints(kind)
    except (NameError, TypeError):  # a hint that cannot be resolved: walk every field
        return _field_names(kind)
    return tuple(name for name in _field_names(kind) if _may_hold_story(hints.get(name, Any)))


# Types whose values never hold a story.
_LEAVES = frozenset({str, int, float, bool, bytes, type(None), dt.datetime, dt.date, Path})


def _may_hold_story(hint: Any, seen: frozenset[Any] = frozenset()) -> bool:
    """Tell whether a value of this declared type may hold an Article (unknown types may)."""
    if hint is Article:
        return True
    if hint in _LEAVES or hint in seen or typing.get_origin(hint) is Literal:
        return False
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        try:
            hints = typing.get_type_hints(hint)
        except (NameError, TypeError):
            return True
        return any(_may_hold_story(inner, seen | {hint}) for inner in hints.values())
    arguments = typing.get_args(hint)
    if typing.get_origin(hint) is None or not arguments:
        return True  # Any, object, a class of its own: it may
    return any(_may_hold_story(inner, seen) for inner in arguments if inner is not Ellipsis)


def reads_clock(templates: Iterable[str], deps: ThemeDeps) -> bool:
    """Tell whether any of these templates reads `site.now`, so that its pages change with the clock."""
    return any((attrs := deps.of(name).site_attrs) is None or "now" in attrs for name in templates)


@lru_cache(maxsize=4096)  # bounded: a long preview session saves templates many times
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    """Digest a file's bytes (remembered while its time and size stay the same)."""
    return _hash(read_file(path))


def file_digest(path: Path) -> str:
    """Digest a file, by content."""
    stat = path.stat()
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


def digest_jobs(
    jobs: Iterable[Job], site: Site, deps: ThemeDeps, code: str, assets: Mapping[str, str]
) -> dict[str, str]:
    """Give every job's output path the digest of everything its bytes are made from.

    `assets` (theme assets' hashed URLs) is in every page's digest: a changed stylesheet is renamed,
    and every page links to it by its new name.
    """
    strings = _hash(repr(sorted((k, sorted(v.items())) for k, v in deps.theme.strings.items())))
    common = _hash(code, fingerprint(site.config), strings)
    asset_names = _hash(repr(sorted(assets.items())))
    site_parts: dict[str, str] = {}
    memo: dict[int, tuple[Any, str]] = {}

    def site_part(attr: str) -> str:
        if attr not in site_parts:
            site_parts[attr] = _hash(fingerprint(getattr(site, attr, None), memo))
        return site_parts[attr]

    @cache
    def template_part(name: str) -> str:
        return _hash(*(file_digest(f) for f in deps.of(name).files))

    digests: dict[str, str] = {}
    for job in jobs:
        if isinstance(job, PageJob):
            template = deps.of(job.template)
            attrs = (
                template.site_attrs if template.site_attrs is not None else {f.name for f in dataclasses.fields(site)}
            )
            parts = [template_part(job.template)] + [site_part(a) for a in sorted(attrs)]
            digest = _hash(common, asset_names, job.template, fingerprint(job, memo), *parts)
        elif isinstance(job, RedirectJob):  # not where its alias is written: moving that line changes nothing
            digest = _hash(common, "redirect", job.url, job.target, job.title)
        elif isinstance(job, CopyJob):
            try:
                digest = _hash("copy", file_digest(job.source))
            except OSError:  # unreadable: no digest matches, so rendering reads it again and reports why
                digest = ""
        else:  # feeds, sitemaps, generated data: everything they show is in the job
            digest = _hash(common, fingerprint(job, memo))
        digests[output_path(job.url)] = digest
    return digests
