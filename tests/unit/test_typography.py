from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.content import typography
from generator.content.htmltokens import tokens
from generator.content.typography import french_spacing, is_french

N = "\u202f"  # narrow no-break space


def fr(body: str) -> str:
    """Space a fragment as French text, inside an element that says so."""
    html = french_spacing(f'<p lang="fr">{body}</p>')
    return html.removeprefix('<p lang="fr">').removesuffix("</p>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour : monde", f"Bonjour{N}: monde"),
        ("Bonjour: monde", f"Bonjour{N}: monde"),
        ("Vraiment ; oui", f"Vraiment{N}; oui"),
        ("Enfin !", f"Enfin{N}!"),
        ("Enfin!", f"Enfin{N}!"),
        ("Quoi ?", f"Quoi{N}?"),
        ("Quoi?!", f"Quoi{N}?!"),
        ("Quoi ?!", f"Quoi{N}?!"),
        ("(vraiment !)", f"(vraiment{N}!)"),
        ("« mot »", f"«{N}mot{N}»"),
        ("«mot»", f"«{N}mot{N}»"),
        ("« mot», «mot »", f"«{N}mot{N}», «{N}mot{N}»"),
        ("« Quoi ? »", f"«{N}Quoi{N}?{N}»"),
    ],
)
def test_french_punctuation_gets_a_narrow_no_break_space(text: str, expected: str) -> None:
    assert fr(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "http://example.com/a?b=1",  # a URL written out
        "https://x.org/path",
        "Rendez-vous à 12:30.",  # a time
        "Merci :) et ;-) et :-(",  # smileys
        "IPv6 ::1 et std::vector",
        "C:\\Windows",
        "mot\u00a0: déjà insécable",  # a no-break space typed by the author stays
        f"mot{N}: déjà fine",
        "«\u00a0mot\u00a0»",
        "«»",  # nothing quoted: nothing to space
        "? au début",
        "fin de ligne\n: suite",
    ],
)
def test_what_is_not_french_punctuation_is_left_alone(text: str) -> None:
    assert fr(text) == text


def test_an_empty_quotation_with_a_space_gets_one_narrow_space() -> None:
    assert fr("« »") == f"«{N}»"


@pytest.mark.parametrize(
    "html",
    [
        '<p lang="fr"><code>a : b</code> <kbd>Ctrl ;</kbd> <samp>ok !</samp></p>',
        '<pre lang="fr"><code>x = a ? b : c;\nprint("Bonjour !")</code></pre>',
        '<html lang="fr"><script>var a = b ? c : d;</script><style>a:hover{color:red}</style></html>',
        '<div lang="fr"><textarea>Note : brouillon</textarea></div>',
        '<p lang="fr"><a href="https://x.org/?q=a : b" title="Titre : sous-titre">lien</a></p>',
        '<p lang="fr"><!-- commentaire : gardé ! --></p>',
        '<p lang="en">Note: English stays as it is!</p>',
        "<p>No language given: left alone!</p>",
    ],
)
def test_code_attributes_comments_and_other_languages_are_byte_identical(html: str) -> None:
    assert french_spacing(html) == html


def test_only_text_changes_and_everything_else_is_kept_byte_for_byte() -> None:
    html = (
        '<!DOCTYPE html>\n<html lang="fr">\r\n<head><meta name="description" content="A : b !"></head>\n'
        '<body class=x><p>Via : <a href="http://a.b/c:d" rel=external>ITHome</a>  ;  <br/>fin ?</p>'
        "<p>AT&amp;T : oui &laquo;x&raquo; &#171;y&#187; &nbsp;: z</p></body></html>"
    )
    assert french_spacing(html) == (
        '<!DOCTYPE html>\n<html lang="fr">\r\n<head><meta name="description" content="A : b !"></head>\n'
        f'<body class=x><p>Via{N}: <a href="http://a.b/c:d" rel=external>ITHome</a> {N};  <br/>fin{N}?</p>'
        f"<p>AT&amp;T{N}: oui &laquo;{N}x{N}&raquo; &#171;{N}y{N}&#187; &nbsp;: z</p></body></html>"
    )


