"""The external link check's answers: how they are judged, and how long they are kept."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.error import URLError

import pytest

from generator.errors import Diagnostic
from generator.publish.linkcheck import KEEP_BAD, KEEP_GOOD, LINKS_DATABASE, Answer, AnswerCache, check_external


def test_good_answers_are_kept_a_day_and_bad_ones_an_hour(tmp_path: Path) -> None:
    cache = AnswerCache(tmp_path)
    cache.put({"https://a.example/": Answer(True), "https://b.example/": Answer(False, "error", "answers 404")}, 1000.0)
    cache.close()
    cache = AnswerCache(tmp_path)
    assert cache.get("https://a.example/", 1000.0 + KEEP_BAD + 1) == Answer(True)
    assert cache.get("https://b.example/", 1000.0 + KEEP_BAD - 1) == Answer(False, "error", "answers 404")
    assert cache.get("https://b.example/", 1000.0 + KEEP_BAD + 1) is None
    assert cache.get("https://a.example/", 1000.0 + KEEP_GOOD + 1) is None
    cache.close()


def test_a_damaged_cache_is_made_anew(tmp_path: Path) -> None:
    (tmp_path / LINKS_DATABASE).write_bytes(b"not a database at all" * 100)
    cache = AnswerCache(tmp_path)
    cache.put({"https://a.example/": Answer(True)}, 1000.0)
    assert cache.get("https://a.example/", 1001.0) == Answer(True)
    cache.close()


def place(path: str) -> Diagnostic:
    return Diagnostic(path, 3, 7, "")


def test_one_unreachable_host_among_reachable_ones_is_a_failure_not_offline(tmp_path: Path) -> None:
    answers = {
        "https://up.example/": Answer(True),
        "https://nowhere.example/": Answer(False, "error", "host not found: fix or remove the link", unreachable=True),
    }
    findings, note = check_external(
        {url: [place("content/posts/a.md")] for url in answers}, tmp_path, asker=lambda url, timeout: answers[url]
    )
    assert note is None
    assert [(f.check, f.diagnostic.format()) for f in findings] == [
        ("external", "content/posts/a.md:3:7: error: https://nowhere.example/ host not found: fix or remove the link")
    ]


def test_when_every_host_is_unreachable_nothing_is_kept(tmp_path: Path) -> None:
    offline = Answer(False, "error", "host not found", unreachable=True)
    findings, note = check_external(
        {"https://a.example/": [place("a.md")]}, tmp_path, asker=lambda url, timeout: offline
    )
    assert (findings, note) == (
        [],
        "external links skipped: offline (none of 1 links could be reached); run it again online",
    )
    cache = AnswerCache(tmp_path)
    assert cache.get("https://a.example/", 0.0) is None
    cache.close()


@pytest.mark.parametrize(
    ("reason", "severity", "unreachable"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "error", True),
        (TimeoutError("timed out"), "warning", False),
        (ConnectionRefusedError(111, "Connection refused"), "error", False),
    ],
)
def test_failures_without_an_http_answer_are_judged(reason: OSError, severity: str, unreachable: bool) -> None:
    from generator.publish.linkcheck import _failure

    answer = _failure(URLError(reason), 10.0)
    assert (answer.ok, answer.severity, answer.unreachable) == (False, severity, unreachable)
