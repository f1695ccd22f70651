from __future__ import annotations

import pytest

from generator.content.htmltokens import Attribute, attributes, tokens

TRICKY = [
    "<a title=\"a > b\" href='x>y'>link</a>",
    "<p class=lead data-x=1>unquoted</p>",
    "<DIV ID=Top><P>Upper</P></DIV>",
    "line<br/>break<br />again<img src=x.png/>",
    "<!-- <p>not a tag</p> -->after",
    "text <!-- never closed <p>",
    "<script>if (a<b && c>d) { x = '</scr' + 'ipt>'; }</script><p>after</p>",
    "<![CDATA[ <p> & ]]>after",
    "1 < 2 & 3 > 2, a <3 b, AT&T, &, <",
    "&laquo;&nbsp;Bonjour&#8239;!&#x202F;&raquo; &amp &#; &#xZ;",
    "<!DOCTYPE html><?xml version='1.0'?><html lang=fr>",
    "<style>p > a { content: '<b>'; }</style><title>A &amp; <b></title>",
    "</ p></>< p>",
    '<a href="never closed',
    "",
]


@pytest.mark.parametrize("document", TRICKY)
def test_tokens_put_together_give_the_document_back(document: str) -> None:
    assert "".join(raw for _, raw, _, _ in tokens(document)) == document


def test_quoted_attribute_may_hold_a_closing_bracket() -> None:
    assert list(tokens('<a title="a > b">x</a>')) == [
        ("start", '<a title="a > b">', "a", False),
        ("text", "x", "", False),
        ("end", "</a>", "a", False),
    ]


def test_tag_names_are_lower_case_and_self_closing_tags_say_so() -> None:
    assert list(tokens("<BR/><Img SRC=x>")) == [
        ("start", "<BR/>", "br", True),
        ("start", "<Img SRC=x>", "img", False),
    ]


def test_script_runs_to_its_own_end_tag() -> None:
    document = "<script>if (a<b) { s = '</scr'; }</script><p>"
    assert list(tokens(document)) == [
        ("start", "<script>", "script", False),
        ("text", "if (a<b) { s = '</scr'; }", "", False),
        ("end", "</script>", "script", False),
        ("start", "<p>", "p", False),
    ]


def test_title_reads_entities_but_no_tags() -> None:
    assert list(tokens("<title>A &amp; <b></TITLE>")) == [
        ("start", "<title>", "title", False),
        ("text", "A ", "", False),
        ("entity", "&amp;", "", False),
        ("text", " <b>", "", False),
        ("end", "</TITLE>", "title", False),
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            "<!DOCTYPE html><!-- <p> --><![CDATA[<p>]]><?php x ?><!-- open <p>",
            [
                ("declaration", "<!DOCTYPE html>"),
                ("comment", "<!-- <p> -->"),
                ("declaration", "<![CDATA[<p>]]>"),
                ("instruction", "<?php x ?>"),
                ("comment", "<!-- open <p>"),
            ],
        ),
        (
            "a < b &amp c & d",
            [
                ("text", "a "),
                ("text", "<"),
                ("text", " b "),
                ("entity", "&amp"),
                ("text", " c "),
                ("text", "&"),
                ("text", " d"),
            ],
        ),
        ("&#171;&#xBB;&#;", [("entity", "&#171;"), ("entity", "&#xBB;"), ("text", "&"), ("text", "#;")]),
    ],
    ids=["comments-declarations-instructions", "stray-brackets-and-ampersands", "character-references"],
)
def test_kinds_of_tokens(document: str, expected: list[tuple[str, str]]) -> None:
    assert [(kind, raw) for kind, raw, _, _ in tokens(document)] == expected


def test_attributes_with_and_without_values() -> None:
    tag = "<img SRC='a.png?x=1&amp;y=2' alt=\"a > b\" hidden data-n=3>"
    assert attributes(tag) == [
        Attribute(4, 9, 28, "src", "a.png?x=1&y=2"),
        Attribute(28, 33, 40, "alt", "a > b"),
        Attribute(40, 47, 47, "hidden", None),
        Attribute(47, 55, 56, "data-n", "3"),
    ]
