"""Links between stories: `[x](other.md#part)` in a body becomes the URL of that story. Pure.

A story's file names the file it links to, relative to its own folder, as a writer browsing the
repository sees it (Hugo's `ref`, Zola's `@/`). Parsing finds such links (`find_story_links`, cached
with the story); once every story is parsed, `resolve_story_links` puts the other story's URL in their
place, keeping the fragment, and reports a link to a file that is no story at the link's own line.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import unquote

from generator.content.htmltokens import attributes, tokens
from generator.content.markup import rewrite_links
from generator.content.sources import MARKDOWN_SUFFIXES
from generator.errors import Diagnostic, at_line
from generator.model import Article, StoryLink
from generator.site.assemble import is_published
from generator.urls import site_path, split_url


def story_target(from_path: str, ref: str) -> tuple[str, str] | None:
    """Read a link as one to a story's file: (the file's path from the site root, the fragment), else None.

    Only a relative link whose path ends in `.md` or `.markdown` is one: `other.md`, `../2023/x/index.md#part`.
    """
    parts = split_url(ref.strip())
    if parts is None or parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    if not path.lower().endswith(MARKDOWN_SUFFIXES):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), path)), parts.fragment


def _hrefs(html: str) -> Iterable[str]:
    """Give the href of every `<a>` of an HTML fragment."""
    for kind, raw, name, _ in tokens(html):
        if kind == "start" and name == "a":
            yield from (a.value for a in attributes(raw) if a.name == "href" and a.value is not None)


def find_story_links(from_path: str, *htmls: str) -> tuple[StoryLink, ...]:
    """List the links to stories' files in a story's rendered HTML, each link written once."""
    found: dict[str, StoryLink] = {}
    for html in htmls:
        if ".md" not in html and ".markdown" not in html:  # the common case: nothing to parse
            continue
        for ref in _hrefs(html):
            target = story_target(from_path, ref)
            if target is not None and ref not in found:
                found[ref] = StoryLink(ref, target[0])
    return tuple(found.values())


def with_links(article: Article, links: tuple[StoryLink, ...]) -> Article:
    """Put resolved links (each with its URL) in a story's HTML, and keep them in its `links`."""
    urls = {link.ref: link.url for link in links if link.url}
    if not urls:
        return replace(article, links=links)

    def resolve(ref: str) -> str:
        return urls.get(ref, ref)

    return replace(
        article,
        html=rewrite_links(article.html, resolve),
        summary_html=rewrite_links(article.summary_html, resolve),
        deck_html=rewrite_links(article.deck_html, resolve),
        links=links,
    )


def locate(text: str, ref: str) -> tuple[int, int]:
    """Find where a link is written in a markdown file: its 1-based line and column (1, 1 when not found).

    Inline links (`](ref`), reference definitions (`]: ref`) and autolinks (`<ref>`) are looked for
    first, so a file name that also appears in prose is found where it is a link.
    """
    for before, after in (("](", ""), ("]: ", ""), ("]:", ""), ("](<", ">"), ("<", ">"), ("", "")):
        at = text.find(before + ref + after)
        if at >= 0:
            at += len(before)
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1
    return 1, 1


def _at_link(
    path: str, text_of: Callable[[str], str], link: StoryLink, message: str, *, warning: bool = False
) -> Diagnostic:
    """Make a diagnostic at the place a link is written in its story's file."""
    text = text_of(path)
    line, col = locate(text, link.ref)
    return at_line(path, text, line, col, message, warning=warning)


def _unpublished(target: Article, now: dt.datetime, *, drafts: bool, future: bool) -> str | None:
    """Say why a linked story is not in this build, or None when it is."""
    if is_published(target, now, drafts=drafts, future=future):
        return None
    if target.draft and not drafts:
        return "a draft"
    assert target.date is not None  # neither a draft nor dated: it would be published
    return f"scheduled for {target.date.isoformat()}"


def resolve_story_links(
    articles: tuple[Article, ...],
    text_of: Callable[[str], str],
    base_path: str,
    now: dt.datetime,
    *,
    drafts: bool = False,
    future: bool = False,
) -> tuple[tuple[Article, ...], tuple[Diagnostic, ...]]:
    """Give each story's links to other stories their URLs; a link to no story is an error where it is written.

    `text_of` gives a story's source text by its path, to locate a broken link. A link to a story this
    build leaves out (a draft, a scheduled story) gets its URL, with a warning: it leads nowhere yet. In
    a story this build leaves out, a broken link is a warning: it is on no page yet.
    """
    by_path = {article.path: article for article in articles}
    resolved: list[Article] = []
    problems: list[Diagnostic] = []
    for article in articles:
        if not article.links:
            resolved.append(article)
            continue
        links = []
        # A story this build leaves out breaks no page: its broken links are told, but fail nothing yet.
        built = is_published(article, now, drafts=drafts, future=future)
        for link in article.links:
            target = by_path.get(link.target)
            if target is None:
                message = (
                    f"'{link.ref}' links to {link.target}, which is no story of this site; "
                    "fix the path (it is read from this file's folder) or remove the link"
                )
                problems.append(_at_link(article.path, text_of, link, message, warning=not built))
                continue
            why = _unpublished(target, now, drafts=drafts, future=future)
            if why is not None and built:
                message = f"'{link.ref}' links to {link.target}, {why}: the link leads nowhere until it is published"
                problems.append(_at_link(article.path, text_of, link, message, warning=True))
            fragment = link.ref.partition("#")[2]
            url = site_path(base_path, target.url) + (f"#{fragment}" if fragment else "")
            links.append(replace(link, url=url))
        resolved.append(with_links(article, tuple(links)))
    return tuple(resolved), tuple(problems)
