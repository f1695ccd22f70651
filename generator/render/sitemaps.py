"""Render what crawlers read: /sitemap.xml, the Google News /news-sitemap.xml and /robots.txt. Pure."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.model import Article, Config, NewsSitemapJob, SitemapJob
from generator.urls import NEWS_SITEMAP_URL, SITEMAP_URL, absolute

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# Google News reads only the articles of the last two days.
NEWS_WINDOW = dt.timedelta(days=2)


def is_news(article: Article, now: dt.datetime) -> bool:
    """Tell whether a post belongs in the news sitemap: published within the two days before `now`."""
    return article.date is not None and now - NEWS_WINDOW <= article.date <= now


def news_language(code: str) -> str:
    """Give Google News its language code: ISO 639 ('pt-BR' -> 'pt'), but zh-cn / zh-tw for Chinese scripts."""
    parts = code.replace("_", "-").lower().split("-")
    if parts[0] == "zh" and len(parts) > 1:
        traditional = {"tw", "hk", "mo", "hant"}
        return "zh-tw" if traditional.intersection(parts[1:]) else "zh-cn"
    return parts[0]


def _xml(root: ET.Element) -> bytes:
    """Serialize an element tree, indented, with an XML declaration."""
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_sitemap(job: SitemapJob, config: Config) -> bytes:
    """Write the sitemap (sitemaps.org 0.9): every page's absolute URL and, when known, its lastmod."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for entry in job.entries:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute(config.base_url, entry.url)
        if entry.lastmod is not None:
            ET.SubElement(url, "lastmod").text = entry.lastmod.isoformat()
    return _xml(urlset)


def render_news_sitemap(job: NewsSitemapJob, config: Config) -> bytes:
    """Write the Google News sitemap: for each recent post, the publication, its language, date and title."""
    # Prefixed names written as they are: ElementTree would otherwise name the namespace ns0.
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for article in job.articles:
        assert article.date is not None
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute(config.base_url, article.url)
        news = ET.SubElement(url, "news:news")
        publication = ET.SubElement(news, "news:publication")
        ET.SubElement(publication, "news:name").text = config.title
        ET.SubElement(publication, "news:language").text = news_language(article.lang or config.language)
        ET.SubElement(news, "news:publication_date").text = article.date.isoformat()
        ET.SubElement(news, "news:title").text = article.title
    return _xml(urlset)


def robots_txt(config: Config) -> str:
    """Write robots.txt: everything may be crawled, and here are both sitemaps."""
    return (
        "User-agent: *\n"
        "Disallow:\n"
        "\n"
        f"Sitemap: {absolute(config.base_url, SITEMAP_URL)}\n"
        f"Sitemap: {absolute(config.base_url, NEWS_SITEMAP_URL)}\n"
    )
