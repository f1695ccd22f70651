"""Limits that keep markdown rendering linear in the size of a story, whatever its writer typed. Pure.

Python-Markdown finds the end of a link by walking the text from each `[` and each `](`: on text
with thousands of unclosed brackets (a pasted log, a crafted post) that walk is quadratic, minutes
for 40 KB. Its block parser and the sanitizer recurse or rescan once per level of nesting, so a
blockquote or list nested hundreds deep exhausts the stack or takes seconds per level. Gazette looks
for the end of a link with a bounded scan first, as cmark-gfm does (brackets and parentheses nested
more than 32 deep are no link), and refuses nesting deeper than MAX_DEPTH at the line it happens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor

MAX_DEPTH = 100  # levels of nesting a story may use: far beyond any real article
MAX_LINK_NESTING = 32  # brackets or parentheses nested inside one link, as cmark-gfm allows
MAX_LINK_SPAN = 5_000  # characters a link's text may span; the rest of the paragraph is not scanned
_FALLBACK_SPAN = 2_000  # characters of destination scanned when parentheses never balance (a quoted title)

TextReader = Callable[[str, int], tuple[str, int, bool]]
LinkReader = Callable[[str, int], tuple[str, str | None, int, bool]]


def _closing(opener: str, closer: str, data: str, index: int, span: int) -> int | None:
    """Find where a bracket opened just before `index` closes, within `span` characters.

    Returns the index after the closing bracket, -1 when brackets nest too deep for a link, None
    when it does not close. Each step jumps to the next closer and counts the openers before it in C.
    """
    depth, start, limit = 1, index, min(len(data), index + span)
    while True:
        close = data.find(closer, start, limit)
        if close < 0:
            return -1 if depth + data.count(opener, start, limit) > MAX_LINK_NESTING else None
        depth += data.count(opener, start, close) - 1
        if depth == 0:
            return close + 1
        if depth > MAX_LINK_NESTING:
            return -1
        start = close + 1


def _bounded_text(read: TextReader) -> TextReader:
    """Wrap a link processor's getText so that it never reads past the link text's closing bracket."""

    def get_text(data: str, index: int) -> tuple[str, int, bool]:
        end = _closing("[", "]", data, index, MAX_LINK_SPAN)
        if end is None or end < 0:
            return "", index, False
        return read(data[:end], index)

    return get_text


def _bounded_link(read: LinkReader) -> LinkReader:
    """Wrap a link processor's getLink so that it never reads past the destination's closing parenthesis."""

    def get_link(data: str, index: int) -> tuple[str, str | None, int, bool]:
        end = _closing("(", ")", data, index + 1, len(data)) if data.startswith("(", index) else index
        if end is not None and end < 0:
            return "", None, index, False
        return read(data[: end if end is not None else index + _FALLBACK_SPAN], index)

    return get_link


class BoundedLinks(Extension):
    """Make every link and image processor look for its end with a bounded scan."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Wrap the link processors registered so far (links, images, references)."""
        for processor in md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor):
                processor.getText = _bounded_text(processor.getText)  # type: ignore[method-assign,assignment]
                processor.getLink = _bounded_link(processor.getLink)  # type: ignore[method-assign,assignment]


# A line's blockquote markers, and a list item's indentation and marker.
_QUOTES = re.compile(r"[ \t]*(?:>[ \t]?)+")
_ITEM = re.compile(r"([ \t]*)(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
# HTML elements whose start tag makes a parser check every open element (each closes a <p>).
_BLOCK_TAG = re.compile(
    r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|figure|footer"
    r"|header|hgroup|main|menu|nav|ol|section|summary|ul)(?=[\s/>])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TooDeep:
    """Where a story nests deeper than MAX_DEPTH: 1-based line and column, and what nests."""

    line: int
    col: int
    what: str


def _block_nesting(text: str) -> TooDeep | None:
    """Follow blockquote markers and list items line by line, as a reader of the indentation would.

    A list item is nested in the items above it that start left of it (2, 3 or 4 spaces: any
    consistent indent); a line that starts at the margin and is no item ends the lists.
    """
    items: list[int] = []  # the indentation of each open list item, outermost first
    for number, line in enumerate(text.split("\n"), 1):
        quotes = _QUOTES.match(line)
        prefix = quotes.end() if quotes else 0
        markers = quotes.group().count(">") if quotes else 0
        if markers > MAX_DEPTH:
            col = [n for n, ch in enumerate(line) if ch == ">"][MAX_DEPTH] + 1
            return TooDeep(number, col, "blockquotes")
        rest = line[prefix:]
        item = _ITEM.match(rest)
        if item is None:
            if rest.strip() and not rest[:1].isspace():
                items.clear()
            continue
        indent = len(item.group(1).expandtabs(4))
        while items and items[-1] >= indent:
            items.pop()
        items.append(indent)
        if markers + len(items) > MAX_DEPTH:
            return TooDeep(number, prefix + len(item.group(1)) + 1, "lists")
    return None


def nesting_problem(text: str) -> TooDeep | None:
    """Find the first place a markdown text nests deeper than MAX_DEPTH (quotes, lists, HTML blocks)."""
    problem = _block_nesting(text)
    if problem is not None:
        return problem
    open_blocks = 0
    for tag in _BLOCK_TAG.finditer(text):
        open_blocks = max(open_blocks + (-1 if tag.group(1) else 1), 0)
        if open_blocks > MAX_DEPTH:
            start = tag.start()
            return TooDeep(text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start), "HTML blocks")
    return None
