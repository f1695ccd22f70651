"""Structured data for search engines: a story as a schema.org `NewsArticle`. Pure.

The result is a plain dict; templates emit it with Jinja's `tojson`, which escapes `<`, `>`, `&`
and `'`, so no front matter text can close the `<script>` element it sits in.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.model import Article, Config
from generator.urls import absolute


def news_article(article: Article, config: Config, image: str = "") -> dict[str, Any]:
    """Describe a story as a NewsArticle: headline, dates, author, publisher, keywords, its source, its picture."""
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
        "author": [{"@type": "Person", "name": name} for name in article.authors] or [publisher],
        "publisher": publisher,
    }
    if article.date:
        data["datePublished"] = article.date.isoformat()
        data["dateModified"] = (article.updated or article.date).isoformat()
    if article.tags:
        data["keywords"] = list(article.tags)
    if image:  # the absolute URL of its own picture, or of its social card
        data["image"] = [image]
    originals = [source.url for source in article.sources if source.url]
    if originals:
        data["isBasedOn"] = originals[0] if len(originals) == 1 else originals
    return data
