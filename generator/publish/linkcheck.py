"""`gazette check --external`: ask every source and outbound link of the stories whether it still answers.

HEAD first, then GET when HEAD is refused or fails (many servers answer HEAD with 405, 501 or 403); at
most `WORKERS` requests at once; a User-Agent naming Gazette and its version; a timeout. Answers are
kept in `.gazette-cache/links.sqlite`, a good one for a day and a bad one for an hour, so a second run
asks nothing. When no host can be reached at all, the machine is offline: one note, and no failures.
"""

from __future__ import annotations

import errno
import http.client
import socket
import sqlite3
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from http.client import HTTPMessage
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import urldefrag
from urllib.request import HTTPRedirectHandler, Request, build_opener

from generator import __version__
from generator.content.links import locate
from generator.content.markup import link_refs
from generator.errors import Diagnostic, Finding, Severity, at_line
from generator.publish.checks import TIMEOUT
from generator.publish.contentcheck import Content, FrontMatter, find_scalar
from generator.urls import is_web_url, split_url

USER_AGENT = f"Gazette/{__version__} (static site generator; checking the links of its stories)"
WORKERS = 8
KEEP_GOOD = 24 * 3600.0  # how long an answer is trusted, in seconds: a good one for a day
KEEP_BAD = 3600.0  # a bad one for an hour, so that a fixed link is seen soon
LINKS_DATABASE = "links.sqlite"
_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


@dataclass(frozen=True, slots=True)
class Answer:
    """What asking a URL gave: good or not, how bad, in words; `unreachable` when the network itself failed."""

    ok: bool
    severity: Severity = "error"
    message: str = ""
    unreachable: bool = False


def _by_status(code: int, reason: str) -> Answer:
    """Judge an HTTP error status: gone is an error; refused, throttled or down may pass, and is a warning."""
    said = f"answers {code} {reason}".rstrip()
    if code in (401, 403, 429) or code >= 500:
        return Answer(False, "warning", f"{said}: it may refuse robots, or be down for now")
    return Answer(False, "error", f"{said}: fix or remove the link")


def _failure(error: BaseException, timeout: float) -> Answer:
    """Judge a request that got no HTTP answer."""
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, socket.gaierror):
        return Answer(False, "error", "host not found: fix or remove the link", unreachable=True)
    if isinstance(reason, OSError) and reason.errno in _UNREACHABLE:
        return Answer(False, "error", f"network unreachable ({reason.strerror})", unreachable=True)
    if isinstance(reason, TimeoutError):
        return Answer(False, "warning", f"no answer within {timeout:g} s")
    if isinstance(reason, ssl.SSLError):
        return Answer(False, "error", f"TLS failed: {getattr(reason, 'reason', None) or reason}")
    if isinstance(reason, ConnectionRefusedError):
        return Answer(False, "error", "the connection was refused")
    return Answer(False, "warning", f"could not be read: {reason}")


