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
_TOKEN = re.compile(
    r"""
    (?P<text>[^<&]++)
    | (?P<comment><!--(?:>|->|.*?(?:--!?>|\Z)) | </(?:>|[^a-zA-Z>][^>]*+(?:>|\Z)))
    | (?P<declaration><!\[CDATA\[.*?(?:]]>|\Z) | <![^>]*+(?:>|\Z))
    | (?P<instruction><\?[^>]*+(?:>|\Z))
    | (?P<end></(?P<end_name>[a-zA-Z][^\t\n\r\f\ />\x00]*+)[^>]*+(?:>|\Z))
    | (?P<start><(?P<start_name>[a-zA-Z][^\t\n\r\f\ />\x00]*+)
        (?:\s++ | /(?!>) | [^\s/>][^\s/=>]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|(?!["'])[^\s>]*+))?+)*+
        (?P<closed>/)?>)
    | (?P<entity>{_ENTITY})
    | (?P<stray>[<&])
    """.replace("{_ENTITY}", _ENTITY),
    re.DOTALL | re.VERBOSE,
)
# Inside `textarea` and `title` only entities mean something.
_ESCAPABLE_TOKEN = re.compile(rf"(?P<text>[^&]++)|(?P<entity>{_ENTITY})|(?P<stray>&)")
_RAW_TEXT = frozenset({"script", "style"})
_ESCAPABLE_RAW_TEXT = frozenset({"textarea", "title"})
# Where the contents of each raw text element end: at its end tag, in any case, or at the end of the document.
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}(?=[\t\n\r\f />])|</{name}\Z", re.IGNORECASE)
    for name in _RAW_TEXT | _ESCAPABLE_RAW_TEXT
}
_TAG_NAME = re.compile(r"<[^\s/>]+")
# One attribute inside a start tag, matched from where the previous one ended (never inside a quoted value).
_ATTRIBUTE = re.compile(r"""(\s+)([^\s/>"'=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+))?""")


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of an HTML document, as written."""

    kind: Kind
    raw: str
    name: str = ""  # a start or end tag's element, in lower case
    closed: bool = False  # a start tag written self-closed, like `<br/>`


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of a start tag: where it stands in the tag, its name and its value."""

    start: int  # where it starts in the tag, with the spaces before it
    value_start: int  # where its value starts, quote included (its end when it has no value)
    end: int
    name: str  # in lower case
    value: str | None  # entities read and quotes removed; None when written without `=`


def _escapable(contents: str) -> Iterator[Token]:
    """Cut the contents of a `textarea` or `title` into text and entities."""
    for match in _ESCAPABLE_TOKEN.finditer(contents):
        yield Token("entity" if match.lastgroup == "entity" else "text", match.group())


def tokens(document: str) -> Iterator[Token]:
    """Cut an HTML document into tokens whose `raw` texts, put together, give the document back."""
    position, length = 0, len(document)
    match_token = _TOKEN.match
    while position < length:
        match = match_token(document, position)
        assert match is not None  # a stray `<` or `&` is text, so something always matches
        kind = match.lastgroup
        raw = match.group()
        position = match.end()
        if kind == "text" or kind == "stray":
            yield Token("text", raw)
        elif kind == "start":
            name = match.group("start_name").lower()
            closed = match.group("closed") is not None
            yield Token("start", raw, name, closed)
            if not closed and name in _RAW_TEXT_END:
                # Raw text: nothing but the element's own end tag closes it.
                end = _RAW_TEXT_END[name].search(document, position)
                stop = end.start() if end else length
                if stop > position:
                    contents = document[position:stop]
                    if name in _RAW_TEXT:
                        yield Token("text", contents)
                    else:
                        yield from _escapable(contents)
                position = stop
        elif kind == "end":
            yield Token("end", raw, match.group("end_name").lower())
        else:
            yield Token(kind, raw)  # type: ignore[arg-type]  # the group names are the kinds


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
