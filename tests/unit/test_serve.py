"""The preview server, driven by a fake builder: injection, events, the error overlay, what it refuses to serve.

Then with a real builder whose full builds the test holds: an edited story served from memory first.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pytest

import generator.preview.edits
from generator.build import BuildOptions, BuildResult
from generator.errors import BuildFailed, Diagnostic
from generator.model import DataJob, Job, Output, SiteCounts
from generator.preview.edits import EditingBuilder
from generator.preview.serve import (
    PREVIEW_DIR,
    Preview,
    PreviewBuilder,
    PreviewServer,
    is_loopback,
    overlay_html,
    renamed_assets,
)
from generator.publish.output import WriteReport
from generator.render.pages import Renderer
from tests.conftest import gazette, write_tree

HOME = "<!doctype html><html><body><h1>Home</h1></body></html>"
NOT_FOUND = "<!doctype html><html><body><h1>Page not found</h1></body></html>"
SCRIPT = '<script src="/__gazette/live.js" data-version="{}"></script>'
BAD_DRAFT = Diagnostic(
    "content/posts/a.md",
    4,
    8,
    "'draft' must be true or false, not \"false\" (quoted text); write it without quotes",
    source_line='draft: "false"',
)


class FakeBuilder:
    """Write a fixed set of files, or fail with fixed diagnostics, as a test decides."""

    def __init__(self, folder: Path, files: dict[str, str]) -> None:
        self.folder = folder
        self.files = files
        self.failure: tuple[Diagnostic, ...] = ()

    def rebuild(self) -> BuildResult | BuildFailed:
        if self.failure:
            return BuildFailed(self.failure)
        write_tree(self.folder, dict(self.files))
        return BuildResult(
            SiteCounts(0, 0, 0, 0), WriteReport(len(self.files), 0, 0), len(self.files), tuple(self.files), 0.0
        )

    def render_edit(self, changed: frozenset[str]) -> Output | None:
        return None


B = TypeVar("B", bound=PreviewBuilder)


@dataclass
class Served(Generic[B]):
    server: PreviewServer
    preview: Preview
    builder: B
    folder: Path

    def get(self, target: str) -> tuple[int, dict[str, str], bytes]:
        """Send a GET with this exact request target; give status, headers and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.server_port, timeout=10)
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", "127.0.0.1")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def events(self) -> EventStream:
        return EventStream(self.server.server_port)


