"""Script payloads in every field a writer fills must stay text: real Chromium, JavaScript on (issue 8).

A site whose titles, tags, sources, authors, summaries and bodies carry XSS payloads is built with default
settings; every page of output/ is opened over http with a dialog handler, every `javascript:` link found
is clicked, and the DOM is searched for live markup: `on*` attributes, `javascript:` URLs, scripts other
than the JSON-LD block, objects, embeds, `<base>`, meta refresh. Each payload calls alert() with its own
number, so a dialog names the payload that ran. The feeds get the same search with lxml.html.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from playwright.sync_api import Browser, Dialog, Page, Route

from tests.conftest import NOW, gazette, serve_folder, write_tree

CODE_PAYLOAD = "<script>alert(1)</script>"
BODY = f"""
Paragraph before the payloads.

<script>alert(30)</script>

<img src=x onerror=alert(31)>

<a href="javascript:alert(32)">raw javascript link</a>

[markdown javascript link](javascript:alert(33)) and [mixed case](JaVaScRiPt:alert(34))

<svg onload=alert(35)><circle r="1"/></svg>

<iframe src="javascript:alert(36)"></iframe>

"><script>alert(37)</script>

<math><mtext><table><mglyph><style><img src=x onerror=alert(38)></style></mglyph></table></mtext></math>

<style>@import "javascript:alert(39)";</style><img src=x onerror=alert(39)>

<a href="data:text/html,<script>alert(40)</script>">data link</a>
[data markdown](data:text/html;base64,PHNjcmlwdD5hbGVydCg0MSk8L3NjcmlwdD4=)

<object data="javascript:alert(42)"></object>

<embed src="javascript:alert(43)">

<form action="javascript:alert(44)"><button formaction="javascript:alert(44)">go</button></form>

<meta http-equiv="refresh" content="0;url=javascript:alert(45)">

<base href="javascript:alert(46)//">

