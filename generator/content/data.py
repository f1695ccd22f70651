"""Read the site's data files, `data/outlets.yaml` and `data/authors.yaml` (or `.yml`), strictly. Reads those files.

Each is a list of entries, read like front matter: every value keeps the text as written or gets its
type, and every problem of both files is reported at once, at its file, line and column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from babel import Locale
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.config import read_language
from generator.content import fields
from generator.content.characters import drop_located
from generator.content.fields import FieldError, YamlText
from generator.content.markup import render_summary
from generator.content.sources import read_text
from generator.errors import Diagnostic, has_errors
from generator.layout import AUTHORS_FILE, OUTLETS_FILE
from generator.model import AuthorInfo, AuthorLink, Config, OutletInfo, SiteData
from generator.urls import host_name, is_web_url, slugify

# Two-letter codes only: Babel also names regions by number ('001', the world), which no outlet is from.
_COUNTRIES = frozenset(code for code in map(str, Locale("en").territories) if len(code) == 2 and code.isalpha())


def _web_url(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    if not is_web_url(value):
        raise FieldError(doc.error(node, f"'{key}' must be a full http(s) URL, not '{value}'"))
    return value


def _country(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    if value.upper() not in _COUNTRIES:
        raise FieldError(doc.error(node, f"'{key}' must be a two-letter country code (ISO 3166), like CN, FR or US"))
    return value.upper()


def _name(doc: YamlText, node: Node, key: str) -> str:
    value = fields.to_text(doc, node, key)
    if not value:
        raise FieldError(doc.error(node, f"'{key}' is empty; write the name"))
    return value


def _link(doc: YamlText, node: Node, key: str) -> AuthorLink:
    """Read one link: a URL (labelled by its site), or a mapping with `name` and `url`."""
    if not isinstance(node, MappingNode):
        url = _web_url(doc, node, key)
        return AuthorLink(host_name(url), url)
    values, problems = _entry(doc, node, "a link", {"name": _name, "url": _web_url}, ("url",))
    if problems:
        raise FieldError(problems[0])
    url = values["url"]
    return AuthorLink(values.get("name", host_name(url)), url)


def _links(doc: YamlText, node: Node, key: str) -> tuple[AuthorLink, ...]:
    items = node.value if isinstance(node, SequenceNode) else [node]
    return tuple(_link(doc, item, key) for item in items if not fields.is_null(item))


Reader = Callable[[YamlText, Node, str], Any]

_OUTLET_KEYS: dict[str, Reader] = {
    "name": _name,
    "aliases": fields.to_text_list,
    "url": _web_url,
    "feed": _web_url,
    "language": read_language,
    "country": _country,
}
_AUTHOR_KEYS: dict[str, Reader] = {"name": _name, "bio": fields.to_text, "links": _links}


def _entry(
    doc: YamlText, node: Node, what: str, readers: dict[str, Reader], required: tuple[str, ...] = ("name",)
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Read one mapping of a data file: known keys typed, unknown and missing keys errors."""
    items = fields.mapping_items(doc, node, what)
    values, unknown, problems = fields.read_fields(doc, items, readers, {})
    known = ", ".join(readers)
    problems += [doc.error(value, f"unknown key '{key}' in {what}; use {known}") for key, value in unknown]
    written = {key for key, _ in items}
    for key in required:
        if key not in written:
            problems.append(doc.error(node, f"{what} needs '{key}:', like '{key}: {_EXAMPLES[key]}'"))
    return values, problems


_EXAMPLES = {"name": "ITHome", "url": "https://www.ithome.com/"}


def _entries(doc: YamlText, root: Node | None, what: str) -> Iterator[MappingNode | Diagnostic]:
    """Give each entry of a data file's list, or an error where the file or an entry is not shaped so."""
    if root is None:  # an empty file: no entries
        return
    if not isinstance(root, SequenceNode):
        yield doc.error(root, f"{doc.path} must be a list of {what}s, each starting with '- name: …'")
        return
    for item in root.value:
        if isinstance(item, MappingNode):
            yield item
        else:
            yield doc.error(item, f"each {what} must be a mapping starting with '- name: …', not {_shape(item)}")


def _shape(node: Node) -> str:
    """Name a node's shape, quoting a text."""
    return f"the text '{node.value}'" if isinstance(node, ScalarNode) else "a list"


