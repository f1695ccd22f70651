"""Characters that HTML and XML cannot carry: found, named and dropped. Pure.

XML 1.0 has no way to write C0 controls other than tab, newline and carriage return, lone surrogates,
U+FFFE or U+FFFF, and HTML calls DEL, the C1 controls and the noncharacters parse errors. Text pasted
from a terminal (a backspace, an escape sequence) or a word processor (a form feed) carries them;
a feed writer refuses them outright. Gazette drops them from what it reads, and warns where they were.
"""

from __future__ import annotations

import re
import unicodedata

from generator.errors import Diagnostic, at_line

_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{_NONCHARACTERS}]")
# FORBIDDEN's class of 32 scattered astral characters makes every search 17 times slower; most texts
# hold no character past U+1FFFD, which a plain range finds fast, so they are searched without them.
_FORBIDDEN_BMP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_PAST_LAST_PLANE_START = re.compile("[\U0001fffe-\U0010ffff]")
# A numeric character reference to one of them (`&#x1b;`, `&#0;`), or past the last code point.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def first_forbidden(text: str) -> re.Match[str] | None:
    """Find the first character HTML and XML cannot carry, if any (as FORBIDDEN.search, faster)."""
    if _PAST_LAST_PLANE_START.search(text):
        return FORBIDDEN.search(text)
    return _FORBIDDEN_BMP.search(text)


def drop_forbidden(text: str) -> str:
    """Return the text without the characters HTML and XML cannot carry."""
    return FORBIDDEN.sub("", text) if first_forbidden(text) else text


def drop_located(path: str, text: str) -> tuple[str, Diagnostic | None]:
    """Drop the characters HTML and XML cannot carry from a file's text, with a warning at the first of them."""
    found = first_forbidden(text)
    if found is None:
        return text, None
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    message = f"this file holds {describe(text)}, dropped from the site; the first is here (pasted from a terminal?)"
    cleaned = drop_forbidden(text)
    return cleaned, at_line(path, cleaned, line, col, message, warning=True)


# Unicode gives control characters no name; these are the ones pasted text carries most.
_CONTROL_NAMES = {0x00: "NULL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}  # fmt: skip


def name(char: str) -> str:
    """Name a character for a person: 'U+001B ESCAPE'."""
    label = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "")
    return f"U+{ord(char):04X} {label}".strip()


def describe(text: str) -> str:
    """Say how many forbidden characters a text holds, and of which kinds: '3 characters … (U+001B ESCAPE, …)'."""
    found = FORBIDDEN.findall(text)
    kinds = list(dict.fromkeys(found))
    shown = ", ".join(name(c) for c in kinds[:3]) + (f" and {len(kinds) - 3} more kinds" if len(kinds) > 3 else "")
    count = f"{len(found)} characters" if len(found) > 1 else "a character"
    return f"{count} that HTML and XML cannot carry ({shown})"


def _replace_reference(match: re.Match[str]) -> str:
    """Keep a numeric reference to a character HTML and XML carry; drop the others.

    `&#128;` to `&#159;` are read by browsers as Windows-1252 (`&#146;` is ’), as old WordPress
    exports write them: they become that character, as a reader saw them.
    """
    digits, base = (match.group(1), 16) if match.group(1) else (match.group(2), 10)
    point = int(digits, base) if len(digits) <= 8 else -1
    if 0x80 <= point <= 0x9F:
        return bytes([point]).decode("cp1252", errors="ignore")
    if not 0 <= point <= 0x10FFFF or FORBIDDEN.match(chr(point)):
        return ""
    return match.group(0)


def drop_forbidden_references(html: str) -> str:
    """Drop numeric character references to forbidden characters (`&#x1b;`) from HTML."""
    if "&#" not in html:
        return html
    return _REFERENCE.sub(_replace_reference, html)
