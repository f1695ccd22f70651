"""The output checks on hand-made pages: how links, fragments, srcset and encodings are read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.publish.outputcheck import output_files, read_page
from tests.conftest import NOW, gazette


def test_a_page_is_read_with_positions() -> None:
    last = (
        '<img srcset="a.png 1x, b%20c.png 2x" src="d.png"><a name="old">x</a><video poster="p.jpg"></video>'
        '<meta http-equiv="Refresh" content="0; url=/x/">'
    )
    page = read_page(
        '<!DOCTYPE html>\n<html><head><title>T &amp; U</title></head>\n<body><h1 id="top-1">A</h1>\n' + last
    )
    assert page.title == "T & U"
    assert page.ids == {"top-1", "old"}
    assert page.headings == [(3, 7)]
    assert page.links == [("a.png", 4, 1), ("b%20c.png", 4, 1), ("d.png", 4, 1), ("p.jpg", 4, last.index("<video") + 1)]
    assert page.redirect


def test_hidden_files_of_the_output_are_left_out(tmp_path: Path) -> None:
    for name in ("a.html", ".git/config", "b/.hidden", "b/c.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    assert output_files(tmp_path) == {"a.html", "b/c.txt"}


SITE: dict[str, str | bytes] = {
    "site.yaml": "title: Hand\nbase_url: https://example.org/blog/\n",
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
    "static/img/a b.png": b"\x89PNG\r\n\x1a\n",
    "static/café/menu.txt": "menu",
    # A user's own files: no heading or title is asked of them, not rendered from the theme.
    "static/google1234.html": "google-site-verification: google1234.html\n",
    "static/old/page.html": "<!doctype html><html><body><p>An old page, kept.</p></body></html>",
}


def test_links_are_read_as_a_browser_reads_them(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(SITE)
    monkeypatch.chdir(site)
    assert gazette("build", "--now", NOW).code == 0
    page = site / "output/about/index.html"
    good = [
        "/blog/img/a%20b.png",  # percent-encoded
        "../img/a b.png",  # relative to the page, as written
        "/blog/caf%C3%A9/menu.txt",
        "https://example.org/blog/about",  # a folder without its slash: its index.html
        "/blog/about/#top",
        "#main",
        "mailto:news@example.org",
        "https://elsewhere.example/x",  # another site: --external's business
        "data:image/png;base64,AAAA",
    ]
    bad = '<img srcset="/blog/img/a%20b.png 1x, /blog/img/none.png 2x" alt="">'
    links = "".join(f'<a href="{href}">x</a>' for href in good)
    text = page.read_text("utf-8")
    line = text[: text.index("<main")].count("\n") + 1
    page.write_text(text.replace("<main", links + bad + "<main", 1), "utf-8")
    run = gazette("check", "--now", NOW)
    assert run.code == 1
    col = text[: text.index("<main")].rfind("\n")
    assert run.err.splitlines()[0] == (
        f"output/about/index.html:{line}:{text.index('<main') - col + len(links)}: error: '/blog/img/none.png' finds "
        "no file: output/img/none.png does not exist"
    )
    assert run.err.count(": error: ") == 1


def test_only_the_documents_own_title_counts() -> None:
    assert read_page("<!doctype html><title></title><svg><title>Icon</title></svg>").title == ""
    assert read_page("<!doctype html><h1>No title</h1>").title is None
