"""Every rule about URLs, slugs and output paths lives here. Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Container
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

FeedFormat = Literal["rss", "atom", "json"]

MAX_SLUG_BYTES = 96

# Letters that do not decompose into an ASCII letter plus accents.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
     "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "ı": "i", "’": "-", "'": "-"}
)  # fmt: skip
# Symbols that carry meaning in tech names: C++, C#, F#, AT&T, .NET.
_SYMBOLS = (("++", " plus plus "), ("+", " plus "), ("#", " sharp "), ("&", " and "), ("@", " at "))
_NON_WORD = re.compile(r"[^\w]+")
_DASHES = re.compile("-{2,}")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
PERMALINK_FIELDS = ("year", "month", "day", "slug")


def _fold_char(ch: str) -> str:
    """Fold one character: Latin letters lose their accents, other scripts stay as they are."""
    if ch.isascii():
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed and decomposed[0].isascii():
        return "".join(c for c in decomposed if c.isascii())
    return ch


@lru_cache(maxsize=65536)  # pure, and asked for each tag of each story on every page that lists it
def slugify(text: str) -> str:
    """Make a URL-safe name: lowercase, accents folded, CJK kept, never empty, '.', '..' or '/'."""
    value = text.strip()
    if value.startswith("."):
        value = "dot" + value[1:]  # .NET -> dotnet
    for symbol, word in _SYMBOLS:
        value = value.replace(symbol, word)
    value = unicodedata.normalize("NFC", value.translate(_FOLD))
    value = "".join(_fold_char(ch) for ch in value).lower()
    value = _NON_WORD.sub("-", value).replace("_", "-")
    value = _DASHES.sub("-", value).strip("-")
    while len(value.encode()) > MAX_SLUG_BYTES:
        cut = value.rfind("-", 0, len(value) - 1)
        value = value[:cut] if cut > 8 else value[:-1]
    if not value:
        value = "x-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return value


# One URL path segment as RFC 3986 allows it unencoded (letters of any script included, as IRIs do).
_SEGMENT = re.compile(r"[\w\-.~!$&'()*+,;=:@]+")
MAX_SEGMENT_BYTES = 255  # the longest file name most file systems take


def slug_problem(slug: str) -> str | None:
    """Say why a slug written by hand cannot be used as it is, or None when it is one valid path segment."""
    if slug in (".", "..") or slug.startswith("."):
        return "it would name a hidden folder or leave its own"
    if not _SEGMENT.fullmatch(slug):
        shown = next(ch for ch in slug if not _SEGMENT.fullmatch(ch))
        return f"{shown!r} cannot stand in one part of a URL"
    if len(slug.encode()) > MAX_SEGMENT_BYTES:
        return f"it is longer than {MAX_SEGMENT_BYTES} bytes, which file systems refuse"
    return None


def permalink_problem(pattern: str) -> str | None:
    """Say what is wrong with a permalink pattern, or None when it is usable."""
    if not (pattern.startswith("/") and pattern.endswith("/")):
        return "the permalink must start and end with '/', like /{year}/{month}/{slug}/"
    unknown = [name for name in _PLACEHOLDER.findall(pattern) if name not in PERMALINK_FIELDS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}} in permalink; use {{year}}, {{month}}, {{day}}, {{slug}}"
    if "{slug}" not in pattern:
        return "the permalink must contain {slug}, or two posts of one day would share a URL"
    return None


def post_url(pattern: str, date: dt.datetime, slug: str) -> str:
    """Fill a permalink pattern for a post: '/2024/10/slug/'."""
    values = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "slug": slug,
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], pattern)


def page_url(slug: str) -> str:
    """Give a standalone page (about, contact) its URL: '/about/'."""
    return f"/{slug}/"


def tag_url(name: str) -> str:
    """Give a tag's page its URL: '/tags/securite/'."""
    return f"/tags/{slugify(name)}/"


def source_url(name: str) -> str:
    """Give an outlet's page its URL: '/sources/ithome/'."""
    return f"/sources/{slugify(name)}/"


