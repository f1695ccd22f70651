"""Render planned jobs into output bytes with the theme's templates; every error is gathered. Reads templates."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import traceback
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton, format_time
from babel.lists import format_list
from markupsafe import Markup, escape

from generator.content.markup import rewrite_links
from generator.content.sources import read_file, read_problem
from generator.content.typography import french_spacing
from generator.errors import BuildFailed, Diagnostic, at_line
from generator.model import (
    Article,
    AuthorInfo,
    CardJob,
    CopyJob,
    DataJob,
    FeedJob,
    Job,
    NewsSitemapJob,
    Output,
    PageJob,
    RedirectJob,
    Site,
    SitemapJob,
)
from generator.progress import SILENT, Progress, counted
from generator.publish.output import Staged, Staging
from generator.render.cards import card_png
from generator.render.feeds import render_feed
from generator.render.jsonld import news_article, person
from generator.render.redirects import redirect_page
from generator.render.sitemaps import render_news_sitemap, render_sitemap
from generator.render.themes import Theme, ThemeEnvironment, make_environment, shown_path
from generator.site.directory import AuthorDirectory
from generator.site.social import og_locale, social_image
from generator.urls import (
    AUTHORS_URL,
    NOT_FOUND_URL,
    absolute,
    author_url,
    feed_url,
    host_name,
    output_path,
    relative_link,
    section_url,
    short_url,
    site_path,
    source_url,
    tag_url,
)
from generator.workers import can_fork, worker_pool

PARALLEL_RENDER_FROM = 400  # below this many outputs, starting workers costs more than it saves
# A common estimate of silent reading speed for news prose; CJK characters count as words.
WORDS_PER_MINUTE = 220


def babel_locale(language: str) -> str:
    """Turn 'pt-BR' into Babel's 'pt_BR'."""
    return language.replace("-", "_")


class Strings:
    """The theme's UI strings in the site's language, English where a string is not translated."""

    def __init__(self, catalogue: Mapping[str, Mapping[str, str]], language: str) -> None:
        base = language.split("-")[0].split("_")[0]
        self.table = {
            **catalogue.get("en", {}),
            **catalogue.get(base, {}),
            **catalogue.get(language, {}),
        }
        self.locale = Locale.parse(babel_locale(language))
        # Pages ask for the same few strings again and again ("Read more", "4 min read"): filled once each.
        self._remembered = lru_cache(maxsize=4096)(self._filled)

    def __call__(self, key: str, **values: Any) -> Markup:
        """Look a string up and fill in its {placeholders}; with `count`, the plural form is chosen.

        The result is markup: the string and plain values are escaped, markup values (a `<time>`
        element) are kept, so a theme can write `t('updated', date=markup)`.
        """
        # Each value's type is part of the key: a markup value and the equal plain text are filled apart.
        known = tuple((name, type(value), value) for name, value in values.items())
        try:
            return self._remembered(key, known)
        except TypeError:  # a value that cannot be a key (a list): filled each time
            return self._filled(key, known)

    def _filled(self, key: str, values_known: tuple[tuple[str, type, Any], ...]) -> Markup:
        """Fill in a string, its values given with their types (`__call__`)."""
        values = {name: value for name, _, value in values_known}
        if "count" in values and f"{key}_other" in self.table:
            form = f"{key}_{self.locale.plural_form(values['count'])}"
            key = form if form in self.table else f"{key}_other"
        if key not in self.table:
            raise KeyError(f"no UI string '{key}' in the theme's i18n files")
        return Markup(escape(self.table[key])).format(**values)


def authors_section(theme: Theme | None, language: str) -> str:
    """Give the URL of the authors' section, in the word the theme's `authors_path` string gives: '/auteurs/'."""
    word = Strings(theme.strings, language).table.get("authors_path") if theme is not None else None
    return section_url(word) if word else AUTHORS_URL


