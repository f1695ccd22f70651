"""Strict YAML: read a YAML text into located nodes and turn them into typed values. Pure.

Why not `yaml.safe_load`: it applies YAML 1.1 guesses (`NO` becomes False, `2024-03-05` a date,
`010` the number 8) before we know what a field means. We compose nodes instead, so a text field
keeps exactly the text the writer typed, and a typed field gets its type or a located error.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content.characters import describe, drop_forbidden, first_forbidden
from generator.content.tomlfront import compose_toml
from generator.errors import Diagnostic, at_line
from generator.model import FrozenMap


@dataclass(frozen=True, slots=True)
class YamlText:
    """A YAML document inside a file (or TOML front matter): its text, and the file line its first line sits on."""

    path: str
    file_text: str
    text: str
    first_line: int
    toml: bool = False

    def error(self, node_or_mark: Node | yaml.Mark, message: str, *, warning: bool = False) -> Diagnostic:
        """Make a diagnostic located at a node (or mark) of this document."""
        mark = node_or_mark.start_mark if isinstance(node_or_mark, Node) else node_or_mark
        return at_line(
            self.path,
            self.file_text,
            mark.line + self.first_line,
            mark.column + 1,
            message,
            warning=warning,
        )

    def example(self, line: str) -> str:
        """Write an example line, given as YAML (`date: 2024-10-14 09:30`), as this document's syntax reads it.

        In TOML, text is quoted and a moment is a TOML date-time: `date = 2024-10-14T09:30:00`.
        """
        if not self.toml:
            return line
        key, value = line.split(": ", 1)
        if (moment := _EXAMPLE_MOMENT.fullmatch(value)) is not None:
            return f"{key} = {moment[1]}" + (f"T{moment[2]}:00" if moment[2] else "")
        quoted = value if value.startswith('"') else f'"{value}"'
        return f"{key} = {quoted}"


# A moment in an example line: a day, and maybe a time.
_EXAMPLE_MOMENT = re.compile(r"(\d{4}-\d\d-\d\d)(?: (\d\d:\d\d))?")


class FieldError(Exception):
    """A value of the wrong shape; carries its diagnostic, and those of a list's other wrong items."""

    def __init__(self, diagnostic: Diagnostic, *more: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.diagnostics = (diagnostic, *more)


# libyaml's parser when PyYAML was built with it: several times faster, same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PROBLEMS = (
    ("mapping values are not allowed", "a ': ' inside an unquoted value; put the whole value in quotes"),
    ("cannot start any token", "a value cannot start with this character ('@', '`' or '%'); put it in quotes"),
    ("could not find expected ':'", "expected 'key: value'; this line is not a key with a value"),
    ("exceeded maximum nesting depth", "values nested more than 1,000 levels deep; flatten them"),
)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    """Turn a PyYAML message into one that says what to do."""
    problem = exc.problem or "invalid YAML"
    for needle, advice in _PROBLEMS:
        if needle in problem:
            return advice
    context = f" ({exc.context})" if exc.context else ""
    return f"invalid YAML: {problem}{context}"