def section_url(word: str) -> str:
    """Give a section named by a word of the theme's language its URL: 'auteurs' -> '/auteurs/'."""
    return f"/{slugify(word)}/"


def author_url(section: str, name: str) -> str:
    """Give an author's page its URL inside the authors' section: '/auteurs/claire-martin/'."""
    return f"{section}{slugify(name)}/"


TAGS_URL = "/tags/"
AUTHORS_URL = "/authors/"  # in English; a theme names the authors' section in its language ('/auteurs/')
SOURCES_URL = "/sources/"
ARCHIVES_URL = "/archives/"
NOT_FOUND_URL = "/404.html"
NOJEKYLL_URL = "/.nojekyll"
CNAME_URL = "/CNAME"
REDIRECTS_URL = "/_redirects"
SITEMAP_URL = "/sitemap.xml"
NEWS_SITEMAP_URL = "/news-sitemap.xml"
ROBOTS_URL = "/robots.txt"
SEARCH_URL = "/search/"
CORRECTIONS_URL = "/corrections/"  # the same word in French and English
SEARCH_BUNDLE_URL = "/pagefind/"  # Pagefind's index and scripts, made by the build when search is on
_FEED_FILES: dict[FeedFormat, str] = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


def feed_url(base: str, kind: FeedFormat = "rss") -> str:
    """Give the feed of a list rooted at `base` ('/' or '/tags/ia/') its URL: '/tags/ia/feed.xml'."""
    return base + _FEED_FILES[kind]


def list_url(base: str, number: int) -> str:
    """Give page `number` of a list rooted at `base` ('/' or '/tags/ia/') its URL."""
    return base if number == 1 else f"{base}page/{number}/"


_URL_SAFE = "/#?=&%:@!$'()*+,;~"  # what a site URL keeps as written when it is put in a link


def output_path(url: str) -> str:
    """Map a site URL to a file inside output/: '/a/b/' -> 'a/b/index.html', '/404.html' -> '404.html'."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


@lru_cache(maxsize=16384)  # pages link the same stories, tags and feeds again and again
def site_path(base_path: str, url: str) -> str:
    """Prefix a site URL with the base path, percent-encoding what needs it: '/blog/2024/10/x/'."""
    return base_path.rstrip("/") + quote(url, safe=_URL_SAFE)


@lru_cache(maxsize=16384)
def absolute(base_url: str, url: str) -> str:
    """Make a site URL absolute under base_url (which may carry a sub-path)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return urljoin(base, quote(url.lstrip("/"), safe=_URL_SAFE))


def rebase_link(base_path: str, ref: str) -> str:
    """Put a root-relative link written in content under the site's base path: '/img/a.png' -> '/blog/img/a.png'."""
    if ref.startswith("/") and not ref.startswith("//"):
        return base_path.rstrip("/") + ref
    return ref


def resolve_link(page_url: str, ref: str) -> str:
    """Make a link found in a page absolute, as a browser would read it on that page (page_url is absolute).

    A link Python cannot parse (`http://[::1`, a broken IPv6 host) is left as written.
    """
    try:
        return urljoin(page_url, ref.strip())
    except ValueError:
        return ref


