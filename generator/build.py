"""Build a site: one readable path, gather then write. Each line is one stage of the pipeline."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from generator.articles import parse_articles
from generator.cache import CACHE_DIR, BuildCache, LastBuild, clear_way
from generator.config import load_config
from generator.deps import ThemeDeps, digest_jobs, index_stories, reads_clock, showing, text_edits
from generator.errors import BuildFailed, Diagnostic, has_errors
from generator.inputs import InputStamp, input_stamp
from generator.lock import site_lock
from generator.model import FrozenMap, Job, PageJob, SiteCounts
from generator.output import OutputFolder, Staging, WriteReport
from generator.plan import asset_urls, plan_outputs, plan_rebuild
from generator.progress import SILENT, Progress
from generator.render import Renderer, render_outputs, renderer_for
from generator.site import assemble_site, steady_between
from generator.sources import read_sources
from generator.themes import load_theme
from generator.urls import output_path


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What a build is asked to do."""

    root: Path
    output: Path
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made: what the site holds, the outputs it rendered, what writing changed, and how long it took.

    `jobs` and `renderer` are what it rendered with, so that a preview can render one edited page again;
    a build that found nothing changed has neither (it rendered nothing).
    """

    counts: SiteCounts
    report: WriteReport
    files: int
    rendered: tuple[str, ...]
    seconds: float
    warnings: tuple[Diagnostic, ...] = field(default=())
    jobs: tuple[Job, ...] = ()
    renderer: Renderer | None = None


def resolve_now(given: dt.datetime | None) -> dt.datetime:
    """Decide "now": --now, else SOURCE_DATE_EPOCH (reproducible builds), else the clock."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def output_problem(root: Path, out_dir: Path) -> str | None:
    """Say why an output folder would put the site's own files at risk, or None when it is safe."""
    site, out = root.resolve(), out_dir.resolve()
    if out == site or site.is_relative_to(out):
        return f"the output folder {out_dir} contains the site itself; choose a folder like {root / 'output'}"
    for kept in ("content", "themes", "static", CACHE_DIR):
        if out.is_relative_to(site / kept):
            return f"the output folder {out_dir} is inside {kept}/, which Gazette reads; choose another"
    return None


def build(options: BuildOptions, cache: BuildCache | None = None, progress: Progress = SILENT) -> BuildResult:
    """Build the site into the output folder, or raise BuildFailed with every problem and write nothing.

    `cache` carries parsed articles and output digests from one build to the next; without one, the
    site's cache folder is used. Another build of the same site, in any process, is waited for.
    `progress` is told each stage and how much of it is done.
    """
    clear_way(options.root / CACHE_DIR)
    with site_lock(options.root / CACHE_DIR):
        return _build_locked(options, cache, progress)


def _build_locked(options: BuildOptions, cache: BuildCache | None, progress: Progress) -> BuildResult:
    """Build, holding the site's build lock."""
    started = time.perf_counter()
    root, out_dir = options.root, options.output
    target = OutputFolder.of(out_dir, root / CACHE_DIR)
    cache = cache if cache is not None else BuildCache.load(root / CACHE_DIR)
    now = resolve_now(options.now)
    # Stamped before anything is read: a file changed while this build reads it makes the next build read it.
    inputs = input_stamp(root, repr((options.drafts, options.future, options.base_url)), cache.code)
    if (last := cache.unchanged(target, inputs, now)) is not None:
        # Nothing a build reads changed, nor did "now" move past a story's date: the last build stands.
        return BuildResult(
            last.counts, WriteReport(0, 0, 0), last.files, (), time.perf_counter() - started, last.warnings
        )
    loaded = load_config(root, base_url=options.base_url)
    config = loaded.config
    progress.stage("Reading")
    sources, read_problems = read_sources(root, known=cache.sources)
    articles, parse_problems = parse_articles(sources, config, cache, progress)
    site, site_problems = assemble_site(config, articles, now, drafts=options.drafts, future=options.future)
    theme, theme_problems = load_theme(root, config.theme, partial(loaded.error_at, "theme"))
    diagnostics = loaded.diagnostics + read_problems + parse_problems + site_problems + theme_problems
    if theme is None:  # nothing can be planned or rendered without templates
        raise BuildFailed(diagnostics)
    jobs, plan_problems = plan_outputs(root, site, theme)
    assets = asset_urls(jobs)
    renderer = renderer_for(root, site, theme, assets)
    deps = ThemeDeps(renderer.env, theme)
    previous, last = cache.last_outputs(target)
    earlier = _known_stories(last, inputs, now)
    stories = index_stories(articles, earlier)
    same_plan = earlier is not None and previous.keys() == {output_path(job.url) for job in jobs}
    edited = text_edits(stories, earlier) if same_plan and earlier is not None else None
    # When nothing but stories' texts changed, an output that shows none of them keeps its last digest.
    shown = jobs if edited is None else showing(jobs, site, deps, edited)
    digests = (previous if edited is not None else {}) | digest_jobs(shown, site, deps, cache.code, assets)
    # Incremental and clean builds are one path: a job is skipped only when its inputs' digest is unchanged.
    changed = plan_rebuild(jobs, digests, previous, lambda p: (out_dir / p).is_file())
    staging = Staging(target)
    try:
        staged, render_problems = render_outputs(root, renderer, changed, staging, progress)
        diagnostics += plan_problems + render_problems
        if has_errors(diagnostics):
            raise BuildFailed(diagnostics)
    except BaseException:  # an error, Ctrl-C: what was staged goes, and output/ is as it was
        staging.discard()
        raise
    # Only now, with every output rendered and no error, are the staged files moved into place.
    rendered = tuple(output_path(job.url) for job in changed)
    progress.stage("Writing")
    report = staging.commit(staged, frozenset(digests.keys() - set(rendered)))
    templates = {job.template for job in jobs if isinstance(job, PageJob)}
    since, until = (now, now) if reads_clock(templates, deps) else steady_between(articles, now)
    last = LastBuild(inputs, since, until, site.counts, len(digests), diagnostics, FrozenMap(stories))
    cache.save(target, digests, last)
    seconds = time.perf_counter() - started
    return BuildResult(site.counts, report, len(digests), rendered, seconds, diagnostics, jobs, renderer)


def _known_stories(last: LastBuild | None, inputs: InputStamp, now: dt.datetime) -> Mapping[str, str] | None:
    """Give the last build's index of stories if nothing but their texts can have changed since, else None.

    That is: the same settings, options, code, theme, static files and story names, and "now" in the
    same stretch where no story is published, scheduled, or enters or leaves the news sitemap.
    """
    return last.stories if last is not None and inputs.same_frame(last.inputs) and last.steady(now) else None


class Builder(Protocol):
    """Something that builds a site again and again: the preview server and `gazette watch` use one."""

    def rebuild(self) -> BuildResult | BuildFailed:
        """Build once more; return the result, or the failure with every diagnostic."""
        ...


class SiteBuilder:
    """Build one site with fixed options, for as long as a preview or watch runs.

    Long-lived on purpose: it keeps the build cache (parsed articles, digests of rendered outputs) in
    memory from one build to the next, so a save re-renders only what it changed.
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.cache = BuildCache.load(options.root / CACHE_DIR)

    def rebuild(self) -> BuildResult | BuildFailed:
        """Build the site; a failure is returned, not raised, so a watch loop keeps going."""
        try:
            return build(self.options, self.cache)
        except BuildFailed as failure:
            return failure
