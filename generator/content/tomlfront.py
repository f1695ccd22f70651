"""TOML front matter (Hugo's `+++` blocks) read into the located nodes that YAML front matter gives. Pure.

Every field is then read by the same strict readers, with the same messages: a TOML text stays text
(it is quoted), `draft = true` is a boolean, a TOML date is a date. Nodes are located at the line of
their key (`tags = [...]` on line 4: an error in `tags` points there, at its value), found by reading
the `key = value` and `[table]` lines; a value inside a list or a table written inline shares its key's place.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_TAG = "tag:yaml.org,2002:"
# `[table]`, `[[array.of.tables]]`, or `key = ...` with a bare, quoted or dotted key.
_TABLE = re.compile(r"\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""\s*(?P<key>(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")
# Where tomllib says the problem is: a line and column, or the end (where the front matter's closing line is).
_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")

Place = tuple[int, int]  # line and column, from 0, as YAML's marks count them


def _parts(dotted: str) -> tuple[str, ...]:
    """Split a dotted TOML key into its names, quotes removed."""
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in _PART.findall(dotted))


def _places(text: str) -> tuple[dict[tuple[str, ...], Place], Place | None]:
    """Find where each key's value is written (the path of names from the top, to its line and column).

    Also give where a key is written a second time, if one is: TOML refuses that without saying where.
    """
    places: dict[tuple[str, ...], Place] = {}
    again: Place | None = None
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n")):
        if (header := _TABLE.match(line)) is not None and "=" not in line.split("]")[0]:
            table = _parts(header.group("name"))
            path, place = table, (number, line.index("["))
            if line.lstrip().startswith("[["):  # an array of tables: the same name, again and again
                places.setdefault(path, place)
                continue
        elif (key := _KEY.match(line)) is not None:
            path = (*table, *_parts(key.group("key")))
            place = (number, key.end() + len(line[key.end() :]) - len(line[key.end() :].lstrip()))
        else:
            continue
        if path in places and again is None:
            again = (number, len(line) - len(line.lstrip()))
        places.setdefault(path, place)
    return places, again


def _mark(place: Place) -> yaml.Mark:
    """Make a YAML mark at a line and column of the front matter."""
    return yaml.Mark("", 0, place[0], place[1], "", 0)


def _node(value: Any, path: tuple[str, ...], places: dict[tuple[str, ...], Place], place: Place) -> Node:
    """Make the node YAML would have made of a value, at its key's place (or its parent's)."""
    mark = _mark(places.get(path, place))
    if isinstance(value, dict):
        pairs = [
            (
                ScalarNode(f"{_TAG}str", key, _mark(places.get((*path, key), place)), None, '"'),
                _node(item, (*path, key), places, places.get(path, place)),
            )
            for key, item in value.items()
        ]
        return MappingNode(f"{_TAG}map", pairs, mark, mark)
    if isinstance(value, list):
        at = places.get(path, place)
        return SequenceNode(f"{_TAG}seq", [_node(item, path, places, at) for item in value], mark, mark)
    if isinstance(value, str):
        return ScalarNode(f"{_TAG}str", value, mark, mark, '"')  # quoted: text, whatever it says
    if isinstance(value, bool):
        return ScalarNode(f"{_TAG}bool", "true" if value else "false", mark, mark, None)
    if isinstance(value, int | float):
        return ScalarNode(f"{_TAG}{type(value).__name__}", repr(value), mark, mark, None)
    # Dates and times: as TOML wrote them, which the date reader takes (a local one in the site's zone).
    assert isinstance(value, dt.date | dt.time), type(value)
    return ScalarNode(f"{_TAG}timestamp", value.isoformat(), mark, mark, None)


def compose_toml(text: str) -> tuple[Node | None, tuple[yaml.Mark, str] | None]:
    """Read TOML into located nodes; or give where it cannot be read, and why."""
    places, again = _places(text)
    try:
        return _node(tomllib.loads(text), (), places, (0, 0)), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if message.startswith("Cannot overwrite a value") and again is not None:
            return None, (_mark(again), "this key is given a second time; keep one")
        where = _WHERE.search(message)
        place = (0, 0) if where is None else (text.count("\n") + 1, 0)
        if where is not None and where.group(1):
            place = (int(where.group(1)) - 1, int(where.group(2)) - 1)
        return None, (_mark(place), f"invalid TOML: {_WHERE.sub('', message)}")
    except RecursionError:
        return None, (_mark((0, 0)), "values nested too deeply; flatten them")