class _WebRedirects(HTTPRedirectHandler):
    """Follow redirects to http(s) URLs only (never to ftp: or file:), keeping the method: a HEAD stays a HEAD."""

    def redirect_request(
        self, req: Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> Request | None:
        if not is_web_url(newurl):
            return None
        request = super().redirect_request(req, fp, code, msg, headers, newurl)
        if request is not None:
            request.method = req.get_method()
        return request


_OPENER = build_opener(_WebRedirects)


def _ask_once(url: str, method: str, timeout: float) -> Answer:
    """Send one request; the body of a GET is not read."""
    request = Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(True, message=f"answers {response.status}")
    except HTTPError as error:
        error.close()
        return _by_status(error.code, str(error.reason or ""))
    except (URLError, OSError, http.client.HTTPException, ValueError) as error:
        return _failure(error, timeout)


def ask(url: str, timeout: float = TIMEOUT) -> Answer:
    """Ask whether a URL answers: HEAD, then GET when HEAD gets anything but a good answer."""
    head = _ask_once(url, "HEAD", timeout)
    return head if head.ok or head.unreachable else _ask_once(url, "GET", timeout)


class AnswerCache:
    """Answers kept between runs, each with the time it was given (a damaged file is made anew)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LINKS_DATABASE
        self.db: sqlite3.Connection | None = None
        for _ in range(2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path)
                self.db.execute(
                    "CREATE TABLE IF NOT EXISTS answers (url TEXT PRIMARY KEY, asked REAL NOT NULL,"
                    " ok INTEGER NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL)"
                )
                self.db.execute("SELECT url, asked, ok, severity, message FROM answers LIMIT 1").fetchall()
                return
            except sqlite3.DatabaseError:  # not a database of ours: made anew, once
                self.close()
                with suppress(OSError):
                    self.path.unlink(missing_ok=True)
            except OSError:  # a cache that cannot be opened only costs time
                self.close()
                return

    def get(self, url: str, now: float) -> Answer | None:
        """Give the answer kept for a URL while it is fresh, else None."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT asked, ok, severity, message FROM answers WHERE url = ?", (url,)).fetchone()
        if row is None or row[2] not in ("error", "warning"):
            return None
        asked, ok, severity, message = row
        return Answer(bool(ok), severity, message) if now - asked < (KEEP_GOOD if ok else KEEP_BAD) else None

    def put(self, answers: Mapping[str, Answer], now: float) -> None:
        """Keep answers, in one transaction."""
        if self.db is None:
            return
        rows = [(url, now, int(a.ok), a.severity, a.message) for url, a in answers.items()]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # not kept: the next run asks again

    def close(self) -> None:
        """Close the database."""
        if self.db is not None:
            self.db.close()
            self.db = None


def external_links(content: Content) -> dict[str, list[Diagnostic]]:
    """Map each URL a story names (fragment cut) to where it is written, messages empty.

    The URLs are its sources', its translated original's, and the outbound links of its body and its updates.
    """
    base = split_url(content.config.base_url)
    found: dict[str, list[Diagnostic]] = {}
    for article in sorted(content.articles, key=lambda a: a.path):
        text = content.sources[article.path].text
        front = FrontMatter(content.sources[article.path])
        named = [("source", source.url) for source in article.sources]
        named.append(("original", article.original.url if article.original else None))
        for key, url in named:
            if url is not None:
                found.setdefault(urldefrag(url).url, []).append(front.at(find_scalar(front.node(key), url), ""))
        bodies = (article.html, *(update.html for update in article.updates))
        for ref in dict.fromkeys(ref for body in bodies for ref in link_refs(body)):
            parts = split_url(ref)
            if is_web_url(ref) and parts is not None and (base is None or parts.netloc != base.netloc):
                line, col = locate(text, ref)
                # Asked once per page: '#a' and '#b' of one page are one question.
                found.setdefault(urldefrag(ref).url, []).append(at_line(article.path, text, line, col, ""))
    return found


def check_external(
    places: Mapping[str, Iterable[Diagnostic]],
    cache_folder: Path,
    timeout: float = TIMEOUT,
    asker: Callable[[str, float], Answer] = ask,
) -> tuple[list[Finding], str | None]:
    """Ask every URL not answered recently; give a finding per place of each bad one, and a note when offline."""
    now = time.time()
    cache = AnswerCache(cache_folder)
    try:
        answers = {url: known for url in places if (known := cache.get(url, now)) is not None}
        todo = [url for url in places if url not in answers]
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            fresh = dict(zip(todo, pool.map(lambda url: asker(url, timeout), todo), strict=True))
        note = None
        if fresh and all(answer.unreachable for answer in fresh.values()):
            note = (
                f"external links skipped: offline (none of {len(fresh):,} links could be reached); run it again online"
            )
        else:
            cache.put(fresh, now)
            answers |= fresh
    finally:
        cache.close()
    findings = [
        Finding("external", replace(place, severity=answer.severity, message=f"{url} {answer.message}"))
        for url, answer in answers.items()
        if not answer.ok
        for place in places[url]
    ]
    return findings, note
