"""Split a markdown file into its front matter and its body. Pure.

Front matter is YAML between `---` lines, or TOML between `+++` lines (as Hugo writes it).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.fields import YamlText
from generator.errors import Diagnostic, at_line
from generator.model import SourceFile

# Each opening line, and the lines that may close what it opens.
_CLOSERS = {"---": ("---", "..."), "+++": ("+++",)}


@dataclass(frozen=True, slots=True)
class Split:
    """The front matter as a document, the body, and the file line the body starts on."""

    meta: YamlText
    body: str
    body_line: int


def split_front_matter(source: SourceFile) -> Split | Diagnostic:
    """Separate the `---` block at the top of a file from the markdown below it."""
    lines = source.text.split("\n")
    first = lines[0].rstrip()
    if first not in _CLOSERS:
        return at_line(
            source.path,
            source.text,
            1,
            1,
            "no front matter; start the file with a '---' line, then 'title:' and 'date:', then '---'",
        )
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in _CLOSERS[first]:
            meta = YamlText(source.path, source.text, "\n".join(lines[1:number]), 2, toml=first == "+++")
            return Split(meta, "\n".join(lines[number + 1 :]), number + 2)
    return at_line(
        source.path,
        source.text,
        1,
        1,
        f"front matter opened here is never closed; add a '{first}' line after it",
    )