def _template_globals(site: Site, strings: Strings, assets: Mapping[str, str]) -> dict[str, Any]:
    """Give the names every template sees; `url()` gives a theme asset its hashed name."""
    config = site.config
    locale = babel_locale(config.language)

    def url(path: str) -> str:
        return site_path(config.base_path, assets.get(path, path))

    def abs_url(path: str) -> str:
        return absolute(config.base_url, path)

    @lru_cache(maxsize=8192)  # Babel takes ~50 µs a date; an archive of 10,000 stories has ~1,000 days
    def day(value: dt.date, style: str) -> str:
        return format_date(value, style, locale=locale)

    def date(value: dt.datetime, style: str = "long") -> str:
        return day(value.date() if isinstance(value, dt.datetime) else value, style)

    def datetime(value: dt.datetime, style: str = "long") -> str:
        return format_datetime(value, style, tzinfo=value.tzinfo, locale=locale)

    def month(value: dt.datetime) -> str:
        return format_skeleton("yMMMM", value, locale=locale)  # "octobre 2024", "October 2024"

    def time(value: dt.datetime) -> str:
        return format_time(value, strings.table.get("time_format", "short"), tzinfo=value.tzinfo, locale=locale)

    def join_list(items: Iterable[Any]) -> Markup:
        # "A, B et C": Babel's list pattern is trusted text, each item is escaped unless it is markup.
        return Markup(format_list([str(escape(item)) for item in items], locale=locale))

    def language_name(code: str) -> str:
        try:
            return Locale.parse(babel_locale(code)).get_display_name(strings.locale) or code
        except (ValueError, LookupError):
            return code

    def country_name(code: str) -> str:
        return strings.locale.territories.get(code, code)

    def reading_minutes(words: int) -> int:
        return max(1, round(words / WORDS_PER_MINUTE))

    section = site.authors_url

    def authored_by(name: str) -> str:
        return author_url(section, name)

    @jinja2.pass_environment
    def story_data(
        env: jinja2.Environment, article: Article, people: tuple[AuthorInfo, ...] = (), image: str = ""
    ) -> dict[str, Any]:
        # `people` comes from the story's job, so that its digest covers what its JSON-LD says of its authors.
        if isinstance(env, ThemeEnvironment):  # it reads the summary, beyond the template's sight
            env.read_all_text()
        authors = AuthorDirectory(people)
        return news_article(
            article, config, lambda name: person(name, abs_url(authored_by(name)), authors.info(name)), image
        )

    return {
        "site": site,
        "reading_minutes": reading_minutes,
        "news_article": story_data,
        "tag_url": tag_url,
        "source_url": source_url,
        "author_url": authored_by,
        "authors_url": section,
        "country_name": country_name,
        "feed_url": feed_url,
        "language_name": language_name,
        "config": config,
        "url": url,
        "abs_url": abs_url,
        "t": strings,
        "format_date": date,
        "format_datetime": datetime,
        "format_month": month,
        "format_time": time,
        "same_day": same_day,
        "join_list": join_list,
        "starts_with_vowel": starts_with_vowel,
        "safe_html": Markup,
        "social_image": partial(social_image, config),
    }


def same_day(moment: dt.datetime, other: dt.datetime | None) -> bool:
    """Tell whether two moments fall on the same calendar day where the first was written."""
    return other is not None and other.astimezone(moment.tzinfo).date() == moment.date()


def starts_with_vowel(text: str) -> bool:
    """Tell whether a word starts with a vowel, accented or not, as French elision asks ("de l'anglais")."""
    first = unicodedata.normalize("NFD", text[:1].casefold())[:1]
    return first in ("a", "e", "i", "o", "u", "y", "æ", "œ")


def _filters() -> dict[str, Any]:
    """Give the filters themes use besides Jinja's own."""
    return {
        "isoformat": lambda value: value.isoformat(),
        "host": host_name,
        "short_url": short_url,
        "og_locale": og_locale,
    }


