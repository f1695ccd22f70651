"""French typography for rendered HTML: narrow no-break spaces before `: ; ! ?` and inside « ». Pure.

Only French text is touched, as the nearest `lang` attribute tells (`<html lang="fr">`, an English
story card marked `lang="en"` stays as it is), unless asked to touch all text. Tags, attributes,
comments and the contents of code, pre, kbd, samp, script, style and textarea come out byte for byte
as they went in: the HTML is cut into tokens (`generator.content.htmltokens`) and each token keeps its exact
source text. Running it twice gives what running it once gave.

It runs on every page of a build, so the document is not cut into tokens up front: a walk of its own
(`htmltokens.walker`) reads the tags that matter (blocks, `lang`, code) and passes over the rest,
text without a mark included, in a single match; the few texts whose marks need a space are spaced
on their own, or with the whole run of tokens around them where a mark reads past its text.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Literal

from generator.content.htmltokens import TAGS, Kind, attributes, end_tag, raw_text, start_tag, tag, tokens, walker

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
# An attribute named `lang` as `attributes` finds one: after a space, and all of its name (not `hreflang`).
_LANG_ATTRIBUTE = re.compile(r"""\s[lL][aA][nN][gG](?![^\s/>"'=])""")
# After `:` or `;` only a space or a closing quote may follow; `:)` and `12:30` are not punctuation.
_AFTER_ANY = _SPACES | _FIXED_SPACES | frozenset('»”"’')
# `!` and `?` may also close a parenthesis or sit in a group (`?!`, `!…`).
_AFTER_EXCLAMATION = _AFTER_ANY | frozenset("!?)].…")
# What may stand right before the punctuation for a space to be added: the end of a word or a quote.
_WORD_ENDS = frozenset(')]}»”"’%°*…')
# What may stand inside a guillemet without a space being added or made narrow.
_INSIDE_GUILLEMETS = (_SPACES - {" "}) | _FIXED_SPACES | frozenset("«»")


def _char_class(chars: frozenset[str]) -> str:
    """Write characters for a class of a regular expression."""
    return "".join(re.escape(char) for char in sorted(chars))


# A mark next to which the rules may add a space or make one narrow, in a text spaced on its own: `: ; ! ?`
# after a space, a word (`\w` holds every letter and digit) or a closing sign; « or » with anything but
# a space that stays on their inner side; and a mark at either end of the text, where the rules read the
# text next to it. Other marks are already spaced, as on a page spaced before, or never are (`12:30`).
_MAY_SPACE = re.compile(
    rf"(?<![^ \w{_char_class(_WORD_ENDS)}])[:;!?]"
    rf"|(?<![{_char_class(_INSIDE_GUILLEMETS)}])»|«(?![{_char_class(_INSIDE_GUILLEMETS)}])"
)
# Marks that read the text before them, and after them.
_READ_BEFORE = frozenset(":;!?»")
_READ_AFTER = frozenset(":;!?«")
# Elements whose tags the walk reads without asking their names: phrasing, neither blocks nor code.
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "label", "mark", "q", "s",
     "small", "span", "strong", "sub", "sup", "time", "u", "var"}
)  # fmt: skip
# Text with no mark, and the start tags of void elements that are no blocks (meta, link, img): nothing in
# them counts, so the walk passes over them in the match of the tag before them. A text with a mark is
# left whole to the walk's `text`.
_QUIET = rf"[^<&:;!?«»]++(?![:;!?«»]) | {start_tag(_VOID - _BLOCKS)}"


def _walk(quiet: str) -> re.Pattern[str]:
    """Compile the walk, passing over what `quiet` matches after a tag or on its own."""
    # A title is a block, but the walk matches it with its contents, as raw text.
    return walker(
        rf"""
        (?P<block_end>{end_tag(_BLOCKS, "block_end_name")})(?:{quiet})*+
        | (?P<block_start>{start_tag(_BLOCKS - {"title"}, "block_start_name", "block_closed")})(?:{quiet})*+
        | (?P<inline_end>{end_tag(_INLINE, "inline_name")})(?:{quiet})*+
        | (?P<inline_start>{start_tag(_INLINE, "inline_start_name", "inline_closed")})(?:{quiet})*+
        | (?P<quiet>(?:{quiet})++)
        """
    )


