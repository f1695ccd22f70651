import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal

import pytest
from markupsafe import Markup

from generator.build import BuildOptions, build
from generator.errors import BuildFailed
from generator.render import pages as render
from generator.site.cache import BuildCache
from tests.conftest import snapshot

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
POSTS = {
    f"content/posts/p{n}.md": f'---\ntitle: "Brève {n} : test"\ndate: 2024-01-{n + 1:02d}\ntags: [T{n % 3}]\n'
    f"source: S{n % 2}\n---\nTexte {n} !\n"
    for n in range(12)
}


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Render in worker processes from the first job on, and count the pools started."""
    started: list[int] = []
    real = render.worker_pool

    def counting(workers: int, start: Literal["fork", "spawn"]) -> AbstractContextManager[ProcessPoolExecutor]:
        started.append(1)
        return real(workers, start)

    monkeypatch.setattr(render, "PARALLEL_RENDER_FROM", 1)
    monkeypatch.setattr(render, "worker_pool", counting)
    return started


def test_rendering_in_workers_gives_the_same_bytes(
    make_site: Callable[[dict[str, str | bytes]], Path], forks: list[int]
) -> None:
    assert threading.active_count() == 1, "workers are forked only when no other thread runs"
    site = make_site({"site.yaml": "language: fr\nsearch: false\n", **POSTS})  # Pagefind's bytes vary
    build(BuildOptions(site, site / "parallel", now=NOW), BuildCache())
    assert forks == [1]
    render.PARALLEL_RENDER_FROM = 10**9
    build(BuildOptions(site, site / "serial", now=NOW), BuildCache())
    assert snapshot(site / "parallel") == snapshot(site / "serial")


def test_template_errors_in_workers_are_reported_once(
    make_site: Callable[[dict[str, str | bytes]], Path], forks: list[int]
) -> None:
    site = make_site({
        "site.yaml": "theme: t\n", "themes/t/theme.yaml": "extends: default\n",
        "themes/t/templates/article.html": '{% extends "!default/article.html" %}\n'
                                           "{% block title %}{{ page.nope }}{% endblock %}\n",
        **POSTS,
    })  # fmt: skip
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(site, site / "output", now=NOW), BuildCache())
    assert forks == [1]
    assert [d.format() for d in failed.value.errors] == [
        "themes/t/templates/article.html:2:1: error: UndefinedError: 'generator.model.Article object' has no "
        "attribute 'nope' (while rendering /2024/01/p11/ from content/posts/p11.md and 11 other pages)\n"
        "    {% block title %}{{ page.nope }}{% endblock %}\n"
        "    ^"
    ]


def test_a_ui_string_filled_again_is_escaped_as_its_values_ask() -> None:
    say = render.Strings(
        {"en": {"updated": "Updated {date}", "min_other": "{count} min", "min_one": "{count} minute"}}, "en"
    )
    plain, markup = "<b>3</b>", Markup("<b>3</b>")
    # The same text, plain then as markup, and back: each keeps its own escaping, though they are equal.
    assert say("updated", date=plain) == "Updated &lt;b&gt;3&lt;/b&gt;"
    assert say("updated", date=markup) == "Updated <b>3</b>"
    assert say("updated", date=plain) == "Updated &lt;b&gt;3&lt;/b&gt;"
    assert say("min", count=1) == "1 minute"
    assert say("min", count=2) == "2 min"
    assert say("min", count=True) == "True minute"  # equal to 1, and remembered apart from it
    assert say("updated", date=["a"]) == "Updated [&#39;a&#39;]"  # a value that cannot be remembered
