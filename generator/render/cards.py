"""Draw social cards (1200×630 PNG) with Pillow, or take them from the cache folder when drawn before.

Pillow is imported only when a card must be drawn: a build whose cards are all in the cache never
loads it. The text fitting below is pure and measured through a function, so it is tested without
fonts: a title is wrapped at the places a line may break (spaces, between CJK characters, never
inside a character and its accents), shrunk until it fits, and cut with an ellipsis only at the
smallest size. The PNG carries pixels only (no date, no text chunk), so the same card is the same
bytes on every build.
"""

from __future__ import annotations

import io
import os
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.model import Card, CardFont, CardJob

if TYPE_CHECKING:
    from PIL import ImageFont

Measure = Callable[[str], float]
ELLIPSIS = "…"
CJK_LANGUAGES = ("zh", "ja", "ko")
KEEP_DAYS = 30  # how long a drawn card no build uses stays in the cache
PNG_START, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"  # a PNG's signature, and its last chunk
MARGIN = 80
TITLE_TOP, TITLE_BOTTOM = 168, 492
TITLE_SIZES = tuple(range(72, 39, -4))  # largest first; the title takes the first size at which it fits
LEADING = 1.22
SITE_SIZE, FOOTER_SIZE = 34, 30
# Characters a line never starts with, and characters it never ends with (Chinese and Japanese rules).
_NO_START = set("、。，．・：；？！）」』】〕〉》’”％‰℃,.:;?!)]}%…")
_NO_END = set("（「『【〔〈《‘“([{")
# Scripts written without spaces: a line may break between any two of their characters.
_CJK_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))


def _is_cjk(char: str) -> bool:
    """Tell whether a character belongs to a script written without spaces between words."""
    point = ord(char)
    return any(first <= point <= last for first, last in _CJK_RANGES)


def graphemes(text: str) -> list[str]:
    """Cut text into the characters a reader sees: a letter stays with its accents, joiners and variation marks."""
    clusters: list[str] = []
    for char in text:
        joins = clusters and (
            unicodedata.combining(char) or char in "\u200d\ufe0f\ufe0e" or clusters[-1][-1] == "\u200d"
        )
        if joins:
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def break_units(text: str) -> list[str]:
    """Cut text into the pieces between which a line may break; each keeps the spaces that follow it.

    A word of a spaced script is one piece; each CJK character is one, except that closing
    punctuation stays with what comes before it and opening punctuation with what follows.
    """
    units: list[str] = []
    glue = False  # the next piece joins the last one (after opening punctuation, or inside a word)
    for cluster in graphemes(" ".join(text.split())):
        first = cluster[0]
        if first == " ":
            if units:
                units[-1] += " "
            glue = False
        elif units and (
            glue
            or first in _NO_START
            or (not _is_cjk(first) and not units[-1].endswith(" ") and not _is_cjk(units[-1][-1]))
        ):
            units[-1] += cluster
            glue = first in _NO_END
        else:
            units.append(cluster)
            glue = first in _NO_END
    return units


