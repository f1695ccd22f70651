import contextlib
import dataclasses
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.content.articles import parse_article
from generator.model import Alias, Article, Config, FrozenMap, Output, SiteCounts, SourceFile
from generator.publish.output import OutputFolder, write_outputs
from generator.site.cache import DATABASE, SCHEMA, BuildCache, LastBuild, article_from_json, article_to_json, clear_way
from generator.site.inputs import InputStamp
from tests.conftest import change_cache

LAST = LastBuild(InputStamp("stamp"), None, None, SiteCounts(1, 0, 0, 0), 1, (), FrozenMap(), FrozenMap())

STORY = (
    "---\ntitle: One\ndate: 2024-01-01T10:00:00+02:00\ntags: [A, B]\n"
    "source: {name: Wire, url: https://w.example/1, role: via}\nextra_key: [1, {a: b}]\naliases: [/old/one/]\n"
    "original: {lang: zh, title: 原文}\nupdates: [{date: 2024-01-02, kind: correction, text: '*Fixed*.'}]\n"
    "---\nFirst.\n"
)


def at(site: Path) -> OutputFolder:
    """Name a site's output folder, with its manifest in the site's cache folder."""
    return OutputFolder.of(site / "out", site / "cache")


@pytest.fixture
def article() -> Article:
    parsed = parse_article(SourceFile("content/posts/one.md", STORY, "d1"), Config(timezone="Europe/Paris"))
    assert isinstance(parsed, Article)
    return parsed


def test_an_article_survives_the_round_trip(article: Article) -> None:
    assert article.aliases == (Alias("/old/one/", 7, 11, "aliases: [/old/one/]"),)
    assert article.updates and article.original and article.sources[0].role == "via"
    assert article_from_json(json.loads(json.dumps(article_to_json(article)))) == article


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", 5),
        ("tags", [1]),
        ("tags", "A"),
        ("date", "2024-01-01"),
        ("date", ["2024-01-01", None]),
        ("words", True),
        ("kind", "poem"),
        ("sources", [[1, None, None, None]]),
        ("sources", [["Wire", None, None]]),
        ("extra", "text"),
        ("draft", 0),
        ("sources", [["Wire", None, None, None, "author"]]),
        ("updates", [[["2024-01-02T00:00:00", None, 0], "x", "fix", True]]),
        ("original", [None, None, None]),
    ],
)
def test_a_cached_article_with_a_field_of_the_wrong_type_is_refused(article: Article, field: str, value: Any) -> None:
    data = article_to_json(article)
    data[[f.name for f in dataclasses.fields(Article)].index(field)] = value
    with pytest.raises(TypeError):
        article_from_json(data)


def saved(folder: Path, article: Article) -> str:
    """Save one article and no output digests in a cache folder, and return the article's key."""
    cache = BuildCache(folder)
    key = cache.article_key(article.path, article.digest, "settings")
    cache.add_article(key, article)
    cache.keep_articles({key})
    write_outputs((), at(folder.parent))
    cache.save(at(folder.parent), {"index.html": "d1"}, LAST)
    return key


@pytest.mark.parametrize(
    "damage",
    ["\udcff garbage", '{"title": "One", "pa', "[1, 2, 3]", '{"title": 5}', "[" * 100_000],
    ids=["garbage", "truncated", "list", "missing-fields", "deep"],
)
def test_a_damaged_article_row_is_a_miss(tmp_path: Path, article: Article, damage: str) -> None:
    key = saved(tmp_path / "cache", article)
    assert BuildCache(tmp_path / "cache").article(key) == article
    with contextlib.closing(sqlite3.connect(tmp_path / "cache" / DATABASE)) as db, db:
        db.execute("UPDATE articles SET data = ?", (damage.encode("utf-8", "surrogateescape"),))
    assert BuildCache(tmp_path / "cache").article(key) is None


