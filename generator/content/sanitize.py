"""The raw HTML policy: what a story body may carry, enforced by nh3 (the Ammonia sanitizer). Pure.

Bodies are written by people who paste from anywhere, so their raw HTML is untrusted (DESIGN §8):
it keeps what articles use and loses what can run code or restyle the page around it.

- Kept: text structure (headings, paragraphs, lists, quotes, `pre`/`code`, tables with their
  alignment), `figure`/`figcaption`, `details`/`summary`, `img` with `srcset`/`sizes`/`loading`,
  `picture`/`source`, `video`/`audio`/`track` with their controls, `sub`/`sup`, `abbr`/`dfn`/`kbd`,
  `del`/`ins`/`mark`, ruby annotations, disabled task-list checkboxes, iframes of other sites' https pages
  (videos), sandboxed; `id` for anchors, `class` for code highlighting and footnotes, `title`,
  `lang`/`dir`, and inline `style` limited to a few harmless properties (alignment, colour, size).
- Dropped with their content: `script`, `style`, `template`, `noscript`, `object`, `embed`, forms.
- Dropped: event handlers (`onerror=`), every other attribute, and URLs whose scheme is not http,
  https, mailto, tel or relative (`javascript:`, `vbscript:`, `data:`).

Code blocks and inline code are text to the sanitizer: a post about XSS shows its payloads.
"""

from __future__ import annotations

from functools import lru_cache

import nh3

_TAGS = frozenset(
    {"a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
     "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
     "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "iframe", "img", "input", "ins",
     "kbd", "label", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
     "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
     "time", "tr", "track", "u", "ul", "var", "video", "wbr"}
)  # fmt: skip
_CLEAN_CONTENT = frozenset({"script", "style", "template", "noscript", "object", "embed", "form", "textarea", "select"})
_ANY_TAG = frozenset({"id", "class", "title", "lang", "dir", "style", "role", "aria-label", "aria-hidden"})
_ATTRIBUTES = {
    "*": _ANY_TAG,
    "a": frozenset({"href", "hreflang", "name", "rel", "target"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"}),
    "source": frozenset({"src", "srcset", "sizes", "type", "media", "width", "height"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline", "preload"}),
    "audio": frozenset({"src", "controls", "loop", "muted", "preload"}),
    "track": frozenset({"src", "kind", "srclang", "label", "default"}),
    "iframe": frozenset({"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"}),
    "input": frozenset({"type", "checked", "disabled"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime", "cite"}),
    "ins": frozenset({"datetime", "cite"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "details": frozenset({"open"}),
    "abbr": frozenset({"title"}),
}
_STYLE_PROPERTIES = frozenset(
    {"text-align", "color", "background-color", "font-weight", "font-style", "text-decoration", "width", "height",
     "max-width", "vertical-align", "white-space"}
)  # fmt: skip
_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Set whatever the writer wrote: an embedded page runs in a sandbox, a checkbox cannot be ticked by readers.
_FORCED = {
    "iframe": {"sandbox": "allow-scripts allow-same-origin allow-popups allow-presentation"},
    "input": {"disabled": ""},
}


def _embed_only_elsewhere(tag: str, attribute: str, value: str) -> str | None:
    """Let an iframe show only another site's https page: its sandbox may then allow scripts safely."""
    if tag == "iframe" and attribute == "src" and not value.strip().lower().startswith("https://"):
        return None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Build the sanitizer once: the allowlist above."""
    return nh3.Cleaner(
        tags=set(_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        url_schemes=set(_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties=set(_STYLE_PROPERTIES),
        set_tag_attribute_values=_FORCED,
        attribute_filter=_embed_only_elsewhere,
    )


def sanitize_html(html: str) -> str:
    """Keep what articles use of an HTML fragment and drop what can run code (see the module's policy)."""
    return _cleaner().clean(html)