def _split_wide(unit: str, width: float, measure: Measure) -> list[str]:
    """Cut a piece wider than a line (a long URL, a long word) between characters."""
    parts = [""]
    for cluster in graphemes(unit):
        if parts[-1] and measure((parts[-1] + cluster).rstrip()) > width:
            parts.append("")
        parts[-1] += cluster
    return parts


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Fill lines no wider than `width`, breaking only between pieces (or inside a piece wider than a line).

    A line's width is the sum of its pieces' widths: pieces meet at spaces or between CJK characters,
    where fonts do not kern, and each piece is measured once.
    """
    lines: list[str] = []
    current, used = "", 0.0  # the line so far, and its width with its trailing space
    for unit in break_units(text):
        bare = unit.rstrip()
        if used + measure(bare) <= width:
            current, used = current + unit, used + measure(unit)
            continue
        if current:
            lines.append(current.rstrip())
        pieces = _split_wide(unit, width, measure) if measure(bare) > width else [unit]
        lines += [piece.rstrip() for piece in pieces[:-1]]
        current, used = pieces[-1], measure(pieces[-1])
    if current.strip():
        lines.append(current.rstrip())
    return lines


def ellipsize(text: str, width: float, measure: Measure) -> str:
    """Shorten text to fit `width` with an ellipsis, dropping whole pieces (whole characters in a long piece)."""
    if measure(text) <= width:
        return text
    units = break_units(text)
    # A title of thousands of words: while even half of what is left is too wide, the rest cannot be kept,
    # and goes at once. Measuring the text again for each word dropped took a minute on a 30 KB title.
    while len(units) > 1 and measure(_ellipsized(units[: len(units) // 2])) > width:
        del units[len(units) // 2 :]
    while units:
        candidate = _ellipsized(units)
        if measure(candidate) <= width:
            return candidate
        if len(units) == 1:  # one piece too long: drop its last character instead
            clusters = graphemes(units[0])
            units = ["".join(clusters[:-1])] if len(clusters) > 1 else []
        else:
            units.pop()
    return ELLIPSIS


def _ellipsized(units: list[str]) -> str:
    """Join pieces of text, ending them with an ellipsis rather than a space or a comma (or both: "Long :")."""
    return "".join(units).rstrip().rstrip(",;:-–—·").rstrip() + ELLIPSIS


@dataclass(frozen=True, slots=True)
class Fitted:
    """A title set in lines at one size."""

    size: int
    lines: tuple[str, ...]


def fit_title(
    text: str, width: float, height: float, sizes: Sequence[int], measure_at: Callable[[int], Measure]
) -> Fitted:
    """Set a title at the largest size at which all of it fits the box; at the smallest, cut it with an ellipsis."""
    for size in sizes:
        measure = measure_at(size)
        lines = wrap(text, width, measure)
        room = max(1, int(height // (size * LEADING)))
        if len(lines) <= room:
            return Fitted(size, tuple(lines))
    # Too long even at the smallest size: keep what fits, and end the last line with an ellipsis.
    rest = lines[room - 1]
    for line in lines[room:]:  # the lines that do not fit, joined back as they were written
        rest += ("" if _is_cjk(rest[-1]) or _is_cjk(line[0]) else " ") + line
    return Fitted(size, (*lines[: room - 1], ellipsize(rest, width, measure)))


def _has(char: str, font: CardFont) -> bool:
    """Tell whether a font has a character (a font whose characters are not known has all)."""
    if not font.charset:
        return True
    point = ord(char)
    at = bisect_right(font.charset, (point, 0x10FFFF)) - 1
    return at >= 0 and font.charset[at][0] <= point <= font.charset[at][1]


def font_for(char: str, fonts: Sequence[CardFont]) -> int:
    """Give the position of the first font that has a character; the first when none has it."""
    return next((position for position, font in enumerate(fonts) if _has(char, font)), 0)


def runs(text: str, fonts: Sequence[CardFont]) -> list[tuple[int, str]]:
    """Cut text into runs each drawn with one font; spaces and accents go with the run they stand in."""
    found: list[tuple[int, str]] = []
    for cluster in graphemes(text):
        choice = found[-1][0] if found and cluster.isspace() else font_for(cluster[0], fonts)
        if found and found[-1][0] == choice:
            found[-1] = (choice, found[-1][1] + cluster)
        else:
            found.append((choice, cluster))
    return found


def lacking(text: str, fonts: Sequence[CardFont]) -> str:
    """Give the characters of a text that no font has, each once (marks and invisible format characters aside)."""
    drawn = (c for c in text if not c.isspace() and not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return "".join(dict.fromkeys(c for c in drawn if not any(_has(c, font) for font in fonts)))


@lru_cache(maxsize=64)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    """Open a font at a size (kept: a card uses each a few times, a build uses a few)."""
    from PIL import ImageFont

    return ImageFont.truetype(path, size, index=index)


class _Writer:
    """Measures and draws text in a stack of fonts at one size, each run in the first font that has it."""

    def __init__(self, fonts: Sequence[CardFont], size: int, lang: str) -> None:
        self.fonts = fonts
        self.faces = [_font(font.path, font.index, size) for font in fonts]
        self.lang = lang
        # Outside Chinese, Japanese and Korean, quotes and dashes take their proportional forms: a CJK
        # font's full-width ’ would open a gap in "l’accès".
        self.features = None if lang.split("-")[0].lower() in CJK_LANGUAGES else ["pwid"]
        self.widths: dict[str, float] = {}

    def measure(self, text: str) -> float:
        """Give the width of a text (each text measured once: fitting a title asks for many twice)."""
        if (known := self.widths.get(text)) is None:
            known = self.widths[text] = sum(self._length(at, part) for at, part in runs(text, self.fonts))
        return known

    def _length(self, at: int, part: str) -> float:
        return float(self.faces[at].getlength(part, language=self.lang, features=self.features))

    def draw(self, canvas: Any, x: float, baseline: float, text: str, colour: str) -> float:
        """Draw a text on a baseline from x; give where it ends."""
        for at, part in runs(text, self.fonts):
            face = self.faces[at]
            canvas.text(
                (x, baseline), part, font=face, fill=colour, anchor="ls", language=self.lang, features=self.features
            )
            x += self._length(at, part)
        return x


def draw_card(card: Card) -> bytes:
    """Draw a card into PNG bytes: the site's name, the title as large as it fits, the outlet and the date."""
    from PIL import Image, ImageDraw

    style = card.style
    image = Image.new("RGB", (style.width, style.height), style.background)
    canvas = ImageDraw.Draw(image)
    width = style.width - 2 * MARGIN
    canvas.rectangle((0, 0, style.width, 11), fill=style.accent)
    site = _Writer(style.title_fonts, SITE_SIZE, card.lang)
    site.draw(canvas, MARGIN, 112, ellipsize(card.site, width, site.measure), style.accent)

    def measure_at(size: int) -> Measure:
        return _Writer(style.title_fonts, size, card.lang).measure

    fitted = fit_title(card.title, width, TITLE_BOTTOM - TITLE_TOP, TITLE_SIZES, measure_at)
    title = _Writer(style.title_fonts, fitted.size, card.lang)
    # The lines stand in the middle of the room between the site's name and the rule above the outlet.
    block = fitted.size * (1 + LEADING * (len(fitted.lines) - 1))
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - block) / 2
    for number, line in enumerate(fitted.lines):
        baseline = top + fitted.size * (0.92 + number * LEADING)
        title.draw(canvas, MARGIN, baseline, line, style.text)
    rule_y = style.height - 104
    canvas.rectangle((MARGIN, rule_y, style.width - MARGIN, rule_y + 1), fill=style.rule)
    _draw_footer(canvas, card, width, style.height - 50)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)  # no metadata: same card, same bytes
    return out.getvalue()


