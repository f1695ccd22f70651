"""The default theme's pages: valid HTML for the Nu checker, head metadata, stories as readers see them."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import CHINESE_TITLE, HOSTILE_TITLE, NOW, REPO, gazette

N = "\u202f"
VNU_PLACES = (
    REPO / "node_modules/vnu-jar/build/dist/vnu.jar",
    Path("/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
)


def vnu_jar() -> Path:
    """Find the Nu HTML Checker: the repository's npm install first (CI), then a shared copy."""
    for place in VNU_PLACES:
        if place.is_file():
            return place
    pytest.fail(f"the Nu HTML Checker is missing: run `npm install` in {REPO}")


def html_errors(folder: Path) -> tuple[int, str]:
    """Run the Nu HTML Checker on every HTML file of a folder; give its exit status and what it said."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def read(folder: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((folder / url.strip("/") / "index.html").read_bytes())


def text(page: lxml.html.HtmlElement, xpath: str) -> str:
    """Give an element's text with runs of ASCII white space made one (no-break spaces are kept)."""
    return re.sub(r"[ \t\r\n]+", " ", page.xpath(xpath)[0].text_content()).strip()


def meta(page: lxml.html.HtmlElement, key: str) -> str:
    found = page.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    assert len(found) == 1, key
    return found[0]


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build this repository's own site."""
    out = tmp_path_factory.mktemp("own") / "output"
    run = gazette("build", "--site", REPO, "--output", out, "--now", NOW)
    assert run.code == 0, run.err
    return out


@pytest.mark.parametrize("site", ["own_site", "newsroom"])
def test_every_page_passes_the_nu_html_checker(site: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(site)
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) >= (4 if site == "own_site" else 60)
    assert next(folder.rglob("search/index.html"))  # the search page too (Pagefind is installed with the tests)
    assert html_errors(folder) == (0, "")


def test_every_story_has_json_ld_that_parses_and_says_where_it_came_from(newsroom: Path) -> None:
    stories = sorted((newsroom / "tech/2024").rglob("index.html"))
    assert len(stories) == 50
    for file in stories:
        page = lxml.html.fromstring(file.read_bytes())
        scripts = page.xpath("//script[@type='application/ld+json']/text()")
        assert len(scripts) == 1, file
        data = json.loads(scripts[0])
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == meta(page, "og:title")
        assert data["url"] == data["mainEntityOfPage"] == meta(page, "og:url")
        assert data["datePublished"] == meta(page, "article:published_time")
        assert data["dateModified"] == meta(page, "article:modified_time")
        assert data["publisher"] == {
            "@type": "Organization",
            "name": "Le Fil Tech & Co",
            "url": "https://news.example.com/tech/",
        }
        assert data["author"], file
        assert data["keywords"] == page.xpath("//meta[@property='article:tag']/@content")
        links = page.xpath("//section[@class='source-block']//a/@href")
        based_on = data.get("isBasedOn", [])
        assert [work["url"] for work in based_on if "url" in work] == links, file
        assert all(work["publisher"]["@type"] == "Organization" for work in based_on), file


def test_story_zero_json_ld_in_full(newsroom: Path) -> None:
    page = read(newsroom, "tech/2024/01/story-00/")
    data = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
    (card,) = data.pop("image")  # the story's social card, named after what it shows
    assert re.fullmatch(r"https://news\.example\.com/tech/2024/01/story-00/card\.[0-9a-f]{10}\.png", card)
    assert card == meta(page, "og:image")
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Microsoft coupe Azure OpenAI aux développeurs individuels en Chine : ce qui change",
        "description": "Le résumé : ce qu'il faut savoir, en une phrase !",
        "url": "https://news.example.com/tech/2024/01/story-00/",
        "mainEntityOfPage": "https://news.example.com/tech/2024/01/story-00/",
        "inLanguage": "fr",
        "author": [{"@type": "Person", "name": "Rédaction", "url": "https://news.example.com/tech/auteurs/redaction/"}],
        "publisher": {"@type": "Organization", "name": "Le Fil Tech & Co", "url": "https://news.example.com/tech/"},
        "datePublished": "2024-01-01T08:30:00+01:00",
        "dateModified": "2024-01-01T08:30:00+01:00",
        "keywords": ["IA", "Cloud"],
        "isBasedOn": [
            {
                "@type": "CreativeWork",
                "url": "https://www.ithome.com/0/800/000.htm",
                "inLanguage": "zh",
                "publisher": {"@type": "Organization", "name": "ITHome"},
            }
        ],
    }


