"""Outlets and authors as data, their pages and feeds, and the featured story, read back as readers,
feed readers and search engines read them. The site is the golden case tests/golden/outlets-authors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tests.conftest import NOW, gazette, snapshot, write_tree
from tests.test_feeds import check_json_feed, strict_xml
from tests.test_theme import vnu_jar

GOLDEN_SITE = Path(__file__).parent / "golden" / "outlets-authors" / "site"
BASE = "https://example.org/news/"
ITHOME_STORIES = ["Xiaomi annonce sa puce XRING", "Huawei présente HarmonyOS Next",
                  "Microsoft coupe Azure OpenAI aux développeurs individuels en Chine"]  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outlets-authors")
    site = shutil.copytree(GOLDEN_SITE, folder / "site")
    run = gazette("build", "--site", site, "--output", folder / "out", "--now", NOW)
    assert run.code == 0 and "warning" not in run.err, run.err  # no spelling warning: the data files name them
    return folder / "out"


def main_of(page: Path) -> str:
    """Give the <main> element of a page."""
    text = page.read_text("utf-8")
    return text[text.index("<main") : text.index("</main>")]


def json_ld(page: Path) -> dict[str, Any]:
    """Read back the JSON-LD of a page."""
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"))
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_an_outlet_written_as_a_url_on_any_sub_domain_or_in_any_spelling_has_one_page(out: Path) -> None:
    assert sorted(path.parent.name for path in (out / "sources").glob("*/index.html")) == [
        "ithome",  # a bare URL on www., 'ithome' on m.ithome.com, and the alias 'IT之家'
        "le-monde-informatique",  # not in the data file: as before
        "next",  # 'next' is the data file's 'Next'
        "the-register",  # a bare URL on www.theregister.com
    ]
    page = main_of(out / "sources/ithome/index.html")
    assert "<h1>Articles d’après ITHome</h1>" in page
    assert re.findall(r'<a href="/news/20[^"]+">([^<]+)</a>', page) == ITHOME_STORIES
    assert (
        '<dl class="facts">\n'
        '    <div><dt>Site</dt><dd><a href="https://www.ithome.com/" rel="external" hreflang="zh">ithome.com</a>'
        "</dd></div>\n"
        "    <div><dt>Langue</dt><dd>chinois</dd></div>\n"
        "    <div><dt>Pays</dt><dd>Chine</dd></div>\n"
        '    <div><dt>Son flux</dt><dd><a href="https://www.ithome.com/rss/" rel="external">ithome.com/rss/</a>'
        "</dd></div>\n"
        "  </dl>"
    ) in page
    assert "<dl" not in main_of(out / "sources/le-monde-informatique/index.html")  # nothing known of it
    index = main_of(out / "sources/index.html")
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>', index) == [
        "ITHome",
        "Le Monde Informatique",
        "Next",
        "The Register",
    ]


def test_a_story_shows_its_outlet_as_the_data_file_names_it_with_its_language(out: Path) -> None:
    story = (out / "2024/10/azure-chine/index.html").read_text("utf-8")  # its source is a bare URL
    assert (
        '<p class="via">Via\u202f: <a href="https://www.ithome.com/0/800/000.htm" hreflang="zh" rel="external">'
        'ITHome</a> <span class="via-lang">(original en chinois)</span></p>'
    ) in story


def test_each_outlet_has_rss_atom_and_json_feeds_linked_from_its_page(out: Path) -> None:
    head = (out / "sources/ithome/index.html").read_text("utf-8")
    title = "Le Fil Tech — Articles d’après ITHome"
    for kind, name, label in (
        ("application/rss+xml", "feed.xml", "RSS"),
        ("application/atom+xml", "atom.xml", "Atom"),
        ("application/feed+json", "feed.json", "JSON Feed"),
    ):
        link = f'<link rel="alternate" type="{kind}" title="{title} ({label})" href="/news/sources/ithome/{name}">'
        assert link in head
        assert f'<a href="/news/sources/ithome/{name}" type="{kind}">{label}</a>' in head
    for name, version in (("feed.xml", "rss20"), ("atom.xml", "atom10")):
        parsed = feedparser.parse((out / "sources/ithome" / name).read_bytes())
        assert not parsed.bozo and parsed.version == version
        strict_xml(out / "sources/ithome" / name)
        assert parsed.feed.title == title
        assert [entry.title for entry in parsed.entries] == ITHOME_STORIES
        assert parsed.feed.link == BASE + "sources/ithome/"
    # RSS <source url> names the outlet's feed, from the data file, though no story wrote it.
    rss = (out / "sources/ithome/feed.xml").read_text("utf-8")
    assert rss.count('<source url="https://www.ithome.com/rss/">ITHome</source>') == 3
    feed = json.loads((out / "sources/ithome/feed.json").read_text("utf-8"))
    check_json_feed(feed)
    assert (feed["title"], feed["home_page_url"], feed["feed_url"]) == (
        title,
        BASE + "sources/ithome/",
        BASE + "sources/ithome/feed.json",
    )
    assert [item["title"] for item in feed["items"]] == ITHOME_STORIES
    assert feed["items"][0]["_gazette"]["sources"] == [
        {
            "name": "ITHome",
            "url": "https://www.ithome.com/0/800/200.htm",
            "lang": "zh",
            "feed": "https://www.ithome.com/rss/",
        }
    ]


def test_tags_have_atom_and_json_feeds_too(out: Path) -> None:
    atom = feedparser.parse((out / "tags/ia/atom.xml").read_bytes())
    assert not atom.bozo and atom.version == "atom10"
    assert atom.feed.title == "Le Fil Tech — Articles étiquetés «\u202fIA\u202f»"
    titles = ["Microsoft coupe Azure OpenAI aux développeurs individuels en Chine", "OpenAI ouvre un bureau à Paris"]
    assert [entry.title for entry in atom.entries] == titles
    feed = json.loads((out / "tags/ia/feed.json").read_text("utf-8"))
    check_json_feed(feed)
    assert [item["title"] for item in feed["items"]] == titles
    assert feed["feed_url"] == BASE + "tags/ia/feed.json"


def test_bylines_link_to_author_pages_in_the_theme_s_language(out: Path) -> None:
    story = main_of(out / "2024/10/ithome-minuscule/index.html")
    assert (
        '<span class="byline">Par <a href="/news/auteurs/claire-martin/" rel="author">Claire Martin</a>, '
        '<a href="/news/auteurs/jean-dupont-jd/" rel="author">Jean Dupont &lt;jd&gt;</a></span>'
    ) in story
    # 'JEAN DUPONT <JD>' is written as the data file writes the name; the site's default author has a page too.
    assert '<a href="/news/auteurs/jean-dupont-jd/" rel="author">Jean Dupont &lt;jd&gt;</a>' in main_of(
        out / "2024/10/it-zhijia/index.html"
    )
    register = main_of(out / "2024/10/register/index.html")
    assert '<a href="/news/auteurs/redaction/" rel="author">Rédaction</a>' in register
    index = main_of(out / "auteurs/index.html")
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">([^<]+)</span>', index) == [
        ("/news/auteurs/claire-martin/", "Claire Martin", "3 articles"),
        ("/news/auteurs/jean-dupont-jd/", "Jean Dupont &lt;jd&gt;", "2 articles"),
        ("/news/auteurs/redaction/", "Rédaction", "2 articles"),
    ]


def test_an_author_page_shows_the_bio_safely_and_the_links_and_is_paginated(out: Path) -> None:
    page = main_of(out / "auteurs/claire-martin/index.html")
    assert "<h1>Claire Martin</h1>" in page
    assert (
        '<div class="bio"><p>Suit le cloud et l\'IA en Chine depuis Shanghai. Écrit <em>chaque matin</em> la revue de '
        "presse.</p>\n</div>"
    ) in page
    assert "<script" not in page and "alert" not in page  # the bio's script is dropped by the sanitizer
    assert '<li><a href="https://claire.example.org/" rel="me external">claire.example.org</a></li>' in page
    assert '<li><a href="https://mastodon.social/@clairemartin" rel="me external">Mastodon</a></li>' in page
    assert '<p class="lede">3 articles · Page 1 sur 2</p>' in page  # per_page: 2
    assert '<a rel="next" href="/news/auteurs/claire-martin/page/2/">' in page
    assert "Next" in main_of(out / "auteurs/claire-martin/page/2/index.html")  # her oldest story
    assert '<div class="bio">' not in main_of(out / "auteurs/redaction/index.html")  # not in the data file


def test_each_author_has_three_feeds(out: Path) -> None:
    titles = ["Huawei présente HarmonyOS Next", "Microsoft coupe Azure OpenAI aux développeurs individuels en Chine",
              "L'Arcep publie son baromètre de la fibre"]  # fmt: skip
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((out / "auteurs/claire-martin" / name).read_bytes())
        assert not parsed.bozo
        assert parsed.feed.title == "Le Fil Tech — Articles de Claire Martin"
        assert [entry.title for entry in parsed.entries] == titles
    feed = json.loads((out / "auteurs/claire-martin/feed.json").read_text("utf-8"))
    check_json_feed(feed)
    assert [item["title"] for item in feed["items"]] == titles


def test_json_ld_authors_are_persons_with_their_page_and_links(out: Path) -> None:
    data = json_ld(out / "2024/10/ithome-minuscule/index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Claire Martin",
            "url": BASE + "auteurs/claire-martin/",
            "sameAs": ["https://claire.example.org/", "https://mastodon.social/@clairemartin"],
        },
        {"@type": "Person", "name": "Jean Dupont <jd>", "url": BASE + "auteurs/jean-dupont-jd/"},
    ]
    raw = (out / "2024/10/ithome-minuscule/index.html").read_text("utf-8")
    assert "Jean Dupont <jd>" not in raw.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json_ld(out / "2024/10/register/index.html")["author"] == [
        {"@type": "Person", "name": "Rédaction", "url": BASE + "auteurs/redaction/"}
    ]


def test_the_newest_featured_story_leads_the_home_page_once_and_marked(out: Path) -> None:
    home = main_of(out / "index.html")
    cards = re.findall(r'<article class="([^"]+)">\s*(?:<p class="kicker featured-label">([^<]+)</p>\s*)?'
                       r'<h2 class="card-title"><a href="([^"]+)">', home)  # fmt: skip
    assert cards == [
        ("card card-featured", "À la une", "/news/2024/10/register/"),  # 12 Oct; 'next' (10 Oct) is featured too
        ("card", "", "/news/2024/10/it-zhijia/"),
        ("card", "", "/news/2024/10/ithome-minuscule/"),
    ]
    later = [main_of(out / "page/2/index.html"), main_of(out / "page/3/index.html")]
    assert all("card-featured" not in page and "/2024/10/register/" not in page for page in later)
    assert re.findall(r'<h2 class="card-title"><a href="([^"]+)">', "".join(later)) == [
        "/news/2024/10/azure-chine/",
        "/news/2024/10/sans-fiche/",
        "/news/2024/10/next/",
    ]


def test_featured_is_a_strict_boolean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_tree(
        tmp_path / "site",
        {"content/posts/a.md": '---\ntitle: A\ndate: 2024-01-01\nfeatured: "yes"\n---\nA.\n'},
    )
    monkeypatch.chdir(site)  # messages name files from the current folder
    run = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert run.code == 1
    assert run.err.startswith(
        "content/posts/a.md:4:11: error: 'featured' must be true or false, not \"yes\" (quoted text); "
        "write it without quotes\n"
        '    featured: "yes"\n'
        "              ^\n"
    ), run.err


BAD_OUTLETS = """\
- name: ITHome
  url: https://www.ithome.com/
  language: klingon-ish
  country: Chine
  founded: 1996