class EventStream:
    """Read Server-Sent Events from the preview, one at a time."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.socket.sendall(b"GET /__gazette/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.reader = self.socket.makefile("rb")
        head = self.reader.readline()
        assert head.startswith(b"HTTP/1.0 200"), head
        while self.reader.readline() not in (b"\r\n", b""):
            pass
        assert self.reader.readline() == b"retry: 500\n"
        assert self.reader.readline() == b"\n"

    def next(self) -> tuple[str, dict[str, object]]:
        """Read the next event: its name and its data."""
        name = self.reader.readline().decode().removeprefix("event: ").rstrip("\n")
        data = json.loads(self.reader.readline().decode().removeprefix("data: "))
        assert self.reader.readline() == b"\n"
        return name, data

    def close(self) -> None:
        self.reader.close()
        self.socket.close()


def _serve(folder: Path, builder: B) -> Iterator[Served[B]]:
    preview = Preview(builder, folder, lambda outcome: None)
    preview.rebuild()
    server = PreviewServer(("127.0.0.1", 0), preview)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(server, preview, builder, folder)
    finally:
        preview.close()
        server.shutdown()
        server.server_close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served[FakeBuilder]]:
    folder = tmp_path / "preview"
    files = {
        "index.html": HOME,
        "404.html": NOT_FOUND,
        "2024/10/story/index.html": "<html><body><p>Story</p></body></html>",
        "static/style.css": "body { color: black }\n</body>\n",
        "feed.json": '{"title": "</body>"}\n',
        "feed.xml": "<rss><channel><title>T</title></channel></rss>\n",
        "empty/.keep": "",
        ".gazette-manifest.json": '{"files": []}\n',
        ".env": "SECRET=1\n",
    }
    yield from _serve(folder, FakeBuilder(folder, files))


def test_html_gets_the_live_script_and_nothing_else_does(served: Served[FakeBuilder]) -> None:
    status, headers, body = served.get("/")
    assert status == 200
    assert body.decode() == HOME.replace("</body>", SCRIPT.format(1) + "</body>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert served.get("/static/style.css")[2] == b"body { color: black }\n</body>\n"
    assert served.get("/static/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert served.get("/feed.json")[2] == b'{"title": "</body>"}\n'
    assert served.get("/feed.json")[1]["Content-Type"] == "application/json; charset=utf-8"
    assert served.get("/feed.xml")[1]["Content-Type"] == "application/xml; charset=utf-8"
    # Nothing of the script ever reaches the disk.
    assert (served.folder / "index.html").read_text() == HOME


def test_the_live_script_is_served(served: Served[FakeBuilder]) -> None:
    status, headers, body = served.get("/__gazette/live.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b'new EventSource(new URL("events", script.src))' in body


def test_a_folder_serves_its_index_and_gets_its_slash(served: Served[FakeBuilder]) -> None:
    status, _, body = served.get("/2024/10/story/")
    assert (status, body.decode()) == (200, "<html><body><p>Story</p>" + SCRIPT.format(1) + "</body></html>")
    status, headers, _ = served.get("/2024/10/story?x=1")
    assert (status, headers["Location"]) == (301, "/2024/10/story/")


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/link-out/secret.txt",
        "/secret-link.txt",
        "/.env",
        "/.gazette-manifest.json",
        "/static/%2egazette",
        "/empty/",
        "/empty",
        "/missing/",
        "/__gazette/anything",
        "/index.html%00.css",
        "/%ff%fe/secret.txt",
        "/static/%252e%252e/%252e%252e/secret.txt",
        "//secret.txt",
        "/" + "a/" * 2000 + "secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%1b[31m%00",
    ],
)
def test_nothing_outside_the_folder_is_served(served: Served[FakeBuilder], target: str) -> None:
    outside = served.folder.parent
    (outside / "secret.txt").write_text("SECRET\n")
    (served.folder / "link-out").symlink_to(outside, target_is_directory=True)
    (served.folder / "secret-link.txt").symlink_to(outside / "secret.txt")
    status, _, body = served.get(target)
    assert (status, body.decode()) == (404, NOT_FOUND.replace("</body>", SCRIPT.format(1) + "</body>"))


def test_an_absolute_path_is_read_inside_the_folder(served: Served[FakeBuilder]) -> None:
    (served.folder.parent / "secret.txt").write_text("SECRET\n")
    status, _, body = served.get("/" + str(served.folder.parent / "secret.txt"))
    assert status == 404
    assert b"SECRET" not in body


def test_a_symlink_that_stays_inside_is_served(served: Served[FakeBuilder]) -> None:
    (served.folder / "home.html").symlink_to(served.folder / "index.html")
    assert served.get("/home.html")[0] == 200


def test_open_pages_hear_of_each_build(served: Served[FakeBuilder]) -> None:
    stream = served.events()
    try:
        assert stream.next() == ("hello", {"version": 1, "overlay": ""})
        served.preview.rebuild(frozenset({"content/posts/a.md"}))
        assert stream.next() == ("reload", {"version": 2, "paths": []})
        served.preview.rebuild(frozenset({"themes/mine/static/style.css"}))
        assert stream.next() == ("css", {"version": 3, "paths": ["themes/mine/static/style.css"], "renamed": {}})
        served.preview.rebuild(frozenset({"themes/mine/static/style.css", "content/posts/a.md"}))
        assert stream.next() == ("reload", {"version": 4, "paths": []})
    finally:
        stream.close()
    assert served.get("/")[2].decode().count(SCRIPT.format(4)) == 1


def test_a_failed_build_shows_the_overlay_until_fixed(served: Served[FakeBuilder]) -> None:
    stream = served.events()
    try:
        stream.next()
        served.builder.failure = (BAD_DRAFT,)
        served.preview.rebuild(frozenset({"content/posts/a.md"}))
        overlay = overlay_html((BAD_DRAFT,), has_site=True)
        assert stream.next() == ("failed", {"overlay": overlay})
        # Every page still shows the last good build, with the overlay on top.
        body = served.get("/")[2].decode()
        assert body == HOME.replace("</body>", overlay + SCRIPT.format(1) + "</body>")
        assert (
            "content/posts/a.md:4:8: error: &#x27;draft&#x27; must be true or false, not &quot;false&quot; "
            "(quoted text); write it without quotes\n    draft: &quot;false&quot;\n           ^</pre>"
        ) in body
        assert "showing the last good build" in body
        assert overlay in served.get("/nowhere/")[2].decode()
        served.builder.failure = ()
        served.preview.rebuild(frozenset({"content/posts/a.md"}))
        assert stream.next() == ("reload", {"version": 2, "paths": []})
        # A style-only change right after a failure still reloads, so the overlay goes.
        served.builder.failure = (BAD_DRAFT,)
        served.preview.rebuild(frozenset({"content/posts/a.md"}))
        stream.next()
        served.builder.failure = ()
        served.preview.rebuild(frozenset({"static/style.css"}))
        assert stream.next() == ("reload", {"version": 3, "paths": []})
    finally:
        stream.close()
    assert served.get("/")[2].decode() == HOME.replace("</body>", SCRIPT.format(3) + "</body>")


def test_a_page_opened_during_a_failure_is_greeted_with_the_overlay(served: Served[FakeBuilder]) -> None:
    served.builder.failure = (BAD_DRAFT,)
    served.preview.rebuild(frozenset({"content/posts/a.md"}))
    stream = served.events()
    try:
        assert stream.next() == ("hello", {"version": 1, "overlay": overlay_html((BAD_DRAFT,), has_site=True)})
    finally:
        stream.close()


def test_a_failed_first_build_serves_an_error_page(tmp_path: Path) -> None:
    folder = tmp_path / "preview"
    builder = FakeBuilder(folder, {"index.html": HOME})
    builder.failure = (BAD_DRAFT,)
    for served in _serve(folder, builder):
        status, _, body = served.get("/2024/10/story/")
        overlay = overlay_html((BAD_DRAFT,), has_site=False)
        assert status == 500
        assert body.decode().endswith(f"<body>{overlay}{SCRIPT.format(0)}</body></html>")
        assert "there is no good build to show yet" in overlay
        builder.failure = ()
        served.preview.rebuild(frozenset({"content/posts/a.md"}))
        status, _, body = served.get("/")
        assert (status, body.decode()) == (200, HOME.replace("</body>", SCRIPT.format(1) + "</body>"))


def test_loopback_addresses() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::", "192.168.1.20")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_a_taken_port_is_a_clear_message(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.yaml": "title: T\n"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = gazette("serve", "--site", site, "--port", str(port))
    assert run.code == 2
    assert run.err == (
        f"gazette: error: port {port} is already in use on 127.0.0.1 (another gazette serve?); "
        f"stop it, or choose another port: gazette serve --port {port + 1}\n"
    )
    assert not (site / ".gazette-cache").exists()


# An edited story, served from memory before the full build: a real builder, whose full builds wait for the test.
STORY = "---\ntitle: {title}\ndate: 2024-10-{day} 09:00\ntags: [Cloud]\n---\n{body}\n"
EDITED = "content/posts/b.md"
B_PAGE = "2024/10/b/index.html"


class HeldBuilder(EditingBuilder):
    """Build for real, but start each full build only once the test lets it, and fail when told to."""

    def __init__(self, options: BuildOptions) -> None:
        super().__init__(options)
        self.go = threading.Event()
        self.go.set()
        self.failure: tuple[Diagnostic, ...] = ()

    def rebuild(self) -> BuildResult | BuildFailed:
        self.go.wait()
        return BuildFailed(self.failure) if self.failure else super().rebuild()


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Served[HeldBuilder]]:
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": "title: T\n",
            "content/posts/a.md": STORY.format(title="Older story", day=10, body="Old words."),
            EDITED: STORY.format(title="Middle story", day=11, body="First words."),
            "content/posts/c.md": STORY.format(title="Newer story", day=12, body="New words."),
            "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
        },
    )
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    builder = HeldBuilder(BuildOptions(site, site / PREVIEW_DIR, drafts=True, future=True, now=now))
    yield from _serve(site / PREVIEW_DIR, builder)


@pytest.fixture
def fast_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the URL of every job the fast path renders."""
    rendered: list[str] = []
    real = generator.preview.edits.render_one

    def counting(renderer: Renderer, job: Job) -> Output | None:
        rendered.append(job.url)
        return real(renderer, job)

    monkeypatch.setattr(generator.preview.edits, "render_one", counting)
    return rendered


