import json
from pathlib import Path
from typing import Any

import pytest

from generator.articles import parse_article
from generator.cache import BuildCache, article_from_json, article_to_json, clear_way
from generator.model import Article, Config, Output, SourceFile
from generator.output import write_outputs

STORY = (
    "---\ntitle: One\ndate: 2024-01-01T10:00:00+02:00\ntags: [A, B]\n"
    "source: {name: Wire, url: https://w.example/1}\nextra_key: [1, {a: b}]\n---\nFirst.\n"
)


@pytest.fixture
def article() -> Article:
    parsed = parse_article(SourceFile("content/posts/one.md", STORY, "d1"), Config(timezone="Europe/Paris"))
    assert isinstance(parsed, Article)
    return parsed


def test_an_article_survives_the_round_trip(article: Article) -> None:
    assert article_from_json(json.loads(json.dumps(article_to_json(article)))) == article


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", 5),
        ("tags", {"$tuple": [1]}),
        ("tags", ["A"]),
        ("date", "2024-01-01"),
        ("words", True),
        ("kind", "poem"),
        ("sources", {"$tuple": [{"$source": [1, None, None, None]}]}),
        ("extra", "text"),
    ],
)
def test_a_cached_article_with_a_field_of_the_wrong_type_is_refused(article: Article, field: str, value: Any) -> None:
    data = article_to_json(article)
    data[field] = value
    with pytest.raises(TypeError):
        article_from_json(data)


@pytest.mark.parametrize(
    "damage",
    [b"\xff\xfe garbage", b'{"title": "One", "pa', b"[1, 2, 3]", b'{"title": 5}', b"[" * 100_000],
    ids=["garbage", "truncated", "list", "missing-fields", "deep"],
)
def test_a_damaged_article_file_is_a_miss(tmp_path: Path, article: Article, damage: bytes) -> None:
    cache = BuildCache(tmp_path / "cache")
    key = cache.article_key(article.path, article.digest, "settings")
    cache.add_article(key, article)
    cache.keep_articles({key})
    write_outputs((), tmp_path / "out")
    cache.save(tmp_path / "out", {})
    assert BuildCache(tmp_path / "cache").article(key) == article
    (tmp_path / "cache/articles" / f"{key}.json").write_bytes(damage)
    assert BuildCache(tmp_path / "cache").article(key) is None


def test_output_digests_are_trusted_only_beside_the_manifest_they_were_saved_with(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs((), out)
    BuildCache(tmp_path / "cache").save(out, {"index.html": "d1"})
    assert BuildCache(tmp_path / "cache").previous_outputs(out) == {"index.html": "d1"}
    write_outputs((Output("index.html", b"new"),), out)  # a later build wrote output/, then could not save its digests
    assert BuildCache(tmp_path / "cache").previous_outputs(out) == {}


@pytest.mark.parametrize(
    "damage",
    [b"\x00\x01", b'{"manifest": "1:2", "dig', b'{"index.html": "d1"}', b'{"manifest": 5, "digests": [1]}'],
    ids=["garbage", "truncated", "older-format", "wrong-types"],
)
def test_damaged_output_digests_trust_nothing(tmp_path: Path, damage: bytes) -> None:
    out = tmp_path / "out"
    write_outputs((), out)
    cache = BuildCache(tmp_path / "cache")
    cache.save(out, {"index.html": "d1"})
    next(Path(tmp_path / "cache").glob("outputs-*.json")).write_bytes(damage)
    assert BuildCache(tmp_path / "cache").previous_outputs(out) == {}


def test_clear_way_removes_a_file_or_dangling_link_but_never_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to("nowhere")
    (tmp_path / "folder").mkdir()
    for name in ("file", "link", "folder", "absent"):
        clear_way(tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