def test_punctuation_after_an_inline_element_is_spaced_from_it() -> None:
    assert fr("<strong>Attention</strong>: <code>x</code>: <em>oui</em>!") == (
        f"<strong>Attention</strong>{N}: <code>x</code>{N}: <em>oui</em>{N}!"
    )
    assert fr("«<em>mot</em>»") == f"«{N}<em>mot</em>{N}»"


def test_an_english_card_on_a_french_page_keeps_english_punctuation() -> None:
    html = '<html lang="fr"><p>Titre : ici</p><article lang="en"><h2>Title: here</h2></article><p>Et là !</p></html>'
    assert french_spacing(html) == (
        f'<html lang="fr"><p>Titre{N}: ici</p><article lang="en"><h2>Title: here</h2></article><p>Et là{N}!</p></html>'
    )


def test_everywhere_spaces_all_text_whatever_its_language() -> None:
    html = '<p lang="en">Title: here <code>a : b</code></p>'
    assert french_spacing(html, everywhere=True) == f'<p lang="en">Title{N}: here <code>a : b</code></p>'


def test_a_void_element_with_lang_does_not_change_the_language_of_what_follows() -> None:
    html = '<p lang="fr"><img lang="en" alt="x">Ici : oui</p>'
    assert french_spacing(html) == f'<p lang="fr"><img lang="en" alt="x">Ici{N}: oui</p>'


def test_running_twice_gives_what_running_once_gave() -> None:
    html = '<p lang="fr">« Quoi ?! » dit-il : « Non ; jamais ! » <code>a : b</code></p>'
    once = french_spacing(html)
    assert once != html
    assert french_spacing(once) == once


@pytest.mark.parametrize(
    ("html", "expected"),
    [("", ""), ("texte : seul", f"texte{N}: seul"), ("<p", "<p"), ("a < b : c", f"a < b{N}: c"), ("&", "&")],
)
def test_odd_input_is_never_lost(html: str, expected: str) -> None:
    assert french_spacing(html) == html
    assert french_spacing(html, everywhere=True) == expected


def test_blocks_end_a_run_of_text() -> None:
    assert fr("Quoi ?</p><p>Oui<br>: non") == f"Quoi{N}?</p><p>Oui<br>: non"
    assert fr("<li>«</li><li>x»</li>") == f"<li>«</li><li>x{N}»</li>"


@pytest.mark.parametrize(
    ("tag", "expected"), [("fr", True), ("fr-CA", True), ("FR_be", True), ("en", False), ("fro", False)]
)
def test_is_french(tag: str, expected: bool) -> None:
    assert is_french(tag) is expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # An English element inside French text: once it closes, French again.
        (
            '<p lang="fr"><span lang="en">Title: here</span> et là : oui <em>lang</em> ; fin</p>',
            f'<p lang="fr"><span lang="en">Title: here</span> et là{N}: oui <em>lang</em>{N}; fin</p>',
        ),
        ('<p lang="fr"><b lang="en">x</b><b>Non !</b></p>', f'<p lang="fr"><b lang="en">x</b><b>Non{N}!</b></p>'),
        # A mark at either end of a text reads the text across the tag next to it.
        ('<p lang="fr">Quoi <em>?</em> Non</p>', f'<p lang="fr">Quoi{N}<em>?</em> Non</p>'),
        (
            '<p lang="fr">«<em>mot</em>» : <a href="x">«</a>x</p>',
            f'<p lang="fr">«{N}<em>mot</em>{N}»{N}: <a href="x">«{N}</a>x</p>',
        ),
        ('<p lang="fr">x:<code>)</code> y :<em>)</em></p>', '<p lang="fr">x:<code>)</code> y :<em>)</em></p>'),
        # At the end of a run, nothing follows the mark.
        (
            '<div lang="fr"><p>Quoi ?</p><p>Oui !<br>« </p></div>',
            f'<div lang="fr"><p>Quoi{N}?</p><p>Oui{N}!<br>«{N}</p></div>',
        ),
        # Entities and the title's text.
        ('<p lang="fr">x &#58; y&#x3F; <b>&raquo;</b></p>', f'<p lang="fr">x{N}&#58; y{N}&#x3F;{N}<b>&raquo;</b></p>'),
        (
            '<html lang="fr"><title>Titre : x</title><title lang=en>A: b</title>',
            f'<html lang="fr"><title>Titre{N}: x</title><title lang=en>A: b</title>',
        ),
        # Tags whose names are written in capitals count as well.
        (
            "<DIV LANG=FR>Mot : <CODE>a : b</CODE><SPAN lang=en>c : d</SPAN></DIV>",
            f"<DIV LANG=FR>Mot{N}: <CODE>a : b</CODE><SPAN lang=en>c : d</SPAN></DIV>",
        ),
    ],
)
def test_runs_across_inline_tags_languages_and_entities(html: str, expected: str) -> None:
    assert french_spacing(html) == expected
    assert french_spacing(expected) == expected


