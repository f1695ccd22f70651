"""HTML cut into tokens that keep their exact source text, and a start tag cut into attributes. Pure.

One compiled regular expression walks the document from left to right: comments, doctypes and other
declarations, CDATA sections, processing instructions, end tags, start tags (a quoted attribute value
may hold `>`), entities and character references, and text. The contents of `script` and `style` run
to their own end tag untouched (`if (a<b)` is not a tag), and so do those of `textarea` and `title`,
where only entities are read. Anything that is not well-formed markup is text: a stray `<` or `&`, an
unterminated start tag. Put together, the tokens' `raw` texts always give the document back, byte for
byte; the passes that edit HTML (French spacing, absolute links in feeds) change only what they mean to.

A pass too hot for a generator of tokens can walk the matches itself (`walker`): it tries alternatives
of its own first, built with `start_tag` and `end_tag` so that they match a tag exactly as the walk
would, and reads the other matches with `tag` and `raw_text`, as `tokens` does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "entity", "start", "end", "comment", "declaration", "instruction"]

_ENTITY = r"&(?:\#(?:[0-9]++|[xX][0-9a-fA-F]++)|[a-zA-Z][-.a-zA-Z0-9]*+);?"
# A start tag's attributes; possessive everywhere, so a tag that never closes costs one pass, not a backtrack.
_ATTRIBUTES = r"""(?:\s++ | /(?!>) | [^\s/>][^\s/=>]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|(?!["'])[^\s>]*+))?+)*+"""
# A tag's element name runs to a space, `/`, `>`, NUL or the end of the document.
_NAME = r"[a-zA-Z][^\t\n\r\f\ />\x00]*+"
_NAME_ENDS = r"(?![^\t\n\r\f\ />\x00])"
# Elements whose contents are raw text, matched whole with their start tag.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})


def _start_tag(name: str, closed: str) -> str:
    """Write the pattern of a start tag whose element name matches `name`, self-closed as `closed` matches."""
    return rf"<{name}{_ATTRIBUTES}{closed}>"


def _end_tag(name: str) -> str:
    """Write the pattern of an end tag whose element name matches `name`."""
    return rf"</{name}[^>]*+(?:>|\Z)"


# Every alternative of the walk but text, tried in this order; the last one always matches a `<` or `&`.
_MARKUP = rf"""
    (?P<comment><!--(?:>|->|.*?(?:--!?>|\Z)) | </(?:>|[^a-zA-Z>][^>]*+(?:>|\Z)))
    | (?P<declaration><!\[CDATA\[.*?(?:]]>|\Z) | <![^>]*+(?:>|\Z))
    | (?P<instruction><\?[^>]*+(?:>|\Z))
    | (?P<end>{_end_tag(f"(?P<end_name>{_NAME})")})
    | (?P<raw>(?P<raw_tag><(?P<raw_name>(?i:{"|".join(sorted(_RAW_TEXT))}))(?=[\s/>]){_ATTRIBUTES}>)
        (?P<contents>.*?)(?=</(?i:(?P=raw_name))(?:[\t\n\r\f\ />]|\Z)|\Z))
    | (?P<start>{_start_tag(f"(?P<start_name>{_NAME})", "(?P<closed>/)?")})
    | (?P<entity>{_ENTITY})
    | (?P<stray>[<&])
"""
# Tried in this order at each point of the document; the last two always match, so the walk never stops.
_TOKEN = re.compile(rf"(?P<text>[^<&]++) | {_MARKUP}", re.DOTALL | re.VERBOSE)
# Inside `textarea` and `title` only entities mean something.
_ESCAPABLE_TOKEN = re.compile(rf"(?P<text>[^&]++)|(?P<entity>{_ENTITY})|(?P<stray>&)")
_TAG_NAME = re.compile(r"<[^\s/>]+")
# One attribute inside a start tag, matched from where the previous one ended (never inside a quoted value).
_ATTRIBUTE = re.compile(r"""(\s+)([^\s/>"'=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+))?""")


# One piece of an HTML document, as written: its kind, its text, a start or end tag's element in lower
# case ("" for other kinds), and whether a start tag is written self-closed, like `<br/>`. A plain
# tuple, unpacked where it is read: a page makes a thousand, and a named tuple takes twice as long to make.
Token = tuple[Kind, str, str, bool]


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of a start tag: where it stands in the tag, its name and its value."""

    start: int  # where it starts in the tag, with the spaces before it
    value_start: int  # where its value starts, quote included (its end when it has no value)
    end: int
    name: str  # in lower case
    value: str | None  # entities read and quotes removed; None when written without `=`


def tokens(document: str, start: int = 0) -> Iterator[Token]:
    """Cut an HTML document into tokens whose texts, put together, give the document back.

    With `start`, where one of its tokens starts, the tokens from there on.
    """
    for match in _TOKEN.finditer(document, start):
        kind = match.lastgroup
        if kind == "text" or kind == "stray":
            yield ("text", match.group(), "", False)
        elif kind in TAGS:
            yield tag(match)
            if kind == "raw":
                yield from raw_text(match)
        else:
            yield (kind, match.group(), "", False)  # type: ignore[misc]  # the other group names are kinds


# The `lastgroup` of a match of the walk that holds a tag, to be read with `tag`: a start or end tag, or a
# raw-text element (its start tag, then contents that `raw_text` cuts).
TAGS = frozenset({"start", "end", "raw"})


def tag(match: re.Match[str]) -> Token:
    """Read the tag of a match of the walk whose `lastgroup` is in `TAGS`."""
    kind = match.lastgroup
    if kind == "start":
        return ("start", match.group(), match.group("start_name").lower(), match.group("closed") is not None)
    if kind == "end":
        return ("end", match.group(), match.group("end_name").lower(), False)
    return ("start", match.group("raw_tag"), match.group("raw_name").lower(), False)


def raw_text(match: re.Match[str]) -> Iterator[Token]:
    """Cut the contents of a raw-text element, a match of the walk whose `lastgroup` is "raw", into tokens."""
    # script and style hold raw text: nothing in it is markup. textarea and title read entities.
    contents = match.group("contents")
    if match.group("raw_name").lower() in ("script", "style"):
        if contents:
            yield ("text", contents, "", False)
    else:
        for piece in _ESCAPABLE_TOKEN.finditer(contents):
            yield ("entity" if piece.lastgroup == "entity" else "text", piece.group(), "", False)


def walker(first: str) -> re.Pattern[str]:
    """Compile a walk through a document that tries the alternatives `first`, then markup, then text.

    `first` is written verbose, its groups named; whatever it matches must be what the walk matches
    there, text or a tag as `start_tag` and `end_tag` write them, so that the walk keeps to the
    boundaries of the tokens. The other matches read as in `tokens`: `lastgroup`, `tag`, `raw_text`.
    """
    return re.compile(rf"{first} | {_MARKUP} | (?P<text>[^<&]++)", re.DOTALL | re.VERBOSE)


def start_tag(names: Collection[str], name: str | None = None, closed: str | None = None) -> str:
    """Write the pattern of a start tag of one of these elements, its name written in lower case as given.

    The groups `name` and `closed` capture the name and the `/` of a tag written self-closed. Not for an
    element whose contents are raw text (script, style, textarea, title): the walk matches those whole.
    """
    if not _RAW_TEXT.isdisjoint(names):
        raise ValueError(f"raw-text elements are matched with their contents: {sorted(_RAW_TEXT & set(names))}")
    return _start_tag(_named(name, _one_of(names)) + _NAME_ENDS, _named(closed, "/") + "?")


def end_tag(names: Collection[str], name: str | None = None) -> str:
    """Write the pattern of an end tag of one of these elements, written in lower case; the group `name` captures it."""
    return _end_tag(_named(name, _one_of(names)) + _NAME_ENDS)


def _named(group: str | None, pattern: str) -> str:
    """Write a pattern as a group, captured under a name if one is given."""
    return f"(?:{pattern})" if group is None else f"(?P<{group}>{pattern})"


def _one_of(names: Collection[str]) -> str:
    """Write a pattern matching any of these names, factored on their first letters: the engine tries few branches."""
    firsts: dict[str, list[str]] = {}
    for name in names:
        firsts.setdefault(name[:1], []).append(name[1:])
    branches = [re.escape(first) + _one_of(rests) if first else "" for first, rests in sorted(firsts.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches[::-1]) + ")"


def attributes(tag: str) -> list[Attribute]:
    """Cut a start tag, as written, into its attributes."""
    name = _TAG_NAME.match(tag)
    if name is None:
        return []
    found: list[Attribute] = []
    position = name.end()
    while (match := _ATTRIBUTE.match(tag, position)) is not None:
        raw = match.group(4)
        value = None if raw is None else html.unescape(raw[1:-1] if raw[0] in "\"'" else raw)
        value_start = match.start(4) if raw is not None else match.end()
        found.append(Attribute(match.start(), value_start, match.end(), match.group(2).lower(), value))
        position = match.end()
    return found
