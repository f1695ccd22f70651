"""HTML cut into tokens that keep their exact source text, and a start tag cut into attributes. Pure.

One compiled regular expression walks the document from left to right: comments, doctypes and other
declarations, CDATA sections, processing instructions, end tags, start tags (a quoted attribute value
may hold `>`), entities and character references, and text. The contents of `script` and `style` run
to their own end tag untouched (`if (a<b)` is not a tag), and so do those of `textarea` and `title`,
where only entities are read. Anything that is not well-formed markup is text: a stray `<` or `&`, an
unterminated start tag. Put together, the tokens' `raw` texts always give the document back, byte for
byte; the passes that edit HTML (French spacing, absolute links in feeds) change only what they mean to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "entity", "start", "end", "comment", "declaration", "instruction"]

_ENTITY = r"&(?:\#(?:[0-9]++|[xX][0-9a-fA-F]++)|[a-zA-Z][-.a-zA-Z0-9]*+);?"
# A start tag's attributes; possessive everywhere, so a tag that never closes costs one pass, not a backtrack.
_ATTRIBUTES = r"""(?:\s++ | /(?!>) | [^\s/>][^\s/=>]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|(?!["'])[^\s>]*+))?+)*+"""
# Tried in this order at each point of the document; the last two always match, so the walk never stops.
_TOKEN = re.compile(
    r"""
    (?P<text>[^<&]++)
    | (?P<comment><!--(?:>|->|.*?(?:--!?>|\Z)) | </(?:>|[^a-zA-Z>][^>]*+(?:>|\Z)))
    | (?P<declaration><!\[CDATA\[.*?(?:]]>|\Z) | <![^>]*+(?:>|\Z))
    | (?P<instruction><\?[^>]*+(?:>|\Z))
    | (?P<end></(?P<end_name>[a-zA-Z][^\t\n\r\f\ />\x00]*+)[^>]*+(?:>|\Z))
    | (?P<raw>(?P<raw_tag><(?P<raw_name>(?i:script|style|textarea|title))(?=[\s/>])ATTRIBUTES>)
        (?P<contents>.*?)(?=</(?i:(?P=raw_name))(?:[\t\n\r\f\ />]|\Z)|\Z))
    | (?P<start><(?P<start_name>[a-zA-Z][^\t\n\r\f\ />\x00]*+)ATTRIBUTES(?P<closed>/)?>)
    | (?P<entity>ENTITY)
    | (?P<stray>[<&])
    """.replace("ATTRIBUTES", _ATTRIBUTES).replace("ENTITY", _ENTITY),
    re.DOTALL | re.VERBOSE,
)
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


def tokens(document: str) -> Iterator[Token]:
    """Cut an HTML document into tokens whose texts, put together, give the document back."""
    for match in _TOKEN.finditer(document):
        kind = match.lastgroup
        if kind == "text" or kind == "stray":
            yield ("text", match.group(), "", False)
        elif kind == "start":
            yield ("start", match.group(), match.group("start_name").lower(), match.group("closed") is not None)
        elif kind == "end":
            yield ("end", match.group(), match.group("end_name").lower(), False)
        elif kind == "raw":
            # script and style hold raw text: nothing in it is markup. textarea and title read entities.
            name = match.group("raw_name").lower()
            yield ("start", match.group("raw_tag"), name, False)
            contents = match.group("contents")
            if name == "script" or name == "style":
                if contents:
                    yield ("text", contents, "", False)
            else:
                for piece in _ESCAPABLE_TOKEN.finditer(contents):
                    yield ("entity" if piece.lastgroup == "entity" else "text", piece.group(), "", False)
        else:
            yield (kind, match.group(), "", False)  # type: ignore[misc]  # the other group names are kinds


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
