"""Build a site: one readable path, gather then write. Each line is one stage of the pipeline."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from generator.errors import BuildFailed, Diagnostic, as_errors
from generator.lock import site_lock
from generator.model import Job, SiteCounts
from generator.progress import SILENT, Progress
from generator.publish.output import OutputFolder, WriteReport
from generator.publish.search import pagefind_stamp
from generator.site.cache import CACHE_DIR, BuildCache, clear_way
from generator.site.inputs import input_stamp
from generator.site.schedule import note_next_build

if TYPE_CHECKING:
    from generator.render.pages import Renderer


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What a build is asked to do."""

    root: Path
    output: Path
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: dt.datetime | None = None
    strict: bool = False  # warnings fail the build, as errors do

    @property
    def target(self) -> OutputFolder:
        """The output folder, with the list of the files Gazette wrote there kept in the site's cache folder."""
        return OutputFolder.of(self.output, self.root / CACHE_DIR)


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
        result = _build_locked(options, cache, progress)
        if not options.future:  # a build that shows future stories knows of none to wait for
            note_next_build(options.root / CACHE_DIR, result.counts.next_scheduled)
        return result


def _build_locked(options: BuildOptions, cache: BuildCache | None, progress: Progress) -> BuildResult:
    """Build, holding the site's build lock."""
    started = time.perf_counter()
    root = options.root
    cache = cache if cache is not None else BuildCache.load(root / CACHE_DIR)
    now = resolve_now(options.now)
    # Stamped before anything is read: a file changed while this build reads it makes the next build read it.
    # Installing or removing Pagefind turns search on or off where site.yaml does not say.
    pagefind = pagefind_stamp()
    inputs = input_stamp(root, repr((options.drafts, options.future, options.base_url, pagefind)), cache.code)
    if (last := cache.unchanged(options.target, inputs, now)) is not None:
        # Nothing a build reads changed, nor did "now" move past a story's date: the last build stands.
        if options.strict and last.warnings:
            raise BuildFailed(as_errors(last.warnings))
        return BuildResult(
            last.counts, WriteReport(0, 0, 0), last.files, (), time.perf_counter() - started, last.warnings
        )
    # Only a build with something to do loads the pipeline (Markdown, Pygments, Jinja, YAML): loading
    # it takes longer than finding that nothing changed.
    from generator.pipeline import build_changed
    from generator.workers import collection_paused

    with collection_paused() as assembled:
        return build_changed(options, cache, progress, inputs, now, started, pagefind, assembled)


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
