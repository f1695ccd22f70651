"""Markdown to HTML with Python-Markdown and Pygments. Pure (one reusable converter per options).

The HTML made here is never run through Jinja: a post about Jinja shows `{{ x }}` as written.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from pygments.formatters import HtmlFormatter
from pymdownx.emoji import gemoji, to_alt

from generator.content.characters import drop_forbidden_references
from generator.content.gfm import GithubExtension, drop_title
from generator.content.htmltokens import attributes, tokens
from generator.content.inline import QuickInline
from generator.content.limits import BoundedLinks
from generator.content.sanitize import sanitize_html
from generator.urls import slugify

MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
EXCERPT_WORDS = 50  # a list page's summary, when the writer gave none: about this many words of the body
# What an excerpt never quotes: headings, code, tables, footnote marks (footnotes end the body: it stops there).
_NOT_PROSE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "sup", "script", "style"})
_FOOTNOTES = '<div class="footnote">'
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")
_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK = re.compile(f"[{_CJK_CLASS}]")
# An excerpt's units: a CJK character, about half a word of reading, or a run of other non-spaces, a word.
_EXCERPT_UNITS = re.compile(f"[{_CJK_CLASS}]|[^\\s{_CJK_CLASS}]+")
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


class _AttributeLists(AttrListTreeprocessor):
    """Read `{: .class}` and `{#id}` attribute lists, never another generator's template tag.

    Python-Markdown's own reading takes any `{…}` ending a paragraph for one, so a Jekyll post's
    `{% endhighlight %}` or a `{{ site.baseurl }}` line vanished from the page, leaving junk
    attributes. A list must start with `#`, `.`, a name or `:`, as every real one does. (The stubs call
    these patterns final; overriding them is how the processor is meant to be narrowed.)
    """

    BASE_RE = r"\{\:?[ ]*([#.A-Za-z_][^\n]*)\}"  # type: ignore[misc]
    HEADER_RE = re.compile(rf"[ ]+{BASE_RE}[ ]*$")  # type: ignore[misc]
    BLOCK_RE = re.compile(rf"\n[ ]*{BASE_RE}[ ]*$")  # type: ignore[misc]
    INLINE_RE = re.compile(rf"^{BASE_RE}")  # type: ignore[misc]


class _TemplateTagsStay(Extension):
    """Put the stricter attribute lists in the place of Python-Markdown's (registered by `extra`)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Replace the `attr_list` tree processor, at its priority."""
        md.treeprocessors.register(_AttributeLists(md), "attr_list", 8)


@lru_cache(maxsize=4)
def _converter(anchor_title: str, emoji: bool = False) -> markdown.Markdown:
    """Build the converter once: markdown as GitHub reads it, code highlighted by Pygments, heading anchors."""
    # Shortcodes become the emoji themselves (no images from a CDN), only when the site asks.
    shortcodes = ["pymdownx.emoji"] if emoji else []
    return markdown.Markdown(
        extensions=[
            *shortcodes,
            "extra",
            _TemplateTagsStay(),  # after extra, whose attribute lists it replaces
            "codehilite",
            "toc",
            "sane_lists",
            "pymdownx.superfences",  # fenced code anywhere: in list items and quotes too
            "pymdownx.magiclink",  # bare URL, www. and e-mail autolinks
            "pymdownx.tasklist",
            "pymdownx.quotes",  # > [!NOTE] alerts
            GithubExtension(),  # after quotes: it replaces their block processor
            BoundedLinks(),  # it bounds the link processors the others registered
            QuickInline(),  # offers each text only the patterns it can match
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
            "pymdownx.quotes": {"callouts": True},
            "pymdownx.emoji": {"emoji_index": gemoji, "emoji_generator": to_alt},
        },
        output_format="html",
    )


@lru_cache(maxsize=1)
def _summary_converter() -> markdown.Markdown:
    """Build a light converter for one-line summaries: emphasis, code and links are all they use."""
    return markdown.Markdown(extensions=[BoundedLinks(), QuickInline()], output_format="html")


def _cleaned(html: str, sanitize: bool) -> str:
    """Drop references to characters XML cannot carry, and sanitize unless the site trusts its writers."""
    html = drop_forbidden_references(html)
    return sanitize_html(html) if sanitize else html


def render_summary(text: str, *, sanitize: bool = True) -> str:
    """Render a summary written in front matter."""
    converter = _summary_converter()
    converter.reset()
    return _cleaned(converter.convert(text), sanitize)


