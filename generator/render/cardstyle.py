"""Read how a theme draws social cards (`card:` in theme.yaml) and find its fonts. Reads files, runs fontconfig.

A font is named as fontconfig knows it (`Noto Sans CJK SC:bold`, found with `fc-match`), or as a
file of the theme (`fonts/Inter-Bold.ttf`). Each card font lists, with its file, the characters it
has, so that a card draws each character with the first font that has it: Latin in a Latin font,
Chinese in a Chinese one, and never a box for a character another font of the list could draw.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node, ScalarNode, SequenceNode

from generator.content import fields
from generator.content.fields import FieldError, YamlText
from generator.content.sources import read_text
from generator.errors import Diagnostic, has_errors
from generator.model import CardFont, CardStyle
from generator.render.themes import Theme, shown_path

COLOURS = ("background", "text", "muted", "accent", "rule")
FONT_LISTS = ("title_font", "text_font")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_FONT_FILE = re.compile(r".*\.(ttf|otf|ttc)", re.IGNORECASE)
FC_TIMEOUT = 10.0  # seconds; fontconfig builds its cache on first use, which takes a few on a new machine
# The packages that carry fonts themes commonly name, for the message that says what to install.
_PACKAGES = (
    ("noto sans cjk", "fonts-noto-cjk"),
    ("noto serif cjk", "fonts-noto-cjk"),
    ("dejavu", "fonts-dejavu-core"),
    ("noto", "fonts-noto-core"),
    ("liberation", "fonts-liberation2"),
    ("wenquanyi", "fonts-wqy-microhei"),
)


@dataclass(frozen=True, slots=True)
class _Written:
    """A value of `card:`, with the file it was read from, to locate a problem there."""

    doc: YamlText
    node: Node
    theme_dir: Path


def _card_values(root: Path, theme: Theme) -> tuple[dict[str, _Written], list[Diagnostic]]:
    """Read `card:` from each theme.yaml of the chain, the child's keys replacing its parent's.

    The mapping itself is kept under the key 'card' (the child's), to locate what concerns it whole.
    """
    values: dict[str, _Written] = {}
    problems: list[Diagnostic] = []
    for theme_dir in reversed(theme.chain):
        file = theme_dir.path / "theme.yaml"
        if not file.is_file():
            continue
        shown = shown_path(root, file)
        text, problem = read_text(shown, file)
        if problem:
            problems.append(problem)
            continue
        doc = YamlText(shown, text, text, 1)
        node, found = fields.compose(doc)
        problems += found
        if has_errors(found):
            continue
        try:
            card = dict(fields.mapping_items(doc, node, "theme.yaml")).get("card")
            if card is not None:
                values["card"] = _Written(doc, card, theme_dir.path)
            for key, value in fields.mapping_items(doc, card, "'card'") if card is not None else ():
                if key not in (*COLOURS, *FONT_LISTS):
                    known = ", ".join((*COLOURS, *FONT_LISTS))
                    raise FieldError(doc.error(value, f"unknown key '{key}' in 'card'; use {known}"))
                values[key] = _Written(doc, value, theme_dir.path)
        except FieldError as exc:
            problems.append(exc.diagnostic)
    return values, problems


def _colour(written: _Written, key: str) -> str:
    """Read a colour written '#rrggbb'."""
    value = fields.to_text(written.doc, written.node, f"card {key}")
    if not _COLOUR.fullmatch(value):
        raise FieldError(
            written.doc.error(written.node, f"'card {key}' must be a colour like '#1a2b3c', not '{value}'")
        )
    return value.lower()


def install_hint(name: str) -> str:
    """Say how to install a font fontconfig did not find."""
    lowered = name.casefold()
    package = next((package for prefix, package in _PACKAGES if lowered.startswith(prefix)), None)
    where = f"Debian, Ubuntu: apt install {package}" if package else "your system's font packages"
    return f"install it ({where}) or name another font"


def parse_charset(text: str) -> tuple[tuple[int, int], ...]:
    """Read fontconfig's charset ('20-7e a0-17f 2013') as ranges of code points."""
    ranges = []
    for part in text.split():
        first, _, last = part.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return tuple(ranges)


def _run_all(commands: Mapping[str, list[str]]) -> dict[str, str | None]:
    """Run fontconfig's tools side by side (each takes tens of milliseconds to start); None where one failed."""
    started: dict[str, subprocess.Popen[str] | None] = {}
    for key, args in commands.items():
        try:
            started[key] = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        except OSError:  # not installed
            started[key] = None
    return {key: _output(process) for key, process in started.items()}


def _output(process: subprocess.Popen[str] | None) -> str | None:
    """Wait for a tool's output; None when it failed, or took too long."""
    if process is None:
        return None
    try:
        out, _ = process.communicate(timeout=FC_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    return out if process.returncode == 0 else None


def _stamp(path: Path) -> str:
    """Stamp a font file by its size and modification time."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _file_path(name: str, theme_dir: Path) -> Path | None:
    """Find a font file of a theme's folder; None when it is not there."""
    path = (theme_dir / name).resolve()
    return path if path.is_relative_to(theme_dir.resolve()) and path.is_file() else None


def _command(name: str, theme_dir: Path) -> list[str] | None:
    """Give the fontconfig command that finds a font (a system font) or lists its characters (a theme's file)."""
    if not _FONT_FILE.fullmatch(name):
        return ["fc-match", "--format=%{file}\t%{index}\t%{family}\t%{charset}", name]
    path = _file_path(name, theme_dir)
    return ["fc-query", "--format=%{charset}\n", str(path)] if path is not None else None


def _system_font(name: str, out: str | None) -> CardFont | str:
    """Read what fc-match found for a name; else say why the font cannot be used."""
    if out is None:
        return "fontconfig's fc-match is not installed; install it (Debian, Ubuntu: apt install fontconfig)"
    path, index, families, charset = ([*out.split("\t"), "", "", ""])[:4]
    wanted = name.split(":", 1)[0].strip().casefold()
    if wanted not in {family.strip().casefold() for family in families.split(",")} or not Path(path).is_file():
        return f"font '{name}' is not installed; {install_hint(name)}"
    return CardFont(name, path, int(index or 0), parse_charset(charset), _stamp(Path(path)))


def _file_font(name: str, theme_dir: Path, out: str | None) -> CardFont | str:
    """Take a font file of the theme, with its characters when fontconfig could list them (else all are assumed)."""
    path = _file_path(name, theme_dir)
    if path is None:
        return f"font file '{name}' is not in the theme's folder {theme_dir}; add it or name another font"
    return CardFont(name, str(path), 0, parse_charset((out or "").split("\n", 1)[0]), _stamp(path))


def _font_names(written: _Written, key: str) -> list[tuple[str, Node]]:
    """Read a list of font names (or one name), each with where it is written."""
    node = written.node
    items = node.value if isinstance(node, SequenceNode) else [node]
    for item in items:
        if not isinstance(item, ScalarNode):
            message = f"'card {key}' must list font names, like 'Noto Sans CJK SC:bold'"
            raise FieldError(written.doc.error(item, message))
    return [(str(item.value).strip(), item) for item in items]


def _find_fonts(lists: Mapping[str, _Written]) -> tuple[dict[str, tuple[CardFont, ...]], list[Diagnostic]]:
    """Find the fonts of each list at once, warning (once each) at those that cannot be used."""
    names = {key: _font_names(written, key) for key, written in lists.items()}
    wanted = {(name, lists[key].theme_dir) for key, found in names.items() for name, _ in found}
    commands = {f"{name}\0{folder}": command for name, folder in wanted if (command := _command(name, folder))}
    outputs = _run_all(commands)
    problems: list[Diagnostic] = []
    said: set[str] = set()
    fonts: dict[str, tuple[CardFont, ...]] = {}
    for key, found in names.items():
        written, kept = lists[key], []
        for name, node in found:
            out = outputs.get(f"{name}\0{written.theme_dir}")
            font = _file_font(name, written.theme_dir, out) if _FONT_FILE.fullmatch(name) else _system_font(name, out)
            if isinstance(font, CardFont):
                kept.append(font)
            elif name not in said:
                said.add(name)
                problems.append(written.doc.error(node, f"{font}; social cards are drawn without it", warning=True))
        fonts[key] = tuple(kept)
    return fonts, problems


def load_card_style(root: Path, theme: Theme) -> tuple[CardStyle | None, tuple[Diagnostic, ...]]:
    """Read the theme's card style and find its fonts; None when the theme draws no cards, or cannot.

    A font that is not installed is a warning at its name in theme.yaml, saying what to install; with
    no title or text font at all, no card is drawn (pages then name no image), and a warning says so.
    """
    values, problems = _card_values(root, theme)
    if "card" not in values:
        return None, tuple(problems)
    card = values["card"]
    missing = [key for key in (*COLOURS, *FONT_LISTS) if key not in values]
    if missing:
        problems.append(card.doc.error(card.node, f"'card' lacks {', '.join(missing)}; add them"))
        return None, tuple(problems)
    try:
        colours = {key: _colour(values[key], key) for key in COLOURS}
        fonts, font_problems = _find_fonts({key: values[key] for key in FONT_LISTS})
    except FieldError as exc:
        return None, (*problems, exc.diagnostic)
    problems += font_problems
    title_fonts, text_fonts = fonts["title_font"], fonts["text_font"]
    if not title_fonts or not text_fonts:
        message = "no title font or no text font of 'card' is installed, so no social card is drawn"
        problems.append(card.doc.error(card.node, message, warning=True))
        return None, tuple(problems)
    background, text, muted, accent, rule = (colours[key] for key in COLOURS)
    return CardStyle(background, text, muted, accent, rule, title_fonts, text_fonts), tuple(problems)
