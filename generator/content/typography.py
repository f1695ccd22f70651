"""French typography for rendered HTML: narrow no-break spaces before `: ; ! ?` and inside « ». Pure.

Only French text is touched, as the nearest `lang` attribute tells (`<html lang="fr">`, an English
story card marked `lang="en"` stays as it is), unless asked to touch all text. Tags, attributes,
comments and the contents of code, pre, kbd, samp, script, style and textarea come out byte for byte
as they went in: the HTML is cut into tokens (`generator.content.htmltokens`) and each token keeps its exact
source text. Running it twice gives what running it once gave.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from generator.content.htmltokens import Kind, attributes, tokens

NARROW_NBSP = "\u202f"
# Spaces that already keep the punctuation on its word: left as the author typed them.
_FIXED_SPACES = frozenset("\u00a0\u202f\u2007\u2009")
_SPACES = frozenset(" \t\n\r\f")
# Text is cut so that each mark is an atom of its own, and so is each space that may become narrow: one
# next to a mark, or at either end of a run of text (a mark may stand across a tag). Runs of other text,
# spaces inside them included, stay whole: they neither start nor end with a space.
_TEXT_PIECES = re.compile(r"[:;!?«» ]|[^:;!?«» ](?:[^:;!?«»]*[^:;!?«» ])?")
_MARKS = frozenset(":;!?«»")
_MARK = re.compile("[:;!?«»]")
_SKIPPED = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
# Elements that have no end tag, so a `lang` on them covers no text.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Elements that end a run of text: punctuation is never spaced from a word across them.
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
     "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "li",
     "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "title", "tr", "ul"}
)  # fmt: skip
_FRENCH_LANG = re.compile(r"""\blang\s*=\s*["']?fr\b""", re.IGNORECASE)
# After `:` or `;` only a space or a closing quote may follow; `:)` and `12:30` are not punctuation.
_AFTER_ANY = _SPACES | _FIXED_SPACES | frozenset('»”"’')
# `!` and `?` may also close a parenthesis or sit in a group (`?!`, `!…`).
_AFTER_EXCLAMATION = _AFTER_ANY | frozenset("!?)].…")
# What may stand right before the punctuation for a space to be added: the end of a word or a quote.
_WORD_ENDS = frozenset(')]}»”"’%°*…')


# "text": a mark, a space or a run of other text, to process; "entity": `&raquo;`; "kept": text left
# alone (code, another language); "markup": inline tags, comments, declarations. A block's tags are
# never atoms: they end the run of atoms that the rules read.
_Kind = Literal["text", "entity", "kept", "markup"]


@dataclass(slots=True)
class _Atom:
    """One piece of the document: a piece of text, an entity, a tag, or text left alone."""

    raw: str
    char: str | None  # the text it stands for; None for markup (tags, comments)
    kind: _Kind


def _language(name: str, raw: str) -> str | None:
    """Return the `lang` a start tag (not self-closed) gives its contents, if any."""
    if name in _VOID or "lang" not in raw.lower():
        return None
    return next((a.value for a in reversed(attributes(raw)) if a.name == "lang"), None)


def _keep(atoms: list[_Atom], raw: str, char: str | None) -> None:
    """Add text left alone, or an inline tag, joining it to such atoms just before it.

    Rules only read the first and last characters of the text next to a mark, never edit text left
    alone, and only stop at blocks: a code block's hundreds of spans can be one atom.
    """
    last = atoms[-1] if atoms else None
    if last is None or last.kind not in ("kept", "markup"):
        atoms.append(_Atom(raw, char, "kept" if char else "markup"))
        return
    last.raw += raw
    if char:
        last.char = (last.char or "") + char
        last.kind = "kept"


# A token of a run between blocks: its kind, its text, and whether it is text to space (French, not code).
_Piece = tuple[Kind, str, bool]


def _atoms(segment: list[_Piece]) -> list[_Atom]:
    """Cut the tokens of one run between blocks into atoms, which put together give it again."""
    atoms: list[_Atom] = []
    for kind, raw, spaced in segment:
        if kind != "text" and kind != "entity":
            _keep(atoms, raw, None)
        elif not spaced:
            _keep(atoms, raw, raw)
        elif kind == "entity":
            atoms.append(_Atom(raw, html.unescape(raw), "entity"))
        else:
            atoms.extend(_Atom(piece, piece, "text") for piece in _TEXT_PIECES.findall(raw))
    return atoms


