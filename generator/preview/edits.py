"""Render the page of one edited story from the last good build, before the whole site is built again.

The preview's fast path: a save of one story shows in the browser as soon as that story is parsed and
its page rendered, and the full build (neighbours, lists, feeds, the preview folder) follows. It only
takes edits that leave the rest of the site as it was planned: the same URL, date, tags, authors, picture
and draft state, corrections or none (the first correction of a site adds the corrections page to every
menu), and, for a page, the same title and weight, which every page's menu shows. So the page it renders is
the one the full build renders. Anything else is None, and the full build alone answers.
Reads the edited file; otherwise pure.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from generator.build import BuildOptions, BuildResult, SiteBuilder
from generator.content.articles import article_kind, parse_article
from generator.content.links import with_links
from generator.content.sources import decode, read_file
from generator.errors import BuildFailed
from generator.model import Article, Output, PageJob, SourceFile
from generator.render.pages import render_one
from generator.site.directory import Directory
from generator.site.social import card_for
from generator.urls import slugify, tag_url


def _same_place(old: Article, new: Article) -> bool:
    """Tell whether an edit leaves the story where the last build planned it, and the other pages as they were."""
    if _planned(old) != _planned(new):
        return False
    return old.kind == "post" or (old.title, old.weight) == (new.title, new.weight)


def render_edit(root: Path, last: BuildResult, path: str) -> Output | None:
    """Render the page of the story at `path` (site-relative) as it is now on disk, or None to build instead."""
    if article_kind(path) is None or last.renderer is None:
        return None
    job = next((j for j in last.jobs if isinstance(j, PageJob) and j.page is not None and j.page.path == path), None)
    if job is None or job.page is None:  # a new story, or one the last build left out
        return None
    try:
        data = read_file(root / path)
    except OSError:
        return None
    text, problem = decode(path, data)
    if problem is not None:
        return None
    site = last.renderer.site
    parsed = parse_article(SourceFile(path, text, hashlib.sha256(data).hexdigest()), site.config)
    if isinstance(parsed, Article):  # its outlets and authors named as the data files name them
        parsed = Directory(site.data).named(parsed)
    if not isinstance(parsed, Article) or not _same_place(job.page, parsed):
        return None
    # Its links to other stories, resolved as the last build resolved them; a new one needs the build.
    known = {link.ref: link for link in job.page.links}
    if any(link.ref not in known for link in parsed.links):
        return None
    parsed = with_links(parsed, tuple(known[link.ref] for link in parsed.links))
    # As the full build would have it: tags and authors under their site-wide spelling, the schedule as it was.
    story = replace(parsed, tags=job.page.tags, authors=job.page.authors, scheduled=job.page.scheduled)
    # Its social card, named after what it shows, is named anew: the build draws it.
    card = card_for(story, last.renderer.site, job.card.style) if job.card is not None else None
    return render_one(last.renderer, replace(job, page=story, card=card))


class EditingBuilder(SiteBuilder):
    """A site builder that also renders one edited story's page from its last good build."""

    def __init__(self, options: BuildOptions) -> None:
        super().__init__(options)
        self.last: BuildResult | None = None

    def rebuild(self) -> BuildResult | BuildFailed:
        """Build the site, and keep the result when it is good (a failed build leaves nothing to edit from)."""
        outcome = super().rebuild()
        self.last = outcome if isinstance(outcome, BuildResult) else None
        return outcome

    def render_edit(self, changed: frozenset[str]) -> Output | None:
        """Render the page of the one story a burst of changes touched, or None when the burst is anything else."""
        if self.last is None or len(changed) != 1:
            return None
        try:
            return render_edit(self.options.root, self.last, next(iter(changed)))
        except Exception:  # a shortcut must never stand in the way: the full build runs, and reports any fault
            return None


def _planned(story: Article) -> tuple[object, ...]:
    """Give what of a story decides where it and others are listed: an edit that keeps it re-renders one page."""
    authors = [slugify(a) for a in story.authors]
    tags = [tag_url(t) for t in story.tags]
    return (story.url, story.date, story.draft, tags, authors, bool(story.corrections), story.image)