# Messy HTML from fragments: blocks and inline tags, `lang` on all sorts of elements (some never closed,
# some closed out of order), code and raw-text elements, comments, entities that stand for marks, a stray
# `<` or `&`, and the marks with and without spaces around them.
_FRAGMENTS = [
    "<p>", "</p>", "<P>", "</P >", "<p/>", "<div>", "</div>", "<DIV LANG=FR>", '<li lang="en">', "</li>", "<br>",
    "<br/>", "<hr>", '<html lang="fr">', "</html>", "<body>", "<h2 class=x>", "</h2>", "<article lang='en'>",
    "</article>", "<td lang=fr-CA>", "<blockquote>", "</blockquote>", '<section\tlang="en">', "</section>",
    '<a href="https://x.org/?q=a : b">', "</a>", '<span lang="en">', "</span>", "<span lang='fr'>", "<SPAN lang=en>",
    "</SPAN>", '<span title="a>b" lang="en">', '<span class="lang">', "<em>", "</em>", "<b/>", "<span lang=en/>",
    '<time datetime="12:30">', "</time>", '<i lang="fr">', "</i>", "<custom-el lang=en>", "</custom-el>", "<foo>",
    "<code>", "</code>", '<pre lang="fr">', "</pre>", "<kbd>", "</kbd>", "<samp>", "</samp>", "<CODE>", "</Code>",
    "<code/>", "<script>var a = b ? c : d;</script>", "<script>", "</script>", "<style>a:hover{color:red}</style>",
    "<textarea>Note : x &raquo;</textarea>", "<textarea>", "<title>Titre : x ?</title>", "<title>", "</title>",
    "<title lang=en>Title: x</title>", "<!-- a : b -->", "<!---->", "<!--", "<!DOCTYPE html>", "<![CDATA[ x : y ]]>",
    "<?xml x?>", "</ p>", '<meta content="a : b">', '<img alt="x : y">', '<meta lang="en">', "<wbr>",
    "&raquo;", "&laquo;", "&#58;", "&#x3F;", "&#x3f;", "&nbsp;", "&#8239;", "&amp;", "&colon;", "&excl;", "&raquo",
    "&#187;", "&", "&#;", "<", "< p", "a < b", ">",
    "Bonjour", "mot", "12", " ", "  ", ":", ";", "!", "?", "«", "»", "\xa0", N, "\u2009", "\t", "\n", ")", "%", "’",
    "…", "_", "é", "?!", "12:30", "http://x", ":)", "« ", " »", " : ", " ; ", " ! ", " ? ", 'lang="fr"',
]  # fmt: skip
# Fragments that no spacing touches: code, and (unless everywhere) text in another language.
_CODE = ["<code>a : b « c »</code>", "<pre>x ! <span>y ?</span></pre>", "<script>if (a) { b ? c : d; }</script>"]
_ENGLISH = ['<span lang="en">Title: here « x » !</span>', '<li lang="en-GB">a: <em>b</em> ;</li>']
_DOCUMENTS = st.lists(
    st.sampled_from(_FRAGMENTS) | st.text(st.sampled_from(list("ab :;!?«»\xa0\u202f<>&=\"'/\n")), max_size=6),
    max_size=40,
).map("".join)
_PROPERTIES = settings(max_examples=1000, deadline=None)


