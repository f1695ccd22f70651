from pathlib import Path

from generator.config import LoadedConfig, load_config, parse_config
from generator.errors import Diagnostic
from generator.model import Config


def test_defaults_when_empty() -> None:
    assert parse_config("site.yaml", "").config == Config()


def test_values_are_typed() -> None:
    loaded = parse_config(
        "site.yaml",
        "title: 2024\nbase_url: https://example.org/blog\nlanguage: fr\ntimezone: Europe/Paris\nper_page: 5\n"
        "typography: false\nemoji: true\nextra: {twitter: '@x', n: 3}\n",
    )
    config = loaded.config
    assert loaded.diagnostics == ()
    assert (config.title, config.base_url, config.base_path) == ("2024", "https://example.org/blog/", "/blog/")
    assert (config.language, config.timezone, config.per_page, config.typography) == ("fr", "Europe/Paris", 5, False)
    assert config.emoji is True
    assert dict(config.extra) == {"twitter": "@x", "n": 3}


def test_error_at_points_at_the_setting() -> None:
    loaded = parse_config("site.yaml", "title: x\ntheme: nope\n")
    d = loaded.error_at("theme", "bad theme")
    assert (d.path, d.line, d.col, d.source_line) == ("site.yaml", 2, 8, "theme: nope")


def test_a_missing_site_yaml_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == LoadedConfig(Config())


def test_a_site_yaml_that_is_not_a_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").mkdir()
    message = "cannot be read: it is a folder, not an ordinary file; put a file in its place, or remove it"
    assert load_config(tmp_path).diagnostics == (Diagnostic("site.yaml", 1, 1, message),)


def test_search_is_true_false_or_unsaid() -> None:
    assert parse_config("site.yaml", "search: true\n").config.search is True
    assert parse_config("site.yaml", "search: false\n").config.search is False
    assert Config().search is None  # settled by the build: on where Pagefind is installed
    assert [d.format() for d in parse_config("site.yaml", "search: yes please\n").diagnostics] == [
        "site.yaml:1:9: error: 'search' must be true or false, not 'yes please'; write it without quotes\n"
        "    search: yes please\n            ^"
    ]


def test_a_custom_domain_other_than_base_urls_host_is_a_warning_at_cname() -> None:
    loaded = parse_config("site.yaml", "base_url: https://me.github.io/news/\ncname: News.Example.org\n")
    assert [d.format() for d in loaded.diagnostics] == [
        "site.yaml:2:8: warning: 'cname' serves the site at news.example.org, but base_url is on me.github.io, "
        "where its links, feeds and sitemap point; set base_url to https://news.example.org/ (or remove cname)\n"
        "    cname: News.Example.org\n"
        "           ^"
    ]
    assert parse_config("site.yaml", "base_url: https://news.example.org/\ncname: news.example.org\n").diagnostics == ()