@dataclass(frozen=True, slots=True)
class TemplateFailure:
    """A template error, reduced to what reports it (so a worker process can send it back)."""

    filename: str
    line: int
    kind: str
    detail: str


def _template_failure(exc: BaseException) -> TemplateFailure:
    """Locate a template error at its template file and line (the innermost template frame)."""
    filename, line = "", 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename or exc.name or "", exc.lineno
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml", ".txt", ".json")):
                filename, line = frame.filename, frame.lineno or 0
    detail = exc.message if isinstance(exc, jinja2.TemplateSyntaxError) else str(exc)
    return TemplateFailure(filename, line, type(exc).__name__, detail or "")


def _template_diagnostic(root: Path, failure: TemplateFailure, jobs: list[PageJob]) -> Diagnostic:
    """Describe a template error once, at template file:line, naming the pages it broke."""
    filename, text = failure.filename, ""
    if filename and Path(filename).is_file():
        text = Path(filename).read_text(encoding="utf-8-sig", errors="replace")
        with contextlib.suppress(ValueError):
            filename = Path(filename).resolve().relative_to(root.resolve()).as_posix()
    first = jobs[0]
    pages = f"{first.url} from {first.origin}"
    if len(jobs) > 1:
        pages += f" and {len(jobs) - 1:,} other page{'s' if len(jobs) > 2 else ''}"
    message = f"{failure.kind}: {failure.detail} (while rendering {pages})"
    if not filename:
        return Diagnostic(first.template, 0, 0, message)
    return at_line(filename, text, failure.line, 1, message)


@dataclass(frozen=True, slots=True)
class Renderer:
    """What rendering needs: the site, the Jinja environment of its theme, the UI strings."""

    site: Site
    env: ThemeEnvironment
    strings: Strings


def renderer_for(root: Path, site: Site, theme: Theme, assets: Mapping[str, str]) -> Renderer:
    """Make the renderer of this site with this theme; `assets` maps theme assets to their hashed URLs."""
    strings = Strings(theme.strings, site.config.language)
    env = make_environment(root, theme, _template_globals(site, strings, assets), _filters())
    return Renderer(site, env, strings)


def _render_job(renderer: Renderer, job: Job) -> Output | TemplateFailure | Diagnostic:
    """Render one job into its bytes, or say where its template failed or why its file cannot be read."""
    site, strings = renderer.site, renderer.strings
    path = output_path(job.url)
    if isinstance(job, CopyJob):
        try:
            return Output(path, read_file(job.source))
        except OSError as error:
            return read_problem(str(job.source), job.source, error)
    if isinstance(job, DataJob):
        return Output(path, job.data)
    if isinstance(job, CardJob):
        return Output(path, card_png(job))
    if isinstance(job, FeedJob):
        heading = ""
        if job.subject is not None:
            key, placeholder, value = job.subject
            heading = strings(key, **{placeholder: value})
        return Output(path, render_feed(job, site.config, heading, strings("via")))
    if isinstance(job, SitemapJob):
        return Output(path, render_sitemap(job, site.config))
    if isinstance(job, NewsSitemapJob):
        return Output(path, render_news_sitemap(job, site.config))
    if isinstance(job, RedirectJob):
        return Output(path, redirect_page(job, site.config, strings))
    renderer.env.text_read.clear()
    try:
        text = renderer.env.get_template(job.template).render(
            page=job.page,
            pagination=job.pagination,
            tag=job.tag,
            outlet=job.outlet,
            author=job.author,
            featured=job.featured,
            archive=job.archive,
            newer=job.newer,
            older=job.older,
            related=job.related,
            people=job.people,
            card=job.card,
            current_url=job.url,
        )
    except Exception as exc:  # any template failure becomes a located diagnostic
        return _template_failure(exc)
    # French spacing: None (the default) in French text, True in all text, False nowhere.
    typography = site.config.typography
    if path.endswith(".html") and typography is not False:
        text = french_spacing(text, everywhere=typography is True)
    if site.config.relative_urls and path.endswith(".html") and job.url != NOT_FOUND_URL:
        # The 404 page keeps links from the site's root: a host serves it at whatever URL was missing.
        text = rewrite_links(text, partial(relative_link, job.url, base_path=site.config.base_path))
    return Output(path, text.encode("utf-8"), frozenset(renderer.env.text_read))


