from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from generator.model import Article, Card, CardFont, CardJob, Config, Site
from generator.render import cards
from generator.render.cards import (
    ELLIPSIS,
    break_units,
    card_png,
    draw_card,
    ellipsize,
    fit_title,
    font_for,
    graphemes,
    lacking,
    prune_cards,
    runs,
    wrap,
)
from generator.render.cardstyle import load_card_style, parse_charset
from generator.render.themes import load_theme
from generator.site.social import card_for
from tests.conftest import REPO
from tests.unit.test_themes import at


def chars(text: str) -> float:
    """Measure a text as one unit per character a reader sees."""
    return float(len(graphemes(text)))


def test_a_letter_keeps_its_accents_and_an_emoji_its_joiners() -> None:
    decomposed = unicodedata.normalize("NFD", "été")
    assert graphemes(decomposed) == ["e\u0301", "t", "e\u0301"]
    assert graphemes("👩\u200d💻!") == ["👩\u200d💻", "!"]


def test_lines_break_between_words_and_between_chinese_characters() -> None:
    assert break_units("Rust 1.90 est là") == ["Rust ", "1.90 ", "est ", "là"]
    assert break_units("华为发布") == ["华", "为", "发", "布"]
    # Closing punctuation never starts a line, opening punctuation never ends one; "Chine :" stays whole.
    assert break_units("版，原「生」") == ["版，", "原", "「生」"]
    assert break_units("en Chine : ce") == ["en ", "Chine : ", "ce"]
    assert break_units("  spaces \t and\nlines ") == ["spaces ", "and ", "lines"]


def test_wrap_fills_lines_and_cuts_only_a_word_longer_than_a_line() -> None:
    assert wrap("Microsoft met fin à Azure OpenAI", 12, chars) == ["Microsoft", "met fin à", "Azure OpenAI"]
    assert wrap("华为发布鸿蒙系统开发者预览版", 5, chars) == ["华为发布鸿", "蒙系统开发", "者预览版"]
    assert wrap("see https://example.org/a/very/long/path now", 10, chars) == [
        "see",
        "https://ex",
        "ample.org/",
        "a/very/lon",
        "g/path now",
    ]
    accented = unicodedata.normalize("NFD", "éééééé")
    assert [len(graphemes(line)) for line in wrap(accented, 4, chars)] == [4, 2]  # never between e and its accent


def test_ellipsize_drops_whole_words_or_whole_characters() -> None:
    assert ellipsize("short", 10, chars) == "short"
    assert ellipsize("La CNIL inflige une amende", 16, chars) == "La CNIL inflige" + ELLIPSIS
    assert ellipsize("华为发布鸿蒙系统", 5, chars) == "华为发布" + ELLIPSIS
    assert ellipsize("Anticonstitutionnellement", 8, chars) == "Anticon" + ELLIPSIS
    assert ellipsize("Le Monde, la suite", 10, chars) == "Le Monde" + ELLIPSIS  # no comma before the ellipsis


def test_a_title_takes_the_largest_size_at_which_it_fits_else_it_is_cut_at_the_smallest() -> None:
    def measure_at(size: int) -> cards.Measure:
        return lambda text: chars(text) * size / 10

    assert fit_title("Rust 1.90", 100, 100, (72, 40), measure_at) == cards.Fitted(72, ("Rust 1.90",))
    title = "une amende record pour un éditeur de logiciels"
    fitted = fit_title(title, 100, 100, (72, 40), measure_at)
    assert fitted.size == 40 and len(fitted.lines) == 2 and " ".join(fitted.lines) == title
    long = " ".join(["mot"] * 200)
    cut = fit_title(long, 100, 100, (72, 40), measure_at)
    assert cut.size == 40 and len(cut.lines) == 2 and cut.lines[-1].endswith("mot" + ELLIPSIS)
    assert all(measure_at(40)(line) <= 100 for line in cut.lines)
    chinese = "华为发布鸿蒙系统" * 20  # 25 characters a line at 40: the second line keeps 24, then "…", no space
    assert fit_title(chinese, 100, 100, (72, 40), measure_at).lines == (chinese[:25], chinese[25:49] + ELLIPSIS)


LATIN = CardFont("Latin", "/latin.ttf", 0, ((0x20, 0x7E), (0xA0, 0x17F)), "1:1")
CJK = CardFont("CJK", "/cjk.ttc", 2, ((0x20, 0x7E), (0x3000, 0x303F), (0x4E00, 0x9FFF)), "2:2")


def test_each_character_is_drawn_with_the_first_font_that_has_it() -> None:
    assert parse_charset("20-7e a0-17f 2013") == ((0x20, 0x7E), (0xA0, 0x17F), (0x2013, 0x2013))
    assert font_for("é", (LATIN, CJK)) == 0 and font_for("华", (LATIN, CJK)) == 1
    assert runs("Azure 华为 OK", (LATIN, CJK)) == [(0, "Azure "), (1, "华为 "), (0, "OK")]
    assert lacking("Azure 华为 ก ก\u0301", (LATIN, CJK)) == "ก"
    unknown = CardFont("File", "/f.ttf", 0, (), "3:3")  # its characters are not known: it is taken for all
    assert lacking("ก", (LATIN, unknown)) == "" and font_for("ก", (LATIN, unknown)) == 1


