"""Preview a site while writing it: serve the last good build, push a reload to open pages after each build.

A save of one story is shown before the build: its page is rendered first and served from memory, open
pages are told to reload, then the full build renders the rest and writes the preview folder, whose
files replace the page in memory (see edits.py for which saves qualify).

Side effects: an HTTP server (stdlib, one thread per request) and the builds it runs. The preview is built
into the cache (`.gazette-cache/preview/`), never into `output/`, so drafts shown while writing cannot be
published by mistake. The live-reload script and the error overlay are added to HTML responses as they
are sent; nothing of them is ever written to disk.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import queue
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import unquote

from generator.build import Builder, BuildResult
from generator.errors import BuildFailed, Diagnostic
from generator.model import Job, Output
from generator.site.plan import asset_urls
from generator.urls import output_path

PREVIEW_DIR = Path(".gazette-cache") / "preview"
EVENTS_URL = "/__gazette/events"
SCRIPT_URL = "/__gazette/live.js"
KEEPALIVE_SECONDS = 15.0

_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
_TEXT_TYPES = ("application/json", "application/xml", "application/manifest+json", "image/svg+xml")

# Runs in the page: follows the server's events (EVENTS_URL, found beside the script's own URL). Versions
# count good builds, so a page that missed an event (opened during a build, or after a reconnect) still
# learns that it is out of date.
LIVE_SCRIPT = """\
(() => {
  const script = document.currentScript;
  let version = script.dataset.version;
  const events = new EventSource(new URL("events", script.src));
  const showOverlay = (markup) => {
    document.getElementById("gazette-overlay")?.remove();
    if (markup) document.body.insertAdjacentHTML("beforeend", markup);
  };
  const reloadIfStale = (data) => { if (String(data.version) !== version) location.reload(); };
  // A theme's stylesheet is named after its content (style.3f2a9c1b0d.css): compared without the hash,
  // and given its new name, which the event carries (10 hex digits: urls.ASSET_HASH_LENGTH).
  const plain = (url) => url.pathname.split("/").pop().replace(/\\.[0-9a-f]{10}(\\.css)$/, "$1");
  const refreshStyles = (data) => {
    const names = data.paths.map((path) => path.split("/").pop());
    const links = [...document.querySelectorAll('link[rel~="stylesheet"]')];
    const changed = links.filter((link) => names.includes(plain(new URL(link.href))));
    for (const link of changed.length ? changed : links) {
      const url = new URL(link.href);
      const renamed = data.renamed[plain(url)];
      if (renamed) url.pathname = url.pathname.replace(/[^/]*$/, renamed);
      url.searchParams.set("gazette", data.version);
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = () => link.remove();
      link.after(fresh);
    }
    version = String(data.version);
  };
  events.addEventListener("hello", (e) => {
    const data = JSON.parse(e.data);
    showOverlay(data.overlay);
    reloadIfStale(data);
  });
  events.addEventListener("reload", (e) => reloadIfStale(JSON.parse(e.data)));
  events.addEventListener("css", (e) => refreshStyles(JSON.parse(e.data)));
  events.addEventListener("failed", (e) => showOverlay(JSON.parse(e.data).overlay));
})();
"""

_OVERLAY_STYLE = (
    "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;margin:0;"
    "padding:1rem 1.25rem;background:#2b0b0e;color:#fde8e8;border-bottom:4px solid #e5484d;"
    "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left"
)


def renamed_assets(jobs: Iterable[Job]) -> dict[str, str]:
    """Map each theme asset's file name to its hashed one ('style.css' -> 'style.3f2a9c1b0d.css'), for the page."""
    return {PurePosixPath(plain).name: PurePosixPath(hashed).name for plain, hashed in asset_urls(jobs).items()}


@dataclass(frozen=True, slots=True)
class Event:
    """One Server-Sent Event: its name and its JSON data."""

    name: str
    data: dict[str, object]

    def encode(self) -> bytes:
        """Write the event in the text/event-stream format."""
        return f"event: {self.name}\ndata: {json.dumps(self.data)}\n\n".encode()


def overlay_html(errors: Sequence[Diagnostic], *, has_site: bool) -> str:
    """Show build errors as an overlay: each as `path:line:col: error: message`, the line and a caret."""
    count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
    shown = "showing the last good build" if has_site else "there is no good build to show yet"
    items = "".join(
        f'<pre style="margin:.75rem 0 0;white-space:pre-wrap">{html.escape(d.format())}</pre>' for d in errors
    )
    return (
        f'<div id="gazette-overlay" role="alert" style="{_OVERLAY_STYLE}">'
        f'<p style="margin:0;font-weight:bold">Gazette: the build failed with {count}; {shown}. '
        "Fix the file and save: this page updates by itself.</p>"
        f"{items}</div>"
    )