def render_one(renderer: Renderer, job: Job) -> Output | None:
    """Render one job in memory, staging nothing: its output, or None when it fails (a build reports why)."""
    result = _render_job(renderer, job)
    return result if isinstance(result, Output) else None


@dataclass(frozen=True, slots=True)
class _Refused:
    """A rendered file the disk would not take (full, read-only): why, at that file."""

    diagnostic: Diagnostic


_Result = Staged | TemplateFailure | Diagnostic | _Refused


def _render_and_stage(renderer: Renderer, job: Job, staging: Staging) -> _Result:
    """Render one job and stage its file at once, so that no rendered page is held until the build ends."""
    result = _render_job(renderer, job)
    if not isinstance(result, Output):
        return result
    try:
        return staging.stage(result)
    except BuildFailed as failure:
        return _Refused(failure.diagnostics[0])


# What forked workers render from: set just before the fork, inherited by the children's memory.
_FORKED: tuple[Renderer, tuple[Job, ...], Staging] | None = None


def _render_slice(bounds: tuple[int, int]) -> list[_Result]:
    """Render and stage a slice of the jobs, in a forked worker."""
    assert _FORKED is not None
    renderer, jobs, staging = _FORKED
    return [_render_and_stage(renderer, job, staging) for job in jobs[bounds[0] : bounds[1]]]


def _render_all(renderer: Renderer, jobs: tuple[Job, ...], staging: Staging, progress: Progress) -> list[_Result]:
    """Render and stage every job in order; many jobs go to one forked worker per core.

    Fork, because the workers need the whole site and theme, which would be slow to send; and only
    when this process runs no other thread (never under `gazette serve`), since forking a threaded
    process can deadlock.
    """
    global _FORKED
    progress.stage("Rendering", len(jobs), "outputs")
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_RENDER_FROM or workers < 2 or not can_fork():
        return list(counted((_render_and_stage(renderer, job, staging) for job in jobs), progress))
    step = max(50, len(jobs) // (workers * 8))
    slices = [(start, min(start + step, len(jobs))) for start in range(0, len(jobs), step)]
    _FORKED = (renderer, jobs, staging)
    try:
        with worker_pool(workers, "fork") as pool:
            results = []
            for part in pool.map(_render_slice, slices):  # counted as each slice comes back from its worker
                results += part
                progress.advance(len(part))
            return results
    finally:
        _FORKED = None


def render_outputs(
    root: Path, renderer: Renderer, jobs: Iterable[Job], staging: Staging, progress: Progress = SILENT
) -> tuple[tuple[Staged, ...], tuple[Diagnostic, ...]]:
    """Render every job, staging its file; a failing job is reported and the others still render."""
    ordered = tuple(jobs)
    staged: list[Staged] = []
    # One broken template line breaks many pages: report it once, with the pages it broke.
    failures: dict[TemplateFailure, list[PageJob]] = {}
    unreadable: list[Diagnostic] = []
    refused: list[Diagnostic] = []  # a full disk refuses every file after the first: that one is said
    for job, result in zip(ordered, _render_all(renderer, ordered, staging, progress), strict=True):
        if isinstance(result, Staged):
            staged.append(result)
        elif isinstance(result, _Refused):
            refused = refused or [result.diagnostic]
        elif isinstance(result, Diagnostic):
            unreadable.append(dataclasses.replace(result, path=shown_path(root, Path(result.path))))
        else:
            assert isinstance(job, PageJob)
            failures.setdefault(result, []).append(job)
    problems = tuple(_template_diagnostic(root, failure, failed) for failure, failed in failures.items())
    return tuple(staged), (*unreadable, *problems, *refused)