def render_inline(text: str, *, sanitize: bool = True) -> str:
    """Render a line of front matter text (an update) as inline HTML: one paragraph loses its <p>."""
    html = render_summary(text, sanitize=sanitize)
    inner = html.removeprefix("<p>").removesuffix("</p>")
    return inner if len(inner) + 7 == len(html) and "<p>" not in inner else html


def count_words(html: str) -> int:
    """Count the words a reader reads (CJK characters count one each)."""
    text = _TAGS.sub(" ", html)
    return len(_WORDS.findall(_CJK.sub(" ", text))) + len(_CJK.findall(text))


def render_markdown(
    text: str, anchor_title: str = "", title: str = "", emoji: bool = False, *, sanitize: bool = True
) -> Rendered:
    """Render markdown; the summary is what stands before `<!-- more -->`, else an excerpt of the body's prose.

    A leading `# Title` that repeats the story's title is dropped: the page shows the title already. Raw
    HTML goes through the sanitizer (`sanitize.py`) unless `sanitize` is false (`unsafe_html: true`).
    """
    converter = _converter(anchor_title, emoji)
    converter.reset()
    html = converter.convert(drop_title(text, title))
    toc = getattr(converter, "toc", "")
    marker = MORE_MARKER.search(html)  # looked for before sanitizing, which drops comments
    if marker:
        summary = _cleaned(html[: marker.start()].strip(), sanitize)
        html = (html[: marker.start()] + html[marker.end() :]).strip()
    html = _cleaned(html, sanitize)
    if not marker:  # an excerpt of the sanitized body's text carries nothing the body does not
        summary = excerpt(html)
    toc = _cleaned(toc, sanitize) if "<li>" in toc else ""
    return Rendered(html, summary, toc, count_words(html))


def _prose_blocks(html: str) -> Iterator[tuple[str, int, int]]:
    """Give each paragraph and list item outside headings, code and tables: its text, links, words outside links."""
    skipped = 0  # depth inside elements an excerpt never quotes
    text: list[str] = []
    links = plain = 0
    in_link = in_title = False
    for kind, raw, name, _ in tokens(html):
        if raw == _FOOTNOTES:
            break
        if kind in ("text", "entity"):
            value = htmllib.unescape(raw)
            # A bare URL, linked, is not something to read in a summary.
            if not skipped and not (in_link and value.startswith(("http://", "https://", "www."))):
                text.append(value)
                plain += 0 if in_link else len(_WORDS.findall(value))
        elif name in _NOT_PROSE or (name == "p" and (in_title or "admonition-title" in raw)):
            # An alert's title ("Note") is a label, not prose: skipped to its own end, as code is.
            in_title = name == "p" and kind == "start"
            skipped += 1 if kind == "start" else -1 if skipped else 0
        elif name == "a" and not skipped:
            in_link = kind == "start"
            links += in_link
        elif name in ("p", "li", "ul", "ol", "div", "blockquote") and not skipped:
            # Each block ends where another starts or ends: an item's own text stops at its nested list.
            block = " ".join("".join(text).split())
            if block:
                yield block, links, plain
            text, links, plain = [], 0, 0


def excerpt(html: str, limit: int = EXCERPT_WORDS) -> str:
    """Quote the first words of a body's prose as a paragraph, leaving out headings, code and lists of links."""
    kept: list[str] = []
    units = 0
    for block, links, plain in _prose_blocks(html):
        if links and (plain == 0 or (links > 1 and plain <= links)):
            continue  # links, hardly any words: "Downloads: [tar.gz](…) | [zip](…)", nothing to read
        for match in _EXCERPT_UNITS.finditer(block):
            units += 1 if _CJK.match(match.group()) else 2
            if units > limit * 2:
                cut = " ".join([*kept, block[: match.start()].rstrip()]).strip()
                return f"<p>{htmllib.escape(cut, quote=False)}…</p>"
        kept.append(block)
    return f"<p>{htmllib.escape(' '.join(kept), quote=False)}</p>" if kept else ""


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


def link_refs(html: str) -> list[str]:
    """List every href, src, poster and srcset URL of an HTML fragment, in order."""
    found: list[str] = []

    def collect(ref: str) -> str:
        found.append(ref)
        return ref

    rewrite_links(html, collect)
    return found
