"""The quicker inline pass: a text is kept from a pattern only when the pattern could not have matched it."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.inline import NEEDS
from generator.content.markup import _converter, _summary_converter, render_markdown

# Markdown's own punctuation, the letters of URLs and entities, spaces and line ends: what patterns match on.
_ALPHABET = st.sampled_from(list("`\\[]()!<>/:@&;#*_~^ \n\t.wWhtpsfa1x\x02\x03\"'=-"))
_CONVERTERS = {"body": _converter(""), "emoji": _converter("", emoji=True), "summary": _summary_converter()}


def _named(md: markdown.Markdown) -> list[tuple[str, object]]:
    return [(name, md.inlinePatterns[name]) for name in NEEDS if name in md.inlinePatterns]


@pytest.mark.parametrize("which", sorted(_CONVERTERS))
def test_every_pattern_but_emoji_is_planned(which: str) -> None:
    """Each pattern registered by the extensions Gazette uses has what it needs named; emoji is always tried."""
    md = _CONVERTERS[which]
    names = {name for name in NEEDS if name in md.inlinePatterns}
    unnamed = [
        type(pattern).__name__
        for pattern in md.inlinePatterns
        if all(md.inlinePatterns[n] is not pattern for n in names)
    ]
    assert unnamed == (["EmojiPattern"] if which == "emoji" else [])


@settings(max_examples=3000, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_a_pattern_that_matches_finds_what_it_needs(text: str) -> None:
    """Wherever a pattern's expression matches, the text has what the pattern is said to need."""
    for name, pattern in _named(_CONVERTERS["body"]):
        if pattern.getCompiledRegExp().search(text):  # type: ignore[attr-defined]
            assert NEEDS[name].search(text), (name, text)


@pytest.mark.parametrize(
    "text",
    [
        "Plain words, then `code`, a [link](https://a.example/), *em* and __strong__, ~~gone~~.",
        "A bare https://example.org/x and www.example.org, mail me@example.org, <b>raw</b> &amp; &#169;.",
        "Line one  \nline two\\\nthree ![img](a.png) [ref][r] [^1]\n\n[r]: /r\n[^1]: note",
        "Nested **bold with `code` and [a *link*](/x)** then plain text.",
    ],
)
def test_bodies_render_as_with_python_markdowns_own_pass(text: str) -> None:
    """The same body through the same extensions, with Python-Markdown's own inline pass, gives the same HTML."""
    quick = render_markdown(text).html
    md = _converter("")
    own = markdown.treeprocessors.InlineProcessor(md)
    md.treeprocessors.register(own, "inline", 20)
    try:
        assert render_markdown(text).html == quick
    finally:
        _converter.cache_clear()