# While no inline element has a lang, their end tags do not count either.
_WALK = _walk(f"{_QUIET} | {end_tag(_INLINE)}")
_WATCHFUL_WALK = _walk(_QUIET)
# The walk's groups by number: a match tells its group's number faster than its name, and reads a group
# by number faster.
_GROUP = _WALK.groupindex
_BLOCK_END, _BLOCK_END_NAME = _GROUP["block_end"], _GROUP["block_end_name"]
_BLOCK_START, _BLOCK_START_NAME = _GROUP["block_start"], _GROUP["block_start_name"]
_BLOCK_CLOSED = _GROUP["block_closed"]
_INLINE_END, _INLINE_NAME = _GROUP["inline_end"], _GROUP["inline_name"]
_INLINE_START, _INLINE_START_NAME = _GROUP["inline_start"], _GROUP["inline_start_name"]
_INLINE_CLOSED = _GROUP["inline_closed"]
_TEXT, _ENTITY, _RAW = _GROUP["text"], _GROUP["entity"], _GROUP["raw"]
_BLOCK_GROUPS = frozenset({_BLOCK_END, _BLOCK_START})
_TAG = frozenset(_GROUP[name] for name in TAGS)
assert _WATCHFUL_WALK.groupindex == _WALK.groupindex  # the walk reads either's matches by these numbers
assert _SKIPPED.isdisjoint(_BLOCKS | _INLINE)  # the walk passes over tags of these without a lang: none is code
_BLOCK_TAG = re.compile(rf"{end_tag(_BLOCKS)} | {start_tag(_BLOCKS - {'title'})}", re.DOTALL | re.VERBOSE)
# Where `_FRENCH_LANG` ends: a search for it stops at every character, one for this only at each `=`.
_FRENCH_VALUE = re.compile(r"""=\s*["']?fr\b""", re.IGNORECASE)


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


def _has_lang(tag: str) -> bool:
    """Tell whether a start tag, as written, has a `lang` attribute (cheaply, for every tag of a page)."""
    return "lang" in tag.lower() and _LANG_ATTRIBUTE.search(tag) is not None


@functools.lru_cache(maxsize=256)  # the same few tags come back on every page: <html lang="fr">
def _language(name: str, raw: str) -> str | None:
    """Return the `lang` a start tag (not self-closed) gives its contents, if any."""
    if name in _VOID or not _has_lang(raw):
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
    if not everywhere and not _says_french(document):
        return document  # no French text: spare the walk
    pieces: list[str] = []  # the document put together again, up to `done`
    done = 0
    run = 0  # where the current run of text between blocks starts
    run_spaced = everywhere  # whether text is to be spaced where it starts
    changes: list[tuple[int, bool]] = []  # where that changes inside the run, and to what
    edits: list[tuple[int, int, str]] = []  # texts of the run spaced on their own: start, end, new text
    whole = False  # whether a mark reads past its text, so that the rules must read the run whole
    scope = _Scope(everywhere)
    spaced = everywhere  # scope.spaced, read at every text
    walk, position = _WALK, 0
    while True:
        for match in walk.finditer(document, position):
            group = match.lastindex
            # First the tags that the walk reads by their match alone, and text with a mark.
            if group in _BLOCK_GROUPS:
                if whole or edits or changes:
                    done = _respace(pieces, document, done, run, match.start(), run_spaced, changes, whole, edits)
                    whole, edits, changes = False, [], []
                if group == _BLOCK_END:
                    if (name := match.group(_BLOCK_END_NAME)) not in scope.watched:
                        run, run_spaced = match.end(group), spaced
                        continue
                    kind, raw, closed = "end", match.group(group), False
                elif not _has_lang(raw := match.group(group)):
                    run, run_spaced = match.end(group), spaced
                    continue
                else:
                    kind, name, closed = "start", match.group(_BLOCK_START_NAME), match.start(_BLOCK_CLOSED) >= 0
                block = True
            elif group == _INLINE_START:
                if not _has_lang(raw := match.group(group)):
                    continue
                kind, name, closed = "start", match.group(_INLINE_START_NAME), match.start(_INLINE_CLOSED) >= 0
                block = False
            elif group == _INLINE_END:
                if not scope.inline_open or (name := match.group(_INLINE_NAME)) not in scope.watched:
                    continue
                kind, raw, closed, block = "end", match.group(group), False, False
            elif group == _TEXT:  # text with a mark
                if spaced and not whole and _may_space(text := match.group()):
                    if not _alone(text, document, match.end()):
                        whole = True
                    elif (new := _spaced([("text", text, True)])) != text:
                        edits.append((match.start(), match.end(), new))
                continue
            elif group == _ENTITY:
                if spaced and not whole:
                    whole = html.unescape(match.group()) in _MARKS
                continue
            elif group in _TAG:
                kind, raw, name, closed = tag(match)
                block = name in _BLOCKS
                if block and (whole or edits or changes):
                    done = _respace(pieces, document, done, run, match.start(), run_spaced, changes, whole, edits)
                    whole, edits, changes = False, [], []
            else:  # text with no mark, void elements' tags, comments, declarations, a stray `<` or `&`
                continue
            # A tag that may open or close code or an element with a lang; or a block's, which ends a run.
            if kind == "end":
                scope.close(name)
            elif not closed:
                scope.open(name, raw)
            tag_end = match.start() + len(raw)
            if scope.spaced != spaced:
                spaced = not spaced
                if not block:
                    changes.append((tag_end, spaced))
            if group == _RAW and name == "title":
                # The title's contents, matched with its start tag, are a run of their own.
                contents = match.group("contents")
                if spaced and (_MARK.search(contents) or "&" in contents):
                    segment: list[_Piece] = [(token[0], token[1], True) for token in raw_text(match)]
                    pieces += (document[done:tag_end], _spaced(segment))
                    done = match.end()
                tag_end = match.end()
            if block:
                run, run_spaced = tag_end, spaced
            if (walk is _WATCHFUL_WALK) != (scope.inline_open > 0):
                # An inline element with a lang opened, or the last one closed: from the end of this tag on,
                # the walk reads the end tags of inline elements, or passes over them again.
                walk, position = (_WATCHFUL_WALK if scope.inline_open else _WALK), tag_end
                break
        else:
            break
    if whole or edits:
        done = _respace(pieces, document, done, run, len(document), run_spaced, changes, whole, edits)
    if not pieces:
        return document
    pieces.append(document[done:])
    return "".join(pieces)


