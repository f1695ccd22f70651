import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.content import fields
from generator.content.fields import FieldError, YamlText

PARIS = ZoneInfo("Europe/Paris")


def node_of(text: str, key: str = "k") -> tuple[YamlText, object]:
    doc = YamlText("f.md", f"---\n{text}\n---\n", text, 2)
    node, problems = fields.compose(doc)
    assert problems == ()
    return doc, dict(fields.mapping_items(doc, node, "front matter"))[key]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("k: 2024-03-05", "2024-03-05"),
        ("k: 010", "010"),
        ("k: NO", "NO"),
        ("k: 1.10", "1.10"),
        ("k: 'quoted'", "quoted"),
    ],
)
def test_text_keeps_what_was_written(yaml_text: str, expected: str) -> None:
    doc, node = node_of(yaml_text)
    assert fields.to_text(doc, node, "k") == expected


def test_text_lists_keep_text_and_split_commas() -> None:
    doc, node = node_of("k: [NO, on, 010, yes]")
    assert fields.to_text_list(doc, node, "k") == ("NO", "on", "010", "yes")
    doc, node = node_of("k: linux, open source")
    assert fields.to_text_list(doc, node, "k") == ("linux", "open source")


def test_bool_accepts_only_plain_true_false() -> None:
    doc, node = node_of("k: false")
    assert fields.to_bool(doc, node, "k") is False
    for bad in ('k: "false"', "k: yes", "k: 0"):
        doc, node = node_of(bad)
        with pytest.raises(FieldError):
            fields.to_bool(doc, node, "k")


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("k: 2024-10-14", dt.datetime(2024, 10, 14, tzinfo=PARIS)),
        ("k: 2024-10-14 09:30", dt.datetime(2024, 10, 14, 9, 30, tzinfo=PARIS)),
        ("k: 2024-10-14T09:30:00Z", dt.datetime(2024, 10, 14, 9, 30, tzinfo=dt.UTC)),
        ("k: 2024-10-14T09:30:00+08:00", dt.datetime(2024, 10, 14, 1, 30, tzinfo=dt.UTC)),
        ("k: 2024-10-14 09:30:00 +0800", dt.datetime(2024, 10, 14, 1, 30, tzinfo=dt.UTC)),
        ("k: 2024-10-14 09:30:00 UTC", dt.datetime(2024, 10, 14, 9, 30, tzinfo=dt.UTC)),
        ("k: 2024-10-14 09:30 GMT", dt.datetime(2024, 10, 14, 9, 30, tzinfo=dt.UTC)),
        ("k: '2024-10-14T09:30:00.123456-05:00'", dt.datetime(2024, 10, 14, 14, 30, 0, 123456, tzinfo=dt.UTC)),
    ],
)
def test_dates(yaml_text: str, expected: dt.datetime) -> None:
    doc, node = node_of(yaml_text)
    value = fields.to_datetime(doc, node, "k", PARIS)
    assert value == expected
    assert value.tzinfo is not None


def test_date_errors_are_located() -> None:
    doc, node = node_of("k: next tuesday")
    with pytest.raises(FieldError) as caught:
        fields.to_datetime(doc, node, "k", PARIS)
    d = caught.value.diagnostic
    assert (d.path, d.line, d.col) == ("f.md", 2, 4)
    assert d.message.startswith("'k' is not a date: 'next tuesday'")


def test_plain_values_follow_yaml_1_2() -> None:
    _, node = node_of("k: {a: yes, b: true, c: 010, d: 1.5, e: ~, f: [1, x], g: 2024-01-01}")
    value = fields.to_plain(node)
    assert dict(value) == {"a": "yes", "b": True, "c": 10, "d": 1.5, "e": None, "f": (1, "x"), "g": "2024-01-01"}


def test_duplicate_keys_are_found_at_any_depth() -> None:
    doc = YamlText("f.md", "", "a: 1\nb:\n  c: 1\n  c: 2\n", 2)
    _, problems = fields.compose(doc)
    assert [(p.line, p.col, p.message) for p in problems] == [
        (5, 3, "duplicate key 'c' (first given on line 4); keep one")
    ]


def test_an_alias_inside_itself_is_an_error_not_a_recursion() -> None:
    doc = YamlText("f.md", "", "extra: &a [1, *a]", 2)
    node, problems = fields.compose(doc)
    assert node is None
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2, 8, "this alias (*name) refers to a value that contains it; remove the alias")
    ]


def test_aliases_that_expand_to_billions_of_values_are_refused() -> None:
    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcd", "bcde", strict=True)]
    _, problems = fields.compose(YamlText("f.md", "", "\n".join(lines), 2))
    assert [p.message for p in problems] == ["the aliases (*name) here expand to too many values; write the values out"]


def problems_of(text: str) -> list[tuple[int, int, str, str]]:
    doc = YamlText("f.md", f"---\n{text}\n---\n", text, 2)
    return [(d.line, d.col, d.severity, d.message) for d in fields.compose(doc)[1]]


def test_tags_of_other_languages_are_located_errors_never_constructed() -> None:
    assert problems_of("k: !!python/object/apply:os.system ['ls']\nj: !custom x\nok: !!str 10") == [
        (
            2,
            4,
            "error",
            "unknown YAML tag '!!python/object/apply:os.system'; remove it, Gazette reads plain values only",
        ),
        (3, 4, "error", "unknown YAML tag '!custom'; remove it, Gazette reads plain values only"),
    ]


def test_characters_written_as_escapes_are_dropped_with_a_warning() -> None:
    doc = YamlText("f.md", '---\nk: "a\\x1bb\\ud800"\n---\n', 'k: "a\\x1bb\\ud800"', 2)
    node, problems = fields.compose(doc)
    assert [(d.line, d.col, d.severity, d.message) for d in problems] == [
        (2, 4, "warning", "this value holds 2 characters that HTML and XML cannot carry (U+001B ESCAPE, U+D800), "
         "dropped from the site"),
    ]  # fmt: skip
    assert fields.to_text(doc, dict(fields.mapping_items(doc, node, "x"))["k"], "k") == "ab"


def test_values_nested_past_a_hundred_levels_are_a_located_error() -> None:
    assert problems_of("k: " + "[" * 150 + "]" * 150) == [
        (2, 103, "error", "values nested more than 100 levels deep; flatten them")
    ]
