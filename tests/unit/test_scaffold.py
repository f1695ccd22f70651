"""`gazette new` and `gazette init`: what they write parses back, through Gazette's own strict reader, as given."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.config import load_config
from generator.content.articles import parse_article
from generator.model import Article, Source, SourceFile
from generator.scaffold import post_text
from tests.conftest import gazette

PARIS = ZoneInfo("Europe/Paris")


def parse_back(root: Path, relative: str) -> Article:
    """Parse a written post with the site's config, as a build would."""
    loaded = load_config(root)
    assert loaded.diagnostics == ()
    config = loaded.config
    text = (root / relative).read_text(encoding="utf-8")
    article = parse_article(SourceFile(relative, text, hashlib.sha256(text.encode()).hexdigest()), config)
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize(
    "title",
    [
        'Microsoft : "Azure OpenAI" coupé en Chine',
        "Faille: 'CVE-2024-1234' # critique",
        "2024-03-05",
        "NO",
        "C# et .NET: \\ backslash, tab\tand {braces} [brackets] & *stars* ---",
        "微软停止向中国大陆个人开发者提供 Azure OpenAI 服务",
    ],
)
def test_post_text_round_trips_through_the_strict_parser(tmp_path: Path, title: str) -> None:
    (tmp_path / "site.yaml").write_text("timezone: Europe/Paris\n")
    date = dt.datetime(2024, 10, 14, 9, 30, tzinfo=PARIS)
    sources = [Source("ITHome", "https://www.ithome.com/0/800/000.htm?from=rss&a=b"), Source("Le Monde: Tech", None)]
    tags = ["IA", "NO", "on", "2024-03-05", "C#", "Sécurité: réseau", '"quoted"']
    post = tmp_path / "content/posts/x.md"
    post.parent.mkdir(parents=True)
    post.write_text(post_text(title, date, tags=tags, sources=sources, draft=False), encoding="utf-8")
    article = parse_back(tmp_path, "content/posts/x.md")
    assert (article.title, article.date, article.tags, article.sources, article.draft) == (
        title,
        date,
        tuple(tags),
        tuple(sources),
        False,
    )


def test_new_writes_a_complete_draft_and_prints_its_path(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.yaml": "timezone: Europe/Paris\n"})
    monkeypatch.chdir(site)
    run = gazette(
        "new",
        'Microsoft coupe "Azure OpenAI": la Chine',
        "--tag",
        "IA",
        "--tag",
        "Chine",
        "--source",
        "ITHome=https://www.ithome.com/0/800/000.htm",
        "--date",
        "2024-10-14T07:30:00+00:00",
    )
    assert (run.code, run.out, run.err) == (0, "content/posts/microsoft-coupe-azure-openai-la-chine.md\n", "")
    written = (site / "content/posts/microsoft-coupe-azure-openai-la-chine.md").read_text(encoding="utf-8")
    assert written == (
        "---\n"
        'title: "Microsoft coupe \\"Azure OpenAI\\": la Chine"\n'
        "date: 2024-10-14T09:30:00+02:00\n"
        'tags: ["IA", "Chine"]\n'
        "source:\n"
        '  name: "ITHome"\n'
        '  url: "https://www.ithome.com/0/800/000.htm"\n'
        "draft: true\n"
        "---\n"
    )
    article = parse_back(site, "content/posts/microsoft-coupe-azure-openai-la-chine.md")
    assert article.title == 'Microsoft coupe "Azure OpenAI": la Chine'
    assert article.date == dt.datetime(2024, 10, 14, 9, 30, tzinfo=PARIS)
    assert article.draft is True
    assert article.sources == (Source("ITHome", "https://www.ithome.com/0/800/000.htm"),)


def test_new_dates_now_in_the_site_timezone(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.yaml": "timezone: Asia/Shanghai\n"})
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run = gazette("new", "Une brève", "--no-draft", "--site", site)
    after = dt.datetime.now(dt.UTC)
    assert run.code == 0
    text = (site / "content/posts/une-breve.md").read_text(encoding="utf-8")
    assert "+08:00\n" in text.split("\n")[2] + "\n"
    article = parse_back(site, "content/posts/une-breve.md")
    assert article.date is not None and before <= article.date <= after
    assert article.draft is False
    assert article.tags == () and article.sources == ()


def test_new_never_overwrites(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.yaml": "title: T\n", "content/posts/deja-la.md": "mine\n"})
    run = gazette("new", "Déjà là", "--site", site)
    assert run.code == 1
    assert run.err.endswith("content/posts/deja-la.md already exists; edit it, or choose another title\n")
    assert (site / "content/posts/deja-la.md").read_text() == "mine\n"


def test_new_opens_the_editor(make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.yaml": "title: T\n"})
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('Written in the editor.\\n')\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    run = gazette("new", "Edited", "--edit", "--site", site)
    assert run.code == 0
    assert (site / "content/posts/edited.md").read_text().endswith("---\nWritten in the editor.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "https://x.org/"), "'https://x.org/' is not NAME=URL"),
        (("--source", "X=ftp://x.org/"), "'X=ftp://x.org/' is not NAME=URL"),
        (("--date", "demain"), "'demain' is not an ISO date"),
    ],
)
def test_new_checks_its_options(make_site, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.yaml": "title: T\n"})
    run = gazette("new", "T", *args, "--site", site)
    assert run.code == 2
    assert message in run.err
    assert not (site / "content").exists()


def test_init_makes_a_site_that_builds(tmp_path: Path) -> None:
    run = gazette("init", tmp_path / "blog")
    assert run.code == 0
    files = sorted(p.relative_to(tmp_path / "blog").as_posix() for p in (tmp_path / "blog").rglob("*") if p.is_file())
    assert files == [".gitignore", "content/pages/about.md", "content/posts/welcome-to-your-gazette.md", "site.yaml"]
    assert (tmp_path / "blog/site.yaml").read_text().startswith("# Settings of this Gazette site")
    built = gazette("build", "--site", tmp_path / "blog")
    assert (built.code, built.err) == (0, "")
    assert built.out.startswith("Built 1 article and 1 page into ")
    assert (tmp_path / "blog/output/about/index.html").is_file()


def test_init_in_french(tmp_path: Path) -> None:
    run = gazette(
        "init", tmp_path / "gazette", "--language", "fr", "--timezone", "Europe/Paris", "--title", "Ma Gazette"
    )
    assert run.code == 0
    assert (tmp_path / "gazette/content/pages/a-propos.md").is_file()
    article = parse_back(tmp_path / "gazette", "content/posts/bienvenue-dans-votre-gazette.md")
    assert article.title == "Bienvenue dans votre Gazette"
    assert article.date is not None and article.date.utcoffset() == PARIS.utcoffset(article.date.replace(tzinfo=None))
    assert 'title: "Ma Gazette"\n' in (tmp_path / "gazette/site.yaml").read_text()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used/notes.txt").write_text("mine\n")
    run = gazette("init", tmp_path / "used")
    assert (run.code, run.err) == (
        2,
        f"gazette: error: {tmp_path / 'used'} is not empty; choose a new folder, or an empty one\n",
    )
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["notes.txt"]


def test_init_checks_language_and_timezone_before_writing(tmp_path: Path) -> None:
    run = gazette("init", tmp_path / "blog", "--language", "xx")
    assert run.code == 2
    assert "site.yaml:" in run.err and "error: unknown language 'xx'" in run.err
    assert gazette("init", tmp_path / "blog", "--timezone", "Mars/Olympus").code == 2
    assert not (tmp_path / "blog").exists()
