"""Invalid sites: each reports the exact `path:line:col: error:` text, exits 1 and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import gazette, snapshot

GOOD = "---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n"

CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "quoted boolean": (
        {"content/posts/a.md": '---\ntitle: A\ndate: 2024-01-01\ndraft: "false"\n---\nx\n'},
        """content/posts/a.md:4:8: error: 'draft' must be true or false, not "false" (quoted text); write it without quotes
    draft: "false"
           ^""",
    ),
    "unquoted colon": (
        {"content/posts/b.md": "---\ntitle: Hugo: the bad\ndate: 2024-01-01\n---\nx\n"},
        """content/posts/b.md:2:12: error: a ': ' inside an unquoted value; put the whole value in quotes
    title: Hugo: the bad
               ^""",
    ),
    "line without a colon": (
        {"content/posts/a.md": "---\ntitle: T\njust a line\ndate: x\n---\n"},
        """content/posts/a.md:3:1: error: expected 'key: value'; this line is not a key with a value
    just a line
    ^""",
    ),
    "value starting with @": (
        {"content/posts/b.md": "---\ntitle: @handle\ndate: 2024-01-01\n---\n"},
        """content/posts/b.md:2:8: error: a value cannot start with this character ('@', '`' or '%'); put it in quotes
    title: @handle
           ^""",
    ),
    "tab": (
        {"content/posts/c.md": "---\ntitle: T\n\tdate: 2024-01-01\n---\nx\n"},
        """content/posts/c.md:3:1: error: tab character; YAML is indented with spaces
     date: 2024-01-01
    ^""",
    ),
    "duplicate key": (
        {"content/posts/d.md": "---\ntitle: T\ntitle: U\ndate: 2024-01-01\n---\nx\n"},
        """content/posts/d.md:3:1: error: duplicate key 'title' (first given on line 2); keep one
    title: U
    ^""",
    ),
    "missing title": (
        {"content/posts/e.md": "---\ndate: 2024-01-01\n---\nx\n"},
        """content/posts/e.md:2:1: error: 'title' is missing; add a line like 'title: "Your headline"'
    date: 2024-01-01
    ^""",
    ),
    "empty title": (
        {"content/posts/e.md": "---\ndate: 2024-01-01\ntitle: '  '\n---\nx\n"},
        """content/posts/e.md:3:8: error: 'title' is empty; write the headline there
    title: '  '
           ^""",
    ),
    "missing date": (
        {"content/posts/j.md": "---\ntitle: T\n---\nx\n"},
        """content/posts/j.md:2:1: error: 'date' is missing; add a line like 'date: 2024-10-14 09:30'
    title: T
    ^""",
    ),
    "impossible date and a mapping for tags": (
        {"content/posts/f.md": "---\ntitle: T\ndate: 2024-13-45\ntags: {a: 1}\n---\nx\n"},
        """content/posts/f.md:3:7: error: 'date' is not a real date: '2024-13-45' (month must be in 1..12)
    date: 2024-13-45
          ^
content/posts/f.md:4:7: error: 'tags' must be a list of texts, not a mapping
    tags: {a: 1}
          ^""",
    ),
    "not utf-8": (
        {"content/posts/g.md": b"---\ntitle: caf\xe9\ndate: 2024-01-01\n---\n"},
        """content/posts/g.md:2:11: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8 (in most editors: 'Save with encoding')
    title: caf\ufffd
              ^""",
    ),
    "front matter never closed": (
        {"content/posts/h.md": "---\ntitle: T\n"},
        """content/posts/h.md:1:1: error: front matter opened here is never closed; add a '---' line after it
    ---
    ^""",
    ),
    "toml": (
        {
            "content/posts/i.md": '+++\ntitle = "x"\ndraft = "yes"\ntags = "a"\n+++\n',
            "content/posts/j.md": "+++\nt = [\n",
        },
        """content/posts/i.md:3:9: error: 'draft' must be true or false, not "yes" (quoted text); write it without quotes
    draft = "yes"
            ^