- name: IThome
- url: https://next.ink/
- just a name
- name: Mobile ITHome
  url: ftp://m.ithome.com/
- name: ITHome Mobile
  url: https://ithome.com/m/
"""
BAD_AUTHORS = """\
- name: Claire
  links:
    - not a url
- name: claire
  bio: [a, list]
- name: Jean
  links: [{name: Mastodon}]
"""


def test_every_error_of_both_data_files_is_reported_at_once_and_output_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA.\n",
            "data/outlets.yaml": BAD_OUTLETS,
            "data/authors.yaml": BAD_AUTHORS,
        },
    )
    out = write_tree(tmp_path / "out", {"index.html": "mine"})
    monkeypatch.chdir(site)
    run = gazette("build", "--site", site, "--output", out, "--now", NOW)
    assert run.code == 1
    lines = [line for line in run.err.splitlines() if ": error: " in line]
    assert lines == [
        "data/outlets.yaml:3:13: error: unknown language 'klingon-ish'; use a code like fr, en or pt-BR",
        "data/outlets.yaml:4:12: error: 'country' must be a two-letter country code (ISO 3166), like CN, FR or US",
        "data/outlets.yaml:5:12: error: unknown key 'founded' in an outlet; use name, aliases, url, feed, language, "
        "country",
        "data/outlets.yaml:7:3: error: an outlet needs 'name:', like 'name: ITHome'",
        "data/outlets.yaml:8:3: error: each outlet must be a mapping starting with '- name: …', not the text "
        "'just a name'",
        "data/outlets.yaml:10:8: error: 'url' must be a full http(s) URL, not 'ftp://m.ithome.com/'",
        "data/outlets.yaml:6:9: error: outlet name 'IThome' is the same as 'ITHome' on line 1; keep one",
        "data/outlets.yaml:12:8: error: home page 'https://ithome.com/m/' is on the same site as "
        "'https://www.ithome.com/' on line 2; keep one",
        "data/authors.yaml:3:7: error: 'links' must be a full http(s) URL, not 'not a url'",
        "data/authors.yaml:5:8: error: 'bio' must be text, not a list",
        "data/authors.yaml:7:11: error: a link needs 'url:', like 'url: https://www.ithome.com/'",
        "data/authors.yaml:4:9: error: author name 'claire' is the same as 'Claire' on line 1; keep one",
    ]
    assert snapshot(out) == {"index.html": b"mine"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: ITHome\n", "data/outlets.yaml:1:1: error: data/outlets.yaml must be a list of outlets, each "
         "starting with '- name: …'"),
        ("- name: ITHome\n\turl: x\n", "data/outlets.yaml:2:1: error: tab character; YAML is indented with spaces"),
        ("- name: [ITHome\n", "data/outlets.yaml:2:1: error: invalid YAML: did not find expected ',' or ']' "
         "(while parsing a flow sequence)"),
    ],
)  # fmt: skip
def test_a_data_file_of_the_wrong_shape_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    site = write_tree(tmp_path / "site", {"data/outlets.yaml": text})
    monkeypatch.chdir(site)
    run = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert run.code == 1
    assert run.err.splitlines()[0] == message


SPELLINGS = {
    "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nsource: ITHome\n---\nA.\n",
    "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\nsource: ithome\n---\nB.\n",
    "content/posts/c.md": "---\ntitle: C\ndate: 2024-01-03\nsource: https://www.ithome.com/0/1.htm\n---\nC.\n",
}


def test_gazette_check_finds_no_spelling_problem_in_an_outlet_the_data_file_names(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", SPELLINGS)
    run = gazette("check", "--site", site, "--now", NOW)
    assert "sources 'ITHome' (content/posts/a.md) and 'ithome' (content/posts/b.md) make one URL" in run.err
    write_tree(site, {"data/outlets.yaml": "- name: ITHome\n  url: https://www.ithome.com/\n"})
    run = gazette("check", "--site", site, "--now", NOW)
    assert "make one URL" not in run.err, run.err
    build = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert build.code == 0 and "warning" not in build.err, build.err
    assert sorted(path.name for path in (tmp_path / "out/sources").iterdir()) == ["index.html", "ithome"]


def test_a_data_file_named_yml_as_jekyll_names_them_is_read_and_two_of_one_name_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outlets = "- name: ITHome\n  url: https://www.ithome.com/\n  language: zh\n"
    site = write_tree(tmp_path / "site", {**SPELLINGS, "data/outlets.yml": outlets})
    monkeypatch.chdir(site)
    build = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert build.code == 0 and "warning" not in build.err, build.err
    assert 'lang="zh"' in (tmp_path / "out/sources/ithome/index.html").read_text(encoding="utf-8")
    write_tree(site, {"data/outlets.yaml": outlets})
    refused = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert refused.code == 1
    assert refused.err.splitlines()[0] == (
        "data/outlets.yml:1:1: error: both data/outlets.yaml and data/outlets.yml are here, and Gazette reads one; "
        "merge them into data/outlets.yaml"
    )


def test_every_page_passes_the_nu_html_checker(out: Path) -> None:
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--skip-non-html", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_featured_on_a_page_is_a_warning_at_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_tree(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\nfeatured: true\n---\nUs.\n"})
    monkeypatch.chdir(site)
    run = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert run.code == 0
    assert run.err == (
        "content/pages/about.md:3:11: warning: 'featured' puts a post on top of the home page; a page is never "
        "listed there, remove it\n"
        "    featured: true\n"
        "              ^\n"
    )
