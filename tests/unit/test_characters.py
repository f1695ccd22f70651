from __future__ import annotations

import pytest

from generator.content.characters import describe, drop_forbidden, drop_forbidden_references, name
from generator.errors import Diagnostic


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x08",
        "\x0b",
        "\x0c",
        "\x0d",
        "\x1b",
        "\x7f",
        "\x85",
        "\x9f",
        "\ud800",
        "\udfff",
        "\ufdd0",
        "\ufffe",
        "\uffff",
        "\U0001fffe",
        "\U0010ffff",
    ],
)
def test_characters_html_and_xml_cannot_carry_are_dropped(char: str) -> None:
    assert drop_forbidden(f"a{char}b") == "ab"


def test_tab_newline_and_every_script_stay() -> None:
    text = "tab\tnew\nline é 中文 🙂 \u200f \u00a0 \ufffd"
    assert drop_forbidden(text) is text


def test_a_description_names_the_kinds_and_counts_them() -> None:
    assert name("\x1b") == "U+001B ESCAPE"
    assert name("\u00e9") == "U+00E9 LATIN SMALL LETTER E WITH ACUTE"
    assert describe("\x1b[0m\x1b[1m\x08") == (
        "3 characters that HTML and XML cannot carry (U+001B ESCAPE, U+0008 BACKSPACE)"
    )
    assert describe("\x00\x01\x02\x03") == (
        "4 characters that HTML and XML cannot carry (U+0000 NULL, U+0001, U+0002 and 1 more kinds)"
    )


def test_references_to_forbidden_characters_are_dropped_and_windows_1252_ones_read_as_browsers_do() -> None:
    html = "&#x1b;&#0;&#65;&#xD800;&#99999999999;&#1114112;&amp;&#x10FFFF;&#146;&#x80;&#x81;&#233"
    assert drop_forbidden_references(html) == "&#65;&amp;’€&#233"


def test_a_value_quoted_in_a_message_cannot_start_a_line_or_send_escapes() -> None:
    forged = Diagnostic("a.md", 4, 8, 'not "a\nsite.yaml:1:1: error: forged\x1b[2J"', source_line='draft: "a\x1b[2J"')
    assert forged.format() == (
        'a.md:4:8: error: not "a\\nsite.yaml:1:1: error: forged\\x1b[2J"\n    draft: "a\\x1b[2J"\n           ^'
    )