content/posts/j.md:1:1: error: front matter opened here is never closed; add a '+++' line after it
    +++
    ^""",
    ),
    "toml: hints in TOML": (
        {
            "content/posts/i.md": '+++\ntitle = "x"\n+++\n',
            "content/posts/j.md": '+++\ntitle = "y"\ndate = 2024-01-01\n[[updates]]\ntext = "fixed"\n+++\n',
        },
        """content/posts/i.md:2:1: error: 'date' is missing; add a line like 'date = 2024-10-14T09:30:00'
    title = "x"
    ^
content/posts/j.md:4:1: error: an entry of 'updates' needs a 'date', like 'date = 2024-10-15T14:05:00'
    [[updates]]
    ^""",
    ),
    "toml syntax": (
        {"content/posts/i.md": '+++\ntitle = "x"\ntags = ["a", "b"\n+++\n'},
        """content/posts/i.md:4:1: error: invalid TOML: Unclosed array
    +++
    ^""",
    ),
    "no front matter": (
        {"content/posts/k.md": "Just text\n"},
        """content/posts/k.md:1:1: error: no front matter; start the file with a '---' line, then 'title:' and 'date:', then '---'
    Just text
    ^""",
    ),
    "unclosed quote": (
        {"content/posts/n.md": '---\ntitle: "unclosed\ndate: 2024-01-01\n---\n'},
        """content/posts/n.md:2:8: error: this quoted text is never closed; add the closing quote
    title: "unclosed
           ^""",
    ),
    "bad source url": (
        {"content/posts/m.md": "---\ntitle: T\ndate: 2024-01-01\nsource: {name: X, url: notaurl}\n---\n"},
        """content/posts/m.md:4:24: error: 'source url' must be a full http(s) URL, not 'notaurl'
    source: {name: X, url: notaurl}
                           ^""",
    ),
    "config": (
        {"site.yaml": "per_page: 0\ntimezone: Mars/Base\nbogus: 1\npermalink: /{year}/{title}/\n"},
        """site.yaml:1:11: error: 'per_page' must be at least 1, not 0
    per_page: 0
              ^
site.yaml:2:11: error: unknown timezone 'Mars/Base'; use a name like Europe/Paris or UTC
    timezone: Mars/Base
              ^
site.yaml:3:8: error: unknown setting 'bogus'; known settings: title, description, base_url, language, timezone, author, theme, per_page, permalink, feed_size, typography, unsafe_html, emoji, relative_urls, redirects_file, cname, search, social_cards, extra
    bogus: 1
           ^
site.yaml:4:12: error: unknown placeholder {title} in permalink; use {year}, {month}, {day}, {slug}
    permalink: /{year}/{title}/
               ^""",
    ),
    "two posts at one URL": (
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n",
            "content/posts/x/a.md": "---\ntitle: B\ndate: 2024-01-02\n---\nx\n",
        },
        "content/posts/a.md:1:1: error: output 2024/01/a/index.html is also made by content/posts/x/a.md; "
        "change a slug or file name",
    ),
    "alias that is no path inside the site": (
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\naliases:\n  - https://old.example/a/\n"
            "  - old/a/\n  - /x/../etc/\n  - /a/?p=1\n---\nx\n"
        },
        """content/posts/a.md:5:5: error: 'aliases' holds 'https://old.example/a/', but it must be a path inside the site, like /2019/10/old-slug/, not a full URL
      - https://old.example/a/
        ^
content/posts/a.md:6:5: error: 'aliases' holds 'old/a/', but it must start with '/', like /2019/10/old-slug/
      - old/a/
        ^
content/posts/a.md:7:5: error: 'aliases' holds '/x/../etc/', but its part '..' cannot name a file: it would name a hidden folder or leave its own
      - /x/../etc/
        ^
content/posts/a.md:8:5: error: 'aliases' holds '/a/?p=1', but a query or #fragment never reaches the server; write the path alone
      - /a/?p=1
        ^""",
    ),
    "alias at a story's URL, and two stories sharing an alias": (
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\naliases: [/2024/01/good/, /old/]\n---\nx\n",
            "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\naliases:\n  - /old\n---\nx\n",
        },
        """content/posts/a.md:4:11: error: alias /2024/01/good/ is already the URL of content/posts/good.md; remove this alias or that page's
    aliases: [/2024/01/good/, /old/]
              ^
