"""The build pipeline, run when something changed: read, parse, assemble, plan, digest, render, then write.

`generator.build` decides first, from the stamp of the site's files, whether anything changed; this
module, and every library it loads, is imported only when something did.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from functools import partial

from generator.build import BuildOptions, BuildResult
from generator.config import load_config
from generator.content.articles import parse_articles
from generator.content.data import read_data
from generator.content.links import resolve_story_links
from generator.content.sources import read_sources, text_reader
from generator.errors import BuildFailed, as_errors, has_errors
from generator.model import FrozenMap, PageJob
from generator.progress import Progress
from generator.publish.output import Staging
from generator.publish.search import NO_INDEX, index_for_search, is_bundle_file, settle_search
from generator.render.cards import prune_cards
from generator.render.cardstyle import load_card_style
from generator.render.pages import authors_section, render_outputs, renderer_for
from generator.render.themes import load_theme
from generator.site.assemble import assemble_site, steady_between
from generator.site.cache import CACHE_DIR, BuildCache, LastBuild
from generator.site.deps import (
    ThemeDeps,
    digest_jobs,
    index_stories,
    reading,
    reads_clock,
    showing,
    text_edits,
    text_reads,
)
from generator.site.inputs import InputStamp
from generator.site.plan import asset_urls, plan_outputs, plan_rebuild
from generator.site.social import CARDS_FOLDER, card_jobs, plan_cards
from generator.urls import output_path


def build_changed(
    options: BuildOptions,
    cache: BuildCache,
    progress: Progress,
    inputs: InputStamp,
    now: dt.datetime,
    started: float,
    pagefind: str | None,
    assembled: Callable[[], None],
) -> BuildResult:
    """Build a site whose inputs changed since its last build (or that was never built) into its output folder.

    Only the outputs whose digest changed are rendered; they are staged, and moved into place only when
    every one rendered without error. `inputs` is the stamp taken before anything was read;
    `pagefind` is the Pagefind that indexes the stories, None when it is not installed. `assembled`
    is called once the site is read, assembled and planned (see `generator.workers.collection_paused`).
    """
    root, out_dir = options.root, options.output
    loaded = load_config(root, base_url=options.base_url)
    search = settle_search(loaded.config, pagefind, loaded.error_at)
    config = search.config
    progress.stage("Reading")
    sources, read_problems = read_sources(root, known=cache.file_stamps())
    articles, parse_problems = parse_articles(sources, config, cache, progress)
    # Kept only to locate a broken link between stories: the files of the stories that have such links.
    linking = {article.path for article in articles if article.links}
    text_of = text_reader(source for source in sources if source.path in linking)
    when = {"drafts": options.drafts, "future": options.future}
    articles, link_problems = resolve_story_links(articles, text_of, config.base_path, now, **when)
    data, data_problems = read_data(root, config)
    theme, theme_problems = load_theme(root, config.theme, partial(loaded.error_at, "theme"))
    authors = authors_section(theme, config.language)
    site, site_problems = assemble_site(config, articles, now, **when, data=data, authors_url=authors)
    diagnostics = loaded.diagnostics + search.problems + read_problems + parse_problems + link_problems + data_problems
    diagnostics += site_problems + theme_problems
    if theme is None:  # nothing can be planned or rendered without templates
        raise BuildFailed(diagnostics)
    style, style_problems = load_card_style(root, theme) if config.social_cards else (None, ())
    cards, card_problems = plan_cards(site, style)
    jobs, plan_problems = plan_outputs(root, site, theme, tuple(card_jobs(cards, root / CACHE_DIR)))
    plan_problems = style_problems + card_problems + plan_problems
    assets = asset_urls(jobs)
    renderer = renderer_for(root, site, theme, assets)
    deps = ThemeDeps(renderer.env, theme)
    last_digests, last = cache.last_outputs(options.target)
    # The search bundle is no job: its files are kept or replaced whole, by the search stage below.
    previous = {path: value for path, value in last_digests.items() if not is_bundle_file(path)}
    earlier = _known_stories(last, inputs, now)
    stories = index_stories(articles, earlier)
    same_plan = earlier is not None and previous.keys() == {output_path(job.url) for job in jobs}
    edited = text_edits(stories, earlier) if same_plan and earlier is not None else None
    # When nothing but stories' texts changed, an output that shows none of them keeps its last digest,
    # and so does a page that read none of the parts of their texts that changed.
    reads = last.reads if last is not None else {}
    shown = jobs if edited is None else reading(showing(jobs, site, deps, edited.stories), edited, reads)
    digests = (previous if edited is not None else {}) | digest_jobs(shown, site, deps, cache.code, assets)
    # Incremental and clean builds are one path: a job is skipped only when its inputs' digest is unchanged.
    folder = str(out_dir)  # 15,000 files at 10,000 stories: os.path, not pathlib, is a third quicker per stat
    changed = plan_rebuild(jobs, digests, previous, lambda p: os.path.isfile(os.path.join(folder, p)))
    assembled()  # what rendering makes is mostly garbage: collect it
    staging = Staging(options.target)
    try:
        staged, render_problems = render_outputs(root, renderer, changed, staging, progress)
        diagnostics += plan_problems + render_problems
        if has_errors(diagnostics) or (options.strict and diagnostics):
            raise BuildFailed(as_errors(diagnostics) if options.strict else diagnostics)
        index = NO_INDEX
        if config.search:
            progress.stage("Indexing")
            index = index_for_search(jobs, digests, last_digests, staged, staging, pagefind, config.language)
        if index.problems:  # errors; under --strict, nothing came before them
            diagnostics += index.problems
            raise BuildFailed(diagnostics)
    except BaseException:  # an error, Ctrl-C: what was staged goes, and output/ is as it was
        staging.discard()
        raise
    # Only now, with every output rendered and no error, are the staged files moved into place.
    rendered = tuple(output_path(job.url) for job in changed) + tuple(s.path for s in index.staged)
    digests |= index.digests
    kept = digests.keys() - set(rendered)
    reads = {path: read for path, read in reads.items() if path in kept} | text_reads((s.path, s.reads) for s in staged)
    progress.stage("Writing")
    report = staging.commit(staged + index.staged, frozenset(digests.keys() - set(rendered)))
    prune_cards(root / CACHE_DIR / CARDS_FOLDER, (card.key for card in cards.values()), time.time())
    templates = {job.template for job in jobs if isinstance(job, PageJob)}
    since, until = (now, now) if reads_clock(templates, deps) else steady_between(articles, now)
    last = LastBuild(inputs, since, until, site.counts, len(digests), diagnostics, FrozenMap(stories), FrozenMap(reads))
    cache.save(options.target, digests, last)
    seconds = time.perf_counter() - started
    return BuildResult(site.counts, report, len(digests), rendered, seconds, diagnostics, jobs, renderer)


def _known_stories(last: LastBuild | None, inputs: InputStamp, now: dt.datetime) -> Mapping[str, str] | None:
    """Give the last build's index of stories if nothing but their texts can have changed since, else None.

    That is: the same settings, options, code, theme, static files and story names, and "now" in the
    same stretch where no story is published, scheduled, or enters or leaves the news sitemap.
    """
    return last.stories if last is not None and inputs.same_frame(last.inputs) and last.steady(now) else None
