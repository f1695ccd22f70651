"""The preview server, driven by a fake builder: injection, events, the error overlay, what it refuses to serve."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import BuildResult
from generator.errors import BuildFailed, Diagnostic
from generator.model import SiteCounts
from generator.output import WriteReport
from generator.serve import Preview, PreviewServer, is_loopback, overlay_html
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


@dataclass
class Served:
    server: PreviewServer
    preview: Preview
    builder: FakeBuilder
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


def _serve(folder: Path, builder: FakeBuilder) -> Iterator[Served]:
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
def served(tmp_path: Path) -> Iterator[Served]:
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


def test_html_gets_the_live_script_and_nothing_else_does(served: Served) -> None:
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


def test_the_live_script_is_served(served: Served) -> None:
    status, headers, body = served.get("/__gazette/live.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b'new EventSource(new URL("events", script.src))' in body


def test_a_folder_serves_its_index_and_gets_its_slash(served: Served) -> None:
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
def test_nothing_outside_the_folder_is_served(served: Served, target: str) -> None:
    outside = served.folder.parent
    (outside / "secret.txt").write_text("SECRET\n")
    (served.folder / "link-out").symlink_to(outside, target_is_directory=True)
    (served.folder / "secret-link.txt").symlink_to(outside / "secret.txt")
    status, _, body = served.get(target)
    assert (status, body.decode()) == (404, NOT_FOUND.replace("</body>", SCRIPT.format(1) + "</body>"))


def test_an_absolute_path_is_read_inside_the_folder(served: Served) -> None:
    (served.folder.parent / "secret.txt").write_text("SECRET\n")
    status, _, body = served.get("/" + str(served.folder.parent / "secret.txt"))
    assert status == 404
    assert b"SECRET" not in body


def test_a_symlink_that_stays_inside_is_served(served: Served) -> None:
    (served.folder / "home.html").symlink_to(served.folder / "index.html")
    assert served.get("/home.html")[0] == 200


def test_open_pages_hear_of_each_build(served: Served) -> None:
    stream = served.events()
    try:
        assert stream.next() == ("hello", {"version": 1, "overlay": ""})
        served.preview.rebuild(frozenset({"content/posts/a.md"}))
        assert stream.next() == ("reload", {"version": 2, "paths": []})
        served.preview.rebuild(frozenset({"themes/mine/static/style.css"}))
        assert stream.next() == ("css", {"version": 3, "paths": ["themes/mine/static/style.css"]})
        served.preview.rebuild(frozenset({"themes/mine/static/style.css", "content/posts/a.md"}))
        assert stream.next() == ("reload", {"version": 4, "paths": []})
    finally:
        stream.close()
    assert served.get("/")[2].decode().count(SCRIPT.format(4)) == 1


def test_a_failed_build_shows_the_overlay_until_fixed(served: Served) -> None:
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


def test_a_page_opened_during_a_failure_is_greeted_with_the_overlay(served: Served) -> None:
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
