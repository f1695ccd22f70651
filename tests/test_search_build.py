"""Search in the build: what Pagefind indexes, when the index is made again, and what a failure leaves.

Pagefind writes its filter indexes in hash-map order (upstream Pagefind/pagefind#638): two builds of one
site differ in pagefind/filter/*, the .pf_meta files and pagefind-entry.json, so the trees compared
byte for byte here are the rest: every page, and the bundle's word indexes and fragments.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildOptions, BuildResult, build
from generator.errors import BuildFailed
from generator.site.cache import BuildCache
from tests.conftest import snapshot, write_tree

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SITE: dict[str, str | bytes] = {
    "site.yaml": "title: Cherche\nbase_url: https://example.org/\nlanguage: fr\n",
    "content/posts/azure.md": (
        "---\ntitle: Azure quitte la Chine\ndate: 2024-10-14\ntags: [Cloud, IA]\nauthor: Camille\n"
        "source: {name: ITHome, url: https://www.ithome.com/0/800/000.htm, lang: zh}\n---\n"
        "Les développeurs perdent Azure OpenAI.\n"
    ),
    "content/posts/noyau.md": (
        "---\ntitle: Le noyau 6.12\ndate: 2024-10-12\ntags: [Linux]\nsource: {name: Phoronix}\n---\n"
        "Un ordonnanceur extensible.\n"
    ),
    "content/posts/huawei.md": (
        "---\ntitle: 华为发布新款折叠屏手机\ndate: 2024-10-10\nlang: zh\ntags: [手机]\n---\n华为今天发布了新手机。\n"
    ),
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\nUne page que personne ne cherche : zeppelin.\n",
}
UNSTABLE = ("pagefind/filter/", "pagefind/pagefind-entry.json")  # see the module's docstring


@pytest.fixture
def site(make_site: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_site(SITE)


def run(site: Path, cache: BuildCache | None = None, out: str = "output") -> BuildResult:
    return build(BuildOptions(site, site / out, now=NOW), cache)


def stable(folder: Path) -> dict[str, bytes]:
    """Give the files of an output folder that Pagefind writes the same way every time, and every page."""
    return {
        path: data
        for path, data in snapshot(folder).items()
        if not path.startswith(UNSTABLE) and not path.endswith(".pf_meta") and path != ".gazette-manifest.json"
    }


def folders(out: Path) -> Counter[str]:
    """Count the files of the search bundle in each of its folders."""
    return Counter(str(Path(path).parent) for path in snapshot(out) if path.startswith("pagefind/"))


def indexed_text(folder: Path) -> str:
    """Give every text Pagefind stored for results: each story's fragment, decompressed, as one string."""
    return " ".join(
        gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd").decode()
        for file in sorted((folder / "pagefind" / "fragment").iterdir())
    )


def fragments(folder: Path) -> list[dict[str, object]]:
    """Give each story's fragment: its URL, text, metadata and filters."""
    return sorted(
        (
            json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
            for file in (folder / "pagefind" / "fragment").iterdir()
        ),
        key=lambda fragment: str(fragment["url"]),
    )


def test_only_the_stories_are_indexed_one_index_per_language(site: Path) -> None:
    run(site)
    out = site / "output"
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_bytes())
    assert {code: index["page_count"] for code, index in entry["languages"].items()} == {"fr": 2, "zh": 1}
    found = fragments(out)
    assert [f["url"] for f in found] == ["/2024/10/azure/", "/2024/10/huawei/", "/2024/10/noyau/"]
    azure = found[0]
    assert azure["meta"] == {"title": "Azure quitte la Chine", "date": "14 octobre 2024", "source": "ITHome"}
    assert azure["filters"] == {"tag": ["Cloud", "IA"], "source": ["ITHome"]}
    # Title, author, source, tags and body; no menu, footer, related stories, reading time or "Via" label.
    assert azure["content"] == (
        "Azure quitte la Chine. Par Camille 14 octobre 2024 ITHome Les développeurs perdent Azure OpenAI. Cloud. IA."
    )
    assert "zeppelin" not in indexed_text(out)


def test_the_search_page_is_linked_from_every_page_and_left_out_of_the_sitemap(site: Path) -> None:
    run(site)
    out = site / "output"
    page = (out / "search/index.html").read_text()
    assert '<html lang="fr">' in page and '<meta name="robots" content="noindex">' in page
    assert '<input id="search-query" type="search" name="q"' in page
    assert "<noscript>" in page
    for html in out.rglob("*.html"):
        if not html.is_relative_to(out / "pagefind"):
            assert '<p class="search-link"><a href="/search/"' in html.read_text(), html
    assert "/search/" not in (out / "sitemap.xml").read_text()


