"""Structured data for search engines: a story as a schema.org `NewsArticle`. Pure.

The result is a plain dict; templates emit it with Jinja's `tojson`, which escapes `<`, `>`, `&`
and `'`, so no front matter text can close the `<script>` element it sits in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from generator.model import Article, AuthorInfo, Config, OriginalWork, Source, Update
from generator.urls import absolute

# How a byline is described: its name, to a schema.org object.
Describe = Callable[[str], dict[str, Any]]


def person(name: str, url: str, info: AuthorInfo | None) -> dict[str, Any]:
    """Describe an author as a Person: name, the author's page (absolute), and their other pages as `sameAs`."""
    data: dict[str, Any] = {"@type": "Person", "name": name, "url": url}
    if info is not None and info.links:
        data["sameAs"] = [link.url for link in info.links]
    return data


def _named(name: str) -> dict[str, Any]:
    return {"@type": "Person", "name": name}


def news_article(article: Article, config: Config, author: Describe = _named, image: str = "") -> dict[str, Any]:
    """Describe a story as a NewsArticle: headline, dates, author, publisher, keywords, its sources, its picture."""
    url = absolute(config.base_url, article.url)
    publisher = {"@type": "Organization", "name": config.title, "url": absolute(config.base_url, "/")}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": Markup(article.summary_html).striptags(),
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": article.lang or config.language,
        # A story without a byline is signed by the publication.
        "author": [author(name) for name in article.authors] or [publisher],
        "publisher": publisher,
    }
    if article.date:
        data["datePublished"] = article.date.isoformat()
        data["dateModified"] = (article.updated or article.date).isoformat()
    if article.tags:
        data["keywords"] = list(article.tags)
    if image:  # the absolute URL of its own picture, or of its social card
        data["image"] = [image]
    if article.sources:
        data["isBasedOn"] = [_based_on(source) for source in article.sources]
    if article.original is not None:
        data["translationOfWork"] = _known({"@type": "CreativeWork", **_work(article.original)})
    if article.corrections:
        data["correction"] = [_correction(update) for update in article.corrections]
    return data


# The schema.org type of what each role of source is; a story's other sources are creative works.
_SOURCE_TYPES = {"original": "NewsArticle", "via": "NewsArticle", "report": "Report", "data": "Dataset"}


def _known(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out the properties whose value is not known."""
    return {key: value for key, value in values.items() if value}


def _work(original: OriginalWork) -> dict[str, Any]:
    """Describe the story a brief translates: its title, URL and language, as far as they are known."""
    return {"name": original.title, "url": original.url, "inLanguage": original.lang}


def _based_on(source: Source) -> dict[str, Any]:
    """Describe a source as the work a story is based on; the outlet's name is its publisher's."""
    return _known(
        {
            "@type": _SOURCE_TYPES.get(source.role or "", "CreativeWork"),
            "url": source.url,
            "inLanguage": source.lang,
            "publisher": {"@type": "Organization", "name": source.name},
        }
    )


def _correction(update: Update) -> dict[str, Any]:
    """Describe a correction as a CorrectionComment: its text and when it was made."""
    text = Markup(update.html).striptags()
    return {"@type": "CorrectionComment", "text": text, "datePublished": update.date.isoformat()}
