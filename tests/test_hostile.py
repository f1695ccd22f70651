"""Hostile input, one small site per case: the exit code, the exact located messages, what must and must not be built.

Whatever is in content/, a build ends in a site or in located errors, never a traceback or a hang;
a failing build leaves output/ byte for byte as the previous build made it; a passing one publishes
feeds a strict XML parser reads and no character XML cannot carry. Cases are grouped by what they
attack: front matter, sources, bodies, encodings, the file system, dates, slugs and URLs, feeds, config.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from generator.content.characters import FORBIDDEN
from tests.conftest import NOW, gazette, snapshot, write_tree

GOOD = "---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n"
P = "content/posts/x.md"
T = "title: T\ndate: 2024-01-02"
PAGE = "output/2024/01/x/index.html"
HEAD = re.compile(r"^\S+:\d+:\d+: (error|warning): ")


def post(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front}\n---\n{body}"


@dataclass(frozen=True)
class Case:
    """One hostile site: its files, and what the build must say and make."""

    files: dict[str, str | bytes]
    code: int
    messages: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    contains: dict[str, str] = field(default_factory=dict)
    lacks: dict[str, str] = field(default_factory=dict)


# fmt: off
CASES: dict[str, Case] = {
    'fm: no front matter': Case(
        {P: "Just text.\n"},
        code=1,
        messages=(
            "content/posts/x.md:1:1: error: no front matter; start the file with a '---' line, then 'title:' and 'date:', then '---'",
        ),
    ),
    'fm: unclosed front matter': Case(
        {P: "---\ntitle: T\ndate: 2024-01-02\nBody\n"},
        code=1,
        messages=(
            "content/posts/x.md:1:1: error: front matter opened here is never closed; add a '---' line after it",
        ),
    ),
    'fm: empty front matter': Case(
        {P: "---\n---\nBody\n"},
        code=1,
        messages=(
            'content/posts/x.md:1:1: error: \'title\' is missing; add a line like \'title: "Your headline"\'',
        ),
    ),
    'fm: front matter is a list': Case(
        {P: "---\n- a\n- b\n---\nBody\n"},
        code=1,
        messages=(
            "content/posts/x.md:2:1: error: front matter must be a mapping of 'key: value' lines",
        ),
    ),
    'fm: python object tag': Case(
        {P: post(T + "\nx: !!python/object/apply:os.system ['echo hi']")},
        code=1,
        messages=(
            "content/posts/x.md:4:4: error: unknown YAML tag '!!python/object/apply:os.system'; remove it, Gazette reads plain values only",
        ),
    ),
    'fm: custom local tag': Case(
        {P: post(T + "\nx: !secret value")},
        code=1,
        messages=(
            "content/posts/x.md:4:4: error: unknown YAML tag '!secret'; remove it, Gazette reads plain values only",
        ),
    ),
    'fm: alias bomb': Case(
        {P: post(T + "\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]")},
        code=1,
        messages=(
            'content/posts/x.md:4:20: error: the aliases (*name) here expand to too many values; write the values out',
        ),
    ),
    'fm: recursive alias': Case(
        {P: post(T + "\nextra: &a [1, *a]")},
        code=1,
        messages=(
            'content/posts/x.md:4:8: error: this alias (*name) refers to a value that contains it; remove the alias',
        ),
    ),
    'fm: nested 150 deep': Case(
        {P: post(T + "\nx: " + "[" * 150 + "]" * 150)},
        code=1,
        messages=(
            'content/posts/x.md:4:103: error: values nested more than 100 levels deep; flatten them',
        ),
    ),
    'fm: nested 5000 deep': Case(
        {P: post(T + "\nx: " + "[" * 5000 + "]" * 5000)},
        code=1,
        messages=(
            'content/posts/x.md:4:1003: error: values nested more than 1,000 levels deep; flatten them',
        ),
    ),
    'fm: duplicate key': Case(
        {P: post(T + "\ntitle: U")},
        code=1,
        messages=(
            "content/posts/x.md:4:1: error: duplicate key 'title' (first given on line 2); keep one",
        ),
    ),
    'fm: tab indentation': Case(
        {P: post(T + "\ntags:\n\t- a")},
        code=1,
        messages=(
            'content/posts/x.md:5:1: error: tab character; YAML is indented with spaces',
        ),
    ),
    'fm: title is a list': Case(
        {P: post("title: [a, b]\ndate: 2024-01-02")},
        code=1,
        messages=(
            "content/posts/x.md:2:8: error: 'title' must be text, not a list",
        ),
    ),
    'fm: title is a mapping': Case(
        {P: post("title: {a: b}\ndate: 2024-01-02")},
        code=1,
        messages=(
            "content/posts/x.md:2:8: error: 'title' must be text, not a mapping",
        ),
    ),
    'fm: title is null': Case(
        {P: post("title: ~\ndate: 2024-01-02")},
        code=1,
        messages=(
            "content/posts/x.md:2:8: error: 'title' is empty; write the headline there",
        ),
    ),
    'fm: title only spaces': Case(
        {P: post("title: '   '\ndate: 2024-01-02")},
        code=1,
        messages=(
            "content/posts/x.md:2:8: error: 'title' is empty; write the headline there",
        ),
    ),
    'fm: title with script': Case(
        {P: post("title: '<script>alert(1)</script>'\ndate: 2024-01-02")},
        code=0,
        contains={PAGE: "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"}, lacks={PAGE: "<script>alert(1)"},
    ),
    'fm: title with escape sequence': Case(
        {P: post('title: "Build \\x1b[31mfailed\\x1b[0m"\ndate: 2024-01-02')},
        code=0,
        messages=(
            'content/posts/x.md:2:8: warning: this value holds 2 characters that HTML and XML cannot carry (U+001B ESCAPE), dropped from the site',
        ),
        contains={PAGE: "<h1>Build [31mfailed[0m</h1>"},
    ),
    'fm: title with lone surrogate': Case(
        {P: post('title: "a\\ud800b"\ndate: 2024-01-02')},
        code=0,
        messages=(
            'content/posts/x.md:2:8: warning: this value holds a character that HTML and XML cannot carry (U+D800), dropped from the site',
        ),
        contains={PAGE: "<h1>ab</h1>"},
    ),
    'fm: title 10000 chars': Case(
        {P: post("title: " + "Long " * 2000 + "\ndate: 2024-01-02")},
        code=0,
    ),
    'fm: draft quoted': Case(
        {P: post(T + '\ndraft: "false"')},
        code=1,
        messages=(
            'content/posts/x.md:4:8: error: \'draft\' must be true or false, not "false" (quoted text); write it without quotes',
        ),
    ),
    'fm: draft yes': Case(
        {P: post(T + "\ndraft: yes")},
        code=1,
        messages=(
            "content/posts/x.md:4:8: error: 'draft' must be true or false, not 'yes'; write it without quotes",
        ),
    ),
    'fm: weight text': Case(
        {P: post(T + "\nweight: heavy")},
        code=1,
        messages=(
            "content/posts/x.md:4:9: error: 'weight' must be a whole number, not 'heavy'",
        ),
    ),
    'fm: tags nested list': Case(
        {P: post(T + "\ntags: [[a, b]]")},
        code=1,
        messages=(
            "content/posts/x.md:4:8: error: 'tags' must be text, not a list",
        ),
    ),
    'fm: tags as comma text': Case(
        {P: post(T + "\ntags: IA, Cloud ,  Chine")},
        code=0,
        present=("output/tags/ia/index.html", "output/tags/cloud/index.html", "output/tags/chine/index.html"),
    ),
    'fm: 150 tags': Case(
        {P: post(T + "\ntags: [" + ", ".join(f"pkg{n}" for n in range(150)) + "]")},
        code=0,
        present=("output/tags/pkg0/index.html", "output/tags/pkg149/index.html", "output/tags/pkg149/feed.xml"),
    ),
    'fm: tag spellings one url': Case(
        {P: post(T + "\ntags: [End of Life]"), "content/posts/y.md": post("title: Y\ndate: 2024-01-03\ntags: [End-of-Life]")},
        code=0,
        messages=(
            "content/posts/y.md:1:1: warning: tags 'End of Life' (content/posts/x.md) and 'End-of-Life' (content/posts/y.md) make one URL, /tags/end-of-life/: they are one, shown as 'End of Life'; write it one way everywhere to silence this",
        ),
        present=("output/tags/end-of-life/index.html",), contains={"output/2024/01/y/index.html": ">End of Life<"},
    ),
    'fm: empty tag': Case(
        {P: post(T + "\ntags: ['', a]")},
        code=1,
        messages=(
            "content/posts/x.md:4:8: error: 'tags' has an empty item; remove it",
        ),
    ),
    'fm: yaml 1.1 booleans as tags': Case(
        {P: post(T + "\ntags: [NO, on, yes]")},
        code=0,
        present=("output/tags/no/index.html", "output/tags/on/index.html", "output/tags/yes/index.html"),
    ),
    'fm: unknown key with control char': Case(
        {P: post(T + '\nnote: "a\\x07b"')},
        code=0,
        messages=(
            'content/posts/x.md:4:7: warning: this value holds a character that HTML and XML cannot carry (U+0007), dropped from the site',
        ),
    ),
    'fm: toml front matter': Case(
        {P: "+++\ntitle = 'T'\ndate = 2024-01-02T10:00:00+01:00\n+++\nBody\n"},
        code=0,
        messages=(),
    ),
    'fm: toml key given twice': Case(
        {P: "+++\ntitle = 'T'\ndraft = false\ntitle = 'U'\n+++\nBody\n"},
        code=1,
        messages=('content/posts/x.md:4:1: error: this key is given a second time; keep one',),
    ),
    'fm: unclosed quote': Case(
        {P: post('title: "T\ndate: 2024-01-02')},
        code=1,
        messages=(
            'content/posts/x.md:2:8: error: this quoted text is never closed; add the closing quote',
        ),
    ),
    'fm: site.yaml with a control character': Case(
        {"site.yaml": 'title: "Tech\x07 news"\n', P: post(T)},
        code=0,
        messages=(
            'site.yaml:1:13: warning: this file holds a character that HTML and XML cannot carry (U+0007), dropped from the site; the first is here (pasted from a terminal?)',
        ),
        contains={PAGE: "<title>T — Tech news</title>"},
    ),
    'src: broken ipv6 url': Case(
        {P: post(T + "\nsource: {name: X, url: 'https://[::1/a'}")},
        code=1,
        messages=(
            "content/posts/x.md:4:24: error: 'source url' must be a full http(s) URL, not 'https://[::1/a'",
        ),
    ),
    'src: bare broken ipv6 url': Case(
        {P: post(T + "\nsource: 'https://[zz]/'")},
        code=1,
        messages=(
            "content/posts/x.md:4:9: error: 'source' must be a full http(s) URL, not 'https://[zz]/'",
        ),
    ),
    'src: javascript url': Case(
        {P: post(T + "\nsource: {name: X, url: 'javascript:alert(1)'}")},
        code=1,
        messages=(
            "content/posts/x.md:4:24: error: 'source url' must be a full http(s) URL, not 'javascript:alert(1)'",
        ),
    ),
    'src: data url': Case(
        {P: post(T + "\nsource: {name: X, url: 'data:text/html,hi'}")},
        code=1,
        messages=(
            "content/posts/x.md:4:24: error: 'source url' must be a full http(s) URL, not 'data:text/html,hi'",
        ),
    ),
    'src: bare url': Case(
        {P: post(T + "\nsource: https://www.ithome.com/0/1.htm")},
        code=0,
        present=("output/sources/ithome-com/index.html",), contains={PAGE: 'href="https://www.ithome.com/0/1.htm"'},
    ),
    'src: no name no url': Case(
        {P: post(T + "\nsource: {lang: zh}")},
        code=1,
        messages=(
            "content/posts/x.md:4:9: error: a source needs at least a name, like 'name: ITHome'",
        ),
    ),
    'src: unknown key': Case(
        {P: post(T + "\nsource: {name: X, link: 'https://x.org'}")},
        code=1,
        messages=(
            "content/posts/x.md:4:25: error: unknown key 'link' in source; use name, url, lang, feed, role",
        ),
    ),
    'src: name with markup': Case(
        {P: post(T + "\nsource: {name: '<b onmouseover=alert(1)>X</b>', url: 'https://x.org/a'}")},
        code=0,
        contains={PAGE: "&lt;b onmouseover=alert(1)&gt;X&lt;/b&gt;"}, lacks={PAGE: "<b onmouseover"},
    ),
    'upd: script and handlers in an update': Case(
        {P: post(T + "\nupdates:\n  - date: 2024-01-03\n    text: '<script>alert(1)</script><img src=x onerror=alert(2)> *Fixed*'")},
        code=0,
        contains={PAGE: "<em>Fixed</em>"}, lacks={PAGE: "alert("},
    ),
    'upd: a correction that closes the JSON-LD script': Case(
        {P: post(T + "\nupdates: [{date: 2024-01-03, kind: correction, text: '`</script><script>alert(1)//`'}]")},
        code=0,
        contains={PAGE: "\\u003c/script\\u003e", "output/corrections/index.html": "&lt;/script&gt;&lt;script&gt;alert(1)//"},
        lacks={PAGE: "<script>alert(1)", "output/corrections/index.html": "<script>alert(1)"},
    ),
    'orig: title with markup': Case(
        {P: post(T + "\noriginal: {lang: en, title: '</script><b onmouseover=alert(1)>x</b>'}")},
        code=0,
        contains={PAGE: "&lt;/script&gt;&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;"}, lacks={PAGE: "<b onmouseover"},
    ),
    'orig: javascript url': Case(
        {P: post(T + "\noriginal: {lang: en, url: 'javascript:alert(1)'}")},
        code=1,
        messages=(
            "content/posts/x.md:4:27: error: 'original url' must be a full http(s) URL, not 'javascript:alert(1)'",
        ),
    ),
    'src: role with markup': Case(
        {P: post(T + "\nsource: {name: X, role: '<b>original</b>'}")},
        code=1,
        messages=(
            "content/posts/x.md:4:25: error: unknown role '<b>original</b>' in source; use original, via, press-release, report, data",
        ),
    ),
    'src: list of three': Case(
        {P: post(T + "\nsource:\n  - ITHome\n  - {name: Heise, url: 'https://heise.de/a'}\n  - https://lwn.net/Articles/1/")},
        code=0,
        present=("output/sources/ithome/index.html", "output/sources/heise/index.html", "output/sources/lwn-net/index.html"),
    ),
    'src: url with spaces': Case(
        {P: post(T + "\nsource: {name: X, url: 'https://x.org/a b'}")},
        code=0,
    ),
    'src: outlet spellings one url': Case(
        {P: post(T + "\nsource: Le Monde"), "content/posts/y.md": post("title: Y\ndate: 2024-01-03\nsource: Le-Monde")},
        code=0,
        messages=(
            "content/posts/y.md:1:1: warning: sources 'Le Monde' (content/posts/x.md) and 'Le-Monde' (content/posts/y.md) make one URL, /sources/le-monde/: they are one, shown as 'Le Monde'; write it one way everywhere to silence this",
        ),
        present=("output/sources/le-monde/index.html",),
    ),
    'body: script tag': Case(
        {P: post(T, "Hi <script>alert(1)</script> there\n")},
        code=0,
        contains={PAGE: "<p>Hi  there</p>"}, lacks={PAGE: "alert(1)", "output/feed.xml": "alert(1)"},
    ),
    'body: onerror img': Case(
        {P: post(T, '<img src="x.png" onerror="alert(1)" alt="x">\n')},
        code=0,
        contains={PAGE: '<img src="x.png" alt="x">'}, lacks={PAGE: "onerror", "output/feed.xml": "onerror"},
    ),
    'body: javascript link html': Case(
        {P: post(T, '<a href="javascript:alert(1)">x</a>\n')},
        code=0,
        contains={PAGE: "<a>x</a>"}, lacks={PAGE: "javascript:", "output/feed.json": "javascript:"},
    ),
    'body: javascript link markdown': Case(
        {P: post(T, "[x](javascript:alert(1))\n")},
        code=0,
        contains={PAGE: "<a>x</a>"}, lacks={PAGE: "javascript:", "output/atom.xml": "javascript:"},
    ),
    'body: xss in code': Case(
        {P: post(T, "Example:\n\n```html\n<script>alert(1)</script>\n```\n\nand `<img onerror=x>`.\n")},
        code=0,
        contains={PAGE: "&lt;/span&gt;alert(1)", "output/2024/01/x/index.html": "<code>&lt;img onerror=x&gt;</code>"},
    ),
    'body: iframe youtube': Case(
        {P: post(T, '<iframe src="https://www.youtube.com/embed/x" allowfullscreen></iframe>\n')},
        code=0,
        contains={PAGE: '<iframe src="https://www.youtube.com/embed/x" allowfullscreen="" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"></iframe>'},
    ),
    'body: style element': Case(
        {P: post(T, "<style>body{display:none}</style>\n\nText\n")},
        code=0,
        lacks={PAGE: "display:none"},
    ),
    'body: control characters': Case(
        {P: post(T, "Log: \x1b[32mOK\x1b[0m\x08 and a form feed \x0c here.\n")},
        code=0,
        messages=(
            'content/posts/x.md:5:6: warning: this file holds 4 characters that HTML and XML cannot carry (U+001B ESCAPE, U+0008 BACKSPACE, U+000C FORM FEED), dropped from the site; the first is here (pasted from a terminal?)',
        ),
        contains={PAGE: "Log: [32mOK[0m and a form feed  here."},
    ),
    'body: entity references to controls': Case(
        {P: post(T, "A &#x1b; B &#0; C &#146; D\n")},
        code=0,
        contains={PAGE: "A  B  C ’ D"}, lacks={PAGE: "&#x1b;"},
    ),
    'body: blockquote 2000 deep': Case(
        {P: post(T, "> " * 2000 + "deep\n")},
        code=1,
        messages=(
            'content/posts/x.md:5:201: error: blockquotes nested more than 100 levels deep; Gazette renders 100, flatten them',
        ),
    ),
    'body: list 500 deep': Case(
        {P: post(T, "".join("    " * i + "- x\n" for i in range(500)))},
        code=1,
        messages=(
            'content/posts/x.md:105:401: error: lists nested more than 100 levels deep; Gazette renders 100, flatten them',
        ),
    ),
    'body: html divs 5000 deep': Case(
        {P: post(T, "<div>" * 5000 + "x" + "</div>" * 5000 + "\n")},
        code=1,
        messages=(
            'content/posts/x.md:5:501: error: HTML blocks nested more than 100 levels deep; Gazette renders 100, flatten them',
        ),
    ),
    'body: 20000 open brackets': Case(
        {P: post(T, "[" * 20000 + "\n")},
        code=0,
        present=(PAGE,),
    ),
    'body: 20000 asterisks around': Case(
        {P: post(T, "*" * 20000 + "x" + "*" * 20000 + "\n")},
        code=1,
        messages=(
            'content/posts/x.md:5:1: error: this story nests emphasis, links or blocks too deeply to render; flatten it',
        ),
    ),
    'body: 5000 unclosed links': Case(
        {P: post(T, "[a](" * 5000 + "\n")},
        code=0,
        present=(PAGE,),
    ),
    'body: links python cannot parse': Case(
        {P: post(T, "[a](http://[::1/x) ![b](//[zz]/i.png) <a href='http://[::1'>c</a>\n")},
        code=0,
        contains={PAGE: "<p><a>a</a> <img alt=\"b\" src=\"//[zz]/i.png\"> <a>c</a></p>"},
    ),
    'body: jinja syntax': Case(
        {P: post(T, "{{ site.title }} {% for x in y %}\n")},
        code=0,
        contains={PAGE: "{{ site.title }} {% for x in y %}"},
    ),
    'body: only more marker': Case(
        {P: post(T, "<!-- more -->\n")},
        code=0,
    ),
    'body: empty': Case(
        {P: post(T, "")},
        code=0,
    ),
    'body: 300 KB': Case(
        {P: post(T, ("Un paragraphe de texte assez long, avec des mots. " * 20 + "\n\n") * 300)},
        code=0,
        present=(PAGE,),
    ),
    'body: nul byte': Case(
        {P: post(T, "a\x00b\n")},
        code=0,
        messages=(
            'content/posts/x.md:5:2: warning: this file holds a character that HTML and XML cannot carry (U+0000 NULL), dropped from the site; the first is here (pasted from a terminal?)',
        ),
        contains={PAGE: "<p>ab</p>"},
    ),
    'body: rtl and zero width': Case(
        {P: post(T, "abc\u202edef\u200b ghi\n")},
        code=0,
    ),
    'enc: latin-1 file': Case(
        {P: post(T, "café\n").encode("latin-1")},
        code=1,
        messages=(
            "content/posts/x.md:5:4: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8 (in most editors: 'Save with encoding')",
        ),
    ),
    'enc: utf-16 file': Case(
        {P: post(T, "Body\n").encode("utf-16")},
        code=1,
        messages=(
            "content/posts/x.md:1:1: error: not valid UTF-8 (byte 0xff); save the file as UTF-8 (in most editors: 'Save with encoding')",
        ),
    ),
    'enc: bom and crlf': Case(
        {P: ("\ufeff" + post(T, "Body\n")).replace("\n", "\r\n").encode()},
        code=0,
        present=(PAGE,),
    ),
    'enc: old mac cr': Case(
        {P: post(T, "Body\n").replace("\n", "\r").encode()},
        code=0,
        present=(PAGE,),
    ),
    'enc: invalid utf-8 in body': Case(
        {P: post(T, "ok\n").encode() + b"\xff\xfe bad\n"},
        code=1,
        messages=(
            "content/posts/x.md:6:1: error: not valid UTF-8 (byte 0xff); save the file as UTF-8 (in most editors: 'Save with encoding')",
        ),
    ),
    'enc: overlong utf-8': Case(
        {P: post(T, "ok\n").encode() + b"\xc0\xaf\n"},
        code=1,
        messages=(
            "content/posts/x.md:6:1: error: not valid UTF-8 (byte 0xc0); save the file as UTF-8 (in most editors: 'Save with encoding')",
        ),
    ),
    'enc: encoded surrogate': Case(
        {P: post(T, "ok\n").encode() + b"\xed\xa0\x80\n"},
        code=1,
        messages=(
            "content/posts/x.md:6:1: error: not valid UTF-8 (byte 0xed); save the file as UTF-8 (in most editors: 'Save with encoding')",
        ),
    ),
    'enc: chinese content': Case(
        {P: post("title: 微软停止向中国个人开发者提供服务\ndate: 2024-01-02\ntags: [人工智能, 微软]", "正文。\n")},
        code=0,
        present=("output/tags/人工智能/index.html",),
    ),
    'fs: file outside posts': Case(
        {"content/notes.md": post(T)},
        code=0,
        messages=(
            'content/notes.md:1:1: warning: not under content/posts/ or content/pages/, so not published; move it into one of them',
        ),
        absent=("output/notes/index.html",),
    ),
    'fs: directory named like markdown': Case(
        {"content/posts/dir.md/readme.txt": "x"},
        code=0,
    ),
    'fs: hidden and temp files': Case(
        {"content/posts/.x.md": "garbage", "content/posts/x.md~": "garbage", "content/posts/.#x.md": "garbage"},
        code=0,
    ),
    'fs: two files one url': Case(
        {P: post("title: A\ndate: 2024-01-02\nslug: same"), "content/posts/y.md": post("title: B\ndate: 2024-01-05\nslug: same")},
        code=1,
        messages=(
            'content/posts/x.md:1:1: error: output 2024/01/same/index.html is also made by content/posts/y.md; change a slug or file name',
        ),
    ),
    'fs: empty file': Case(
        {P: ""},
        code=1,
        messages=(
            "content/posts/x.md:1:1: error: no front matter; start the file with a '---' line, then 'title:' and 'date:', then '---'",
        ),
    ),
    'fs: name with spaces and accents': Case(
        {"content/posts/Été à Paris (2).md": post(T)},
        code=0,
        present=("output/2024/01/ete-a-paris-2/index.html",),
    ),
    'fs: bundle with image': Case(
        {"content/posts/story/index.md": post(T), "content/posts/story/photo.png": b"\x89PNG\r\n\x1a\n"},
        code=0,
        present=("output/2024/01/story/index.html", "output/2024/01/story/photo.png"),
    ),
    'date: missing': Case(
        {P: post("title: T")},
        code=1,
        messages=(
            "content/posts/x.md:2:1: error: 'date' is missing; add a line like 'date: 2024-10-14 09:30'",
        ),
    ),
    'date: garbage': Case(
        {P: post("title: T\ndate: soon")},
        code=1,
        messages=(
            "content/posts/x.md:3:7: error: 'date' is not a date: 'soon'; write it as 2024-10-14, 2024-10-14 09:30 or 2024-10-14T09:30:00+02:00",
        ),
    ),
    'date: month 13': Case(
        {P: post("title: T\ndate: 2024-13-01")},
        code=1,
        messages=(
            "content/posts/x.md:3:7: error: 'date' is not a real date: '2024-13-01' (month must be in 1..12)",
        ),
    ),
    'date: feb 30': Case(
        {P: post("title: T\ndate: 2024-02-30")},
        code=1,
        messages=(
            "content/posts/x.md:3:7: error: 'date' is not a real date: '2024-02-30' (day is out of range for month)",
        ),
    ),
    'date: year 0': Case(
        {P: post("title: T\ndate: 0000-01-01")},
        code=1,
        messages=(
            "content/posts/x.md:3:7: error: 'date' is not a real date: '0000-01-01' (year 0 is out of range)",
        ),
    ),
    'date: year 9999': Case(
        {P: post("title: T\ndate: 9999-12-31T23:59:59+00:00")},
        code=0,
        absent=(PAGE,),
    ),
    'date: offset +14': Case(
        {P: post("title: T\ndate: 2024-01-02T00:00:00+14:00")},
        code=0,
        present=("output/2024/01/x/index.html",),
    ),
    'date: offset +25:00': Case(
        {P: post("title: T\ndate: 2024-01-02T00:00:00+25:00")},
        code=1,
        messages=(
            "content/posts/x.md:3:7: error: 'date' has an offset or a moment out of range: '2024-01-02T00:00:00+25:00'; offsets go from -23:59 to +23:59",
        ),
    ),
    'date: year 1 ahead of utc': Case(
        {P: post("title: T\ndate: 0001-01-01T00:00:00+05:00")},
        code=1,
        messages=(
            "content/posts/x.md:3:7: error: 'date' has an offset or a moment out of range: '0001-01-01T00:00:00+05:00'; offsets go from -23:59 to +23:59",
        ),
    ),
    'date: rfc 2822': Case(
        {P: post("title: T\ndate: Tue, 02 Jan 2024 10:00:00 +0800")},
        code=0,
        present=(PAGE,),
    ),
    'date: nonexistent local time': Case(
        {"site.yaml": "timezone: Europe/Paris\n", P: post("title: T\ndate: 2024-03-31 02:30")},
        code=0,
        present=("output/2024/03/x/index.html",),
    ),
    'date: jekyll file name': Case(
        {"content/posts/2024-01-02-jekyll.md": post("title: T")},
        code=0,
        present=("output/2024/01/jekyll/index.html",),
    ),
    'date: jekyll invalid name date': Case(
        {"content/posts/2024-02-31-bad.md": post("title: T")},
        code=1,
        messages=(
            "content/posts/2024-02-31-bad.md:2:1: error: 'date' is missing, and the file name's date 2024-02-31 is no real date; fix one of them",
        ),
    ),
    'slug: slash': Case(
        {P: post(T + "\nslug: a/b")},
        code=1,
        messages=(
            "content/posts/x.md:4:7: error: 'slug' must be one part of a URL, and '/' cannot stand in one part of a URL; write 'a-b'",
        ),
    ),
    'slug: dot dot': Case(
        {P: post(T + "\nslug: ../../x")},
        code=1,
        messages=(
            "content/posts/x.md:4:7: error: 'slug' must be one part of a URL, and it would name a hidden folder or leave its own; write 'dot-x'",
        ),
    ),
    'slug: dot': Case(
        {P: post(T + "\nslug: .")},
        code=1,
        messages=(
            "content/posts/x.md:4:7: error: 'slug' must be one part of a URL, and it would name a hidden folder or leave its own; write 'dot'",
        ),
    ),
    'slug: spaces': Case(
        {P: post(T + "\nslug: Mon Titre")},
        code=1,
        messages=(
            "content/posts/x.md:4:7: error: 'slug' must be one part of a URL, and ' ' cannot stand in one part of a URL; write 'mon-titre'",
        ),
    ),
    'slug: numeric kept': Case(
        {P: post(T + "\nslug: 010")},
        code=0,
        present=("output/2024/01/010/index.html",),
    ),
    'slug: empty': Case(
        {P: post(T + "\nslug: ''")},
        code=1,
        messages=(
            "content/posts/x.md:4:7: error: 'slug' is empty; remove it or give a name",
        ),
    ),
    'slug: chinese': Case(
        {P: post(T + "\nslug: 人工智能")},
        code=0,
        present=("output/2024/01/人工智能/index.html",),
    ),
    'slug: file name only symbols': Case(
        {"content/posts/###.md": post(T)},
        code=0,
    ),
    'url: base_url javascript': Case(
        {"site.yaml": "base_url: javascript:alert(1)\n"},
        code=1,
        messages=(
            "site.yaml:1:11: error: 'base_url' must be an absolute http(s) URL, like https://example.org/",
        ),
    ),
    'url: permalink without slug': Case(
        {"site.yaml": "permalink: /{year}/\n"},
        code=1,
        messages=(
            'site.yaml:1:12: error: the permalink must contain {slug}, or two posts of one day would share a URL',
        ),
    ),
    'feed: control chars in every field': Case(
        {P: post('title: "T\\x1b"\ndate: 2024-01-02\ntags: ["a\\x0cb"]\nauthor: "A\\x08"\nsummary: "S\\x00"\nsource: {name: "N\\x1b", url: "https://x.org/a"}', "B\x1b\n")},
        code=0,
        messages=(
            'content/posts/x.md:9:2: warning: this file holds a character that HTML and XML cannot carry (U+001B ESCAPE), dropped from the site; the first is here (pasted from a terminal?)',
            'content/posts/x.md:2:8: warning: this value holds a character that HTML and XML cannot carry (U+001B ESCAPE), dropped from the site',
            'content/posts/x.md:4:8: warning: this value holds a character that HTML and XML cannot carry (U+000C FORM FEED), dropped from the site',
            'content/posts/x.md:5:9: warning: this value holds a character that HTML and XML cannot carry (U+0008 BACKSPACE), dropped from the site',
            'content/posts/x.md:6:10: warning: this value holds a character that HTML and XML cannot carry (U+0000 NULL), dropped from the site',
            'content/posts/x.md:7:16: warning: this value holds a character that HTML and XML cannot carry (U+001B ESCAPE), dropped from the site',
        ),
        present=("output/tags/ab/feed.xml", "output/sources/n/index.html"),
    ),
    'feed: cdata end in body': Case(
        {P: post(T, "a ]]> b\n\n```\n]]>\n```\n")},
        code=0,
        present=("output/feed.xml",),
    ),
    'feed: title with ampersands and quotes': Case(
        {P: post("title: 'AT&T \"<b>\" & O''Reilly'\ndate: 2024-01-02")},
        code=0,
        contains={"output/feed.xml": "AT&amp;T"},
    ),
    'feed: site title with markup': Case(
        {"site.yaml": "title: '<script>x</script> & Co'\n", P: post(T)},
        code=0,
        lacks={PAGE: "<script>x</script>", "output/feed.xml": "<script>x"},
    ),
    'feed: summary with html': Case(
        {P: post(T + "\nsummary: '<script>alert(1)</script>**bold**'")},
        code=0,
        lacks={PAGE: "<script>alert(1)", "output/index.html": "<script>alert(1)"}, contains={"output/index.html": "<strong>bold</strong>"},
    ),
    'cfg: unsafe_html keeps script': Case(
        {"site.yaml": "unsafe_html: true\n", P: post(T, "<script>var ok = 1;</script>\n")},
        code=0,
        contains={PAGE: "<script>var ok = 1;</script>"},
    ),
    'cfg: unknown setting': Case(
        {"site.yaml": "titel: X\n"},
        code=1,
        messages=(
            "site.yaml:1:8: error: unknown setting 'titel'; known settings: title, description, base_url, language, timezone, author, theme, per_page, permalink, feed_size, typography, unsafe_html, emoji, relative_urls, redirects_file, cname, search, social_cards, extra",
        ),
    ),
    'cfg: bad timezone': Case(
        {"site.yaml": "timezone: Mars/Olympus\n"},
        code=1,
        messages=(
            "site.yaml:1:11: error: unknown timezone 'Mars/Olympus'; use a name like Europe/Paris or UTC",
        ),
    ),
    'cfg: site.yaml not a mapping': Case(
        {"site.yaml": "- a\n"},
        code=1,
        messages=(
            "site.yaml:1:1: error: site.yaml must be a mapping of 'key: value' lines",
        ),
    ),
    'cfg: site.yaml binary': Case(
        {"site.yaml": b"\xff\xfe\x00"},
        code=1,
        messages=(
            "site.yaml:1:1: error: not valid UTF-8 (byte 0xff); save the file as UTF-8 (in most editors: 'Save with encoding')",
        ),
    ),
}
# fmt: on


def _check_published(output: Path) -> None:
    """Every feed parses strictly, and no file carries a character XML cannot."""
    for path in output.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            assert not FORBIDDEN.search(path.read_text(encoding="utf-8")), path
        if path.suffix == ".xml":
            etree.fromstring(path.read_bytes(), etree.XMLParser(recover=False, resolve_entities=False))
        if path.suffix == ".json":
            json.loads(path.read_bytes())


def test_there_are_at_least_eighty_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("name", CASES)
def test_hostile_site(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    site = write_tree(tmp_path / "site", {"content/posts/good.md": GOOD})
    monkeypatch.chdir(site)
    if case.code:  # a failing build must leave the previous one's output as it was
        assert gazette("build", "--now", NOW).code == 0
    before = snapshot(site / "output") if case.code else {}
    write_tree(site, case.files)
    run = gazette("build", "--now", NOW)
    assert "Traceback" not in run.err
    assert run.code == case.code, run.err
    assert tuple(line for line in run.err.splitlines() if HEAD.match(line)) == case.messages
    if case.code:
        assert run.err.endswith("output/ was left as it was.\n")
        assert snapshot(site / "output") == before
        return
    _check_published(site / "output")
    for path in case.present:
        assert (site / path).is_file(), path
    for path in case.absent:
        assert not (site / path).exists(), path
    for path, text in case.contains.items():
        assert text in (site / path).read_text(encoding="utf-8"), path
    for path, text in case.lacks.items():
        assert text not in (site / path).read_text(encoding="utf-8"), path