def compose(doc: YamlText) -> tuple[Node | None, tuple[Diagnostic, ...]]:
    """Parse the document into nodes; tabs, syntax errors, duplicate keys and unknown tags are errors.

    Characters HTML and XML cannot carry are dropped from values, with a warning: the node is
    returned along with warnings, and only with them. TOML front matter gives the same nodes.
    """
    if doc.toml:
        node, problem = compose_toml(doc.text)
        return (None, (doc.error(*problem),)) if problem else (node, tuple(_check_tree(doc, node)))
    tabs = tuple(
        doc.error(
            yaml.Mark("", 0, n, line.index("\t"), "", 0),
            "tab character; YAML is indented with spaces",
        )
        for n, line in enumerate(doc.text.split("\n"))
        if "\t" in line
    )
    if tabs:
        return None, tabs
    try:
        node = _compose_nodes(doc.text)
    except RecursionError:
        return None, (doc.error(yaml.Mark("", 0, 0, 0, "", 0), "values nested too deeply; flatten them"),)
    except yaml.MarkedYAMLError as exc:
        unclosed = "end of stream" in (exc.problem or "") or "document separator" in (exc.problem or "")
        if exc.context_mark is not None and "quoted scalar" in (exc.context or "") and unclosed:
            return None, (doc.error(exc.context_mark, "this quoted text is never closed; add the closing quote"),)
        # A line without ':' is found only on the next line; point at the line itself.
        starts_key = "simple key" in (exc.context or "") and exc.context_mark is not None
        mark = exc.context_mark if starts_key else exc.problem_mark or exc.context_mark
        assert mark is not None
        return None, (doc.error(mark, _syntax_message(exc)),)
    except yaml.YAMLError as exc:
        first_line = str(exc).split("\n", 1)[0]  # PyYAML adds lines naming its own input, not the file
        return None, (doc.error(yaml.Mark("", 0, 0, 0, "", 0), f"invalid YAML: {first_line}"),)
    shape = _shape_problem(doc, node)
    if shape is not None:
        return None, (shape,)
    return node, tuple(_check_tree(doc, node))


def _compose_nodes(text: str) -> Node | None:
    """Compose with libyaml; with PyYAML's own reader when an escape names a lone surrogate.

    libyaml refuses such an escape outright; the text is then read as written, and the character is
    dropped with a warning like any other that HTML and XML cannot carry.
    """
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        if _LOADER is yaml.SafeLoader or "Unicode character escape" not in (exc.problem or ""):
            raise
        return yaml.compose(text, Loader=yaml.SafeLoader)


MAX_EXPANDED_NODES = 10_000  # aliases can make a few lines expand to billions of values


def _shape_problem(doc: YamlText, root: Node | None) -> Diagnostic | None:
    """Refuse an alias that contains itself, and aliases that expand to an unreasonable size."""
    seen = 0
    stack: list[tuple[Node, frozenset[int]]] = [(root, frozenset())] if root is not None else []
    while stack:
        node, inside = stack.pop()
        seen += 1
        if seen > MAX_EXPANDED_NODES:
            return doc.error(node, "the aliases (*name) here expand to too many values; write the values out")
        if id(node) in inside:
            return doc.error(node, "this alias (*name) refers to a value that contains it; remove the alias")
        children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else node.value
        if isinstance(node, MappingNode | SequenceNode):
            stack.extend((child, inside | {id(node)}) for child in children)
    return None


MAX_DEPTH = 100  # lists and mappings nested deeper than this are no front matter a person wrote
# The tags YAML gives plain values on its own; any other (`!!python/object`, `!custom`) is refused.
_KNOWN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


def _tag_problem(doc: YamlText, node: Node) -> Diagnostic | None:
    """Refuse a YAML tag Gazette does not read, such as `!!python/object/apply:os.system`."""
    if node.tag in _KNOWN_TAGS:
        return None
    shown = node.tag.replace("tag:yaml.org,2002:", "!!")
    return doc.error(node, f"unknown YAML tag '{shown}'; remove it, Gazette reads plain values only")


def _clean_scalar(doc: YamlText, node: ScalarNode) -> Diagnostic | None:
    """Drop characters HTML and XML cannot carry from a value (a YAML escape can write them)."""
    value = str(node.value)
    if not first_forbidden(value):
        return None
    node.value = drop_forbidden(value)
    return doc.error(node, f"this value holds {describe(value)}, dropped from the site", warning=True)


