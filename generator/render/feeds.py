"""Render feeds: RSS 2.0 and Atom with feedgen, JSON Feed 1.1 with json. Pure.

Every URL in a feed is absolute, the links inside the stories included; ids are the permalinks, so
they never change from one build to the next; a feed's date is its newest story's, never the clock.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import lru_cache
from html import escape
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from markupsafe import Markup

from generator.content.markup import rewrite_links
from generator.model import Article, Config, FeedJob, Source
from generator.urls import absolute, resolve_link

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# What an empty feed says it was updated: a fixed moment, since the clock would change every build.
EMPTY_FEED_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


def last_change(article: Article) -> dt.datetime:
    """Give the moment a story last changed: its update, else its date."""
    moment = article.updated or article.date
    assert moment is not None, f"{article.path} has no date and cannot be in a feed"
    return moment


@lru_cache(maxsize=4096)  # one story sits in several feeds (the site's three, one per tag): rewrite it once
def absolute_html(html: str, page_url: str) -> str:
    """Make every link and image of an HTML fragment absolute, read as if on the page at `page_url`."""
    return rewrite_links(html, lambda ref: resolve_link(page_url, ref))


def via_html(sources: tuple[Source, ...], label: str) -> str:
    """Write the visible "Via: ITHome" line that ends a story in a feed."""
    names = [
        f'<a href="{escape(source.url)}">{escape(source.name)}</a>' if source.url else escape(source.name)
        for source in sources
    ]
    return f'<p class="via">{escape(label)} {", ".join(names)}</p>'


class ViaLinks(BaseEntryExtension):
    """Write an Atom entry's <link rel="via"> to each source (feedgen 1.0 drops the rel of entry links)."""

    def __init__(self) -> None:
        self.sources: tuple[Source, ...] = ()

    def extend_atom(self, entry: Any) -> Any:
        """Append one link per source that has a URL."""
        for source in self.sources:
            if source.url:
                link = xml_elem("link", entry, rel="via", href=source.url, title=source.name)
                if source.lang:
                    link.set("hreflang", source.lang)
        return entry


def _original_first(article: Article) -> tuple[Source, ...]:
    """Order a story's sources with the original first (see `Article.source`), for the feeds' one source."""
    original = article.source
    return (original, *(s for s in article.sources if s is not original)) if original else ()


def _story_html(article: Article, config: Config, via_label: str) -> tuple[str, str]:
    """Give a story's full HTML (with its Via line) and its summary, with absolute links."""
    page_url = absolute(config.base_url, article.url)
    content = absolute_html(article.html, page_url)
    if article.sources:
        content += "\n" + via_html(_original_first(article), via_label)
    return content, absolute_html(article.summary_html, page_url)


def _title(job: FeedJob, config: Config, heading: str) -> str:
    """Name a feed: the site's title, followed for the feed of a list (a tag, an outlet) by its heading."""
    return f"{config.title} — {heading}" if job.subject is not None else config.title


def _updated(job: FeedJob) -> dt.datetime:
    """Give the moment the newest story of a feed last changed."""
    return max((last_change(a) for a in job.articles), default=EMPTY_FEED_DATE)


def _feedgen(job: FeedJob, config: Config, title: str) -> FeedGenerator:
    """Start a feedgen feed with the channel's title, links, language and date."""
    feed = FeedGenerator()
    home = absolute(config.base_url, job.home_url)
    feed.id(home)
    feed.title(title)
    feed.description(config.description or config.title)
    feed.link(href=absolute(config.base_url, job.url), rel="self", type=_MEDIA_TYPES[job.format])
    feed.link(href=home, rel="alternate")  # last: RSS's <link> is the last link given
    feed.language(config.language)
    feed.author(name=config.author or config.title)
    feed.generator("Gazette")
    feed.updated(_updated(job))
    return feed


def _entry(feed: FeedGenerator, article: Article, config: Config) -> FeedEntry:
    """Add a story to a feedgen feed with what RSS and Atom share: id, title, link, dates, tags."""
    permalink = absolute(config.base_url, article.url)
    entry = feed.add_entry(order="append")
    entry.guid(permalink, permalink=True)  # also the Atom id
    entry.title(article.title)
    entry.link(href=permalink, rel="alternate")
    assert article.date is not None
    entry.published(article.date)
    entry.updated(last_change(article))
    for tag in article.tags:
        entry.category(term=tag, label=tag)
    return entry


