"""Find a theme and its parents, and build the Jinja environment that renders with them. Reads files.

A site theme lives in `<site>/themes/<name>/` with a `theme.yaml` (`extends: default`), `templates/`,
`static/` and `i18n/<language>.yaml`. A child overrides a parent's template by file name and can
still extend it as `{% extends "!default/article.html" %}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound, TemplateSyntaxError, pass_environment
from jinja2.filters import do_attr

from generator.content import fields
from generator.content.fields import FieldError, YamlText
from generator.content.sources import decode, read_text
from generator.errors import Diagnostic, has_errors
from generator.layout import SHIPPED_THEMES
from generator.model import TEXT_PARTS, Article


@dataclass(frozen=True, slots=True)
class ThemeDir:
    """One theme of the chain: its name and folder."""

    name: str
    path: Path


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme and its ancestors, child first, with the merged UI strings of each language."""

    chain: tuple[ThemeDir, ...]
    strings: Mapping[str, Mapping[str, str]]

    @property
    def name(self) -> str:
        """The name of the site's own theme."""
        return self.chain[0].name

    def static_dirs(self) -> tuple[Path, ...]:
        """List the static folders, parent first, so a child's file replaces its parent's."""
        return tuple(t.path / "static" for t in reversed(self.chain) if (t.path / "static").is_dir())


def find_theme_dir(root: Path, name: str) -> Path | None:
    """Look for a theme in the site's themes/ folder, then among the shipped ones."""
    for base in (root / "themes", SHIPPED_THEMES):
        if (base / name / "templates").is_dir():
            return base / name
    return None


def _theme_parent(root: Path, path: Path) -> tuple[str | None, tuple[Diagnostic, ...]]:
    """Read `extends:` from a theme.yaml, if there is one."""
    file = path / "theme.yaml"
    if not file.is_file():
        return None, ()
    shown = shown_path(root, file)
    text, problem = read_text(shown, file)
    if problem:
        return None, (problem,)
    doc = YamlText(shown, text, text, 1)
    node, problems = fields.compose(doc)
    if has_errors(problems):
        return None, problems
    try:
        for key, value in fields.mapping_items(doc, node, "theme.yaml"):
            if key == "extends":
                return fields.to_text(doc, value, key), ()
    except FieldError as exc:
        return None, (exc.diagnostic,)
    return None, ()


def shown_path(root: Path, path: Path) -> str:
    """Name a theme file relative to the site when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_strings(root: Path, chain: tuple[ThemeDir, ...]) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """Merge each language's UI strings along the chain, the child's winning."""
    strings: dict[str, dict[str, str]] = {}
    problems: list[Diagnostic] = []
    for theme in reversed(chain):
        for file in sorted((theme.path / "i18n").glob("*.yaml")):
            shown = shown_path(root, file)
            text, problem = read_text(shown, file)
            doc = YamlText(shown, text, text, 1)
            node, found = fields.compose(doc) if not problem else (None, (problem,))
            problems.extend(found)
            try:
                pairs = fields.mapping_items(doc, node, "a strings file")
                strings.setdefault(file.stem, {}).update((k, fields.to_text(doc, v, k)) for k, v in pairs)
            except FieldError as exc:
                problems.append(exc.diagnostic)
    return strings, problems


def load_theme(
    root: Path, name: str, at_setting: Callable[[str], Diagnostic]
) -> tuple[Theme | None, tuple[Diagnostic, ...]]:
    """Resolve a theme name into its chain (child first); unknown names and cycles are errors at `at_setting`."""
    chain: list[ThemeDir] = []
    current: str | None = name
    while current is not None:
        if any(t.name == current for t in chain):
            names = " -> ".join([*(t.name for t in chain), current])
            return None, (at_setting(f"themes extend each other in a circle: {names}"),)
        path = find_theme_dir(root, current)
        if path is None:
            wanted = f"themes/{current}/templates/"
            return None, (at_setting(f"theme '{current}' not found; create {wanted} or use 'default'"),)
        chain.append(ThemeDir(current, path))
        current, problems = _theme_parent(root, path)
        if problems:
            return None, problems
    strings, string_problems = _read_strings(root, tuple(chain))
    return Theme(tuple(chain), strings), tuple(string_problems)


class ThemeLoader(BaseLoader):
    """Load a template from the first theme of the chain that has it; '!name/x.html' from that theme only."""

    def __init__(self, root: Path, chain: tuple[ThemeDir, ...]) -> None:
        self.root = root
        self.chain = chain

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """Find the template's file and read it."""
        if template.startswith("!"):
            name, _, rest = template[1:].partition("/")
            path = find_theme_dir(self.root, name)
            candidates = [path / "templates" / rest] if path else []
        else:
            candidates = [t.path / "templates" / template for t in self.chain]
        for file in candidates:
            if file.is_file() and ".." not in Path(template).parts:
                mtime = file.stat().st_mtime
                text, problem = decode(template, file.read_bytes())
                if problem:  # reported like a syntax error: at the template's file and line
                    raise TemplateSyntaxError(problem.message, problem.line, template, str(file))
                return text, str(file), lambda file=file, mtime=mtime: file.stat().st_mtime == mtime
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        """List every template name the chain offers."""
        names = {
            file.relative_to(t.path / "templates").as_posix()
            for t in self.chain
            for file in (t.path / "templates").rglob("*")
            if file.is_file()
        }
        return sorted(names)


# TEXT_PARTS as a plain dict, the quickest to ask.
_PART_OF: dict[str, str] = dict(TEXT_PARTS)


class ThemeEnvironment(Environment):
    """Jinja's environment, noting which parts of stories' texts (`TEXT_PARTS`) the templates read.

    Templates reach an attribute through `getattr` or `getitem` (`story.html`, `story["html"]`, the
    `attribute=` of `map`, `sort`, `sum`…) or the `attr` filter; Python helpers that read a story's text
    say so with `read_all_text`. The renderer empties `text_read` before each page.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.text_read: set[str] = set()
        self.filters["attr"] = _attr

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Get an attribute, noting it when it is a part of a story's text."""
        if attribute in _PART_OF and type(obj) is Article:  # asked for every attribute a page reads: kept short
            self.text_read.add(_PART_OF[attribute])
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Get an item (or an attribute, Jinja's fallback), noting it when it is a part of a story's text."""
        if type(obj) is Article:
            self.note(argument)
        return super().getitem(obj, argument)

    def note(self, name: Any) -> None:
        """Note that a story's attribute was read, if it is a part of its text."""
        if type(name) is str and name in _PART_OF:
            self.text_read.add(_PART_OF[name])

    def read_all_text(self) -> None:
        """Note that the page being rendered read every part of a story's text."""
        self.text_read.update(TEXT_PARTS.values())


@pass_environment
def _attr(environment: Environment, obj: Any, name: str) -> Any:
    """Jinja's `attr` filter, which reads the attribute itself: noted as `getattr` notes it."""
    if isinstance(environment, ThemeEnvironment) and type(obj) is Article:
        environment.note(name)
    return do_attr(environment, obj, name)


def make_environment(
    root: Path, theme: Theme, globals_: Mapping[str, Any], filters: Mapping[str, Any]
) -> ThemeEnvironment:
    """Build the Jinja environment: autoescape everywhere, undefined names are errors."""
    env = ThemeEnvironment(
        loader=ThemeLoader(root, theme.chain),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: templates cannot change under it, so none is stat-ed again on each use.
        auto_reload=False,
    )
    env.globals.update(globals_)
    env.filters.update(filters)
    return env