def _save(served: Served[HeldBuilder], path: str, text: str) -> threading.Thread:
    """Write a file and hand it to the preview as the watcher would, in the watcher's own thread."""
    (served.builder.options.root / path).write_text(text)
    thread = threading.Thread(target=served.preview.rebuild, args=(frozenset({path}),))
    thread.start()
    return thread


def _save_held(held: Served[HeldBuilder], stream: EventStream, text: str) -> threading.Thread:
    """Save the edited story while full builds are held: its page is announced before any build starts."""
    held.builder.go.clear()
    saving = _save(held, EDITED, text)
    assert stream.next() == ("reload", {"version": 2, "paths": []})
    return saving


def _release(held: Served[HeldBuilder], saving: threading.Thread) -> None:
    """Let the held full build run, and wait for its end."""
    held.builder.go.set()
    saving.join()


def test_an_edited_story_is_served_from_memory_before_the_build(
    held: Served[HeldBuilder], fast_renders: list[str]
) -> None:
    stream = held.events()
    try:
        assert stream.next() == ("hello", {"version": 1, "overlay": ""})
        saving = _save_held(held, stream, STORY.format(title="Retitled story", day=11, body="Second words."))
        # The full build has not started: the page comes from memory, the preview folder is as it was.
        _, _, body = held.get("/2024/10/b/")
        assert "Second words." in body.decode()
        assert body.decode().count(SCRIPT.format(2)) == 1
        assert "First words." in (held.folder / B_PAGE).read_text()
        assert fast_renders == ["/2024/10/b/"]
        # Its stylesheet does not wait for the build either (other pages do, never half-written).
        (stylesheet,) = (held.folder / "static").glob("highlight.*.css")  # named after its content
        status, headers, _ = held.get(f"/static/{stylesheet.name}")
        assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")
        fast_page = held.preview.edited[B_PAGE][0]
        _release(held, saving)
        assert stream.next() == ("reload", {"version": 3, "paths": []})
    finally:
        stream.close()
    assert held.preview.edited == {}
    assert fast_renders == ["/2024/10/b/"]
    # The page rendered ahead is the one the build wrote; the neighbours now show the new title.
    assert (held.folder / B_PAGE).read_bytes() == fast_page
    for neighbour in ("2024/10/a/index.html", "2024/10/c/index.html", "index.html"):
        text = (held.folder / neighbour).read_text()
        assert "Retitled story" in text and "Middle story" not in text
    assert held.get("/2024/10/b/")[2].decode().count(SCRIPT.format(3)) == 1