def _check_tree(doc: YamlText, root: Node | None) -> Iterator[Diagnostic]:
    """Walk the nodes once: duplicate keys, unknown tags and too deep nesting are errors; odd characters warnings."""
    stack: list[tuple[Node, int]] = [(root, 1)] if root is not None else []
    cleaned: set[int] = set()  # an alias shares its node: warn about it once
    while stack:
        node, depth = stack.pop()
        problem = _tag_problem(doc, node)
        if problem is not None:
            yield problem
        if depth > MAX_DEPTH:
            yield doc.error(node, f"values nested more than {MAX_DEPTH} levels deep; flatten them")
            continue
        if isinstance(node, ScalarNode):
            if id(node) not in cleaned and (warning := _clean_scalar(doc, node)) is not None:
                cleaned.add(id(node))
                yield warning
        elif isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, _ in node.value:
                name = str(key.value)
                if name in seen:
                    yield doc.error(key, f"duplicate key '{name}' (first given on line {seen[name]}); keep one")
                else:
                    seen[name] = key.start_mark.line + doc.first_line
            stack.extend((child, depth + 1) for pair in reversed(node.value) for child in reversed(pair))
        else:
            stack.extend((child, depth + 1) for child in reversed(node.value))


def mapping_items(doc: YamlText, node: Node | None, what: str) -> tuple[tuple[str, Node], ...]:
    """Return the (key, value node) pairs of a mapping node, or raise a located error."""
    if node is None:
        return ()
    if not isinstance(node, MappingNode):
        raise FieldError(doc.error(node, f"{what} must be a mapping of 'key: value' lines"))
    return tuple((str(key.value), value) for key, value in node.value)


Reader = Callable[["YamlText", Node, str], Any]


def read_fields(
    doc: YamlText, items: tuple[tuple[str, Node], ...], readers: Mapping[str, Reader], aliases: Mapping[str, str]
) -> tuple[dict[str, Any], list[tuple[str, Node]], list[Diagnostic]]:
    """Read each known key with its reader, gathering every error; empty values are left out.

    Returns the typed values (under their canonical names), the unknown keys as they were, and the errors.
    """
    values: dict[str, Any] = {}
    unknown: list[tuple[str, Node]] = []
    problems: list[Diagnostic] = []
    for raw_key, value in items:
        key = aliases.get(raw_key, raw_key)
        reader = readers.get(key)
        if reader is None:
            unknown.append((raw_key, value))
        elif not is_null(value):
            try:
                values[key] = reader(doc, value, raw_key)
            except FieldError as exc:
                problems.extend(exc.diagnostics)
    return values, unknown, problems


_T = TypeVar("_T")


def read_each(doc: YamlText, items: Iterable[Node], reader: Callable[[YamlText, Node], _T]) -> tuple[_T, ...]:
    """Read every item of a list with `reader`; raise one FieldError carrying the problems of all the items."""
    values: list[_T] = []
    problems: list[Diagnostic] = []
    for item in items:
        try:
            values.append(reader(doc, item))
        except FieldError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise FieldError(*problems)
    return tuple(values)


def is_plain(node: Node) -> bool:
    """Tell whether a node is an unquoted scalar (PyYAML says style None, libyaml says '')."""
    return isinstance(node, ScalarNode) and not node.style


def is_null(node: Node) -> bool:
    """Tell whether a node is YAML null (empty, `~` or `null` when unquoted)."""
    return is_plain(node) and node.value in ("", "~", "null", "Null", "NULL")


def to_text(doc: YamlText, node: Node, key: str) -> str:
    """Return the text exactly as written; lists and mappings are errors."""
    if not isinstance(node, ScalarNode):
        raise FieldError(doc.error(node, f"'{key}' must be text, not a {_shape(node)}"))
    return str(node.value).strip()


def to_bool(doc: YamlText, node: Node, key: str) -> bool:
    """Return true or false; anything else, quoted strings included, is an error."""
    if is_plain(node) and node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    shown = f'"{node.value}" (quoted text)' if isinstance(node, ScalarNode) and node.style else _repr(node)
    raise FieldError(doc.error(node, f"'{key}' must be true or false, not {shown}; write it without quotes"))


def to_int(doc: YamlText, node: Node, key: str, *, minimum: int | None = None) -> int:
    """Return a whole number, at least `minimum` when given."""
    if is_plain(node) and re.fullmatch(r"[-+]?\d+", node.value):
        value = int(node.value)
        if minimum is None or value >= minimum:
            return value
        raise FieldError(doc.error(node, f"'{key}' must be at least {minimum}, not {value}"))
    raise FieldError(doc.error(node, f"'{key}' must be a whole number, not {_repr(node)}"))