def test_a_hostile_title_stays_text_in_the_head_and_the_json_ld(newsroom: Path) -> None:
    raw = (newsroom / "tech/2024/01/story-13/index.html").read_text(encoding="utf-8")
    assert raw.count("</script>") == 1  # the JSON-LD's own end tag: the title's is escaped
    assert "\\u003c/script\\u003e" in raw
    page = lxml.html.fromstring(raw)
    for key in ("og:title", "twitter:title", "og:image:alt"):
        assert meta(page, key) == HOSTILE_TITLE
    assert page.findtext(".//title") == f"{HOSTILE_TITLE} — Le Fil Tech & Co"
    assert json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])["headline"] == HOSTILE_TITLE
    assert text(page, "//h1") == HOSTILE_TITLE


def test_head_of_a_story(newsroom: Path) -> None:
    page = read(newsroom, "tech/2024/01/story-00/")
    assert page.get("lang") == "fr"
    assert page.xpath("//link[@rel='canonical']/@href") == ["https://news.example.com/tech/2024/01/story-00/"]
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:site_name") == "Le Fil Tech & Co"
    assert meta(page, "description") == meta(page, "og:description") == meta(page, "twitter:description")
    assert (
        meta(page, "description") == "Le résumé : ce qu'il faut savoir, en une phrase !"
    )  # attributes keep their spaces
    assert meta(page, "twitter:card") == "summary_large_image"  # the story's card is a large picture
    assert (meta(page, "og:image:width"), meta(page, "og:image:height"), meta(page, "og:locale")) == (
        "1200",
        "630",
        "fr_FR",
    )
    styles = page.xpath("//link[@rel='stylesheet']/@href")
    assert [re.sub(r"\.[0-9a-f]{10}\.css$", ".css", href) for href in styles] == [
        "/tech/static/style.css",
        "/tech/static/highlight.css",
    ]  # named after their content, so that hosts may cache them forever
    assert all((newsroom / href.lstrip("/")).is_file() for href in styles)
    assert page.xpath("//script[not(@type='application/ld+json')]") == []


def test_a_french_story_as_readers_see_it(newsroom: Path) -> None:
    page = read(newsroom, "tech/2024/01/story-00/")
    header = "//header[@class='story-header']"
    assert text(page, f"{header}/p[@class='kicker']") == "IA"
    assert (
        text(page, f"{header}/h1")
        == f"Microsoft coupe Azure OpenAI aux développeurs individuels en Chine{N}: ce qui change"
    )
    assert text(page, f"{header}/div[@class='meta']") == "Par Rédaction 1 janvier 2024 1 min de lecture"
    assert text(page, f"{header}/p[@class='via']") == f"Via{N}: ITHome (original en chinois)"
    source = page.xpath(f"{header}/p[@class='via']/a")[0]
    assert (source.get("href"), source.get("hreflang")) == ("https://www.ithome.com/0/800/000.htm", "zh")
    assert text(page, "//section[@class='source-block']") == "Source ITHome original en chinois ithome.com"
    assert text(page, "//div[@class='content']/p[1]") == (
        f"Premier paragraphe{N}: il cite «{N}l'original{N}» et pose la question{N}? Oui{N}! Rendez-vous à 12:30."
    )
    assert page.xpath("//div[@class='content']//pre")[0].text_content() == (
        'def hello(name: str) -> str:\n    return f"Bonjour : {name} !"\n'
    )
    assert text(page, "//nav[@class='story-nav']") == "Article suivant → Story 1: a cloud outage explained"
    assert [a.text_content() for a in page.xpath("//section[@class='related']//a")] == [
        f"Brève 45{N}: la mise à jour de sécurité",
        "Story 40: a cloud outage explained",
        f"Brève 36{N}: la mise à jour de sécurité",
    ]