<a href="&#106;avascript:alert(47)">entity link</a> [entity markdown](&#106;avascript:alert(48))
<a href="jav&#x09;ascript:alert(49)">tab link</a>

<details open ontoggle=alert(50)><summary>s</summary></details>

<input autofocus onfocus=alert(51)>

<video><source onerror=alert(52)></video>

<noscript><p title="</noscript><img src=x onerror=alert(53)>"></p></noscript>

![image](javascript:alert(54))

<iframe srcdoc="<script>alert(55)</script>"></iframe>

<p style="background:url(javascript:alert(56))" onmouseover=alert(56)>hover</p>

Inline code stays text: `<img src=x onerror=alert(1)>`.

```html
{CODE_PAYLOAD}
```
"""
SITE: dict[str, str | bytes] = {
    "site.yaml": (
        'title: "</title><script>alert(20)</script>"\n'
        "description: '\"><svg onload=alert(21)>'\n"
        'author: "<img src=x onerror=alert(22)>"\n'
        "base_url: https://example.org/blog/\n"
    ),
    "content/posts/first.md": """---
title: "<script>alert(2)</script> \\"><script>alert(3)</script>"
date: 2024-10-14T09:30:00+02:00
tags: ["<img src=x onerror=alert(4)>", "\\"><svg onload=alert(5)>", "</script><script>alert(6)</script>"]
source:
  name: "</script><script>alert(7)</script>"
  url: "https://example.com/\\"><script>alert(8)</script>?q='onmouseover=alert(8)"
  feed: "https://example.com/feed?<svg onload=alert(9)>"
  lang: "\\"><script>alert(10)</script>"
author: "<iframe src=\\"javascript:alert(11)\\"></iframe>"
summary: "<img src=x onerror=alert(12)> [x](javascript:alert(12))"
lang: "en\\"><script>alert(13)</script>"
---
"""
    + BODY,
    "content/posts/second.md": """---
title: "</script><script>alert(14)</script>"
date: 2024-10-15
tags: ["<math><style><img src=x onerror=alert(15)></style></math>", "javascript:alert(16)"]
source: "javascript:alert(17)"
author: ["<svg onload=alert(18)>", {name: "\\"><script>alert(19)</script>"}]
---
"""
    + BODY,
    "content/pages/about.md": '---\ntitle: "<base href=\\"javascript:alert(23)//\\">"\n---\n' + BODY,
}
# Attributes whose value is a URL (or, for srcdoc, a whole document): none may run script.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
# Elements that run or redirect whatever their attributes. An <iframe> may stay (video embeds): its src and
# srcdoc are checked like every URL attribute.
LIVE_ELEMENTS = ("script", "object", "embed", "base", "meta")
THEME_SCRIPT = re.compile(r"/static/search\.[0-9a-f]{10}\.js$")  # the search page's own script, its name hashed
SCRIPT_URL = re.compile(r"^(javascript|vbscript|data:text/html)", re.IGNORECASE)
FIND_LIVE_MARKUP = """([urlAttributes]) => {
    const found = [];
    for (const el of document.querySelectorAll("*")) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
            if (name.startsWith("on") || name === "srcdoc") found.push(`<${el.localName} ${attr.name}>`);
            if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text\\/html)/.test(value))
                found.push(`<${el.localName} ${attr.name}="${attr.value}">`);
            if (name === "content" && value.includes("url=javascript")) found.push(`<${el.localName} content>`);
        }
    }
    const theme = new RegExp("/static/search[.][0-9a-f]{10}[.]js$");  // THEME_SCRIPT: the search page's own script
    const live = 'script:not([type="application/ld+json"]), object, embed, base, meta[http-equiv]';
    for (const el of document.querySelectorAll(live)) {
        const ours = el.localName === "script" && theme.test(el.getAttribute("src") || "") && !el.textContent;
        if (!ours) found.push(`<${el.localName}> element`);
    }
    for (const el of document.querySelectorAll('script[type="application/ld+json"]')) {
        try { JSON.parse(el.textContent); } catch (e) { found.push(`JSON-LD broken: ${el.textContent.slice(0, 80)}`); }
    }
    return found;
}"""


# Click, in the page itself, every link whose href is a javascript: URL (there should be none).
CLICK_SCRIPT_LINKS = """() => {
    const links = [...document.querySelectorAll("a[href]")].filter(
        a => a.getAttribute("href").replace(/[\\u0000-\\u0020]/g, "").toLowerCase().startsWith("javascript:"));
    links.forEach(a => a.click());
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the payload site with default settings; give its output folder."""
    root = write_tree(tmp_path_factory.mktemp("xss") / "site", SITE)
    run = gazette("build", "--site", root, "--now", NOW)
    assert run.code == 0, run.err
    return root / "output"


@pytest.fixture(scope="module")
def site_root(hostile_site: Path) -> Iterator[str]:
    """Serve output/ under /blog/, as base_url says."""
    with serve_folder(hostile_site.parent) as root:
        (hostile_site.parent / "blog").symlink_to(hostile_site)
        yield root + "blog/"


def _pages(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))


def _open(page: Page, url: str) -> list[str]:
    """Open a page, click each of its javascript: links; give the live markup found in its DOM."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    page.wait_for_timeout(50)  # autofocus, toggle and load handlers fire just after load
    found: list[str] = page.evaluate(FIND_LIVE_MARKUP, [sorted(URL_ATTRIBUTES)])
    page.evaluate(CLICK_SCRIPT_LINKS)
    page.wait_for_timeout(50)
    return found


def test_no_payload_runs_in_chromium(browser: Browser, hostile_site: Path, site_root: str) -> None:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(f"{page.url}: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def offline(route: Route) -> None:
        if route.request.url.startswith(site_root):
            route.continue_()
        else:
            route.abort()

    page.on("dialog", record)
    page.route("**/*", offline)
    live = {name: _open(page, site_root + name) for name in _pages(hostile_site)}
    context.close()
    assert dialogs == []
    assert {name: found for name, found in live.items() if found} == {}


def test_code_shows_payloads_as_text(browser: Browser, site_root: str) -> None:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(site_root + "2024/10/first/")
    block = page.locator("pre").filter(has_text=CODE_PAYLOAD)
    assert block.count() == 1 and block.is_visible()
    assert page.locator("p code", has_text="<img src=x onerror=alert(1)>").count() == 1
    context.close()


def is_theme_script(element: lxml.html.HtmlElement) -> bool:
    """Tell the search page's script, which the theme ships, from a script a story smuggled in."""
    return element.tag == "script" and THEME_SCRIPT.search(element.get("src", "")) and not element.text


def live_markup(html: str) -> list[str]:
    """List the live markup of HTML (a page or a fragment): scripts, objects, on* attributes, script URLs."""
    if not html.strip():
        return []
    found = []
    for element in lxml.html.document_fromstring(html).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in LIVE_ELEMENTS and not (
            element.get("type") == "application/ld+json"
            or is_theme_script(element)
            or (element.tag == "meta" and "http-equiv" not in element.attrib)
        ):
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() == "srcdoc":
                found.append(f"<{element.tag} {name}>")
            elif name.lower() in URL_ATTRIBUTES and SCRIPT_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                found.append(f'<{element.tag} {name}="{value}">')
    return found


def _feed_html(path: Path) -> Iterator[str]:
    """Give every HTML fragment a feed carries: RSS description and content, Atom content and summary, JSON."""
    if path.suffix == ".json":
        for item in json.loads(path.read_bytes())["items"]:
            yield item.get("content_html", "")
        return
    root = lxml.etree.fromstring(path.read_bytes())
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    atom = "{http://www.w3.org/2005/Atom}"
    for element in root.iter(content, "description", f"{atom}content", f"{atom}summary"):
        yield element.text or ""


def test_feeds_carry_no_live_markup(hostile_site: Path) -> None:
    feeds = [p for name in ("feed.xml", "atom.xml", "feed.json") for p in hostile_site.rglob(name)]
    assert len(feeds) >= 3
    found = {
        f"{path.relative_to(hostile_site)}: {markup}"
        for path in feeds
        for fragment in _feed_html(path)
        for markup in live_markup(fragment)
    }
    assert sorted(found) == []


def test_live_markup_is_found() -> None:
    """The feed check can fail: each kind of live markup is named."""
    assert live_markup('<p onclick="x">a</p><a href=" java\tscript:x">b</a><script>x</script>') == [
        "<p onclick>",
        '<a href=" java\tscript:x">',
        "<script>",
    ]


@pytest.mark.parametrize(
    "source",
    [
        'source:\n  name: X\n  url: "javascript:alert(1)"',
        'source:\n  name: X\n  url: https://example.com/\n  feed: "javascript:alert(1)"',
        'source: "JavaScript:alert(1)"',
        'source: "data:text/html,<script>alert(1)</script>"',
    ],
)
def test_script_source_urls_are_rejected_or_neutralized(
    make_site: Callable[[dict[str, str | bytes]], Path], source: str
) -> None:
    site = make_site({"content/posts/a.md": f"---\ntitle: A\ndate: 2024-10-14\n{source}\n---\n\nText.\n"})
    run = gazette("build", "--site", site, "--now", NOW)
    if run.code == 1:
        assert re.search(r"content/posts/a\.md:\d+:\d+: error: ", run.err.splitlines()[0]), run.err
        assert not (site / "output").exists()
        return
    assert run.code == 0, run.err
    for path in (site / "output").rglob("*.html"):
        assert live_markup(path.read_text(encoding="utf-8")) == [], path