def render_rss(job: FeedJob, config: Config, tag_title: str, via_label: str) -> bytes:
    """Write an RSS 2.0 feed: summary in <description>, full story in <content:encoded>, <source> when known."""
    feed = _feedgen(job, config, _title(job, config, tag_title))
    # Readers take RSS descriptions as HTML: the site's description is text, so its '<' stays a '<'.
    feed.description(html.escape(config.description or config.title, quote=False))
    feed.load_extension("dc")
    for article in job.articles:
        entry = _entry(feed, article, config)
        content, summary = _story_html(article, config, via_label)
        entry.content(content)
        if summary:
            entry.summary(summary)
        for author in article.authors:
            entry.dc.dc_creator(author)
        # RSS 2.0: <source url> is "the XML serialization of the source": an outlet's feed, never its page.
        outlet = next((s for s in _original_first(article) if s.feed), None)
        if outlet is not None and outlet.feed is not None:
            entry.source(url=outlet.feed, title=outlet.name)
    return feed.rss_str(pretty=True)


def render_atom(job: FeedJob, config: Config, tag_title: str, via_label: str) -> bytes:
    """Write an Atom feed: the full story as content, and a rel="via" link to each source."""
    feed = _feedgen(job, config, _title(job, config, tag_title))
    for article in job.articles:
        entry = _entry(feed, article, config)
        content, summary = _story_html(article, config, via_label)
        entry.content(content, type="html")
        if summary:
            entry.summary(summary, type="html")
        for author in article.authors:
            entry.author(name=author)
        entry.register_extension("via", ViaLinks, atom=True, rss=False)
        entry.via.sources = article.sources
    return feed.atom_str(pretty=True)


def _source_json(source: Source) -> dict[str, str]:
    """Describe a source for the JSON Feed extension, leaving out what is not known."""
    fields = {"name": source.name, "url": source.url, "lang": source.lang, "feed": source.feed}
    return {key: value for key, value in fields.items() if value}


def _json_item(article: Article, config: Config, via_label: str) -> dict[str, Any]:
    """Describe one story as a JSON Feed 1.1 item."""
    permalink = absolute(config.base_url, article.url)
    content, summary = _story_html(article, config, via_label)
    item: dict[str, Any] = {"id": permalink, "url": permalink}
    source_url = next((s.url for s in _original_first(article) if s.url), None)
    if source_url:
        item["external_url"] = source_url
    item["title"] = article.title
    item["content_html"] = content
    text = Markup(summary).striptags()
    if text:
        item["summary"] = text
    assert article.date is not None
    item["date_published"] = article.date.isoformat()
    if article.updated:
        item["date_modified"] = article.updated.isoformat()
    if article.authors:
        item["authors"] = [{"name": name} for name in article.authors]
    if article.tags:
        item["tags"] = list(article.tags)
    if article.lang:
        item["language"] = article.lang
    if article.sources:
        item["_gazette"] = {"sources": [_source_json(s) for s in article.sources]}
    return item


def render_json_feed(job: FeedJob, config: Config, tag_title: str, via_label: str) -> bytes:
    """Write a JSON Feed 1.1 (https://jsonfeed.org/version/1.1); sources go in the `_gazette` extension."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": _title(job, config, tag_title),
        "home_page_url": absolute(config.base_url, job.home_url),
        "feed_url": absolute(config.base_url, job.url),
    }
    if config.description:
        feed["description"] = config.description
    feed["language"] = config.language
    feed["authors"] = [{"name": config.author or config.title}]
    feed["items"] = [_json_item(article, config, via_label) for article in job.articles]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_feed(job: FeedJob, config: Config, tag_title: str, via_label: str) -> bytes:
    """Render a feed job in its format; `tag_title` names a list's feed, `via_label` starts the Via line."""
    render = {"rss": render_rss, "atom": render_atom, "json": render_json_feed}[job.format]
    return render(job, config, tag_title, via_label)