def test_a_chinese_title_an_update_and_an_english_story_with_two_sources(newsroom: Path) -> None:
    page = read(newsroom, "tech/2024/01/story-07/")
    assert page.get("lang") == "en"
    assert text(page, "//h1") == CHINESE_TITLE
    page = read(newsroom, "tech/2024/01/story-22/")
    assert text(page, "//p[@class='updated']") == "Mis à jour le 23 janvier 2024"
    assert page.xpath("//p[@class='updated']/time/@datetime") == ["2024-01-23T20:00:00+01:00"]
    english = read(newsroom, "tech/2024/01/story-19/")
    assert english.get("lang") == "en"
    assert text(english, "//header[@class='story-header']/p[@class='via']") == (
        f"Via{N}: Heise (original en allemand), Ars Technica"
    )
    assert text(english, "//section[@class='source-block']") == (
        "Sources Heise original en allemand heise.de Ars Technica arstechnica.com"
    )
    assert english.xpath("//div[@class='content']/h2/@id") == ["background"]
    assert "Une adresse très longue : https://" in text(english, "//div[@class='content']")


def test_the_front_page_lists_stories_with_date_source_summary_and_tags(newsroom: Path) -> None:
    page = read(newsroom, "tech/")
    cards = page.xpath("//article[contains(@class, 'card')]")
    assert len(cards) == 12
    first = cards[0]
    assert first.get("lang") == "en"
    assert text(first, ".//h2") == "Story 49: a cloud outage explained"
    assert first.xpath(".//h2/a/@href") == ["/tech/2024/02/story-49/"]
    assert text(first, ".//div[@class='meta']") == f"22 février 2024 Via{N}: The Register"
    assert text(first, ".//div[@class='summary']") == "First paragraph of the story, with a link and code: here."
    assert [a.text_content() for a in first.xpath(".//ul[@class='tags']//a")] == ["Linux", "IA"]
    assert text(page, "//nav[@class='pager']") == "Page 1 sur 5 Articles plus anciens →"
    assert page.xpath("//nav[@class='pager']/a/@href") == ["/tech/page/2/"]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("", f"Note{N}: oui{N}!"), ("typography: false\n", "Note : oui !"), ("typography: true\n", f"Note{N}: oui{N}!")],
)
def test_the_typography_setting(
    make_site: Callable[[dict[str, str | bytes]], Path], setting: str, expected: str
) -> None:
    root = make_site(
        {
            "site.yaml": f"language: fr\n{setting}",
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n\nNote : oui !\n",
        }
    )
    assert gazette("build", "--site", root, "-q").code == 0
    assert text(read(root / "output", "2024/01/a/"), "//div[@class='content']") == expected


def test_an_english_site_gets_french_spacing_only_when_forced(make_site: Callable[..., Path]) -> None:
    files = {"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n\nNote : yes !\n"}
    root = make_site({"site.yaml": "language: en\n", **files})
    assert gazette("build", "--site", root, "-q").code == 0
    assert text(read(root / "output", "2024/01/a/"), "//div[@class='content']") == "Note : yes !"
    (root / "site.yaml").write_text("language: en\ntypography: true\n")
    assert gazette("build", "--site", root, "-q").code == 0
    assert text(read(root / "output", "2024/01/a/"), "//div[@class='content']") == f"Note{N}: yes{N}!"


def test_a_site_theme_overrides_one_template_and_adds_css(make_site: Callable[..., Path]) -> None:
    root = make_site(
        {
            "site.yaml": "theme: maison\n",
            "themes/maison/theme.yaml": "extends: default\n",
            "themes/maison/templates/base.html": """\
                {% extends "!default/base.html" %}
                {% block styles %}{{ super() }}
                <link rel="stylesheet" href="{{ url('/static/maison.css') }}">
                {% endblock %}
                """,
            "themes/maison/templates/article.html": """\
                {% extends "!default/article.html" %}
                {% block main %}<p class="banner">{{ page.title }}</p>{{ super() }}{% endblock %}
                """,
            "themes/maison/static/maison.css": ":root { --accent: #007a5e; }\n",
            "content/posts/a.md": "---\ntitle: A story\ndate: 2024-01-01\nsource: ITHome\n---\n\nText.\n",
        }
    )
    assert gazette("build", "--site", root, "-q").code == 0
    page = read(root / "output", "2024/01/a/")
    assert [
        re.sub(r"\.[0-9a-f]{10}\.css$", ".css", href) for href in page.xpath("//link[@rel='stylesheet']/@href")
    ] == [
        "/static/style.css",
        "/static/highlight.css",
        "/static/maison.css",
    ]
    assert text(page, "//main/p[@class='banner']") == "A story"
    assert text(page, "//header[@class='story-header']/p[@class='via']") == "Via: ITHome"
    assert len(list((root / "output/static").glob("maison.*.css"))) == 1