def _draw_footer(canvas: Any, card: Card, width: float, baseline: float) -> None:
    """Draw the outlet, in the title's weight, then the date, muted; the outlet is shortened when both do not fit."""
    style = card.style
    outlet = _Writer(style.title_fonts, FOOTER_SIZE, card.lang)
    date = _Writer(style.text_fonts, FOOTER_SIZE, card.lang)
    after = f"  ·  {card.date}" if card.outlet and card.date else card.date
    room = width - date.measure(after)
    x = (
        outlet.draw(canvas, MARGIN, baseline, ellipsize(card.outlet, room, outlet.measure), style.text)
        if card.outlet
        else MARGIN
    )
    date.draw(canvas, x, baseline, after, style.muted)


def card_png(job: CardJob) -> bytes:
    """Give a card's PNG: from the cache folder when it was drawn before, else drawn now and kept there.

    A kept file that is no whole PNG (cut short, or garbage) is drawn again, as any damaged cache is.
    """
    kept = job.store / f"{job.card.key}.png"
    with suppress(OSError):
        data = kept.read_bytes()
        if data.startswith(PNG_START) and data.endswith(PNG_END):
            return data
    data = draw_card(job.card)
    _keep(kept, data)
    return data


def prune_cards(folder: Path, used: Iterable[str], now: float, keep_days: int = KEEP_DAYS) -> None:
    """Remove the cached cards this build did not use and no build drew for `keep_days` days.

    Another output folder (`gazette serve`'s preview, with drafts) uses cards this build does not: those
    it drew lately stay, so going back and forth between them draws nothing.
    """
    wanted = {f"{key}.png" for key in used}
    with suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with suppress(OSError):
                if entry.name not in wanted and now - entry.stat().st_mtime > keep_days * 86400:
                    os.unlink(entry.path)


def _keep(path: os.PathLike[str], data: bytes) -> None:
    """Keep a drawn card in the cache folder, whole (renamed into place); a refusal only costs a later redraw."""
    target = os.fspath(path)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except OSError:
        with suppress(OSError):
            os.unlink(temporary)