def inject(page: bytes, version: int, overlay: str) -> bytes:
    """Add the overlay (if any) and the live-reload script just before </body>."""
    snippet = f'{overlay}<script src="{SCRIPT_URL}" data-version="{version}"></script>'.encode()
    at = page.lower().rfind(b"</body>")
    return page[:at] + snippet + page[at:] if at >= 0 else page + snippet


def error_page() -> bytes:
    """Make the page served when no build has succeeded yet (the overlay says why)."""
    return (
        b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>'
        b"<body></body></html>"
    )


def content_type(path: Path) -> str:
    """Give a file's Content-Type, with charset=utf-8 for text."""
    kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in _TEXT_TYPES else kind


def locate(folder: Path, url_path: str) -> tuple[Path, bool] | None:
    """Map a URL path to a file inside the folder, and say if the URL named a folder (served by its index.html).

    None for traversal, dotfiles, links leading out, and nothing there.
    """
    parts = [part for part in unquote(url_path).split("/") if part]
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None  # '.', '..', dotfiles; decoded before this check, so %2e%2e and ..%2f are caught too
    base = folder.resolve()
    try:
        found = base.joinpath(*parts).resolve(strict=True)
        is_folder = found.is_dir()
        if is_folder:
            found = (found / "index.html").resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return (found, is_folder) if found.is_relative_to(base) and found.is_file() else None


class PreviewBuilder(Builder, Protocol):
    """A builder that can also render the page of one edited story at once, from its last good build."""

    def render_edit(self, changed: frozenset[str]) -> Output | None:
        """Render the one page a burst of changes is about, or None when the full build must answer alone."""
        ...


class Preview:
    """What the server shows: the last good build, the errors of a failed one, and who listens for news."""

    def __init__(
        self, builder: PreviewBuilder, folder: Path, on_build: Callable[[BuildResult | BuildFailed], None]
    ) -> None:
        self.builder = builder
        self.folder = folder
        self.on_build = on_build
        self.version = 0  # states served so far: good builds, and edited pages rendered ahead of a build
        self.errors: tuple[Diagnostic, ...] = ()
        # Held while building, and while a request reads a file: no page is read from a half-written site.
        self.lock = threading.Lock()
        # Pages rendered ahead of the build that is running: output path -> (bytes, version). Replaced
        # whole, never changed in place, so that a request reads it without waiting for the build.
        self.edited: dict[str, tuple[bytes, int]] = {}
        self._listeners: set[queue.SimpleQueue[Event | None]] = set()
        self._listeners_lock = threading.Lock()

    @property
    def has_site(self) -> bool:
        """Tell whether a build has succeeded, so there is a site to serve."""
        return self.version > 0  # an edited page is only ever rendered from a good build

    def overlay(self) -> str:
        """Give the overlay markup for the current errors, or '' when the last build was good."""
        return overlay_html(self.errors, has_site=self.has_site) if self.errors else ""

    def rebuild(self, changed: frozenset[str] = frozenset()) -> BuildResult | BuildFailed:
        """Build, remember the outcome, and tell every open page (styles only when only CSS changed).

        An edited story's page, when it can be rendered alone, is served and announced first.
        """
        edit = self.builder.render_edit(changed)
        if edit is not None:
            with self.lock:
                self.version += 1
                self.edited = {edit.path: (edit.data, self.version)}
            self.broadcast(Event("reload", {"version": self.version, "paths": []}))
        with self.lock:
            outcome = self.builder.rebuild()
            self.edited = {}  # the build wrote that page too, or failed: either way its outcome is the truth
            was_failing = bool(self.errors)
            if isinstance(outcome, BuildFailed):
                self.errors = outcome.errors or outcome.diagnostics
                event = Event("failed", {"overlay": self.overlay()})
                if edit is not None:  # pages showing the edit go back to the last good build, the overlay on top
                    self.version += 1
                    event = Event("reload", {"version": self.version, "paths": []})
            else:
                self.version += 1
                self.errors = ()
                styles_only = bool(changed) and all(p.endswith(".css") for p in changed) and not was_failing
                paths = sorted(changed) if styles_only else []
                data = {"version": self.version, "paths": paths, "renamed": renamed_assets(outcome.jobs)}
                event = Event("css", data) if styles_only else Event("reload", {"version": self.version, "paths": []})
        self.broadcast(event)
        self.on_build(outcome)
        return outcome

    def hello(self) -> Event:
        """Greet a page that just connected with the current state."""
        return Event("hello", {"version": self.version, "overlay": self.overlay()})

    def listen(self) -> queue.SimpleQueue[Event | None]:
        """Register a listener; it receives every event, then None when the server stops."""
        listener: queue.SimpleQueue[Event | None] = queue.SimpleQueue()
        with self._listeners_lock:
            self._listeners.add(listener)
        return listener

    def forget(self, listener: queue.SimpleQueue[Event | None]) -> None:
        """Unregister a listener whose page went away."""
        with self._listeners_lock:
            self._listeners.discard(listener)

    def broadcast(self, event: Event | None) -> None:
        """Send an event to every listener (None tells them to stop)."""
        with self._listeners_lock:
            for listener in self._listeners:
                listener.put(event)

    def close(self) -> None:
        """Tell every listener to stop."""
        self.broadcast(None)