def _document(root: Path, name: str) -> tuple[YamlText | None, Node | None, list[Diagnostic]]:
    """Read and compose one data file (`.yaml`, or `.yml` as Jekyll names them); no document when it is missing."""
    present = [n for n in (name, name.removesuffix(".yaml") + ".yml") if (root / n).exists() or (root / n).is_symlink()]
    if not present:
        return None, None, []
    if len(present) == 2:
        message = f"both {present[0]} and {present[1]} are here, and Gazette reads one; merge them into {name}"
        return None, None, [Diagnostic(present[1], 1, 1, message)]
    name = present[0]
    path = root / name
    text, problem = read_text(name, path)
    if problem is not None:
        return None, None, [problem]
    text, dropped = drop_located(name, text)
    doc = YamlText(name, text, text, 1)
    node, problems = fields.compose(doc)
    found = [dropped, *problems] if dropped is not None else list(problems)
    return (doc, node, found) if not has_errors(problems) else (None, None, found)


def _no_repeats(
    doc: YamlText,
    named: list[tuple[str, Node]],
    what: str,
    key: Callable[[str], str] = slugify,
    relation: str = "is the same as",
) -> Iterator[Diagnostic]:
    """Refuse two names that are one ('ITHome' and 'IT Home' make one URL; two outlets at one host)."""
    first: dict[str, tuple[str, int]] = {}
    for name, node in named:
        if (same := key(name)) in first:
            earlier, line = first[same]
            yield doc.error(node, f"{what} '{name}' {relation} '{earlier}' on line {line}; keep one")
        else:
            first[same] = (name, node.start_mark.line + 1)


def _home_host(url: str) -> str:
    """Name the site of an outlet's home page, lowercase and without 'www.'."""
    return host_name(url).lower()


def _named_nodes(doc: YamlText, entry: MappingNode, keys: tuple[str, ...]) -> list[tuple[str, Node]]:
    """Give the names an entry is known by, with where each is written (list items one by one)."""
    found = []
    for key, value in fields.mapping_items(doc, entry, "an entry"):
        if key in keys:
            items = value.value if isinstance(value, SequenceNode) else [value]
            found += [(str(item.value).strip(), item) for item in items if isinstance(item, ScalarNode)]
    return [(name, node) for name, node in found if name]


def _read_list(
    root: Path, name: str, what: str, readers: dict[str, Reader], names: tuple[str, ...]
) -> tuple[YamlText | None, list[tuple[dict[str, Any] | None, MappingNode]], list[Diagnostic]]:
    """Read a data file's entries: each one's values (None when it has errors) and node; two of one name are errors."""
    doc, node, problems = _document(root, name)
    if doc is None:
        return None, [], problems
    entries: list[tuple[dict[str, Any] | None, MappingNode]] = []
    named: list[tuple[str, Node]] = []
    for entry in _entries(doc, node, what):
        if isinstance(entry, Diagnostic):
            problems.append(entry)
            continue
        values, found = _entry(doc, entry, f"an {what}", readers)
        problems += found
        named += _named_nodes(doc, entry, names)
        entries.append((None if found else values, entry))
    problems += _no_repeats(doc, named, f"{what} name")
    return doc, entries, problems


def _read_outlets(root: Path) -> tuple[tuple[OutletInfo, ...], list[Diagnostic]]:
    doc, entries, problems = _read_list(root, OUTLETS_FILE, "outlet", _OUTLET_KEYS, ("name", "aliases"))
    if doc is not None:
        homes = [home for _, entry in entries for home in _named_nodes(doc, entry, ("url",))]
        problems += _no_repeats(doc, homes, "home page", _home_host, "is on the same site as")
    return tuple(OutletInfo(**values) for values, _ in entries if values is not None), problems


def _read_authors(root: Path, config: Config) -> tuple[tuple[AuthorInfo, ...], list[Diagnostic]]:
    _, entries, problems = _read_list(root, AUTHORS_FILE, "author", _AUTHOR_KEYS, ("name",))
    authors = []
    for values, _ in entries:
        if values is None:
            continue
        bio = values.pop("bio", "")
        bio_html = render_summary(bio, sanitize=not config.unsafe_html) if bio else ""
        authors.append(AuthorInfo(bio_html=bio_html, **values))
    return tuple(authors), problems


def read_data(root: Path, config: Config) -> tuple[SiteData, tuple[Diagnostic, ...]]:
    """Read the site's data files; a missing file is no outlet or no author, never an error."""
    outlets, outlet_problems = _read_outlets(root)
    authors, author_problems = _read_authors(root, config)
    return SiteData(outlets, authors), (*outlet_problems, *author_problems)