def to_text_list(doc: YamlText, node: Node, key: str) -> tuple[str, ...]:
    """Return a list of texts; a single text is a list of one (comma-separated texts are split)."""
    if isinstance(node, ScalarNode):
        if is_null(node):
            return ()
        return tuple(part.strip() for part in str(node.value).split(",") if part.strip())
    if isinstance(node, SequenceNode):
        items = []
        for item in node.value:
            text = "" if is_null(item) else to_text(doc, item, key)
            if not text:
                raise FieldError(doc.error(item, f"'{key}' has an empty item; remove it"))
            items.append(text)
        return tuple(items)
    raise FieldError(doc.error(node, f"'{key}' must be a list of texts, not a mapping"))


_DATE_RE = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:[Tt ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d+))?)?"
    r"\s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"  # Jekyll writes "2014-01-01 00:00:00 UTC"
)


def to_datetime(doc: YamlText, node: Node, key: str, zone: ZoneInfo) -> dt.datetime:
    """Return an aware datetime; a date or a time without offset is taken in `zone`."""
    text = to_text(doc, node, key)
    match = _DATE_RE.fullmatch(text)
    hint = "write it as 2024-10-14, 2024-10-14 09:30 or 2024-10-14T09:30:00+02:00"
    if not match:
        return _mail_date(doc, node, key, text, hint)
    g = match.groupdict()
    try:
        value = dt.datetime(
            int(g["y"]),
            int(g["m"]),
            int(g["d"]),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
            int((g["f"] or "0")[:6].ljust(6, "0")),
        )
    except ValueError as exc:
        raise FieldError(doc.error(node, f"'{key}' is not a real date: '{text}' ({exc})")) from None
    tz = g["tz"]
    try:
        if not tz:
            return _in_range(value.replace(tzinfo=zone))
        if tz in ("Z", "z", "UTC", "GMT"):
            return _in_range(value.replace(tzinfo=dt.UTC))
        digits = tz[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        return _in_range(value.replace(tzinfo=dt.timezone(offset if tz[0] == "+" else -offset)))
    except (ValueError, OverflowError):
        message = f"'{key}' has an offset or a moment out of range: '{text}'; offsets go from -23:59 to +23:59"
        raise FieldError(doc.error(node, message)) from None


def _in_range(value: dt.datetime) -> dt.datetime:
    """Refuse a moment that has no UTC equivalent (year 1 ahead of UTC, year 9999 behind it)."""
    value.astimezone(dt.UTC)
    return value


def _mail_date(doc: YamlText, node: Node, key: str, text: str, hint: str) -> dt.datetime:
    """Read an RFC 2822 date ("Mon, 14 Oct 2024 09:30:00 +0800"), as posts exported from feeds carry."""
    try:
        value = email.utils.parsedate_to_datetime(text)
        return _in_range(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
    except (TypeError, ValueError, IndexError, OverflowError):
        raise FieldError(doc.error(node, f"'{key}' is not a date: '{text}'; {hint}")) from None


_INT = re.compile(r"[-+]?\d+")
_FLOAT = re.compile(r"[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?")


def to_plain(node: Node) -> Any:
    """Convert any node with YAML 1.2 core rules (no yes/no, no dates): for `extra` values."""
    if isinstance(node, MappingNode):
        return FrozenMap({str(k.value): to_plain(v) for k, v in node.value})
    if isinstance(node, SequenceNode):
        return tuple(to_plain(item) for item in node.value)
    value = str(node.value)
    if not is_plain(node):
        return value
    if is_null(node):
        return None
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def _shape(node: Node) -> str:
    """Name a node's shape for messages."""
    return "list" if isinstance(node, SequenceNode) else "mapping" if isinstance(node, MappingNode) else "text"


def _repr(node: Node) -> str:
    """Show a node's value briefly for messages."""
    if isinstance(node, ScalarNode):
        return f"'{node.value}'" if node.value else "an empty value"
    return f"a {_shape(node)}"