content/posts/a.md:4:27: error: alias /old/ is already the URL of the alias of content/posts/b.md; remove this alias or that page's
    aliases: [/2024/01/good/, /old/]
                              ^""",
    ),
    "cname that is a URL": (
        {"site.yaml": "cname: https://blog.example.org/\nrelative_urls: yes please\n"},
        """site.yaml:1:8: error: 'cname' is no host name: write the host name alone, like blog.example.org, with no https:// and no path
    cname: https://blog.example.org/
           ^
site.yaml:2:16: error: 'relative_urls' must be true or false, not 'yes please'; write it without quotes
    relative_urls: yes please
                   ^""",
    ),
    "template error": (
        {
            "site.yaml": "theme: t\n",
            "themes/t/theme.yaml": "extends: default\n",
            "themes/t/templates/article.html": '{% extends "!default/article.html" %}\n'
            "{% block title %}\n{{ page.nope }}\n{% endblock %}\n",
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n",
            "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\n---\nx\n",
        },
        """themes/t/templates/article.html:3:1: error: UndefinedError: 'generator.model.Article object' has no attribute 'nope' (while rendering /2024/01/b/ from content/posts/b.md and 2 other pages)
    {{ page.nope }}
    ^""",
    ),
    "template syntax error": (
        {
            "site.yaml": "theme: t\n",
            "themes/t/theme.yaml": "extends: default\n",
            "themes/t/templates/article.html": '{% extends "!default/article.html" %}\n{% block title %\n',
        },
        """themes/t/templates/article.html:2:1: error: TemplateSyntaxError: expected token 'end of statement block', got '%' (while rendering /2024/01/good/ from content/posts/good.md)
    {% block title %
    ^""",
    ),
    "template in another encoding": (
        {
            "site.yaml": "theme: t\n",
            "themes/t/theme.yaml": "extends: default\n",
            "themes/t/templates/article.html": b"{# caf\xe9 #}\n",
        },
        """themes/t/templates/article.html:1:1: error: TemplateSyntaxError: not valid UTF-8 (byte 0xe9); save the file as UTF-8 (in most editors: 'Save with encoding') (while rendering /2024/01/good/ from content/posts/good.md)
    {# caf� #}
    ^""",
    ),
    "bad updates, every problem of every entry": (
        {
            "content/posts/u.md": "---\ntitle: U\ndate: 2024-10-14 09:30\nupdates:\n  - date: 2024-10-14 14:05\n"
            "    txt: Typo in the key\n    kind: fix\n  - text: No date here\n  - date: 2024-13-01\n    text: Bad month\n"
            "---\nx\n"
        },
        """content/posts/u.md:5:5: error: an entry of 'updates' needs a 'text', like 'text: What changed, and why'
      - date: 2024-10-14 14:05
        ^
content/posts/u.md:6:10: error: unknown key 'txt' in an entry of 'updates'; use date, text, kind
        txt: Typo in the key
             ^
content/posts/u.md:7:11: error: unknown kind 'fix' in 'updates'; use update or correction
        kind: fix
              ^
content/posts/u.md:8:5: error: an entry of 'updates' needs a 'date', like 'date: 2024-10-15 14:05'
      - text: No date here
        ^
content/posts/u.md:9:11: error: 'updates date' is not a real date: '2024-13-01' (month must be in 1..12)
      - date: 2024-13-01
              ^""",
    ),
    "updates not a list": (
        {"content/posts/u.md": "---\ntitle: U\ndate: 2024-10-14\nupdates: Fixed a typo\n---\nx\n"},
        """content/posts/u.md:4:10: error: 'updates' must be a list of entries, each with '- date:' and 'text:'
    updates: Fixed a typo
             ^""",
    ),
    "an update dated before the story": (
        {
            "content/posts/e.md": "---\ntitle: E\ndate: 2024-10-14 09:30\nupdates:\n  - date: 2024-10-14 14:05\n"
            "    text: Fine.\n  - date: 2024-10-13 14:05\n    text: A day early.\n---\nx\n"
        },
        """content/posts/e.md:7:11: error: this update is dated before the story's date (2024-10-14 09:30); correct one of the two dates
      - date: 2024-10-13 14:05
              ^""",
    ),
    "unknown source role": (
        {
            "content/posts/r.md": "---\ntitle: R\ndate: 2024-10-14\nsource:\n  - name: ITHome\n    role: source\n"
            "  - name: The Register\n    role: relay\n---\nx\n"
        },
        """content/posts/r.md:6:11: error: unknown role 'source' in source; use original, via, press-release, report, data
        role: source
              ^
content/posts/r.md:8:11: error: unknown role 'relay' in source; use original, via, press-release, report, data
        role: relay
              ^""",
    ),
    "original without a language": (
        {
            "content/posts/o.md": "---\ntitle: O\ndate: 2024-10-14\noriginal:\n  title: Un titre\n  language: zh\n---\nx\n"
        },
        """content/posts/o.md:5:3: error: 'original' needs the language of the original story, like 'lang: zh'
      title: Un titre
      ^
content/posts/o.md:6:13: error: unknown key 'language' in 'original'; use lang, title, url
      language: zh
                ^""",
    ),
    "original with a language name and a bare host": (
        {"content/posts/o.md": "---\ntitle: O\ndate: 2024-10-14\noriginal: {lang: chinois, url: ithome.com}\n---\nx\n"},
        """content/posts/o.md:4:18: error: 'original lang' must be a language code like 'zh' or 'pt-BR', not 'chinois'
    original: {lang: chinois, url: ithome.com}
                     ^
content/posts/o.md:4:32: error: 'original url' must be a full http(s) URL, not 'ithome.com'
    original: {lang: chinois, url: ithome.com}
                                   ^""",
    ),
    "unknown theme": (
        {"site.yaml": "theme: nowhere\n"},
        "site.yaml:1:8: error: theme 'nowhere' not found; create themes/nowhere/templates/ or use 'default'\n"
        "    theme: nowhere\n"
        "           ^",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_invalid_site_reports_exact_errors(
    name: str, make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    files, expected = CASES[name]
    site = make_site({"content/posts/good.md": GOOD, **files})
    monkeypatch.chdir(site)
    run = gazette("build")
    assert run.code == 1
    errors = run.err.rsplit("\nBuild failed:", 1)[0]
    assert errors == expected
    assert not (site / "output").exists()


def test_three_broken_files_are_all_reported_and_output_is_untouched(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/good.md": GOOD, "static/CNAME": "example.org\n"})
    monkeypatch.chdir(site)
    assert gazette("build").code == 0
    (site / "output" / "keep.txt").write_text("mine", encoding="utf-8")
    before = snapshot(site / "output")
    stamps = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")}
    (site / "content/posts/good.md").write_text(GOOD.replace("Fine.", "Changed."), encoding="utf-8")
    for n in range(3):
        (site / f"content/posts/bad{n}.md").write_text(f"---\ntitle: Bad {n}\ndraft: maybe\n---\n", encoding="utf-8")
    run = gazette("build")
    assert run.code == 1
    assert [line.split(":")[0] for line in run.err.splitlines() if ": error: " in line] == [
        "content/posts/bad0.md",
        "content/posts/bad1.md",
        "content/posts/bad2.md",
    ]
    assert run.err.endswith("Build failed: 3 errors in 3 files; output/ was left as it was.\n")
    assert snapshot(site / "output") == before
    assert {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")} == stamps


def test_stale_generated_files_go_but_user_files_stay(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without search, whose index would be made again (its files renamed) when a story goes.
    files = {
        "site.yaml": "search: false\n",
        "content/posts/good.md": GOOD,
        "content/posts/old.md": GOOD.replace("Good", "Old"),
    }
    site = make_site(files)
    monkeypatch.chdir(site)
    assert gazette("build").code == 0
    out = site / "output"
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    assert (out / "2024/01/old/index.html").is_file() and list((out / "2024/01/old").glob("card.*.png"))
    (site / "content/posts/old.md").unlink()
    run = gazette("build")
    assert run.code == 0, run.err
    assert not (out / "2024/01/old").exists()
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert (out / ".git" / "HEAD").is_file()
    assert "2 removed" in run.out  # the story's page and its social card


def test_output_folder_that_holds_the_site_is_refused(
    make_site: Callable[[dict[str, str | bytes]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/good.md": GOOD})
    monkeypatch.chdir(site)
    run = gazette("build", "--output", ".")
    assert run.code == 2
    assert "contains the site itself" in run.err
    run = gazette("build", "--output", "content/out")
    assert run.code == 2
    assert "inside content/" in run.err
