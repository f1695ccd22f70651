import gc
import weakref

from generator.errors import Diagnostic
from generator.model import Article, PageJob
from generator.render.themes import load_theme, make_environment
from generator.site import deps
from generator.site.deps import TextEdits, ThemeDeps, text_edits
from tests.conftest import REPO


def test_template_dependencies_follow_the_theme_and_read_site_attributes() -> None:
    theme, _ = load_theme(REPO, "default", lambda m: Diagnostic("site.yaml", 1, 1, m))
    assert theme is not None
    deps = ThemeDeps(make_environment(REPO, theme, {}, {}), theme)
    article = deps.of("article.html")
    assert {p.name for p in article.files} >= {"article.html", "base.html", "_macros.html"}
    assert article.site_attrs is not None and "posts" not in article.site_attrs
    assert deps.of("tags.html").site_attrs is not None and "tags" in deps.of("tags.html").site_attrs


def test_a_build_s_environment_is_not_kept_alive_after_it() -> None:
    """A long preview session must not keep every build's environment (and site) in memory."""
    theme, _ = load_theme(REPO, "default", lambda m: Diagnostic("site.yaml", 1, 1, m))
    assert theme is not None
    env = make_environment(REPO, theme, {}, {})
    ThemeDeps(env, theme).of("article.html")
    gone = weakref.ref(env)
    del env
    gc.collect()
    assert gone() is None


def test_text_edits_are_named_only_when_nothing_but_texts_changed() -> None:
    # "digest shape deck summary words"
    earlier = {"a.md": "1 shape-a s d w", "b.md": "2 shape-b s d w"}
    assert text_edits({"a.md": "1 shape-a s d w", "b.md": "3 shape-b s d w"}, earlier) == TextEdits(
        frozenset({"b.md"}), frozenset({"body"})
    )
    assert text_edits(dict(earlier), earlier) == TextEdits(frozenset(), frozenset())
    assert text_edits({"a.md": "1 shape-a s d w", "b.md": "3 retitled s d w"}, earlier) is None
    assert text_edits({"a.md": "1 shape-a s d w"}, earlier) is None
    assert text_edits({"a.md": "1 shape-a s d w", "b.md": "3 shape-b s"}, earlier) is None  # another version's


def test_text_edits_name_the_parts_of_the_texts_that_changed() -> None:
    earlier = {"a.md": "1 shape-a s d w", "b.md": "2 shape-b s d w"}
    edits = text_edits({"a.md": "4 shape-a s D w", "b.md": "3 shape-b s d W"}, earlier)  # deck, summary, words
    assert edits == TextEdits(frozenset({"a.md", "b.md"}), frozenset({"body", "summary_html", "words"}))


def test_an_edit_keeps_the_pages_that_read_none_of_the_parts_that_changed() -> None:
    jobs = [PageJob(url, "tag.html", "x") for url in ("/a/", "/b/", "/c/", "/d/")]
    reads = {"a/index.html": "", "b/index.html": "summary_html", "c/index.html": "deck_html words"}
    kept = deps.reading(jobs, TextEdits(frozenset({"x.md"}), frozenset({"body", "words"})), reads)
    assert [job.url for job in kept] == ["/c/", "/d/"]  # /d/ read a body, or is not known


def test_the_walk_for_edited_stories_looks_only_into_fields_that_may_hold_one() -> None:
    """Text, dates, pictures and cards hold no story; a story, a list of them, or what a type cannot tell, may."""
    walked = deps._walked_fields(PageJob)
    assert walked is not None
    assert {"page", "newer", "older", "related", "pagination", "tag"} <= set(walked)
    assert not {"url", "template", "card", "people"} & set(walked)
    assert deps._walked_fields(Article) == ("extra",)  # front matter's own keys: any value
    assert deps._walked_fields(str) is None