@pytest.fixture(scope="module")
def default_style() -> cards.CardStyle:
    theme, _ = load_theme(REPO, "default", at)
    assert theme is not None
    style, problems = load_card_style(REPO, theme)
    assert problems == () and style is not None, problems
    return style


def _card(style: cards.CardStyle, title: str, lang: str = "fr") -> Card:
    return Card(
        "/x/card.png", f"key-{len(title)}-{lang}", "Le Fil Tech", title, "ITHome", "14 octobre 2024", lang, style
    )


def test_a_card_is_a_1200_by_630_png_with_no_metadata_the_same_bytes_each_time(default_style) -> None:
    card = _card(default_style, "华为发布 HarmonyOS NEXT 开发者预览版", "zh")
    first, second = draw_card(card), draw_card(card)
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")
    assert image.info == {}  # no date, no text, no gamma or resolution chunk
    assert len(image.getcolors(1_000_000) or ()) > 20  # text was drawn, anti-aliased


def test_the_title_is_drawn_in_the_theme_colours_where_it_stands(default_style) -> None:
    image = Image.open(io.BytesIO(draw_card(_card(default_style, "Été ÇA À"))))
    assert image.getpixel((5, 5)) == (0xC1, 0x12, 0x1F)  # the accent band
    assert image.getpixel((1190, 300)) == (0xFC, 0xFC, 0xFA)  # the background
    title_band = image.crop((80, 168, 1120, 492))
    assert (0x16, 0x17, 0x1A) in {colour for _, colour in title_band.getcolors(1_000_000) or ()}


def test_a_card_is_drawn_once_then_read_from_the_cache_folder(default_style, tmp_path: Path, monkeypatch) -> None:
    drawn: list[str] = []
    real = cards.draw_card
    monkeypatch.setattr(cards, "draw_card", lambda card: drawn.append(card.title) or real(card))
    job = CardJob("/x/card.png", _card(default_style, "Rust 1.90 est là"), "content/posts/x.md", tmp_path / "cards")
    first = card_png(job)
    assert card_png(job) == first and drawn == ["Rust 1.90 est là"]
    assert [p.name for p in (tmp_path / "cards").iterdir()] == [f"{job.card.key}.png"]
    # A damaged file in the cache (cut short, garbage) is no card: it is drawn again, and replaced.
    kept = tmp_path / "cards" / f"{job.card.key}.png"
    for damaged in (first[: len(first) // 2], b"garbage"):
        kept.write_bytes(damaged)
        assert card_png(job) == first and kept.read_bytes() == first
    assert len(drawn) == 3


def test_pruning_keeps_the_cards_in_use_and_those_drawn_lately(tmp_path: Path) -> None:
    for name in ("used", "recent", "old"):
        (tmp_path / f"{name}.png").write_bytes(b"png")
    old = 1_000_000_000
    os.utime(tmp_path / "old.png", (old, old))
    os.utime(tmp_path / "used.png", (old, old))
    prune_cards(tmp_path, ["used"], now=old + 31 * 86400 + 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent.png", "used.png"]
    prune_cards(tmp_path / "none", [], now=0)  # no folder yet: nothing to do


@pytest.mark.parametrize(
    ("language", "typography", "shown"),
    [
        ("fr", None, "Panne\u202f: «\u202fenfin\u202f»\u202f?"),
        ("en", None, "Panne : « enfin » ?"),
        ("en", True, "Panne\u202f: «\u202fenfin\u202f»\u202f?"),
        ("fr", False, "Panne : « enfin » ?"),
    ],
)
def test_a_cards_title_is_spaced_as_its_page_so_no_line_starts_with_a_colon(
    default_style: cards.CardStyle, language: str, typography: bool | None, shown: str
) -> None:
    config = Config(language=language, typography=typography, title="Le Fil : tech")
    story = Article(
        "post", "content/posts/a.md", "Panne : « enfin » ?", "a", "/a/", None, None, (), (), (), "", "", "", 0
    )
    card = card_for(story, Site(config, (story,), (), (), dt.datetime(2024, 1, 1, tzinfo=dt.UTC)), default_style)
    assert card.title == shown
    assert card.site == ("Le Fil\u202f: tech" if "\u202f" in shown else "Le Fil : tech")


def test_ellipsize_measures_a_title_of_thousands_of_words_a_few_dozen_times() -> None:
    measured: list[str] = []

    def counting(text: str) -> float:
        measured.append(text)
        return chars(text)

    title = "Long : titre ! " * 20000
    assert (
        ellipsize(title, 40, counting)
        == ellipsize("Long : titre ! " * 5, 40, chars)
        == "Long : titre ! Long : titre ! Long" + ELLIPSIS
    )
    assert len(measured) < 60  # halving first, then a word at a time: not once per word of the title
