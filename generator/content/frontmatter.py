"""Split a markdown file into its YAML front matter and its body. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.fields import YamlText
from generator.errors import Diagnostic, at_line
from generator.model import SourceFile

_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass(frozen=True, slots=True)
class Split:
    """The front matter as a YAML document, the body, and the file line the body starts on."""

    meta: YamlText
    body: str
    body_line: int


def split_front_matter(source: SourceFile) -> Split | Diagnostic:
    """Separate the `---` block at the top of a file from the markdown below it."""
    lines = source.text.split("\n")
    first = lines[0].rstrip()
    if first == "+++":
        return at_line(
            source.path,
            source.text,
            1,
            1,
            "TOML front matter (+++) is not supported; convert it to YAML between --- lines",
        )
    if first != _FENCE:
        return at_line(
            source.path,
            source.text,
            1,
            1,
            "no front matter; start the file with a '---' line, then 'title:' and 'date:', then '---'",
        )
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in _CLOSERS:
            meta = YamlText(source.path, source.text, "\n".join(lines[1:number]), 2)
            return Split(meta, "\n".join(lines[number + 1 :]), number + 2)
    return at_line(
        source.path,
        source.text,
        1,
        1,
        "front matter opened here is never closed; add a '---' line after it",
    )
