"""Property tests: whole sites built from generated hostile-but-plausible input (issue 8).

Every build must end with status 0 or 1 and never a traceback, within a bounded time; on status 1 every
error is located (`path:line:col: error: `) and output/ is left exactly as it was; on status 0 every feed
parses strictly (lxml without recovery, JSON) and nothing is written outside output/ and .gazette-cache/.
Sites made only of valid input (all text quoted, real dates, known settings) must build (status 0),
however odd the text: control characters, U+FFFE, RTL marks, tag spellings that share a URL; lone
surrogates (YAML escapes) come only in the sites that may be refused. Every line of stderr is a
located diagnostic, the quoted line under it, or the closing summary.

Each build runs in a forked child, killed past BUILD_SECONDS, so a hang fails the test instead of
hanging the run. Hypothesis runs derandomized with a fixed number of examples: CI sees the same sites.
To search harder: GAZETTE_PROPERTY_EXAMPLES=200 (examples per test) and GAZETTE_PROPERTY_SHRINK=1 (reduce
a failing site to a small one, which can take minutes).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import selectors
import signal
import tempfile
import time
import traceback
from pathlib import Path

import lxml.etree
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW, Run, gazette, snapshot, write_tree

BUILD_SECONDS = 20.0
ERROR_LINE = re.compile(r"^\S+:\d+:\d+: error: ")
DIAGNOSTIC_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning): |^    |^Build failed: |^$")
SEED = {"output/CNAME": "news.example.org\n", "output/index.html": "<!doctype html><title>old</title>\n"}
EXAMPLES = settings(
    max_examples=int(os.environ.get("GAZETTE_PROPERTY_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    database=None,
    # Shrinking a failing site can take minutes: on only when asked (GAZETTE_PROPERTY_SHRINK=1).
    phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if os.environ.get("GAZETTE_PROPERTY_SHRINK") else [])],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces of text that break naive code: YAML specials, markup, controls, surrogates, bidi, emoji, CJK.
ATOMS = (
    *("NO", "on", "yes", "2024-03-05", "010", "0x1F", "1e3", "~", "null", "@x", "`x", "*alias", "&anchor"),
    *("!!python/object:os.system", "%YAML 1.1", "- x", "? x", "a: b", " #c", "{a: b}", "[a]", "|", ">"),
    *("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</script>", "]]>", "<![CDATA[", "&amp;"),
    *("&#0;", "&#x1b;", "'", '"', "\\", "{{ x }}", "{% raw %}", "%s", "../", "/", "?", "#", "C++", "C#", ".NET"),
    *("\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\ud800", "\udfff"),
    *("\ufffe", "\uffff", "\ufeff", "\u200b", "\u200e", "\u200f", "\u202e", "\u2028", "\u2029", "\t", "\r\n"),
    *("😀", "👩🏽‍💻", "🇫🇷", "微软", "中国", "한국어", "العربية", "עברית", "Sécurité", "e\u0301", "ﬁ", "İ", "ß"),
)
TAG_VARIANTS = ("End of Life", "End-of-Life", "end of life", "END_OF_LIFE", "end.of.life", "Sécurité", "securite")
PLAIN_SCALARS = ("NO", "on", "2024-03-05", "010", "~", "null", "@x", "*alias", "!!python/object", "a: b", "[x")
URLS = (
    "https://www.ithome.com/0/800/000.htm",
    "https://example.com/a?b=<script>&c=\"'`",
    "http://例え.jp/ニュース/記事?q=中国#frag",
    "https://example.com/%E2%80%AE/%00/..%2F..%2Fetc",
    "https://user:pass@example.com:8443/x y/",
)
RAW_HTML = (
    '<div onclick="alert(1)"><p>div</p></div>',
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<table><tr><td>unclosed",
    "</div></div></section>",
    "<!-- comment --> <!-- unclosed",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<img src="photo.jpg" srcset="a.png 1x, /b.png 2x">',
)
ENTITIES = "&#0; &#x1b; &#xD800; &#xDFFF; &#xFFFE; &#x110000; &#1114112; &#128512; &nbsp; &bogus; &amp &"

ZONES = ("UTC", "Europe/Paris", "Asia/Shanghai", "Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu")
OFFSETS = tuple(dt.timezone(dt.timedelta(minutes=m)) for m in (0, 60, -720, 840, 345, -210))
PERMALINKS = ("/{year}/{month}/{slug}/", "/{slug}/", "/{year}/{month}/{day}/{slug}/", "/news/{year}/{slug}/")
BASE_URLS = (
    "https://example.org/",
    "https://example.org/blog/",
    "http://localhost:8000/a/b/",
    "https://例え.jp/ニュース/",
    "https://example.org/a%20b/",
    "https://example.org:8443/x",
)
BAD_DATES = (
    "2024-10-14T09:30:00+25:00",
    "0001-01-01",
    "9999-12-31T23:59:59-14:00",
    "2024-02-30",
    "2024-13-01",
    "24:00",
    "yesterday",
    "1e9",
)
BAD_SETTINGS = ("language: xx-YY", "timezone: Mars/Olympus", "permalink: /{slug}", "feed_size: 0", "colour: red")
BAD_IPV6 = "https://[::1/x"  # urlsplit raises ValueError on it
BAD_SLUGS = ("../../../evil", "/etc/passwd", "..", "%2e%2e", "con", "a/b", "\x00")


# ---- YAML writing ------------------------------------------------------------------------------------


def _escape(ch: str) -> str:
    """Write one character inside a YAML double-quoted scalar: printable ones as they are, others escaped."""
    code = ord(ch)
    if ch in '"\\':
        return "\\" + ch
    if ch == " " or (ch.isprintable() and code not in (0xFEFF, 0x2028, 0x2029) and not 0xD800 <= code <= 0xDFFF):
        return ch
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quoted(text: str) -> str:
    """Write text as a YAML double-quoted scalar that reads back as exactly that text."""
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def scalar(text: str, raw: bool) -> str:
    """Write text quoted, or (raw) as the writer typed it on one line, which may well be a YAML error."""
    return " ".join(text.splitlines()) if raw else quoted(text)


def _no_surrogates(text: str) -> str:
    """Drop what a UTF-8 file cannot hold (a lone surrogate can only be written as a YAML escape)."""
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


# ---- strategies ----------------------------------------------------------------------------------------

hostile = st.lists(
    st.one_of(st.sampled_from(ATOMS), st.text(st.characters(exclude_categories=()), max_size=6)),
    min_size=1,
    max_size=4,
).map("".join)
# Text that must be accepted: some visible word besides whatever hostile characters come with it. A lone
# surrogate can be written (as a YAML escape) but is no text: only the raw sites carry them.
named_any = st.builds(lambda text, word: f"{text} {word}", hostile, st.sampled_from(("Azure", "IA", "x", "微软", "Ü")))
named = named_any.map(_no_surrogates)
tag = st.one_of(st.sampled_from(TAG_VARIANTS), named)
# A slug is one part of a URL, used as written: letters of any script, digits, -._~!$&'()*+,;=:@.
slug = st.builds(
    lambda first, rest: first + rest,
    st.characters(categories=["L"]),
    st.text(st.one_of(st.characters(categories=["L", "Nd"]), st.sampled_from("-._~!$&'()*+,;=:@")), max_size=12),
)


def text_field(raw: bool) -> st.SearchStrategy[str]:
    """A YAML value for a text field: hostile text quoted, or (raw) hostile or YAML-special text as typed."""
    if not raw:
        return named.map(quoted)
    return st.one_of(named_any.map(quoted), st.sampled_from(PLAIN_SCALARS), hostile.map(_no_surrogates))


@st.composite
def dates(draw: st.DrawFn, raw: bool) -> str:
    """A post date in one of the accepted spellings (naive, zoned, RFC 2822, slashes); raw adds bad ones."""
    if raw and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(BAD_DATES))
    moment = draw(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2025, 12, 1)))
    zoned = moment.replace(microsecond=0, tzinfo=draw(st.sampled_from(OFFSETS)))
    spellings = (
        f"{moment:%Y-%m-%d}",
        f"{moment:%Y-%m-%d %H:%M}",
        f"{moment:%Y/%m/%d}",
        zoned.isoformat(),
        quoted(email.utils.format_datetime(zoned)),
    )
    return draw(st.sampled_from(spellings))


def _list(items: list[str]) -> str:
    """Write a YAML block list of already-written scalars."""
    return "".join(f"\n  - {item}" for item in items)


@st.composite
def sources(draw: st.DrawFn, raw: bool) -> str:
    """The `source:` value: a mapping with name, url, lang and feed, a list of them, a name or a URL."""
    name, url = draw(text_field(raw)), draw(st.sampled_from(URLS))
    if raw and draw(st.booleans()):
        url = draw(
            st.sampled_from(("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//x", "", BAD_IPV6))
        )
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return name
    if shape == 1:
        return quoted(url)
    lang = draw(st.sampled_from(("zh", "fr", quoted("<b>"))))
    keys = [f"name: {name}", f"url: {quoted(url)}", f"lang: {lang}"]
    if draw(st.booleans()):
        keys.append(f"feed: {quoted(draw(st.sampled_from(URLS)))}")
    if shape == 2:
        return "".join(f"\n  {key}" for key in keys)
    return "\n  - " + "\n    ".join(keys)


@st.composite
def nested(draw: st.DrawFn) -> str:
    """A list or quote nested a few levels deep, with text at each level."""
    depth = draw(st.integers(1, 8))
    words = [_no_surrogates(draw(hostile)) for _ in range(depth)]
    if draw(st.booleans()):
        return "\n".join("    " * i + f"- {' '.join(w.split())}" for i, w in enumerate(words))
    return "\n".join(">" * (i + 1) + f" {' '.join(w.split())}" for i, w in enumerate(words))


@st.composite
def block(draw: st.DrawFn) -> str:
    """One block of a markdown story: heading, paragraph, list, quote, code, raw HTML, table, footnote."""
    text = " ".join(_no_surrogates(draw(hostile)).split()) or "x"
    kind = draw(st.integers(0, 10))
    fence = "```" + draw(st.sampled_from(("", "python", "html", "no-such-language")))
    return (
        f"{'#' * draw(st.integers(1, 6))} {text}",
        f"Para {text} **{text}** [link {text}]({draw(st.sampled_from(URLS))}) ![{text}](photo.jpg) `{text}`",
        draw(nested()),
        f"{fence}\n{_no_surrogates(draw(hostile))}\n<script>alert(1)</script>\n```",
        draw(st.sampled_from(RAW_HTML)),
        f"| a | {text} |\n|---|---|\n| {text} | [x](/abs/{text}) |",
        f"Note{text}[^n]\n\n[^n]: {text}",
        f"Entities: {ENTITIES}",
        "<!-- more -->",
        f"[ref]: {draw(st.sampled_from(URLS))}\n\nA [ref] link and <{draw(st.sampled_from(URLS))}>.",
        f"A broken link [x]({BAD_IPV6}) and <a href='http://[zz'>raw</a>.",
    )[kind]


bodies = st.lists(block(), max_size=6).map("\n\n".join)
IMAGE_URLS = (
    "https://images.example.net/a.jpg",
    "https://cdn.example.org/p?w=1200&q=%C3%A9",
    "http://example.com/x y.png",
)


@st.composite
def post(draw: st.DrawFn, raw: bool, tags: st.SearchStrategy[list[str]], number: int) -> str:
    """A whole post file: front matter with every known key (some left out), then a markdown body."""
    lines = ["---", f"title: {draw(text_field(raw))}", f"date: {draw(dates(raw))}"]
    optional = {
        "tags": lambda: _list([quoted(t) for t in draw(tags)]),
        "source": lambda: draw(sources(raw)),
        "author": lambda: _list([draw(text_field(raw)) for _ in range(draw(st.integers(1, 3)))]),
        "summary": lambda: draw(text_field(raw)),
        "updated": lambda: draw(dates(raw)),
        "lang": lambda: draw(st.sampled_from(("fr", "en", "zh", "ar", quoted("<x>")))),
        "slug": lambda: quoted(draw(st.sampled_from(BAD_SLUGS)) if raw else f"{draw(slug)}-{number}"),
        # A picture a valid site may name (a file of the site would have to be there): a web address.
        "image": lambda: (
            draw(text_field(raw))
            if raw
            else f"{quoted(draw(st.sampled_from(IMAGE_URLS)))}\nimage_alt: {draw(text_field(raw))}"
        ),
    }
    for key, value in optional.items():
        if draw(st.booleans()):
            lines.append(f"{key}: {value()}")
    body = draw(bodies)
    if raw and draw(st.booleans()):
        body += "\n\n" + _no_surrogates(draw(hostile))  # raw control characters right in the file
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


@st.composite
def site_yaml(draw: st.DrawFn, raw: bool) -> str:
    """A site.yaml setting most keys; raw adds settings that are errors."""
    lines = [
        f"title: {draw(text_field(raw))}",
        f"description: {draw(text_field(raw))}",
        f"base_url: {quoted(draw(st.sampled_from(BASE_URLS)))}",
        f"language: {draw(st.sampled_from(('fr', 'en', 'zh', 'zh-TW', 'pt-BR')))}",
        f"timezone: {draw(st.sampled_from(ZONES))}",
        f"permalink: {quoted(draw(st.sampled_from(PERMALINKS)))}",
        f"feed_size: {draw(st.integers(1, 25))}",
        f"per_page: {draw(st.integers(1, 5))}",
        f"author: {draw(text_field(raw))}",
    ]
    if draw(st.booleans()):
        lines.append(f"typography: {draw(st.sampled_from(('true', 'false')))}")
    if raw and draw(st.booleans()):
        lines.append(draw(st.sampled_from(BAD_SETTINGS)))
    return "\n".join(lines) + "\n"


few_tags = st.lists(tag, max_size=5)
many_tags = st.lists(tag, min_size=60, max_size=150)


@st.composite
def sites(draw: st.DrawFn, raw: bool, tags: st.SearchStrategy[list[str]] = few_tags, most: int = 4) -> dict[str, str]:
    """A whole site: site.yaml, posts (every one with its own file name) and maybe a page."""
    files = {"site.yaml": draw(site_yaml(raw))}
    for n in range(draw(st.integers(1, most))):
        files[f"content/posts/post-{n}.md"] = draw(post(raw, tags, n))
    if draw(st.booleans()):
        files["content/pages/about.md"] = f"---\ntitle: {draw(text_field(raw))}\n---\n\n{draw(bodies)}\n"
    return files


# ---- running and checking a build ----------------------------------------------------------------------


def bounded_build(site: Path) -> tuple[Run | None, float]:
    """Build in a forked child; give its Run (code None: it raised, err: the traceback) and the seconds taken.

    Run is None when the build took longer than BUILD_SECONDS: the child (and its workers) are killed.
    """
    read, write = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: build, send the result, exit without running the parent's cleanup
        os.setpgid(0, 0)
        os.close(read)
        try:
            run = gazette("build", "--site", site, "--now", NOW)
            payload = {"code": run.code, "out": run.out, "err": run.err}
        except BaseException:
            payload = {"code": None, "out": "", "err": traceback.format_exc()}
        with os.fdopen(write, "w", encoding="utf-8") as pipe:
            json.dump(payload, pipe)
        os._exit(0)
    os.close(write)
    received, finished = b"", False
    with selectors.DefaultSelector() as selector:
        selector.register(read, selectors.EVENT_READ)
        while not finished and (left := start + BUILD_SECONDS - time.monotonic()) > 0:
            if selector.select(left):
                chunk = os.read(read, 1 << 16)
                received += chunk
                finished = not chunk
    seconds = time.monotonic() - start
    os.close(read)
    if not finished:
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return None, seconds
    os.waitpid(pid, 0)
    payload = json.loads(received)
    return Run(payload["code"], payload["out"], payload["err"]), seconds


def _no_surrogate_in(value: object) -> bool:
    """Tell whether parsed JSON holds no lone surrogate (json accepts "\\ud800"; no reader can show it)."""
    if isinstance(value, str):
        return not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if isinstance(value, dict):
        return all(_no_surrogate_in(k) and _no_surrogate_in(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_no_surrogate_in(v) for v in value)
    return True


def check_feeds(output: Path) -> None:
    """Parse every feed strictly: RSS and Atom with lxml (no recovery), JSON Feed as UTF-8 JSON."""
    for path in [*output.rglob("feed.xml"), *output.rglob("atom.xml")]:
        try:
            lxml.etree.fromstring(path.read_bytes())
        except lxml.etree.XMLSyntaxError as error:
            raise AssertionError(f"{path.relative_to(output)} is not well-formed XML: {error}") from None
    for path in output.rglob("feed.json"):
        feed = json.loads(path.read_bytes().decode("utf-8"))
        assert _no_surrogate_in(feed), f"{path.relative_to(output)} holds a lone surrogate"
    for path in output.rglob("*.html"):
        path.read_bytes().decode("utf-8")  # every page is UTF-8


def check_build(files: dict[str, str], *, must_build: bool) -> Run:
    """Build the site and check every property; must_build: status 1 is a failure too. Give the run."""
    with tempfile.TemporaryDirectory() as tmp:
        site = write_tree(Path(tmp) / "site", {**files, **SEED})
        before = snapshot(Path(tmp))
        run, seconds = bounded_build(site)
        assert run is not None, f"the build took over {BUILD_SECONDS:.0f} s"
        assert run.code in (0, 1), f"status {run.code}:\n{run.err}"
        assert "Traceback" not in run.err, run.err
        strays = [line for line in run.err.split("\n") if not DIAGNOSTIC_LINE.match(line)]
        assert strays == [], f"stderr lines that are no diagnostic: {strays}\n{run.err}"
        after = snapshot(Path(tmp))
        if run.code == 1:
            assert not must_build, f"valid site rejected:\n{run.err}"
            assert any(ERROR_LINE.match(line) for line in run.err.split("\n")), run.err
            left = {k: v for k, v in after.items() if not k.startswith("site/.gazette-cache/")}
            assert left == before, "output/ changed by a failed build"
            return run
        changed = {k for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
        elsewhere = sorted(k for k in changed if not k.startswith(("site/output/", "site/.gazette-cache/")))
        assert elsewhere == [], f"written outside output/: {elsewhere}"
        assert after["site/output/CNAME"] == before["site/output/CNAME"]
        check_feeds(site / "output")
        assert seconds < BUILD_SECONDS
        return run


@EXAMPLES
@given(sites(raw=False))
def test_valid_hostile_sites_build(files: dict[str, str]) -> None:
    check_build(files, must_build=True)


@EXAMPLES
@given(sites(raw=True))
def test_any_site_builds_or_reports_located_errors(files: dict[str, str]) -> None:
    check_build(files, must_build=False)


@settings(EXAMPLES, max_examples=2)
@given(sites(raw=False, tags=many_tags, most=3))
def test_many_tags_build_in_bounded_time(files: dict[str, str]) -> None:
    check_build(files, must_build=True)


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d\\ude00"])
def test_surrogate_escapes_build_or_are_named(escape: str) -> None:
    """A YAML escape of a lone surrogate (or of a UTF-16 pair, as JSON writers spell emoji) is no missing quote."""
    run = check_build(
        {"content/posts/a.md": f'---\ntitle: "A {escape} B"\ndate: 2024-10-14\n---\n\nText.\n'}, must_build=False
    )
    assert "never closed" not in run.err, run.err


def _post(front: str, body: str = "Text.") -> dict[str, str]:
    """A site of one post with extra front matter lines and a body."""
    return {"content/posts/a.md": f"---\ntitle: A\ndate: 2024-10-14\n{front}\n---\n\n{body}\n"}


def _two(first: str, second: str) -> dict[str, str]:
    """A site of two posts, each with one extra front matter line."""
    return {**_post(first), "content/posts/b.md": f"---\ntitle: B\ndate: 2024-10-15\n{second}\n---\n\nText.\n"}


# Inputs that broke the build once, by hand: (what, files, must it build?). Each takes well under a second.
KNOWN = {
    "control character in title": ({"content/posts/a.md": '---\ntitle: "A\\x01B"\ndate: 2024-10-14\n---\n'}, True),
    "NUL in title": ({"content/posts/a.md": '---\ntitle: "A\\x00"\ndate: 2024-10-14\n---\n'}, True),
    "U+FFFE in title": ({"content/posts/a.md": '---\ntitle: "A\\ufffeB"\ndate: 2024-10-14\n---\n'}, True),
    "control character in tag": (_post('tags: ["a\\x1bb"]'), True),
    "tag of one control character": (_post('tags: ["\\x00"]'), False),
    "control character in author": (_post('author: "a\\x0cb"'), True),
    "control character in source": (_post('source: "a\\x00b"'), True),
    "control character in summary": (_post('summary: "a\\x01"'), True),
    "control characters in body": (_post("", "a\x01b \x1b[31m NUL\x00 \ufffe"), True),
    "control character in link": (_post("", "[x](http://ex.org/a\x01b)"), True),
    "control character in heading": (_post("", "## a\x01b\n\n## 💀\n\n## 💀"), True),
    "control character in footnote": (_post("", "x[^\x01]\n\n[^\x01]: y"), True),
    "control character in site title": ({"site.yaml": 'title: "a\\x01"\n', **_post("")}, True),
    "control character in description": ({"site.yaml": 'description: "a\\x01"\n', **_post("")}, True),
    "control character in site author": ({"site.yaml": 'author: "a\\x01"\n', **_post("")}, True),
    "control character in base_url": ({"site.yaml": 'base_url: "https://ex.org/a\\x01b/"\n', **_post("")}, False),
    "tags that share a URL": (_post('tags: ["End of Life", "End-of-Life"]'), True),
    "tags of two posts that share a URL": (_two("tags: [End of Life]", "tags: [End-of-Life]"), True),
    "sources that share a URL": (_two("source: The Verge", "source: The-Verge"), False),
    "40 tags on one post": (_post(f"tags: [{', '.join(f't{n}' for n in range(40))}]"), True),
    "30 shared tags on two posts": (_two(*[f"tags: [{', '.join(f't{n}' for n in range(30))}]"] * 2), True),
    "offset of 25 hours": (_post("updated: 2024-10-14T09:30:00+25:00"), False),
    "bad IPv6 base_url": ({"site.yaml": f"base_url: {quoted(BAD_IPV6)}\n", **_post("")}, False),
    "bad IPv6 source url": (_post(f"source:\n  name: X\n  url: {quoted(BAD_IPV6)}"), False),
    "bad IPv6 link in body": (_post("", f"[x]({BAD_IPV6}) and <a href='http://[zz'>raw</a>"), True),
    "dates at the ends of time": (
        _two("updated: 9999-12-31T23:59:59-14:00", "updated: 0001-01-01T00:00:00+14:00"),
        False,  # no UTC moment exists for them: a located error
    ),
    "raw control character in front matter": (
        {"content/posts/a.md": "---\ntitle: A\ndate: 2024-10-14\nx: a\x0cb\n---\n"},
        False,
    ),
    "raw control character in site.yaml": ({"site.yaml": "title: ok\ndescription: a\x0cb\n", **_post("")}, False),
    "newline in a value an error quotes": (_post('draft: "a\\nb"'), False),
    "newline in a setting an error quotes": ({"site.yaml": 'timezone: "x\\ny"\n', **_post("")}, False),
    "markup nested 1000 deep": (_post("", "<div>" * 1000 + "x" + "</div>" * 1000), False),
    "quotes nested 200 deep": (_post("", "\n".join(">" * n + " x" for n in range(1, 200))), False),
}


@pytest.mark.parametrize(("files", "must_build"), KNOWN.values(), ids=KNOWN.keys())
def test_known_hostile_input(files: dict[str, str], must_build: bool) -> None:
    check_build(files, must_build=must_build)


def test_a_hanging_build_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The time bound can fail: a build that never ends is killed and reported, not waited for."""
    monkeypatch.setattr("tests.test_properties.BUILD_SECONDS", 0.5)
    monkeypatch.setattr("tests.test_properties.gazette", lambda *args: time.sleep(60))
    with tempfile.TemporaryDirectory() as tmp:
        run, seconds = bounded_build(Path(tmp))
    assert run is None and 0.5 <= seconds < 5


def test_a_raising_build_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tests.test_properties.gazette", lambda *args: 1 / 0)
    with tempfile.TemporaryDirectory() as tmp:
        run, _ = bounded_build(Path(tmp))
    assert run is not None and run.code is None and "ZeroDivisionError" in run.err


def test_a_malformed_feed_is_caught(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tags/x/feed.xml": "<rss>\x01</rss>", "feed.json": '{"a": "\\ud800"}'})
    with pytest.raises(AssertionError, match="not well-formed"):
        check_feeds(tmp_path)
    (tmp_path / "tags/x/feed.xml").unlink()
    with pytest.raises(AssertionError, match="lone surrogate"):
        check_feeds(tmp_path)
