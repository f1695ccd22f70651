from __future__ import annotations

import pytest

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
