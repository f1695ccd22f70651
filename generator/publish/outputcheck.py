"""The output checks of `gazette check`: a built site, read as browsers, feed readers and crawlers read it.

Every page is parsed with the standard library's HTML parser (positions included); every link inside
the site (`href`, `src`, `poster`, `srcset`) must find a file, and its `#fragment` an id on the page it
finds; feeds and sitemaps are parsed as XML and JSON; the sitemap must list exactly the stories published
now, and no draft or scheduled story may be in the output. Reads files only.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

from generator.content.links import locate
from generator.errors import Diagnostic, Finding
from generator.publish.contentcheck import Content
from generator.urls import SITEMAP_URL, absolute, is_web_url, output_path, path_in_site, resolve_link, served_file

FEED_FILES = ("feed.xml", "atom.xml", "feed.json")
_ATOM = "{http://www.w3.org/2005/Atom}"
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_LINKING = frozenset({"href", "src", "poster"})


@dataclass(slots=True)
class Page:
    """What the checks need of one HTML file: its ids, links, `<h1>`s and title, with positions."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int, int]] = field(default_factory=list)  # (URL as written, line, column)
    headings: list[tuple[int, int]] = field(default_factory=list)
    title: str | None = None
    redirect: bool = False  # a meta refresh page, which shows no heading


class _PageReader(HTMLParser):
    """Collect a page's ids, links, headings and title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self._read_attributes(tag, attrs, (line, offset + 1))
        page = self.page
        if tag == "h1":
            page.headings.append((line, offset + 1))
        elif tag == "title" and page.title is None:  # the document's own; an SVG's <title> is no page title
            self._in_title, page.title = True, ""
        elif tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            page.redirect = True

    def _read_attributes(self, tag: str, attrs: list[tuple[str, str | None]], where: tuple[int, int]) -> None:
        """Keep a start tag's ids and the URLs it links to."""
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name in _LINKING:
                self.page.links.append((value, *where))
            elif name == "srcset":
                candidates = (c.strip().partition(" ")[0] for c in value.split(","))
                self.page.links += [(url, *where) for url in candidates if url]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title = (self.page.title or "") + data


def read_page(html: str) -> Page:
    """Read one HTML page."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.page


def output_files(out_dir: Path) -> set[str]:
    """List the files of an output folder as paths from it, hidden files and folders left out."""
    found: set[str] = set()
    for directory, folders, names in os.walk(out_dir):
        folders[:] = [f for f in folders if not f.startswith(".")]
        inside = Path(directory).relative_to(out_dir).as_posix()
        prefix = "" if inside == "." else inside + "/"
        found.update(prefix + name for name in names if not name.startswith("."))
    return found


@dataclass(frozen=True, slots=True)
class Output:
    """A built site: its folder, its files, and how the site is addressed."""

    folder: Path
    shown: str  # the folder as diagnostics name it
    files: frozenset[str]
    base_url: str
    base_path: str

    def target(self, url: str) -> str | None:
        """Give the file an absolute URL of this site is served from, or None when the URL is not the site's."""
        path = path_in_site(self.base_url, url)
        return None if path is None else served_file(path, self.files)

    def diagnostic(self, path: str, line: int, col: int, message: str) -> Diagnostic:
        """Make an error about one file of the output."""
        return Diagnostic(f"{self.shown}/{path}", line, col, message)


def _link_problem(output: Output, pages: dict[str, Page], page_url: str, ref: str) -> tuple[str, str] | None:
    """Say what is wrong with one link of a page, as (check, message), or None when it finds its target."""
    url = resolve_link(page_url, ref)
    target = output.target(url)
    if target is None:
        outside = ref.startswith("/") and not ref.startswith("//") and is_web_url(url)
        return ("broken-link", f"'{ref}' is outside the site's base path {output.base_path}") if outside else None
    if target not in output.files:
        return "broken-link", f"'{ref}' finds no file: {output.shown}/{target} does not exist"
    fragment = unquote(urldefrag(url).fragment)
    page = pages.get(target)
    if fragment and fragment != "top" and page is not None and fragment not in page.ids:
        return "broken-fragment", f"'{ref}' finds no id '{fragment}' on {output.shown}/{target}"
    return None


def _page_findings(output: Output, pages: dict[str, Page], rendered: frozenset[str]) -> Iterator[Finding]:
    """Check every page's links and fragments, and the heading and title of those rendered from templates.

    A user's own HTML in static/ (a host's verification file, an old page) is not asked for a heading.
    """
    for path in sorted(pages):
        page = pages[path]
        page_url = absolute(output.base_url, "/" + path)
        for ref, line, col in page.links:
            problem = _link_problem(output, pages, page_url, ref)
            if problem is not None:
                yield Finding(problem[0], output.diagnostic(path, line, col, problem[1]))
        if path not in rendered:
            continue
        if len(page.headings) != 1 and not page.redirect:
            line, col = page.headings[1] if page.headings else (1, 1)
            count = "no <h1>" if not page.headings else f"{len(page.headings)} <h1> elements"
            yield Finding("heading", output.diagnostic(path, line, col, f"the page has {count}; a page has one"))
        if not (page.title or "").strip():
            yield Finding("title", output.diagnostic(path, 1, 1, "the page has no <title>, or an empty one"))


