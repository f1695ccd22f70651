"""Markdown to HTML with Python-Markdown and Pygments. Pure (one reusable converter per options).

The HTML made here is never run through Jinja: a post about Jinja shows `{{ x }}` as written.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import markdown
from pygments.formatters import HtmlFormatter

from generator.gfm import GithubExtension
from generator.htmltokens import attributes, tokens
from generator.urls import slugify

MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
HIGHLIGHT_CLASS = "highlight"
# Attributes whose value is a URL (srcset: a list of "URL width" pairs).
_LINK_ATTRIBUTES = frozenset({"href", "src", "poster", "srcset"})
# A tag without any of these letters has none of those attributes: most tags (code's spans) are spared.
_MAY_LINK = re.compile("href|src|poster", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rendered:
    """Markdown rendered: full HTML, the summary, the table of contents and a word count."""

    html: str
    summary_html: str
    toc_html: str
    words: int


def _toc_slug(value: str, separator: str) -> str:
    """Make heading anchors with the same rules as URLs."""
    return slugify(value)


@lru_cache(maxsize=4)
def _converter(anchor_title: str) -> markdown.Markdown:
    """Build the converter once: markdown as GitHub reads it, code highlighted by Pygments, heading anchors."""
    return markdown.Markdown(
        extensions=[
            "extra",
            "codehilite",
            "toc",
            "sane_lists",
            "pymdownx.superfences",  # fenced code anywhere: in list items and quotes too
            "pymdownx.magiclink",  # bare URL, www. and e-mail autolinks
            "pymdownx.tilde",
            "pymdownx.tasklist",
            "pymdownx.quotes",  # > [!NOTE] alerts
            GithubExtension(),  # after quotes: it replaces their block processor
        ],
        extension_configs={
            "codehilite": {"css_class": HIGHLIGHT_CLASS, "guess_lang": False, "wrapcode": True},
            "toc": {
                "permalink": "#",
                "permalink_title": anchor_title,
                "slugify": _toc_slug,
                "toc_depth": "2-4",
            },
            "extra": {"footnotes": {"BACKLINK_TITLE": ""}},
            "pymdownx.tilde": {"subscript": False},  # GitHub has no ~subscript~
            "pymdownx.quotes": {"callouts": True},
        },
        output_format="html",
    )


@lru_cache(maxsize=1)
def _summary_converter() -> markdown.Markdown:
    """Build a light converter for one-line summaries: emphasis, code and links are all they use."""
    return markdown.Markdown(output_format="html")


def render_summary(text: str) -> str:
    """Render a summary written in front matter."""
    converter = _summary_converter()
    converter.reset()
    return converter.convert(text)


def count_words(html: str) -> int:
    """Count the words a reader reads (CJK characters count one each)."""
    text = _TAGS.sub(" ", html)
    return len(_WORDS.findall(_CJK.sub(" ", text))) + len(_CJK.findall(text))


def render_markdown(text: str, anchor_title: str = "") -> Rendered:
    """Render markdown; the summary is what stands before `<!-- more -->`, else the first paragraph."""
    converter = _converter(anchor_title)
    converter.reset()
    html = converter.convert(text)
    toc = getattr(converter, "toc", "")
    marker = MORE_MARKER.search(html)
    if marker:
        summary = html[: marker.start()].strip()
        html = (html[: marker.start()] + html[marker.end() :]).strip()
    else:
        first = _FIRST_PARAGRAPH.search(html)
        summary = first.group(0) if first else ""
    return Rendered(html, summary, toc if "<li>" in toc else "", count_words(html))


def highlight_css(light: str = "default", dark: str = "github-dark") -> str:
    """Return the Pygments stylesheet for code blocks, with its own colours for dark mode."""
    selector = f".{HIGHLIGHT_CLASS}"
    dark_rules = HtmlFormatter(style=dark).get_style_defs(selector)
    return (
        HtmlFormatter(style=light).get_style_defs(selector)
        + "\n@media (prefers-color-scheme: dark) {\n"
        + dark_rules
        + "\n}\n"
    )


def _rewrite_value(name: str, value: str, resolve: Callable[[str], str]) -> str:
    """Resolve one URL attribute value; a srcset's candidates are resolved one by one."""
    if name != "srcset":
        return resolve(value)
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        candidates.append(f"{resolve(url)} {descriptor.strip()}".strip() if url else "")
    return ", ".join(c for c in candidates if c)


def _rewrite_tag(tag: str, resolve: Callable[[str], str]) -> str:
    """Rewrite the URL attributes of one raw start tag, leaving every other byte as written."""
    parts: list[str] = []
    done = 0
    for attribute in attributes(tag):
        if attribute.value is None or attribute.name not in _LINK_ATTRIBUTES:
            continue
        rewritten = _rewrite_value(attribute.name, attribute.value, resolve)
        # An unchanged URL keeps its spelling (Markdown writes mailto: links as entities).
        if rewritten != attribute.value:
            parts += [tag[done : attribute.value_start], '"', htmllib.escape(rewritten, quote=True), '"']
            done = attribute.end
    parts.append(tag[done:])
    return "".join(parts)


def rewrite_links(html: str, resolve: Callable[[str], str]) -> str:
    """Pass every href, src, poster and srcset URL of an HTML fragment through `resolve`; all else is kept."""
    pieces: list[str] = []
    for kind, raw, _, _ in tokens(html):
        pieces.append(_rewrite_tag(raw, resolve) if kind == "start" and _MAY_LINK.search(raw) else raw)
    return "".join(pieces)