def test_a_broken_edit_shows_the_overlay_and_a_fix_recovers(held: Served[HeldBuilder], fast_renders: list[str]) -> None:
    stream = held.events()
    try:
        stream.next()
        _save(held, EDITED, STORY.format(title="Middle story", day=11, body="Second words.")).join()
        assert stream.next() == ("reload", {"version": 2, "paths": []})
        assert stream.next() == ("reload", {"version": 3, "paths": []})
        broken = STORY.format(title="Middle story", day=11, body="Third words.").replace("tags", "draft: maybe\ntags")
        _save(held, EDITED, broken).join()
        assert stream.next()[0] == "failed"
        # Nothing rendered ahead: the last good build is served, the overlay on top.
        assert fast_renders == ["/2024/10/b/"]
        assert held.preview.edited == {}
        body = held.get("/2024/10/b/")[2].decode()
        assert "content/posts/b.md:4:8: error: &#x27;draft&#x27; must be true or false" in body
        assert "Second words." in body and "Third words." not in body
        assert body.count(SCRIPT.format(3)) == 1
        # Recovery goes through the full build (the last one failed), which clears the overlay.
        _save(held, EDITED, STORY.format(title="Middle story", day=11, body="Fourth words.")).join()
        assert stream.next() == ("reload", {"version": 4, "paths": []})
        assert fast_renders == ["/2024/10/b/"]
        body = held.get("/2024/10/b/")[2].decode()
        assert "Fourth words." in body and "gazette-overlay" not in body
        # The next edit takes the fast path again.
        _save(held, EDITED, STORY.format(title="Middle story", day=11, body="Fifth words.")).join()
        assert [stream.next()[0], stream.next()[0]] == ["reload", "reload"]
        assert fast_renders == ["/2024/10/b/", "/2024/10/b/"]
    finally:
        stream.close()