def split_url(url: str) -> SplitResult | None:
    """Split a URL into its parts, or give None when it cannot be parsed (`https://[::1/`)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading the port is what checks it)
    except ValueError:
        return None
    return parts


def is_web_url(url: str) -> bool:
    """Tell whether a text is a full http(s) URL with a host."""
    parts = split_url(url)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def host_name(url: str) -> str:
    """Name the site a link goes to, as readers know it: 'https://www.ithome.com/0/1.htm' -> 'ithome.com'."""
    parts = split_url(url)
    return (parts.hostname or parts.netloc if parts else url).removeprefix("www.")


def short_url(url: str) -> str:
    """Write a URL as readers read it, without scheme and 'www.': 'https://www.ithome.com/rss/' -> 'ithome.com/rss/'."""
    parts = split_url(url)
    if parts is None or not parts.netloc:
        return url
    return host_name(url) + (parts.path if parts.path != "/" else "")


def read_alias(written: str) -> tuple[str, str | None]:
    """Turn an old URL written in front matter into a site URL, with why it cannot be one (or None).

    An alias is a path inside the site, as the story's old links wrote it: '/2019/10/ancien-slug/'.
    Percent-escapes are read ('/caf%C3%A9/' is '/café/'); a path that does not end in '.html' or
    '.htm' names a folder, as Hugo reads it ('/old/url' is '/old/url/').
    """
    value = unquote(written.strip())
    if is_web_url(value) or value.startswith("//"):
        return value, "it must be a path inside the site, like /2019/10/old-slug/, not a full URL"
    if not value.startswith("/"):
        return value, "it must start with '/', like /2019/10/old-slug/"
    if "?" in value or "#" in value:
        return value, "a query or #fragment never reaches the server; write the path alone"
    parts = [part for part in value.split("/") if part]
    for part in parts:
        if (problem := slug_problem(part)) is not None:
            return value, f"its part '{part}' cannot name a file: {problem}"
    url = "/" + "/".join(parts)
    if not parts or PurePosixPath(url).suffix.lower() not in (".html", ".htm"):
        url = url.rstrip("/") + "/"
    return url, None


def relative_link(page: str, ref: str, base_path: str) -> str:
    """Make a link to the site, written under its base path, relative to the page `page` (a site URL).

    A folder link gets its `index.html`, so it also works from disk (`file://`); links that do not
    start with the base path (other sites, `#top`, `mailto:`) are left as written.
    """
    if not ref.startswith(base_path) or ref.startswith("//"):
        return ref
    path, mark, rest = _split_suffix(ref[len(base_path) - 1 :])
    if path.endswith("/"):
        path += "index.html"
    folder = quote(page if page.endswith("/") else page.rsplit("/", 1)[0] + "/", safe=_URL_SAFE)
    return posixpath.relpath(path, folder) + mark + rest


def _split_suffix(ref: str) -> tuple[str, str, str]:
    """Cut a link into its path, the mark that ends it ('?' or '#', or ''), and what follows."""
    cut = min((ref.find(mark) for mark in "?#" if mark in ref), default=len(ref))
    return ref[:cut], ref[cut : cut + 1], ref[cut + 1 :]


ASSET_HASH_LENGTH = 10


def hashed_url(url: str, digest: str) -> str:
    """Put a digest of a file's content in its name: '/static/style.css' -> '/static/style.3f2a9c1b0d.css'."""
    path = PurePosixPath(url)
    return str(path.with_name(f"{path.stem}.{digest[:ASSET_HASH_LENGTH]}{path.suffix}"))


_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def host_problem(host: str) -> str | None:
    """Say why a text is no host name to serve a site on (like 'blog.example.org'), or None when it is one."""
    if "://" in host or "/" in host:
        return "write the host name alone, like blog.example.org, with no https:// and no path"
    labels = host.lower().split(".")
    if len(labels) < 2 or len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return "it must be a host name, like blog.example.org (letters, digits and '-', parts joined by dots)"
    return None


def path_in_site(base_url: str, url: str) -> str | None:
    """Give the decoded path below base_url that an absolute URL names ('https://example.org/blog/a/' -> 'a/').

    None when the URL is not the site's: another scheme or host, or a path outside the base path.
    """
    parts, base = split_url(url), split_url(base_url)
    if parts is None or base is None or parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return None
    path, prefix = unquote(parts.path), unquote(base.path).rstrip("/") + "/"
    if path == prefix.rstrip("/"):
        return ""
    return path[len(prefix) :] if path.startswith(prefix) else None


def served_file(path: str, files: Container[str]) -> str:
    """Name the file a static host serves for a path below the site's root: a folder's index.html for 'a/' or 'a'."""
    file = output_path("/" + path)
    folder_index = f"{path}/index.html"
    return folder_index if file not in files and folder_index in files else file