def _only_narrow_spaces_added(before: str, after: str) -> bool:
    """Tell whether `after` is `before` with narrow no-break spaces put in, some in place of a space."""
    position = 0  # in `before`
    for char in after:
        if position < len(before) and (char == before[position] or (char == N and before[position] == " ")):
            position += 1  # the same character, or a space made narrow
        elif char != N:  # else only a narrow space put in
            return False
    return position == len(before)


@_PROPERTIES
@given(_DOCUMENTS, st.booleans())
def test_spacing_only_adds_narrow_spaces_to_text_and_a_second_run_adds_none(document: str, everywhere: bool) -> None:
    spaced = french_spacing(document, everywhere=everywhere)
    assert _only_narrow_spaces_added(document, spaced)
    assert [t for t in tokens(spaced) if t[0] not in ("text", "entity")] == [
        t for t in tokens(document) if t[0] not in ("text", "entity")
    ]
    assert french_spacing(spaced, everywhere=everywhere) == spaced


# What ends a tag, comment, declaration or CDATA section left open, which would take in the tag after it.
_END_MARKUP = "\"'-->]]>"


@_PROPERTIES
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.sampled_from(_CODE + _ENGLISH).map(_END_MARKUP.__add__), max_size=30))
def test_code_and_other_languages_are_left_alone_wherever_they_stand(fragments: list[str]) -> None:
    document = "".join(fragments)
    assume("<title" not in document.lower())  # a title never closed would hold the rest as its text
    for everywhere, left_alone in ((False, _CODE + _ENGLISH), (True, _CODE)):
        spaced = french_spacing('<html lang="fr">' + document, everywhere=everywhere)
        for fragment in left_alone:
            assert spaced.count(fragment) >= document.count(fragment)


@_PROPERTIES
@given(_DOCUMENTS, st.booleans())
def test_texts_spaced_on_their_own_come_out_as_in_their_runs_spaced_whole(document: str, everywhere: bool) -> None:
    # The walk spaces a text on its own when its marks read no further, and skips texts whose marks need
    # nothing: with every text with a mark sent to its whole run instead, the result is the same.
    with (
        mock.patch.object(typography, "_may_space", lambda text: True),
        mock.patch.object(typography, "_alone", lambda text, document, end: False),
    ):
        whole = french_spacing(document, everywhere=everywhere)
    assert french_spacing(document, everywhere=everywhere) == whole


# What closes whatever a document left open that would hold what follows: a comment, a CDATA section,
# raw text, code.
_CLOSE_ALL = "-->]]></script></style></textarea></title>" + "</code>" * 40
_PARAGRAPHS = [
    ("Bonjour : monde", f"Bonjour{N}: monde"),
    ("« mot »", f"«{N}mot{N}»"),
    ("Enfin!", f"Enfin{N}!"),
    ("Quoi <em>?</em>", f"Quoi{N}<em>?</em>"),
    ("x &#58; y", f"x{N}&#58; y"),
    ("<strong>Attention</strong>: suite", f"<strong>Attention</strong>{N}: suite"),
]


@_PROPERTIES
@given(_DOCUMENTS, st.booleans(), st.sampled_from(_PARAGRAPHS))
def test_a_french_paragraph_gets_its_spaces_whatever_comes_before(
    document: str, everywhere: bool, paragraph: tuple[str, str]
) -> None:
    text, expected = paragraph
    spaced = french_spacing(f"{document}{_CLOSE_ALL}<p lang=fr>{text}</p>", everywhere=everywhere)
    assert spaced.endswith(f"<p lang=fr>{expected}</p>")


def test_thousands_of_nested_elements_with_a_lang_each_keep_their_own_language() -> None:
    # What a paste from a word processor makes of unclosed `<span lang="EN-US">`: nesting as deep as the text
    # is long. Each element closes once, innermost first, and French comes back when the last one closes.
    depth = 5000
    html = '<p lang="fr">Texte : ' + '<span lang="en">a : ' * depth + "b !" + "</span>" * depth + " et là : fin</p>"
    expected = (
        f'<p lang="fr">Texte{N}: ' + '<span lang="en">a : ' * depth + "b !" + "</span>" * depth + f" et là{N}: fin</p>"
    )
    assert french_spacing(html) == expected