class _Scope:
    """The elements open at a point of a document that tell whether its text is to be spaced there."""

    __slots__ = ("everywhere", "french", "inline_open", "languages", "skipping", "watched")

    def __init__(self, everywhere: bool) -> None:
        self.everywhere = everywhere  # all text is French
        self.french = everywhere  # whether text here is French, as the innermost lang says
        self.skipping = 0  # how many code, pre... elements are open around here
        self.languages: list[tuple[str, str]] = []  # (element, its lang) for each open element with a lang
        # Their elements, with how many of each are open: an end tag of one closes the innermost.
        self.watched: dict[str, int] = {}
        self.inline_open = 0  # how many of them are inline: the walk passes over inline end tags while none is

    @property
    def spaced(self) -> bool:
        """Tell whether text here is to be spaced: French, and not code."""
        return self.french and not self.skipping

    def open(self, name: str, raw: str) -> None:
        """Take in a start tag (not self-closed) of an element, written `raw`."""
        self.skipping += name in _SKIPPED
        if (lang := _language(name, raw)) is not None:
            self.languages.append((name, lang))
            self.watched[name] = self.watched.get(name, 0) + 1
            self.inline_open += name in _INLINE
            self.french = self.everywhere or is_french(lang)

    def close(self, name: str) -> None:
        """Take in an end tag of an element."""
        if name in _SKIPPED and self.skipping:
            self.skipping -= 1
        if name in self.watched:
            # The innermost open element of that name closes, and those still open inside it: each element
            # is taken off once, so that deep nesting costs in proportion to it, not to its square.
            languages, watched = self.languages, self.watched
            element = ""
            while element != name:
                element = languages.pop()[0]
                if watched[element] == 1:
                    del watched[element]
                else:
                    watched[element] -= 1
                self.inline_open -= element in _INLINE
            self.french = self.everywhere or (bool(languages) and is_french(languages[-1][1]))


def _says_french(document: str) -> bool:
    """Tell whether an element of a document says its language is French, as `_FRENCH_LANG` finds it.

    Searching for the whole expression tries it at every character; this finds each `=` before a value
    that starts with "fr" first, and tries it there.
    """
    for value in _FRENCH_VALUE.finditer(document):
        start = value.start()
        while start and document[start - 1].isspace():
            start -= 1
        if start >= 4 and _FRENCH_LANG.match(document, start - 4):
            return True
    return False


def _may_space(text: str) -> bool:
    """Tell whether the rules may add or narrow a space next to a mark of a text (one it holds)."""
    mark = _MARK.search(text)
    while mark is not None:
        if _MAY_SPACE.match(text, mark.start()):
            return True
        mark = _MARK.search(text, mark.end())
    return False


def _alone(text: str, document: str, end: int) -> bool:
    """Tell whether the rules space a text of a run, ending at `end`, the same on its own as in the run.

    They do unless a mark reads past the text: at its start, the text before it; at its end, the text
    after it, unless the run ends there, at a block's tag or the end of the document.
    """
    if text[0] in _READ_BEFORE:
        return False
    return text[-1] not in _READ_AFTER or end == len(document) or _BLOCK_TAG.match(document, end) is not None


def _respace(
    pieces: list[str],
    document: str,
    done: int,
    start: int,
    end: int,
    spaced: bool,
    changes: list[tuple[int, bool]],
    whole: bool,
    edits: list[tuple[int, int, str]],
) -> int:
    """Put in `pieces` the document from `done` on, up to the last change in a run; say where that is.

    The run, from `start` to `end`, is spaced whole if `whole`, cut into tokens again: `spaced` tells
    whether its text is to be spaced at its start, and `changes` where that changes. Otherwise its
    texts spaced on their own, `edits`, take their places.
    """
    if not whole:
        for edit_start, edit_end, text in edits:
            pieces += (document[done:edit_start], text)
            done = edit_end
        return done
    segment: list[_Piece] = []
    pending = iter(changes)
    change = next(pending, None)
    position = start
    for kind, raw, _, _ in tokens(document, start):
        if position >= end:
            break
        while change is not None and change[0] <= position:
            spaced = change[1]
            change = next(pending, None)
        segment.append((kind, raw, spaced and (kind == "text" or kind == "entity")))
        position += len(raw)
    pieces += (document[done:start], _spaced(segment))
    return end


def is_french(language: str) -> bool:
    """Tell whether a language tag names French: 'fr', 'fr-CA', 'fr_BE'."""
    return language.lower().replace("_", "-").split("-")[0] == "fr"