def test_an_article_s_body_is_stored_apart_as_text_and_a_damaged_one_is_a_miss(
    tmp_path: Path, article: Article
) -> None:
    key = saved(tmp_path / "cache", article)
    with contextlib.closing(sqlite3.connect(tmp_path / "cache" / DATABASE)) as db, db:
        assert db.execute("SELECT body FROM articles").fetchall() == [(article.html,)]
        db.execute("UPDATE articles SET body = x'ff'")  # bytes, no text
    assert BuildCache(tmp_path / "cache").article(key) is None


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _another_schema(path: Path) -> None:
    change_cache(path.parent, f"UPDATE meta SET schema = {SCHEMA + 1}")


def _another_program(path: Path) -> None:
    path.unlink()
    change_cache(path.parent, "CREATE TABLE articles (key TEXT, data TEXT)", "INSERT INTO articles VALUES ('k', '{}')")


def _a_folder(path: Path) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_garbage, _truncated, _another_schema, _another_program, _a_folder, _empty])
def test_an_unusable_database_is_ignored_and_made_anew(
    tmp_path: Path, article: Article, damage: Callable[[Path], None]
) -> None:
    key = saved(tmp_path / "cache", article)
    damage(tmp_path / "cache" / DATABASE)
    cache = BuildCache(tmp_path / "cache")
    assert cache.article(key) is None
    assert cache.previous_outputs(at(tmp_path)) == {}
    assert saved(tmp_path / "cache", article) == key
    assert BuildCache(tmp_path / "cache").article(key) == article
    assert BuildCache(tmp_path / "cache").previous_outputs(at(tmp_path)) == {"index.html": "d1"}


def test_a_database_held_by_another_writer_is_read_and_its_write_waits_then_gives_up(
    tmp_path: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = saved(tmp_path / "cache", article)
    monkeypatch.setattr("generator.site.cache.BUSY_SECONDS", 0.05)
    cache = BuildCache(tmp_path / "cache")
    with contextlib.closing(sqlite3.connect(tmp_path / "cache" / DATABASE, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        assert cache.article(key) == article  # readers never wait for a writer
        cache.save(at(tmp_path), {"index.html": "d2"}, LAST)
        assert cache.unsaved
    cache.save(at(tmp_path), {"index.html": "d2"}, LAST)
    assert BuildCache(tmp_path / "cache").previous_outputs(at(tmp_path)) == {"index.html": "d2"}


def test_output_digests_are_trusted_only_beside_the_manifest_they_were_saved_with(tmp_path: Path) -> None:
    out = at(tmp_path)
    write_outputs((), out)
    BuildCache(tmp_path / "cache").save(out, {"index.html": "d1"}, LAST)
    assert BuildCache(tmp_path / "cache").previous_outputs(out) == {"index.html": "d1"}
    write_outputs((Output("index.html", b"new"),), out)  # a later build wrote output/, then could not save its digests
    assert BuildCache(tmp_path / "cache").previous_outputs(out) == {}


@pytest.mark.parametrize(
    ("manifest", "digests"),
    [("", '{"index.html": "d1"}'), ("1:2", '{"index.html": "d1'), ("1:2", "[1]"), ("1:2", '{"index.html": 5}')],
    ids=["no-manifest", "truncated", "list", "wrong-types"],
)
def test_damaged_output_digests_trust_nothing(tmp_path: Path, manifest: str, digests: str) -> None:
    out = at(tmp_path)
    write_outputs((), out)
    BuildCache(tmp_path / "cache").save(out, {"index.html": "d1"}, LAST)
    with contextlib.closing(sqlite3.connect(tmp_path / "cache" / DATABASE)) as db, db:
        db.execute("UPDATE outputs SET manifest = ?, digests = ?", (manifest, digests))
    assert BuildCache(tmp_path / "cache").previous_outputs(out) == {}


def test_clear_way_removes_a_file_or_dangling_link_but_never_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to("nowhere")
    (tmp_path / "folder").mkdir()
    for name in ("file", "link", "folder", "absent"):
        clear_way(tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