class PreviewHandler(BaseHTTPRequestHandler):
    """Answer GET and HEAD: files of the preview folder, the live script, the event stream."""

    server: PreviewServer
    server_version = "Gazette"

    def do_GET(self) -> None:
        """Serve a file, the script or the events."""
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Serve headers only."""
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Log requests only when asked to (-v)."""
        if self.server.verbose:
            super().log_message(format, *args)

    def _answer(self, *, send_body: bool) -> None:
        """Route a request."""
        preview = self.server.preview
        url_path = self.path.partition("?")[0].partition("#")[0]
        if url_path == EVENTS_URL and send_body:
            self._stream_events(preview)
            return
        if url_path == SCRIPT_URL:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_SCRIPT.encode(), send_body)
            return
        if not preview.has_site:
            page = inject(error_page(), preview.version, preview.overlay())
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page, send_body)
            return
        edited = preview.edited.get(output_path(unquote(url_path)))
        if edited is not None:  # rendered ahead of the build that is running, which holds the lock
            page = inject(edited[0], edited[1], preview.overlay())
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page, send_body)
            return
        if self._send_asset(preview.folder, url_path, send_body):
            return
        with preview.lock:  # the file, and the version stamped on it, come from one and the same build
            located = None if url_path.startswith("/__gazette/") else locate(preview.folder, url_path)
            status = HTTPStatus.OK
            if located is None:
                status, located = HTTPStatus.NOT_FOUND, locate(preview.folder, "/404.html")
            elif located[1] and not url_path.endswith("/"):
                self._redirect(url_path + "/")
                return
            data = located[0].read_bytes() if located else b"Not found\n"
            kind = content_type(located[0]) if located else "text/plain; charset=utf-8"
            if kind.startswith("text/html"):
                data = inject(data, preview.version, preview.overlay())
        self._send(status, kind, data, send_body)

    def _send_asset(self, folder: Path, url_path: str, send_body: bool) -> bool:
        """Send a file that is no page (a stylesheet, an image, a feed) without waiting for a running build.

        A build replaces each file whole, and nothing is stamped on these, so any read of one is sound; and
        a page rendered ahead of a build needs its stylesheet while that build runs. False: not such a file.
        """
        located = None if url_path.startswith("/__gazette/") else locate(folder, url_path)
        if located is None or located[1] or content_type(located[0]).startswith("text/html"):
            return False
        try:
            data = located[0].read_bytes()
        except OSError:  # removed by the build meanwhile: answered after it, as any other path
            return False
        self._send(HTTPStatus.OK, content_type(located[0]), data, send_body)
        return True

    def _send(self, status: HTTPStatus, kind: str, data: bytes, send_body: bool) -> None:
        """Send a whole response; the preview is never cached, since it changes on every save."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        """Send a folder's URL without its final slash to the URL with it, as static hosts do."""
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_events(self, preview: Preview) -> None:
        """Hold the connection open and write each event as it comes, until the page or the server goes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        listener = preview.listen()
        try:
            self.wfile.write(b"retry: 500\n\n" + preview.hello().encode())
            while True:
                try:
                    event = listener.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")  # finds pages that went away
                    continue
                if event is None:
                    return
                self.wfile.write(event.encode())
        except (ConnectionError, OSError):
            return
        finally:
            preview.forget(listener)


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: a thread per request, none of them keeping the process alive."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview, *, verbose: bool = False) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.preview = preview
        self.verbose = verbose
        super().__init__(address, PreviewHandler)

    def server_bind(self) -> None:
        """Bind without the reverse DNS lookup HTTPServer does (slow, or stuck, offline)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    @property
    def url(self) -> str:
        """Give the address pages are served at, as a browser would type it."""
        host = str(self.server_address[0])
        if host in ("0.0.0.0", "::"):
            host = "localhost"
        return f"http://[{host}]:{self.server_port}/" if ":" in host else f"http://{host}:{self.server_port}/"

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a browser drops a connection; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def is_loopback(host: str) -> bool:
    """Tell whether an address to bind is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