def _position(text: str, value: str) -> tuple[int, int]:
    """Find where a value is written in a file."""
    return locate(text, value) if value else (1, 1)


def _feed_links(path: str, text: str) -> list[str]:
    """Parse a feed (RSS, Atom or JSON Feed); give its items' links, or raise ValueError saying what is wrong."""
    if path.endswith(".json"):
        data = json.loads(text)
        if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
            raise ValueError("not a JSON Feed: no 'version' naming https://jsonfeed.org/version/…")
        items = data.get("items")
        if not isinstance(items, list) or not all(isinstance(item, dict) and "id" in item for item in items):
            raise ValueError("a JSON Feed's 'items' must be a list of objects, each with an 'id'")
        return [str(item["url"]) for item in items if "url" in item]
    root = ET.fromstring(text)
    if root.tag == "rss" and root.find("channel") is not None:
        return [link.text or "" for link in root.iterfind("channel/item/link")]
    if root.tag == f"{_ATOM}feed":
        return [
            link.get("href", "")
            for link in root.iterfind(f"{_ATOM}entry/{_ATOM}link")
            if link.get("rel") in (None, "alternate")
        ]
    raise ValueError(f"neither an RSS nor an Atom feed: its root element is <{root.tag}>")


def _parse_problem(error: Exception) -> tuple[int, int, str]:
    """Locate and word a feed's parse error."""
    if isinstance(error, ET.ParseError):
        line, col = error.position
        return line, col + 1, f"the feed is not well-formed XML: {error}"
    if isinstance(error, json.JSONDecodeError):
        return error.lineno, error.colno, f"the feed is not valid JSON: {error.msg}"
    return 1, 1, str(error)


def _feed_findings(output: Output) -> Iterator[Finding]:
    """Parse every feed; every item's link inside the site must find a file."""
    for path in sorted(p for p in output.files if p.rpartition("/")[2] in FEED_FILES):
        text = (output.folder / path).read_text("utf-8", errors="replace")
        try:
            links = _feed_links(path, text)
        except (ValueError, ET.ParseError) as error:
            line, col, message = _parse_problem(error)
            yield Finding("feed", output.diagnostic(path, line, col, message))
            continue
        for link in links:
            if (target := output.target(link)) is not None and target not in output.files:
                line, col = _position(text, link)
                yield Finding("feed", output.diagnostic(path, line, col, f"item link {link} finds no file"))


def _sitemap_findings(output: Output, content: Content) -> Iterator[Finding]:
    """Check that the sitemap lists every story published now, and nothing that is not a file or not published."""
    path = output_path(SITEMAP_URL)
    if path not in output.files:
        yield Finding("sitemap", output.diagnostic(path, 0, 0, "there is no sitemap; build again"))
        return
    text = (output.folder / path).read_text("utf-8", errors="replace")
    try:
        locs = [loc.text or "" for loc in ET.fromstring(text).iterfind(f"{_SITEMAP}url/{_SITEMAP}loc")]
    except ET.ParseError as error:
        line, col = error.position
        yield Finding("sitemap", output.diagnostic(path, line, col + 1, f"the sitemap is not well-formed XML: {error}"))
        return
    listed = set(locs)
    published = {absolute(output.base_url, post.url): post for post in content.site.posts}
    hidden = {
        absolute(output.base_url, a.url): a for a in content.articles if a.kind == "post"
    }.keys() - published.keys()
    for loc in locs:
        line, col = _position(text, loc)
        if loc in hidden:
            yield Finding("sitemap", output.diagnostic(path, line, col, f"lists {loc}, a story not published now"))
        elif output.target(loc) not in output.files:
            yield Finding("sitemap", output.diagnostic(path, line, col, f"lists {loc}, which is no file of the site"))
    for url, post in sorted(published.items()):
        if url not in listed:
            message = f"does not list {url} ({post.path}), a published story; build again"
            yield Finding("sitemap", output.diagnostic(path, 1, 1, message))


def _unpublished_findings(output: Output, content: Content) -> Iterator[Finding]:
    """Check that no draft or scheduled story has a page in the output."""
    published = {a.path for a in (*content.site.posts, *content.site.pages)}
    for article in sorted(content.articles, key=lambda a: a.path):
        path = output_path(article.url)
        if article.path in published or path not in output.files:
            continue
        if article.draft:
            why = "a draft; build without --drafts"
        else:
            assert article.date is not None  # neither a draft nor dated: it would be published
            why = f"scheduled for {article.date.isoformat()}; build without --future"
        yield Finding("unpublished", output.diagnostic(path, 1, 1, f"this is the page of {article.path}, {why}"))


def check_output(out_dir: Path, shown: str, content: Content) -> list[Finding]:
    """Run every output check on a built site; findings come in no particular order."""
    config = content.config
    files = output_files(out_dir)
    output = Output(out_dir, shown, frozenset(files), config.base_url, config.base_path)
    pages = {
        path: read_page((out_dir / path).read_text("utf-8", errors="replace"))
        for path in files
        if path.endswith((".html", ".htm"))
    }
    return [
        *_page_findings(output, pages, content.pages or frozenset()),
        *_feed_findings(output),
        *_sitemap_findings(output, content),
        *_unpublished_findings(output, content),
    ]