def _neighbour(atoms: list[_Atom], index: int, step: int) -> _Atom | None:
    """Find the nearest text before (step -1) or after (step 1) an index, through inline tags (in its run)."""
    index += step
    while 0 <= index < len(atoms):
        if atoms[index].char:
            return atoms[index]
        index += step
    return None


def _space_before(atoms: list[_Atom], index: int, allowed_after: frozenset[str]) -> None:
    """Keep `: ; ! ?` on its word: make the space before it narrow and unbreakable, or add one."""
    after = _neighbour(atoms, index, 1)
    if after is not None and after.char and after.char[0] not in allowed_after:
        return
    before = _neighbour(atoms, index, -1)
    if before is None or not before.char:
        return
    last = before.char[-1]
    if last == " " and before.kind == "text":
        before.raw = NARROW_NBSP
    elif last.isalnum() or last in _WORD_ENDS:
        atoms[index].raw = NARROW_NBSP + atoms[index].raw


def _space_inside(atoms: list[_Atom], index: int, opening: bool) -> None:
    """Put a narrow no-break space between a guillemet and the quoted words."""
    inner = _neighbour(atoms, index, 1 if opening else -1)
    if inner is None or not inner.char:
        return
    char = inner.char[0] if opening else inner.char[-1]
    if char == " " and inner.kind == "text":
        inner.raw = NARROW_NBSP
    elif char not in _SPACES and char not in _FIXED_SPACES and char not in "«»":
        atoms[index].raw = atoms[index].raw + NARROW_NBSP if opening else NARROW_NBSP + atoms[index].raw


def _spaced(segment: list[_Piece]) -> str:
    """Space the marks of one run of text between blocks, where no rule looks past."""
    atoms = _atoms(segment)
    # Decisions read the characters as written (`char`) and edits change only `raw`,
    # so the order in which the rules run does not matter.
    for index, atom in enumerate(atoms):
        symbol = atom.char if atom.kind in ("text", "entity") else None
        if symbol in (":", ";"):
            _space_before(atoms, index, _AFTER_ANY)
        elif symbol in ("!", "?"):
            _space_before(atoms, index, _AFTER_EXCLAMATION)
        elif symbol == "«":
            _space_inside(atoms, index, opening=True)
        elif symbol == "»":
            _space_inside(atoms, index, opening=False)
    return "".join(atom.raw for atom in atoms)


def french_spacing(document: str, *, everywhere: bool = False) -> str:
    """Add the narrow no-break spaces of French typography to the French text of an HTML document.

    With `everywhere`, all text is treated as French, whatever its `lang`. No rule looks across a
    block's tag, so the document is taken one run between blocks at a time, and a run with no mark
    to space (most of them: code, navigation, a paragraph without a colon) is passed on as it is.
    """
    if not everywhere and not _FRENCH_LANG.search(document):
        return document  # no French text: spare the parsing
    pieces: list[str] = []
    segment: list[_Piece] = []
    marked = False  # whether the run holds a mark to space
    languages: list[tuple[str, str]] = []  # (element, its lang) for each open element with a lang
    french = everywhere  # whether text here is French, as the innermost lang says
    skipping = 0  # how many code, pre... elements are open around here
    for kind, raw, name, closed in tokens(document):
        if kind == "text" or kind == "entity":
            spaced = french and not skipping
            segment.append((kind, raw, spaced))
            if spaced and not marked:
                marked = _MARK.search(raw) is not None if kind == "text" else html.unescape(raw) in _MARKS
            continue
        if name in _BLOCKS:
            pieces.append(_spaced(segment) if marked else "".join(piece[1] for piece in segment))
            pieces.append(raw)
            segment, marked = [], False
        else:
            segment.append((kind, raw, False))
        if kind == "start" and not closed:
            skipping += name in _SKIPPED
            if (lang := _language(name, raw)) is not None:
                languages.append((name, lang))
                french = everywhere or is_french(lang)
        elif kind == "end":
            if name in _SKIPPED and skipping:
                skipping -= 1
            for depth in range(len(languages) - 1, -1, -1):
                if languages[depth][0] == name:
                    del languages[depth:]
                    french = everywhere or (bool(languages) and is_french(languages[-1][1]))
                    break
    pieces.append(_spaced(segment) if marked else "".join(piece[1] for piece in segment))
    return "".join(pieces)


def is_french(language: str) -> bool:
    """Tell whether a language tag names French: 'fr', 'fr-CA', 'fr_BE'."""
    return language.lower().replace("_", "-").split("-")[0] == "fr"
