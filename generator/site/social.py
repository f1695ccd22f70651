"""Plan the pictures social networks show for each story: its own `image:`, or a card the build draws.

Pure, but for reading the drawing code's bytes and Pillow's version once, to know when cards must be
drawn again.

A card's URL sits beside its story and carries a digest of what the card shows (site name, title,
outlet, date, colours, the fonts as the theme names them): a corrected title gets a new URL, which
Facebook, X or Mastodon fetch anew instead of showing the picture they cached. Its `key` adds what
its pixels depend on besides (the font files, Pillow's version, the drawing code): a card whose key
is in the cache folder is never drawn again.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date

from generator.content.typography import french_spacing, is_french
from generator.errors import Diagnostic
from generator.layout import CONFIG_FILE
from generator.model import Article, Card, CardFont, CardJob, CardStyle, Config, Job, Site
from generator.render import cards
from generator.urls import absolute, hashed_url, is_web_url, output_path

CARD_NAME = "card.png"
CARDS_FOLDER = "cards"  # in the cache folder: the PNG of each card drawn, by key


def _digest(*parts: object) -> str:
    """Digest some values by their repr, kept apart."""
    return hashlib.sha1("\0".join(map(repr, parts)).encode()).hexdigest()


@cache
def drawing_stamp() -> str:
    """Name what draws a card besides its fonts: the drawing code and Pillow's version."""
    from importlib import metadata  # here: 40 ms to import, for builds that draw cards only

    code = Path(cards.__file__).read_bytes()
    try:
        pillow = metadata.version("pillow")
    except metadata.PackageNotFoundError:
        pillow = "-"
    return _digest(hashlib.sha1(code).hexdigest(), pillow)


def _shown(style: CardStyle) -> tuple[object, ...]:
    """Describe a style as the theme writes it: colours, size and font names, not the files found for them."""
    colours = (style.background, style.text, style.muted, style.accent, style.rule)
    fonts = tuple(font.name for font in style.title_fonts), tuple(font.name for font in style.text_fonts)
    return (*colours, *fonts, style.width, style.height)


def _files(style: CardStyle) -> tuple[object, ...]:
    """Describe the font files a style draws with, as found on this machine."""
    return tuple((font.path, font.index, font.stamp) for font in (*style.title_fonts, *style.text_fonts))


def card_for(article: Article, site: Site, style: CardStyle) -> Card:
    """Describe a story's card: the site's name, the title, the first outlet, the date in the site's language."""
    config = site.config
    date = format_date(article.date.date(), "long", locale=config.language.replace("-", "_")) if article.date else ""
    outlet = article.source.name if article.source else ""
    lang = article.lang or config.language
    site_name, title = _typeset(config.title, config, lang), _typeset(article.title, config, lang)
    shown = (site_name, title, outlet, date, lang, _shown(style))
    name = _digest(*shown)
    url = hashed_url(article.url + CARD_NAME, name)
    key = _digest(name, _files(style), drawing_stamp())
    return Card(url, key, site_name, title, outlet, date, lang, style)


def _typeset(text: str, config: Config, lang: str) -> str:
    """Space a text's marks as its page does (narrow no-break spaces in French), so no line starts with ':'."""
    if config.typography is False or (config.typography is None and not is_french(lang)):
        return text
    return html.unescape(french_spacing(html.escape(text, quote=False), everywhere=True))


def plan_cards(site: Site, style: CardStyle | None) -> tuple[dict[str, Card], tuple[Diagnostic, ...]]:
    """Give the card of each story and page without a picture of its own, by file; warn of characters no font has."""
    if style is None:
        return {}, ()
    found: dict[str, Card] = {}
    fonts = (*style.title_fonts, *style.text_fonts)
    problems = [_lacking(CONFIG_FILE, site.config.title, fonts)]  # the site's name is on every card: said once
    for article in (*site.posts, *site.pages):
        if article.image is None:
            card = found[article.path] = card_for(article, site, style)
            problems.append(_lacking(article.path, card.title + card.outlet, fonts))
    return found, tuple(problem for problem in problems if problem is not None)


def _lacking(path: str, text: str, fonts: tuple[CardFont, ...]) -> Diagnostic | None:
    """Warn of the characters of a text that no font of the card has, which it would draw as boxes."""
    missing = cards.lacking(text, fonts)
    if not missing:
        return None
    listed = " ".join(f"{char} (U+{ord(char):04X})" for char in missing)
    message = (
        f"no font of the theme's social card has {listed}, drawn as boxes on the card; "
        "add a font that has them to 'card' in the theme's theme.yaml"
    )
    return Diagnostic(path, 1, 1, message, "warning")


def card_jobs(found: Mapping[str, Card], cache_folder: Path) -> Iterator[CardJob]:
    """Yield a job drawing each card, kept in the cache folder's cards/."""
    for path, card in found.items():
        yield CardJob(card.url, card, path, cache_folder / CARDS_FOLDER)


@dataclass(frozen=True, slots=True)
class SocialImage:
    """The picture a page names for social networks (`og:image`), with what is known of it."""

    url: str  # absolute
    alt: str
    width: int = 0  # 0: not known (a picture the writer gave)
    height: int = 0
    type: str = ""


def social_image(config: Config, page: Article | None, card: Card | None) -> SocialImage | None:
    """Give the picture of a page: its story's own `image:`, else its drawn card, else none."""
    if page is not None and page.image is not None:
        image = page.image
        return SocialImage(image.url if is_web_url(image.url) else absolute(config.base_url, image.url), image.alt)
    if card is not None:
        style = card.style
        return SocialImage(absolute(config.base_url, card.url), card.title, style.width, style.height, "image/png")
    return None


def og_locale(language: str) -> str:
    """Give Open Graph's name of a language, with its most likely country: 'fr' -> 'fr_FR', 'pt-BR' -> 'pt_BR'."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return language.replace("-", "_")
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = locale.territory or (likely.split("_")[-1] if likely.count("_") >= 1 else "")
    return f"{locale.language}_{territory}" if territory else locale.language


def image_problems(articles: Iterable[Article], jobs: Iterable[Job]) -> tuple[Diagnostic, ...]:
    """Warn of each story's `image:` that names no file of the site, at that line.

    A warning, not an error: a post brought from another blog often names a picture left behind, and
    the story is worth publishing without it (`--strict` makes it an error).
    """
    made = {output_path(job.url) for job in jobs}
    problems = []
    for article in articles:
        image = article.image
        if image is not None and not is_web_url(image.url) and output_path(urlsplit(image.url).path) not in made:
            message = (
                f"'image' names {image.url}, which is no file of the site, so social networks will show no picture; "
                "put it in static/ (and write its path from the site's root) or beside the story, in its folder "
                "with index.md"
            )
            problems.append(
                Diagnostic(article.path, image.line, image.col, message, "warning", source_line=image.source_line)
            )
    return tuple(problems)
