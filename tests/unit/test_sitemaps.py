"""Google News language codes and robots.txt."""

from __future__ import annotations

import pytest

from generator.model import Config
from generator.render.sitemaps import news_language, robots_txt


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("pt-BR", "pt"), ("en_GB", "en"), ("zh", "zh"), ("zh-CN", "zh-cn"), ("zh-Hans", "zh-cn"),
     ("zh-TW", "zh-tw"), ("zh-Hant-HK", "zh-tw")],
)  # fmt: skip
def test_news_language_is_iso_639_except_for_chinese_scripts(code: str, expected: str) -> None:
    assert news_language(code) == expected


def test_robots_txt_names_both_sitemaps_with_absolute_urls() -> None:
    assert robots_txt(Config(base_url="https://example.org/")) == (
        "User-agent: *\nDisallow:\n\nSitemap: https://example.org/sitemap.xml\n"
        "Sitemap: https://example.org/news-sitemap.xml\n"
    )