def test_a_failed_build_after_an_edit_drops_the_page_from_memory(held: Served[HeldBuilder]) -> None:
    stream = held.events()
    try:
        stream.next()
        saving = _save_held(held, stream, STORY.format(title="Middle story", day=11, body="Second words."))
        assert "Second words." in held.get("/2024/10/b/")[2].decode()
        held.builder.failure = (BAD_DRAFT,)
        _release(held, saving)
        # Pages that showed the edit reload into the last good build, with the overlay.
        assert stream.next() == ("reload", {"version": 3, "paths": []})
    finally:
        stream.close()
    assert held.preview.edited == {}
    body = held.get("/2024/10/b/")[2].decode()
    assert "First words." in body and "Second words." not in body
    assert overlay_html((BAD_DRAFT,), has_site=True) + SCRIPT.format(3) in body


def test_a_fault_on_the_fast_path_leaves_the_save_to_the_build(
    held: Served[HeldBuilder], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(generator.preview.edits, "parse_article", crash)
    stream = held.events()
    try:
        stream.next()
        _save(held, EDITED, STORY.format(title="Middle story", day=11, body="Second words.")).join()
        assert stream.next() == ("reload", {"version": 2, "paths": []})
    finally:
        stream.close()
    assert held.preview.version == 2  # one build, nothing announced ahead of it
    assert "Second words." in (held.folder / B_PAGE).read_text()


@pytest.mark.parametrize(
    ("changed", "text"),
    [
        pytest.param((EDITED,), STORY.format(title="Middle story", day=13, body="Moved."), id="new date, new URL"),
        pytest.param((EDITED,), STORY.format(title="M", day=11, body="x").replace("Cloud", "Rust"), id="new tags"),
        pytest.param(
            (EDITED,), STORY.format(title="M", day=11, body="x").replace("tags", "draft: true\ntags"), id="draft"
        ),
        pytest.param(("content/posts/new.md",), STORY.format(title="New", day=11, body="x"), id="new story"),
        pytest.param(("content/pages/about.md",), "---\ntitle: About us\n---\nWho.\n", id="page title: in menus"),
        pytest.param((EDITED, "content/posts/a.md"), STORY.format(title="M", day=11, body="x"), id="two files"),
        pytest.param(("themes/default/templates/article.html",), "", id="a template"),
        pytest.param((EDITED,), "---\ntitle: [\n---\nx\n", id="broken front matter"),
        pytest.param((EDITED,), STORY.format(title="Middle story", day=11, body="See [A](a.md)."), id="a new link"),
        pytest.param(
            (EDITED,),
            STORY.format(title="M", day=11, body="x").replace(
                "tags", "updates: [{date: 2024-10-12, kind: correction, text: Fixed.}]\ntags"
            ),
            id="a first correction: the corrections page in every menu",
        ),
    ],
)
def test_edits_that_change_other_pages_wait_for_the_build(
    held: Served[HeldBuilder], changed: tuple[str, ...], text: str
) -> None:
    if text:
        (held.builder.options.root / changed[0]).parent.mkdir(parents=True, exist_ok=True)
        (held.builder.options.root / changed[0]).write_text(text)
    assert held.builder.render_edit(frozenset(changed)) is None


def test_an_edit_keeping_a_link_to_a_story_renders_it_ahead_with_its_url(held: Served[HeldBuilder]) -> None:
    story = held.builder.options.root / EDITED
    story.write_text(STORY.format(title="Middle story", day=11, body="See [A](a.md#x)."))
    assert isinstance(held.builder.rebuild(), BuildResult)
    story.write_text(STORY.format(title="Middle story", day=11, body="Now see [A](a.md#x)."))
    edit = held.builder.render_edit(frozenset({EDITED}))
    assert edit is not None and edit.path == B_PAGE
    assert b'Now see <a href="/2024/10/a/#x">A</a>' in edit.data


def test_a_page_body_edit_is_rendered_ahead(held: Served[HeldBuilder]) -> None:
    (held.builder.options.root / "content/pages/about.md").write_text("---\ntitle: About\n---\nWho we were.\n")
    edit = held.builder.render_edit(frozenset({"content/pages/about.md"}))
    assert edit is not None and edit.path == "about/index.html"
    assert b"Who we were." in edit.data


def test_a_page_is_told_the_new_names_of_theme_assets() -> None:
    jobs = (
        DataJob("/static/highlight.0123456789.css", b"", "code highlighting styles", "/static/highlight.css"),
        DataJob("/robots.txt", b"", "robots.txt"),
    )
    assert renamed_assets(jobs) == {"highlight.css": "highlight.0123456789.css"}
