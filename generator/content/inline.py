"""Python-Markdown's inline pass, made to skip the patterns a text cannot match. Pure.

Python-Markdown tries every inline pattern (18 here: code, links, autolinks, HTML, entities, emphasis…)
on every run of text in a story, one after the other, at a cost in Python of several microseconds each,
even on a sentence with no `*`, `[` or `<` in it. That was half of the time a story takes to convert.
Each pattern here is given the characters without which its expression cannot match (a link needs a
`[`, emphasis a `*` or `_`); a text without them is not offered to it, which is what it would have
answered. A pattern not named below (another extension's) is always tried, as before.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# For each pattern, by the name it is registered under: a search that finds something in every text
# its expression can match (what it needs, not what it matches).
NEEDS: dict[str, re.Pattern[str]] = {
    name: re.compile(needs)
    for names, needs in (
        (("backtick",), "`"),
        (("escape",), r"\\"),
        (("footnote", "reference", "link", "short_reference"), r"\["),
        (("image_link", "image_reference", "short_image_ref"), r"!\["),
        (("autolink", "automail", "html"), "<"),
        (("linebreak",), "\n"),
        (("magic-link",), r"(?i)://|www\."),
        (("magic-mail",), "@"),
        (("entity",), "&"),
        (("em_strong",), "[*_]"),
        (("delimiter",), "~"),
    )
    for name in names
}

Needs = Callable[..., object] | None  # a bound `re.Pattern.search`


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline processor, offering each text only the patterns it may match."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Plan the patterns with what each needs (the registry is final by now), then run as Python-Markdown does."""
        registry = self.inlinePatterns
        needs = {id(registry[name]): need.search for name, need in NEEDS.items() if name in registry}
        # (The stubs type the registry's items as the tree processor.)
        self._plan: list[tuple[InlineProcessor, Needs]] = [(pattern, needs.get(id(pattern))) for pattern in registry]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Apply the patterns from `patternIndex` on, as Python-Markdown's own loop, but for those `data` lacks."""
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        plan = self._plan
        start = 0
        while patternIndex < len(plan):
            pattern, needs = plan[patternIndex]
            if needs is not None and not needs(data):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class QuickInline(Extension):
    """Put the quicker inline processor in the place of Python-Markdown's, at its priority."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Replace the `inline` tree processor."""
        md.treeprocessors.register(_QuickInline(md), "inline", 20)
