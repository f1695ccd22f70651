from pathlib import Path

import pytest

from generator.errors import Diagnostic
from generator.render.themes import load_theme
from tests.conftest import refuse_to_open, write_tree


def at(message: str) -> Diagnostic:
    return Diagnostic("site.yaml", 1, 1, message)


def test_site_theme_extends_default_and_merges_strings(tmp_path: Path) -> None:
    write_tree(tmp_path, {"themes/mine/theme.yaml": "extends: default\n", "themes/mine/templates/x.html": "x",
                          "themes/mine/i18n/fr.yaml": "via: 'Source :'\n"})  # fmt: skip
    theme, problems = load_theme(tmp_path, "mine", at)
    assert problems == ()
    assert theme is not None
    assert [t.name for t in theme.chain] == ["mine", "default"]
    assert theme.strings["fr"]["via"] == "Source :"
    assert theme.strings["fr"]["tags"] == "Étiquettes"


def test_cycles_are_errors(tmp_path: Path) -> None:
    write_tree(tmp_path, {"themes/a/theme.yaml": "extends: b\n", "themes/a/templates/x.html": "",
                          "themes/b/theme.yaml": "extends: a\n", "themes/b/templates/x.html": ""})  # fmt: skip
    theme, problems = load_theme(tmp_path, "a", at)
    assert theme is None
    assert [p.message for p in problems] == ["themes extend each other in a circle: a -> b -> a"]


def test_an_unreadable_theme_file_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"themes/mine/theme.yaml": "extends: default\n", "themes/mine/templates/x.html": "x",
                          "themes/mine/i18n/fr.yaml": "via: 'Source :'\n"})  # fmt: skip
    refuse_to_open(monkeypatch, "mine/i18n/fr.yaml")
    _, problems = load_theme(tmp_path, "mine", at)
    message = "cannot be read: permission denied; make it readable by you (chmod a+r), then build again"
    assert problems == (Diagnostic("themes/mine/i18n/fr.yaml", 1, 1, message),)