def test_a_build_that_changed_nothing_writes_nothing(site: Path) -> None:
    cache = BuildCache()
    run(site, cache)
    again = run(site, cache)
    assert (again.rendered, again.report.written) == ((), 0)


def test_an_edit_indexes_again_once_as_a_clean_build_would(site: Path) -> None:
    cache = BuildCache()
    run(site, cache)
    story = site / "content/posts/noyau.md"
    story.write_text(story.read_text().replace("extensible", "extensible et un ornithorynque"), "utf-8")
    edited = run(site, cache)
    assert "pagefind/pagefind.js" in edited.rendered
    assert "ornithorynque" in indexed_text(site / "output")
    assert run(site, cache).rendered == ()
    run(site, BuildCache(), "clean")
    assert stable(site / "output") == stable(site / "clean")
    # No stale file of the last index stays: as many files in each folder of the bundle as a clean build has.
    assert folders(site / "output") == folders(site / "clean")


def test_a_change_no_story_shows_keeps_the_index(site: Path) -> None:
    cache = BuildCache()
    run(site, cache)
    write_tree(site, {"static/extra.css": "p { color: red }\n"})
    assert run(site, cache).rendered == ("extra.css",)


def test_a_failure_of_pagefind_leaves_the_output_folder_as_it_was(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(site)
    before = snapshot(site / "output")
    story = site / "content/posts/noyau.md"
    story.write_text(story.read_text().replace("extensible", "modulaire"), "utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # Pagefind's Python package runs what this names
    with pytest.raises(BuildFailed) as failure:
        run(site)
    assert [(d.path, d.message) for d in failure.value.diagnostics] == [
        (str(site / "output/pagefind"), "Pagefind could not index the stories: it ended with status 1")
    ]
    assert snapshot(site / "output") == before
    assert not (site / "output/.gazette-staging").exists()


def test_search_asked_for_without_pagefind_is_one_clear_error(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.build.pagefind_stamp", lambda: None)
    (site / "site.yaml").write_text(str(SITE["site.yaml"]) + "search: true\n", "utf-8")
    with pytest.raises(BuildFailed) as failure:
        run(site)
    assert [d.format() for d in failure.value.diagnostics] == [
        "site.yaml:4:9: error: search is on, but Pagefind is not installed; "
        "install it with: pip install 'gazette[search]'\n    search: true\n            ^"
    ]
    assert not (site / "output").exists()


def test_without_pagefind_and_unsaid_there_is_no_search(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.build.pagefind_stamp", lambda: None)
    run(site)
    out = site / "output"
    assert not (out / "search").exists() and not (out / "pagefind").exists()
    assert "search-link" not in (out / "index.html").read_text()
    assert "data-pagefind" not in (out / "2024/10/azure/index.html").read_text()


def test_turning_search_off_removes_the_index_and_the_page(site: Path) -> None:
    run(site)
    (site / "site.yaml").write_text(str(SITE["site.yaml"]) + "search: false\n", "utf-8")
    run(site)
    out = site / "output"
    assert not (out / "search").exists() and not (out / "pagefind").exists()
    assert "search-link" not in (out / "index.html").read_text()


def test_a_file_where_the_index_goes_is_an_error(site: Path) -> None:
    write_tree(site, {"static/pagefind/pagefind.js": "// mine\n"})
    with pytest.raises(BuildFailed) as failure:
        run(site)
    assert [d.format() for d in failure.value.diagnostics] == [
        "static/pagefind/pagefind.js:1:1: error: output pagefind/pagefind.js is in pagefind/, where the search "
        "index goes; move the file, or turn search off with 'search: false' in site.yaml"
    ]


def test_a_story_whose_lang_pagefind_cannot_take_is_indexed_in_the_sites_language(site: Path) -> None:
    # Pagefind names files after languages and fails on a long one; `lang` is whatever a writer typed.
    for name, lang in (("odd", '"en\\"><b>x</b>"'), ("long", "x-klingon-private-use-tag-that-is-long")):
        write_tree(
            site, {f"content/posts/{name}.md": f"---\ntitle: {name}\ndate: 2024-01-02\nlang: {lang}\n---\nMot.\n"}
        )
    run(site)
    entry = json.loads((site / "output/pagefind/pagefind-entry.json").read_bytes())
    assert {code: index["page_count"] for code, index in entry["languages"].items()} == {"fr": 4, "zh": 1}
    assert 'lang="x-klingon-private-use-tag-that-is-long"' in (site / "output/2024/01/long/index.html").read_text()
