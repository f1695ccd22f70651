"""The structure of rendered markdown, to compare Gazette's HTML with GitHub's renderer cmark-gfm.

A signature keeps what changes what a reader sees beyond wording: lists (kind, start, nesting), items,
task checkboxes, links (absolute targets kept), line breaks, code blocks, headings (any level: Gazette
starts a body's headings at h2), tables with their cells' alignment, and strikethrough. Paragraphs are
left out: Python-Markdown and cmark-gfm wrap the items of loose lists differently, and neither is wrong.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import cmarkgfm
from cmarkgfm.cmark import Options

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CELLS = frozenset({"th", "td"})
_ALIGN = re.compile(r"text-align:\s*(\w+)")
# Inside these, nothing counts: code is code, and a heading's permalink is Gazette's own addition.
_OPAQUE = frozenset({"pre", "script", "style"})


def gfm_html(text: str) -> str:
    """Render markdown as GitHub does: cmark-gfm with its extensions, footnotes, raw HTML kept."""
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    return cmarkgfm.github_flavored_markdown_to_html(text, options=options)


class _Signature(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.opaque = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.opaque:
            self.opaque += tag in _OPAQUE
            return
        if tag in _OPAQUE:
            self.opaque = 1
            self.parts.append(tag)
        elif tag in ("ul", "li", "table", "tr"):
            self.parts.append(tag)
        elif tag == "ol":
            start = int(values.get("start") or 1)  # "003" starts at 3, as a browser reads it
            self.parts.append("ol" if start == 1 else f"ol start={start}")
        elif tag in _HEADINGS:
            self.parts.append("h")
        elif tag in _CELLS:
            align = values.get("align") or next(iter(_ALIGN.findall(values.get("style", ""))), "")
            self.parts.append(f"{tag} {align}".strip())
        elif tag == "a" and "headerlink" not in values.get("class", ""):
            href = values.get("href", "")
            # One spelling for a URL: cmark-gfm percent-encodes what Python-Markdown writes as it is.
            absolute = href.startswith(("http:", "https:", "mailto:"))
            self.parts.append(f"a {unquote(href)}" if absolute else "a")
        elif tag in ("del", "s", "strike"):
            self.parts.append("del")
        elif tag == "br":
            self.parts.append("br")
        elif tag == "input" and values.get("type") == "checkbox":
            self.parts.append("[x]" if "checked" in values else "[ ]")

    def handle_endtag(self, tag: str) -> None:
        if self.opaque:
            self.opaque -= tag in _OPAQUE
            return
        if tag in ("ul", "ol", "li", "table"):
            self.parts.append("/" + tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


_BLOCK_TAGS = frozenset(
    {"address", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer", "form", "h1", "h2", "h3"}
    | {"h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}
)


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open = False
        self.misplaced: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open and tag in _BLOCK_TAGS:
            self.misplaced.append(tag)
        self.open = tag == "p" or (self.open and tag not in _BLOCK_TAGS)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.open = False


def blocks_in_paragraphs(html: str) -> list[str]:
    """Name the block elements written inside a <p>, which a browser would pull out of it."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.misplaced


def signature(html: str) -> tuple[str, ...]:
    """Reduce HTML to the sequence of structural parts a reader sees."""
    parser = _Signature()
    parser.feed(html)
    parser.close()
    return tuple(parser.parts)


def first_difference(ours: tuple[str, ...], theirs: tuple[str, ...]) -> str:
    """Describe where two signatures part, for a failure message."""
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), min(len(ours), len(theirs)))
    return f"at part {at}: gazette {ours[at : at + 6]} vs cmark-gfm {theirs[at : at + 6]}"
