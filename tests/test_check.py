"""`gazette check`: a site with one of each problem, found at its place; clean sites found clean."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from generator import __version__
from generator.publish.linkcheck import LINKS_DATABASE, Answer, ask
from generator.site.cache import CACHE_DIR
from tests.conftest import NOW, REPO, gazette, serve_with
from tests.test_fifty_articles import fifty_articles

MakeSite = Callable[[dict[str, str | bytes]], Path]


def story(title: str, front: str, body: str = "A first paragraph to quote.") -> str:
    """Write a story with a title, a date and some front matter."""
    return f"---\ntitle: {title}\ndate: 2025-06-01\n{front}---\n{body}\n"


def source(n: int) -> str:
    return f"source: {{name: Wire, url: 'https://wire.example/{n}'}}\n"


# One of each content problem, each in its own file; everything else in them is clean.
CONTENT: dict[str, str | bytes] = {
    "site.yaml": "title: Checked\nbase_url: https://example.org/\n",
    "content/posts/a-clean.md": story("Clean", "tags: [Open AI]\n" + source(1)),
    "content/posts/b-no-source.md": story("No source", ""),
    "content/posts/c-spelling.md": story("Spelling", "tags: [IA, open-ai]\n" + source(3)),
    "content/posts/d-summary.md": story("Summary", 'summary: ""\n' + source(4)),
    "content/posts/e-link.md": story("Link", source(5), "Intro to quote.\n\nSee [the other](gone.md#part)."),
    "content/posts/f-image.md": story("Image", source(6), "Intro to quote.\n\n![A chart](/img/chart.png)"),
    "content/posts/g-duplicate.md": story("Duplicate", "source:\n  name: Wire\n  url: https://wire.example/1\n"),
    "content/posts/h-future.md": "---\ntitle: Future\ndate: 2206-01-05\n" + source(8) + "---\nText.\n",
}

CONTENT_FINDINGS = [
    "content/posts/b-no-source.md:2:1: warning: no source: say where the story comes from, with "
    "'source: {name: ITHome, url: https://…}'",
    "content/posts/c-spelling.md:4:12: warning: tags 'Open AI' (content/posts/a-clean.md) and 'open-ai' "
    "(content/posts/c-spelling.md) make one URL, /tags/open-ai/: they are one, shown as 'Open AI'; write it one way "
    "everywhere to silence this",
    "content/posts/d-summary.md:4:10: warning: the summary is empty, so lists quote the story's first paragraph; "
    "write one, or remove the key",
    "content/posts/e-link.md:8:17: error: 'gone.md#part' links to content/posts/gone.md, which is no story of this "
    "site; fix the path (it is read from this file's folder) or remove the link",
    "content/posts/f-image.md:8:12: error: '/img/chart.png' points at /img/chart.png, where the site has no file; "
    "put the file at static/img/chart.png (static/ is the root of the site), or fix the link",
    "content/posts/g-duplicate.md:6:8: warning: content/posts/g-duplicate.md and content/posts/a-clean.md both cite "
    "https://wire.example/1: the same story twice? merge the two briefs, or keep both when one follows the other up",
    "content/posts/h-future.md:3:7: error: dated 2206-01-05, 65,747 days from now: a typo in the year? (dates more "
    "than 365 days ahead are reported; --future-days changes that)",
]


def headlines(err: str) -> list[str]:
    """Keep the `path:line:col: severity: message` lines of the command's output (not the quoted source)."""
    return [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.fixture
def in_site(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> MakeSite:
    """Write a site and work from its folder, as a writer does."""

    def make(files: dict[str, str | bytes]) -> Path:
        site = make_site(files)
        monkeypatch.chdir(site)
        return site

    return make


def test_each_content_problem_is_found_where_it_is_written(in_site: MakeSite) -> None:
    site = in_site(CONTENT)
    run = gazette("check", "--site", site, "--now", NOW)
    assert run.code == 1
    assert headlines(run.err) == CONTENT_FINDINGS
    assert "gazette: note: output checks skipped: there is no built site in output/ yet; run gazette build first" in (
        run.err
    )
    assert "    See [the other](gone.md#part).\n                    ^\n" in run.err  # the line, and a caret under it
    assert run.err.rstrip().endswith("Checked 8 stories: 3 errors and 4 warnings in 7 files")


def test_the_future_limit_is_an_option(in_site: MakeSite) -> None:
    site = in_site(CONTENT)
    run = gazette("check", "--site", site, "--now", NOW, "--future-days", "100000")
    assert not any("h-future.md" in line for line in headlines(run.err))
    assert gazette("check", "--site", site, "--future-days", "0").code == 2


def test_json_findings_for_ci_annotations(in_site: MakeSite) -> None:
    site = in_site(CONTENT)
    run = gazette("check", "--site", site, "--now", NOW, "--format", "json")
    assert run.code == 1
    findings = json.loads(run.out)
    assert [
        f"{f['file']}:{f['line']}:{f['column']}: {f['severity']}: {f['message']}" for f in findings
    ] == CONTENT_FINDINGS
    assert [f["check"] for f in findings] == [
        "no-source",
        "tag-spelling",
        "empty-summary",
        "story-link",
        "missing-file",
        "duplicate-source",
        "future-date",
    ]
    assert set(findings[0]) == {"file", "line", "column", "severity", "message", "check"}


WARNED: dict[str, str | bytes] = {
    "site.yaml": "title: Warned\nbase_url: https://example.org/\n",
    "content/posts/a.md": story("A", ""),
}


def test_warnings_alone_pass_unless_strict(in_site: MakeSite) -> None:
    site = in_site(WARNED)
    assert gazette("build", "--site", site, "--now", NOW).code == 0
    run = gazette("check", "--site", site, "--now", NOW)
    assert run.code == 0
    assert headlines(run.err) == [
        "content/posts/a.md:2:1: warning: no source: say where the story comes from, with "
        "'source: {name: ITHome, url: https://…}'"
    ]
    strict = gazette("check", "--site", site, "--now", NOW, "--strict", "--format", "json")
    assert strict.code == 1
    assert [f["severity"] for f in json.loads(strict.out)] == ["error"]
    quiet = gazette("check", "--site", site, "--now", NOW, "-q")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")


def test_a_missing_output_folder_given_by_hand_is_a_usage_error(in_site: MakeSite) -> None:
    site = in_site(WARNED)
    run = gazette("check", "--site", site, "--output", site / "nowhere")
    assert run.code == 2
    assert "nowhere is not a folder; run gazette build --output" in run.err


# A site to build and then damage, one problem of each kind.
BUILT: dict[str, str | bytes] = {
    "site.yaml": "title: Built\nbase_url: https://example.org/blog/\n",
    "content/posts/one.md": story("One", "tags: [A]\n" + source(1), "First story.\n\n## Part"),
    "content/posts/two.md": story("Two", "tags: [A]\n" + source(2), "Second story."),
    "content/posts/draft.md": story("Draft", "draft: true\n" + source(3), "Not yet."),
    "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
}


def damage(path: Path, old: str, new: str) -> tuple[int, int]:
    """Replace the first `old` in a file by `new`; give the line and column where `new` starts."""
    text = path.read_text("utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], "utf-8")
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def test_each_output_problem_is_found_in_the_file_that_has_it(in_site: MakeSite) -> None:
    site = in_site(BUILT)
    assert gazette("build", "--site", site, "--now", NOW).code == 0
    clean = gazette("check", "--site", site, "--now", NOW)
    assert (clean.code, headlines(clean.err)) == (0, [])
    out = site / "output"
    link = '<a href="/blog/tags/b/">b</a> '
    about = damage(out / "about/index.html", "<main", link + '<img src="/img/x.png" alt=""><main')
    fragment = damage(out / "index.html", "<main", '<a href="2025/06/one/#nowhere">x</a><main')
    heading = damage(out / "2025/06/two/index.html", "</main>", "<h1>Again</h1></main>")
    damage(out / "2025/06/one/index.html", "<title>", "<!--")
    damage(out / "2025/06/one/index.html", "</title>", "-->")
    atom = out / "atom.xml"
    atom.write_text(atom.read_text("utf-8").replace("</feed>", ""), "utf-8")
    sitemap = out / "sitemap.xml"
    text = sitemap.read_text("utf-8")
    start = text.rindex("<url>", 0, text.index("<loc>https://example.org/blog/2025/06/two/</loc>"))
    sitemap.write_text(text[:start] + text[text.index("</url>", start) + len("</url>") :], "utf-8")
    (out / "2025/06/draft").mkdir(parents=True)
    (out / "2025/06/draft/index.html").write_text("<!doctype html><title>Draft</title><h1>Draft</h1>", "utf-8")
    run = gazette("check", "--site", site, "--now", NOW)
    assert run.code == 1
    atom_lines = atom.read_text("utf-8").count("\n")
    assert headlines(run.err) == [
        "output/2025/06/draft/index.html:1:1: error: this is the page of content/posts/draft.md, a draft; build "
        "without --drafts",
        "output/2025/06/one/index.html:1:1: error: the page has no <title>, or an empty one",
        f"output/2025/06/two/index.html:{heading[0]}:{heading[1]}: error: the page has 2 <h1> elements; a page has one",
        f"output/about/index.html:{about[0]}:{about[1]}: error: '/blog/tags/b/' finds no file: "
        "output/tags/b/index.html does not exist",
        f"output/about/index.html:{about[0]}:{about[1] + len(link)}: error: '/img/x.png' is outside the site's base "
        "path /blog/",
        f"output/atom.xml:{atom_lines + 1}:1: error: the feed is not well-formed XML: no element found: "
        f"line {atom_lines + 1}, column 0",
        f"output/index.html:{fragment[0]}:{fragment[1]}: error: '2025/06/one/#nowhere' finds no id 'nowhere' on "
        "output/2025/06/one/index.html",
        "output/sitemap.xml:1:1: error: does not list https://example.org/blog/2025/06/two/ (content/posts/two.md), "
        "a published story; build again",
    ]


def test_the_repositorys_own_site_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    monkeypatch.chdir(site)
    assert gazette("build", "--strict").code == 0
    run = gazette("check", "--strict")
    assert (run.code, run.err) == (0, "")
    assert run.out == "Checked 3 stories: no problems found\n"


def users(key: str, spelling: str) -> list[str]:
    """List the files of the fifty-story site that write a tag or an outlet in one spelling (first of the file's)."""
    found = []
    for path, text in fifty_articles().items():
        if path.startswith("content/posts/"):
            meta = yaml.safe_load(str(text).split("---\n")[1])
            names = meta["tags"] if key == "tags" else [meta["source"]["name"]]
            if spelling in {name.lower(): name for name in reversed(names)}.values():
                found.append(path)
    return found


def test_the_fifty_story_site_is_clean_but_for_its_two_spellings(in_site: MakeSite) -> None:
    site = in_site(fifty_articles())
    assert gazette("build", "--now", NOW).code == 0
    run = gazette("check", "--now", NOW, "--format", "json")
    assert run.code == 0, run.err
    findings = json.loads(run.out)
    # It writes the tag 'IA' and 'ia', and the outlet 'ITHome' and 'ithome', on purpose (one tag, one outlet):
    # each file using the rarer spelling is pointed at, and nothing else is found.
    assert {f["severity"] for f in findings} == {"warning"}
    assert sorted((f["check"], f["file"]) for f in findings) == sorted(
        [("source-spelling", path) for path in users("source", "ithome")]
        + [("tag-spelling", p) for p in users("tags", "ia")]
    )
    assert (site / "output").is_dir()


class _Links(http.server.BaseHTTPRequestHandler):
    """Answer as the web does: /ok is fine, /gone is gone, /no-head refuses HEAD but answers GET, /moved went to
    /ok, and /to-file and /to-ftp send to a file: and an ftp: URL, which are not followed."""

    asked: ClassVar[list[tuple[str, str, str]]] = []

    def _answer(self) -> None:
        type(self).asked.append((self.command, self.path, self.headers.get("User-Agent", "")))
        status = {"/ok": 200, "/gone": 404, "/moved": 301, "/to-file": 302, "/to-ftp": 302}.get(self.path, 200)
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        self.send_response(status)
        if status in (301, 302):
            where = {"/moved": "/ok", "/to-file": "file:///etc/hostname", "/to-ftp": "ftp://127.0.0.1:9/x"}
            self.send_header("Location", where[self.path])
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def link_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Serve _Links on a free port of 127.0.0.1, with no proxy in the way."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    _Links.asked = []
    with serve_with(_Links) as url:
        yield url.rstrip("/")


def test_external_links_are_asked_once_then_answered_from_the_cache(in_site: MakeSite, link_server: str) -> None:
    site = in_site(
        {
            "site.yaml": "title: Out\nbase_url: https://example.org/\n",
            "content/posts/a.md": story(
                "A",
                f"source: {{name: Wire, url: '{link_server}/ok'}}\n",
                f"Intro to quote.\n\nSee [moved]({link_server}/moved#part) and [odd]({link_server}/to-file).",
            ),
            "content/posts/b.md": story(
                "B",
                f"source: {{name: Wire, url: '{link_server}/gone'}}\n",
                f"Intro, and [more]({link_server}/no-head).",
            ),
        }
    )
    run = gazette("check", "--now", NOW, "--external")
    assert run.code == 1
    col = len(f"See [moved]({link_server}/moved#part) and [odd](") + 1
    assert headlines(run.err) == [
        f"content/posts/a.md:8:{col}: error: {link_server}/to-file answers 302 Found - Redirection to url "
        "'file:///etc/hostname' is not allowed: fix or remove the link",
        f"content/posts/b.md:4:27: error: {link_server}/gone answers 404 Not Found: fix or remove the link",
    ]
    assert sorted((method, path) for method, path, _ in _Links.asked) == [
        ("GET", "/gone"),
        ("GET", "/no-head"),
        ("GET", "/to-file"),
        ("HEAD", "/gone"),
        ("HEAD", "/moved"),
        ("HEAD", "/no-head"),
        ("HEAD", "/ok"),
        ("HEAD", "/ok"),  # where /moved went, asked with HEAD still
        ("HEAD", "/to-file"),
    ]
    assert {agent for _, _, agent in _Links.asked} == {
        f"Gazette/{__version__} (static site generator; checking the links of its stories)"
    }
    assert (site / CACHE_DIR / LINKS_DATABASE).is_file()
    _Links.asked = []
    again = gazette("check", "--now", NOW, "--external")
    assert (again.code, headlines(again.err)) == (1, headlines(run.err))
    assert _Links.asked == []  # every answer came from the cache


def test_the_original_of_a_translation_and_links_in_updates_are_asked_too(in_site: MakeSite, link_server: str) -> None:
    in_site(
        {
            "site.yaml": "title: Out\nbase_url: https://example.org/\n",
            "content/posts/a.md": story(
                "A",
                f"source: {{name: Wire, url: '{link_server}/ok'}}\noriginal: {{lang: zh, url: '{link_server}/gone'}}\n"
                f"updates:\n  - {{date: 2025-06-02, text: 'See [the report]({link_server}/no-head).'}}\n",
            ),
        }
    )
    run = gazette("check", "--now", NOW, "--external")
    assert headlines(run.err) == [
        f"content/posts/a.md:5:27: error: {link_server}/gone answers 404 Not Found: fix or remove the link"
    ]
    assert sorted(path for method, path, _ in _Links.asked if method == "HEAD") == ["/gone", "/no-head", "/ok"]


def test_a_redirect_to_ftp_is_not_followed(link_server: str) -> None:
    assert ask(f"{link_server}/to-ftp", 5.0) == Answer(False, "error", "answers 302 Found: fix or remove the link")
    assert [(method, path) for method, path, _ in _Links.asked] == [("HEAD", "/to-ftp"), ("GET", "/to-ftp")]


def test_offline_external_links_are_skipped_with_one_note(in_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    in_site(
        {
            "site.yaml": "title: Out\nbase_url: https://example.org/\n",
            "content/posts/a.md": story("A", source(1), "Intro, [more](https://news.example.com/2)."),
        }
    )

    def no_network(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    run = gazette("check", "--now", NOW, "--external")
    assert run.code == 0
    assert headlines(run.err) == []
    assert run.err == (
        "gazette: note: output checks skipped: there is no built site in output/ yet; run gazette build first\n"
        "gazette: note: external links skipped: offline (none of 2 links could be reached); run it again online\n"
    )
