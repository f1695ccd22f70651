"""The benchmark's corpus generator (bench/corpus.py): seeded, shaped like real stories, built without a complaint."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from generator.build import BuildOptions, build
from generator.site.cache import BuildCache

BENCH = Path(__file__).resolve().parents[2] / "bench"
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


corpus = load_corpus()


def files_of(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def test_a_seed_makes_the_same_corpus_and_story_i_does_not_depend_on_the_count(tmp_path: Path) -> None:
    corpus.write_corpus(12, 42, gazette=tmp_path / "a", hugo=tmp_path / "a-hugo")
    corpus.write_corpus(12, 42, gazette=tmp_path / "b", hugo=tmp_path / "b-hugo", jobs=2)
    corpus.write_corpus(5, 42, gazette=tmp_path / "prefix")
    corpus.write_corpus(12, 7, gazette=tmp_path / "other")
    first = files_of(tmp_path / "a")
    assert len(first) == 12
    assert files_of(tmp_path / "b") == first
    assert files_of(tmp_path / "b-hugo") == files_of(tmp_path / "a-hugo")
    assert files_of(tmp_path / "prefix").items() <= first.items()
    assert files_of(tmp_path / "other") != first


def test_stories_have_600_to_900_words_2_to_5_tags_a_source_code_and_both_languages() -> None:
    stories = list(corpus.stories(200, 42))
    assert all(600 <= corpus.count_words(story.body) <= 900 for story in stories)
    assert all(2 <= len(story.tags) == len(set(story.tags)) <= 5 for story in stories)
    assert all(story.source_name and story.source_url.startswith("https://") for story in stories)
    assert all(re.search(r"^```\w+\n.+?^```$", story.body, re.MULTILINE | re.DOTALL) for story in stories)
    assert 0.4 < sum(story.lang == "fr" for story in stories) / len(stories) < 0.7
    assert len({story.slug for story in stories}) == len(stories)


def test_tags_are_zipf_skewed() -> None:
    counts: dict[str, int] = {}
    for story in corpus.stories(1000, 42):
        for tag in story.tags:
            counts[tag] = counts.get(tag, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    assert ranked[0] > 10 * ranked[len(ranked) // 2]  # the most used tag is far ahead of the typical one
    assert ranked[0] > 1.5 * ranked[1]


def test_twenty_stories_build_without_an_error_or_a_warning(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: Bench\nbase_url: https://bench.example.org/\nlanguage: fr\n")
    corpus.write_corpus(20, 42, gazette=tmp_path / "content" / "posts")
    result = build(BuildOptions(tmp_path, tmp_path / "output", now=NOW), BuildCache())
    assert result.warnings == ()
    assert result.counts.posts == 20
    story = next(corpus.stories(1, 42))
    pages = list((tmp_path / "output").rglob(f"{story.slug}/index.html"))
    assert len(pages) == 1
    assert story.source_name in pages[0].read_text(encoding="utf-8")
