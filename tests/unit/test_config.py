from generator.config import parse_config
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
