"""A 50-article site under a sub-path: home and tag pagination, tag slugs, and not one broken link."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

from tests.conftest import NOW, gazette, write_tree

BASE = "https://example.org/blog/"
TAGS = ["C++", "C#", ".NET", "CI/CD", "sécurité", "人工智能", "IA", "ia", "Rust"]
SLUGS = {"C++": "c-plus-plus", "C#": "c-sharp", ".NET": "dotnet", "CI/CD": "ci-cd", "sécurité": "securite",
         "人工智能": "人工智能", "IA": "ia", "ia": "ia", "Rust": "rust"}  # fmt: skip


def fifty_articles() -> dict[str, str | bytes]:
    """Write 50 posts, one every 9 days and a few hours, each with two or three tags and a source."""
    files: dict[str, str | bytes] = {
        "site.yaml": "title: Cinquante\nbase_url: https://example.org/blog/\nlanguage: fr\nper_page: 10\n",
        "static/img/logo.png": b"\x89PNG\r\n\x1a\n",
        "content/pages/about.md": "---\ntitle: À propos\n---\nVoir [la une](/) et [les archives](/archives/).\n",
    }
    start = dt.datetime(2023, 3, 1, 8, 0, tzinfo=dt.UTC)
    for n in range(50):
        date = start + dt.timedelta(days=9 * n, hours=n % 7)
        tags = [TAGS[n % 9], TAGS[(n * 4 + 1) % 9]] + (["IA"] if n % 5 == 0 else [])
        previous = (start + dt.timedelta(days=9 * (n - 1))).strftime("/%Y/%m/") + f"post-{n - 1:02d}/"
        body = f"Brève numéro {n}. ![logo](/img/logo.png)"
        if n:
            body += f" Voir [la précédente]({previous})."
        files[f"content/posts/post-{n:02d}.md"] = (
            f"---\ntitle: Brève {n}\ndate: {date.isoformat()}\ntags: {tags!r}\n"
            f"source: {{name: {['ITHome', 'Heise', 'ithome'][n % 3]}, url: 'https://news.example.com/{n}'}}\n"
            f"---\n{body}\n"
        )
    return files


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def target_file(out: Path, page_url: str, link: str) -> Path | None:
    """Map a link found on the page at `page_url` to the file it needs in out/, or None when it leaves the site."""
    absolute = urljoin(page_url, link)
    if not absolute.startswith(("http://", "https://")):
        return None  # mailto:, data:…
    if urlsplit(absolute).netloc != "example.org":
        return None
    path = unquote(urlsplit(absolute).path)
    assert path.startswith("/blog/"), f"{link} on {page_url} leaves the base path"
    relative = path.removeprefix("/blog/")
    return out / (relative + "index.html" if relative.endswith("/") or not relative else relative)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fifty")
    site = write_tree(root / "site", fifty_articles())
    run = gazette("build", "--site", site, "--output", root / "out", "--now", NOW)
    assert run.code == 0, run.err
    assert run.out.startswith("Built 50 articles and 1 page into ")
    return root / "out"


def cards(page: Path) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="([^"]+)">', page.read_text("utf-8"))


def pager(page: Path) -> tuple[str | None, str | None]:
    text = page.read_text("utf-8")
    prev = re.search(r'<a rel="prev" href="([^"]+)"', text)
    after = re.search(r'<a rel="next" href="([^"]+)"', text)
    return (prev.group(1) if prev else None, after.group(1) if after else None)


def test_home_is_paginated_ten_by_ten_newest_first(out: Path) -> None:
    pages = [out / "index.html"] + [out / f"page/{n}/index.html" for n in range(2, 6)]
    assert not (out / "page/6").exists() and not (out / "page/1").exists()
    listed = [url for page in pages for url in cards(page)]
    assert len(listed) == 50 and [len(cards(page)) for page in pages] == [10] * 5
    assert listed[0].endswith("/post-49/") and listed[-1].endswith("/post-00/")
    assert [pager(page) for page in pages] == [
        (None, "/blog/page/2/"),
        ("/blog/", "/blog/page/3/"),
        ("/blog/page/2/", "/blog/page/4/"),
        ("/blog/page/3/", "/blog/page/5/"),
        ("/blog/page/4/", None),
    ]


def test_each_tag_has_its_slug_and_its_pages(out: Path) -> None:
    expected: dict[str, list[int]] = {}
    for n in range(50):
        names = {TAGS[n % 9], TAGS[(n * 4 + 1) % 9]} | ({"IA"} if n % 5 == 0 else set())
        for slug in {SLUGS[name] for name in names}:
            expected.setdefault(slug, []).append(n)
    assert sorted(p.name for p in (out / "tags").iterdir() if p.is_dir()) == sorted(expected)
    for slug, numbers in expected.items():
        count = -(-len(numbers) // 10)
        pages = [out / "tags" / slug / "index.html"] + [
            out / "tags" / slug / f"page/{k}/index.html" for k in range(2, count + 1)
        ]
        assert not (out / "tags" / slug / f"page/{count + 1}").exists()
        listed = [url for page in pages for url in cards(page)]
        assert listed == [f"/blog/{u}" for u in sorted(_urls(out, numbers), reverse=True)], slug
        feed = feedparser.parse(out / "tags" / slug / "feed.xml")
        assert not feed.bozo and len(feed.entries) == min(len(numbers), 20)


def _urls(out: Path, numbers: list[int]) -> list[str]:
    """Find the URLs of the posts with these numbers (their folder gives year and month)."""
    found = {p.parent.name: p.parent.relative_to(out).as_posix() + "/" for p in out.glob("*/*/post-*/index.html")}
    return [found[f"post-{n:02d}"] for n in numbers]


def test_ia_and_ia_are_one_tag_shown_in_its_most_common_spelling(out: Path) -> None:
    index = (out / "tags/index.html").read_text("utf-8")
    assert '<a href="/blog/tags/ia/" rel="tag">IA</a>' in index
    assert 'rel="tag">ia</a>' not in index
    assert '<a href="/blog/tags/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD/" rel="tag">人工智能</a>' in index


def test_no_link_of_any_page_or_feed_is_broken(out: Path) -> None:
    checked = 0
    broken = []
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        page_url = BASE + relative.removesuffix("index.html")
        for link in links_of(page.read_text("utf-8")):
            target = target_file(out, page_url, link)
            if target is not None:
                checked += 1
                if not target.is_file():
                    broken.append(f"{relative}: {link}")
    for name in ("feed.xml", "atom.xml"):
        for entry in feedparser.parse(out / name).entries:
            for link in [entry.link, *links_of(entry.content[0].value)]:
                assert link.startswith(("https://", "#")), link
                target = target_file(out, BASE, link)
                if target is not None:
                    checked += 1
                    if not target.is_file():
                        broken.append(f"{name}: {link}")
    assert broken == []
    assert checked > 2000
