"""Read `site.yaml` into a Config, reporting every problem at once. Reads one file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from yaml.nodes import Node

from generator.content import fields
from generator.content.characters import drop_located
from generator.content.fields import FieldError, YamlText
from generator.content.sources import read_text
from generator.errors import Diagnostic
from generator.layout import CONFIG_FILE
from generator.model import Config
from generator.urls import host_problem, is_web_url, permalink_problem


def _base_url(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    if not is_web_url(value):
        raise FieldError(doc.error(node, f"'{key}' must be an absolute http(s) URL, like https://example.org/"))
    return value if value.endswith("/") else value + "/"


def read_language(doc: YamlText, node: Node, key: str) -> str:
    """Read a language code Babel knows (fr, en, pt-BR)."""
    value = fields.to_text(doc, node, key)
    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise FieldError(doc.error(node, f"unknown language '{value}'; use a code like fr, en or pt-BR")) from None
    return value


def _timezone(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(doc.error(node, f"unknown timezone '{value}'; use a name like Europe/Paris or UTC")) from None
    return value


def _permalink(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    problem = permalink_problem(value)
    if problem:
        raise FieldError(doc.error(node, problem))
    return value


def _cname(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key).strip().rstrip(".").lower()
    problem = host_problem(value)
    if problem:
        raise FieldError(doc.error(node, f"'cname' is no host name: {problem}"))
    return value


def _positive(doc: YamlText, node: Node, key: str) -> int:
    return fields.to_int(doc, node, key, minimum=1)


def _extra(doc: YamlText, node: Node, key: str) -> Any:
    fields.mapping_items(doc, node, "'extra'")
    return fields.to_plain(node)


_READERS: dict[str, Callable[[YamlText, Node, str], Any]] = {
    "title": fields.to_text,
    "description": fields.to_text,
    "base_url": _base_url,
    "language": read_language,
    "timezone": _timezone,
    "author": fields.to_text,
    "theme": fields.to_text,
    "per_page": _positive,
    "permalink": _permalink,
    "feed_size": _positive,
    "typography": fields.to_bool,
    "unsafe_html": fields.to_bool,
    "emoji": fields.to_bool,
    "relative_urls": fields.to_bool,
    "redirects_file": fields.to_bool,
    "cname": _cname,
    "search": fields.to_bool,
    "social_cards": fields.to_bool,
    "extra": _extra,
}


def _cname_elsewhere(doc: YamlText, values: Mapping[str, Any], nodes: Mapping[str, Node]) -> list[Diagnostic]:
    """Warn when the custom domain is not base_url's host: the site is served at one, and links to the other."""
    cname, base_url = values.get("cname"), values.get("base_url")
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    if not cname or not base_url or host == cname:
        return []
    message = (
        f"'cname' serves the site at {cname}, but base_url is on {host}, where its links, feeds and sitemap "
        f"point; set base_url to https://{cname}/ (or remove cname)"
    )
    return [doc.error(nodes["cname"], message, warning=True)]


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """The config, the problems found reading it, and where each setting was written."""

    config: Config
    diagnostics: tuple[Diagnostic, ...] = ()
    doc: YamlText | None = None
    nodes: Mapping[str, Node] = field(default_factory=dict)

    def error_at(self, key: str, message: str) -> Diagnostic:
        """Make an error located at a setting of site.yaml (or at the file when it is not written there)."""
        node = self.nodes.get(key)
        if self.doc is None or node is None:
            return Diagnostic(CONFIG_FILE, 1, 1, message)
        return self.doc.error(node, message)


def parse_config(path: str, file_text: str) -> LoadedConfig:
    """Parse site.yaml text; bad settings fall back to defaults so the rest of the build still checks."""
    doc = YamlText(path, file_text, file_text, 1)
    node, problems = fields.compose(doc)
    try:
        items = fields.mapping_items(doc, node, CONFIG_FILE)
    except FieldError as exc:
        return LoadedConfig(Config(), (*problems, exc.diagnostic), doc)
    values, unknown, errors = fields.read_fields(doc, items, _READERS, {})
    known = ", ".join(_READERS)
    errors += [doc.error(value, f"unknown setting '{key}'; known settings: {known}") for key, value in unknown]
    errors += _cname_elsewhere(doc, values, dict(items))
    diagnostics = sorted([*problems, *errors], key=lambda d: (d.line, d.col))
    return LoadedConfig(Config(**values), tuple(diagnostics), doc, dict(items))


def load_config(root: Path, **overrides: Any) -> LoadedConfig:
    """Read `site.yaml` under root (a missing file means all defaults), then apply overrides."""
    path = root / CONFIG_FILE
    loaded = LoadedConfig(Config())
    if path.exists() or path.is_symlink():  # a link to nothing is a mistake to report, not "no settings"
        text, problem = read_text(CONFIG_FILE, path)
        if problem:
            return LoadedConfig(Config(), (problem,))
        text, dropped = drop_located(CONFIG_FILE, text)
        loaded = parse_config(CONFIG_FILE, text)
        if dropped is not None:
            loaded = dataclasses.replace(loaded, diagnostics=(dropped, *loaded.diagnostics))
    given = {key: value for key, value in overrides.items() if value is not None}
    if "base_url" in given and not given["base_url"].endswith("/"):
        given["base_url"] += "/"
    return dataclasses.replace(loaded, config=dataclasses.replace(loaded.config, **given))
