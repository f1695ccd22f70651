"""Differential tests: Gazette renders markdown with the structure GitHub's cmark-gfm gives it.

Each snippet is rendered by both and compared by structure (tests/markdown_structure.py). The snippets
exercise the rules of the GFM spec's sections on lists, list items, autolinks, strikethrough, tables and
task lists (written anew here), then the messy shapes real stories have. DIFFERENCES is the one table of
what Gazette renders otherwise on purpose, each with its reason; its test checks each is still different.
"""

from __future__ import annotations

import time

import pytest

from generator.content.gfm import nest_lists
from generator.content.markup import render_markdown
from tests.markdown_structure import blocks_in_paragraphs, first_difference, gfm_html, signature

LISTS = {
    "bullets dash": "- one\n- two\n- three\n",
    "bullets star": "* one\n* two\n",
    "bullets plus": "+ one\n+ two\n",
    "ordered": "1. one\n2. two\n3. three\n",
    "ordered paren": "1) one\n2) two\n",
    "ordered start 3": "3. three\n4. four\n",
    "ordered start 0": "0. zero\n1. one\n",
    "ordered all ones": "1. a\n1. b\n1. c\n",
    "ordered big number": "123456789. big\n",
    "ten digits is text": "1234567890. not a list\n",
    "nested 2 spaces": "- a\n  - b\n    - c\n",
    "nested 3 spaces": "- a\n   - b\n      - c\n",
    "nested 4 spaces": "- a\n    - b\n        - c\n",
    "nested under ordered 3": "1. a\n   - b\n   - c\n2. d\n",
    "nested under ordered 4": "1. a\n    - b\n2. c\n",
    "under ordered 2 is a new list": "1. a\n  - b\n2. c\n",
    "nested under wide marker": "10. ten\n    - sub\n11. eleven\n",
    "nested ordered in bullets": "- a\n  1. one\n  2. two\n- b\n",
    "back out two levels": "- a\n  - b\n    - c\n- d\n",
    "back out one level": "- a\n  - b\n    - c\n  - d\n",
    "deep nesting": "- 1\n  - 2\n    - 3\n      - 4\n        - 5\n          - 6\n",
    "mixed indent per level": "- a\n  - b\n      - c\n",
    "sibling at 1 space": "- a\n - b\n  - c\n",
    "sibling at 3 spaces": "- a\n   - b\n",
    "loose list": "- a\n\n- b\n\n- c\n",
    "loose nested": "- a\n\n  - b\n\n  - c\n- d\n",
    "item with two paragraphs": "- a\n\n  more a\n- b\n",
    "item paragraph 3 spaces ordered": "1. a\n\n   more a\n2. b\n",
    "item paragraph under-indented": "1. a\n\n  not in a\n",
    "item continuation indented 4": "- a\n\n    more\n",
    "changing bullet starts a list": "- a\n- b\n+ c\n",
    "bullet then ordered": "- a\n- b\n1. c\n",
    "ordered then bullet": "1. a\n- b\n",
    "ordered paren then dot": "1. a\n2) b\n",
    "list after paragraph": "Intro:\n- a\n- b\n",
    "ordered 1 after paragraph": "Steps:\n1. a\n2. b\n",
    "ordered 2 cannot interrupt": "The year was\n1984. A good one.\n",
    "empty item cannot interrupt": "Text\n-\n",
    "list after heading": "## Changes\n- a\n- b\n",
    "lazy continuation": "- a\nlazy\n- b\n",
    "lazy in nested": "- a\n  - b\nlazy\n",
    "lazy ordered": "1. one\ntwo\n",
    "list then paragraph": "- a\n- b\n\nAfter.\n",
    "list ends at heading": "- a\n# Title\n",
    "list ends at quote": "- a\n> q\n",
    "list ends at rule": "- a\n---\n",
    "list ends at fence": "- a\n```\ncode\n```\n",
    "star rule not item": "* * *\n",
    "dash rule in list": "- a\n- - -\n- b\n",
    "indented code in item": "- a\n\n      code\n",
    "two blank lines keep list": "- a\n\n\n- b\n",
    "quote in item": "- a\n  > quoted\n- b\n",
    "heading in item": "- # Heading\n- b\n",
    "marker then 5 spaces": "-     code\n",
    "item is a number text": "- 2024. What a year\n",
    "tab after marker": "-\tone\n-\ttwo\n",
    "tab indented nesting": "- a\n\t- b\n",
    "crlf": "- a\r\n  - b\r\n- c\r\n",
    "numbers with text after paren": "1) Download\n2) Install\n   - on Linux\n   - on macOS\n3) Run\n",
}

CODE = {
    "fence in ordered item": "1. Install:\n   ```bash\n   make\n   ```\n2. Run\n",
    "fence in item after blank": "1. Install:\n\n   ```bash\n   make install\n   ```\n\n2. Run\n",
    "fence in item 4 spaces": "1. Install:\n\n    ```bash\n    make\n    ```\n2. Run\n",
    "fence in bullet 2 spaces": "- a\n\n  ```\n  x\n  ```\n- b\n",
    "fence in nested item": "- a\n  - b\n\n    ```\n    x\n    ```\n",
    "fence in quote": "> ```\n> code\n> ```\n",
    "tilde fence": "~~~python\nx = 1\n~~~\n",
    "fence after paragraph": "Run:\n```\nmake\n```\n",
    "fence with blank lines": "```\na\n\n\nb\n```\n",
    "fence with list-like lines": "```\n- a\n  - b\n1. c\n```\n",
    "longer fence": "````\n```\ninner\n```\n````\n",
    "indented code": "Text\n\n    code line\n    more\n",
    "indented code after list": "- a\n\n\n    code?\n",
    "code span with pipes": "Use `a|b` here.\n",
    "fence then list": "```\nx\n```\n- a\n",
}

INLINE = {
    "bare https": "See https://example.com/x for more.\n",
    "bare http": "See http://example.com.\n",
    "www": "Visit www.example.com today.\n",
    "www trailing dot": "Visit www.example.com.\n",
    "url trailing paren": "(see https://example.com/a)\n",
    "url with parens": "https://en.wikipedia.org/wiki/Foo_(bar)\n",
    "url with query": "https://example.com/search?q=a&b=c.\n",
    "url trailing comma": "https://example.com/a, then more\n",
    "url in angle brackets": "<https://example.com/x>\n",
    "email": "Write to foo@example.com.\n",
    "url in code": "`https://example.com`\n",
    "url inside link": "[https://example.com](https://example.org)\n",
    "link": 'A [link](https://example.com "title").\n',
    "reference link": "A [link][1].\n\n[1]: https://example.com\n",
    "image": "![alt](https://example.com/a.png)\n",
    "strikethrough": "~~old~~ new\n",
    "strikethrough words": "It was ~~not~~ done.\n",
    "strike in list": "- ~~done~~\n- todo\n",
    "tilde alone": "About ~10 items.\n",
    "single tilde strikes": "~~Hi~~ Hello, ~there~ world!\n",
    "single tilde version": "Release ~1.2~ is out.\n",
    "tilde ranges in cjk": "需要3~5天，或者7~9天。\n",
    "tilde approximations": "From ~10% to ~20%.\n",
    "tilde paths": "Path ~/bin and ~/src\n",
    "strike over paragraphs": "This ~~has a\n\nnew paragraph~~.\n",
    "strike in strong": "**~~bold strike~~**\n",
    "www with path": "Visit www.commonmark.org/help for more information.\n",
    "www balanced parens": "www.example.com/search?q=Markup+(business)))\n\n(www.example.com/search?q=(x))\n",
    "www entity-like end": "www.google.com/search?q=commonmark&hl;\n",
    "www stops at lt": "www.commonmark.org/he<lp\n",
    "url in parens with parens": "(Visit https://encrypted.google.com/search?q=Markup+(business))\n",
    "emails plus and dots": "hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.\n",
    "email endings": "a.b-c_d@a.b\n\na.b-c_d@a.b.\n\na.b-c_d@a.b-\n\na.b-c_d@a.b_\n",
    "badge link": "[![badge](https://img.shields.io/x.svg)](https://ci.example.com)\n",
    "localhost url": "http://localhost:8000/path\n",
    "triple tilde inline": "a ~~~b~~~ c\n",
    "backslash break": "line one\\\nline two\n",
    "two space break": "line one  \nline two\n",
    "backslash at end": "last line\\\n",
    "break in item": "- a\\\n  b\n",
    "escaped chars": "\\*not em\\* and C:\\Windows\\System32\n",
    "emphasis underscores": "snake_case_name and _em_\n",
    "emoji shortcode": "Ship it :rocket:\n",
    "html inline": "Press <kbd>Ctrl</kbd>.\n",
    "autolink after text no space": "Link:https://example.com\n",
    "cjk with url": "详见 https://example.com/x 。\n",
    "url then cjk": "https://example.com/x。更多\n",
    "two urls": "https://a.example and https://b.example\n",
}

TABLES = {
    "table": "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "table no outer pipes": "a | b\n--|--\n1 | 2\n",
    "table alignment": "| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
    "table after paragraph": "Results:\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "table with inline": "| `a` | **x** |\n|---|---|\n| [l](https://e.x) | ~~y~~ |\n",
    "table escaped pipe": "| a \\| b | c |\n|---|---|\n| 1 | 2 |\n",
    "table header only": "| a | b |\n|---|---|\n",
    "table short row": "| a | b |\n|---|---|\n| 1 |\n",
    "table ends at blank": "| a |\n|---|\n| 1 |\n\nafter\n",
    "table in item": "- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n",
    "not a table": "a | b\nno delimiter\n",
    "table centre and right": "| abc | defghi |\n:-: | -----------:\nbar | baz\n",
    "table escaped pipes in code": "| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |\n",
    "table ends at quote": "| a | b |\n| --- | --- |\n| 1 | 2 |\n> quote\n",
    "table ends at heading": "| a | b |\n| --- | --- |\n| 1 | 2 |\n## Next\n",
    "table ends at fence": "| a | b |\n| --- | --- |\n| 1 | 2 |\n```\ncode\n```\n",
    "table ends at list": "| a | b |\n| --- | --- |\n| 1 | 2 |\n- item\n",
    "table row without pipes": "| a | b |\n| --- | --- |\n| 1 | 2 |\nbar\n\nbar\n",
    "table delimiter mismatch": "| a | b |\n| --- |\n| 1 |\n",
    "table ragged rows": "| a | b |\n| --- | --- |\n| 1 |\n| 1 | 2 | 3 |\n",
}

TASKS = {
    "tasks": "- [ ] todo\n- [x] done\n",
    "tasks upper x": "- [X] done\n",
    "tasks nested": "- [ ] a\n  - [x] b\n  - [ ] c\n",
    "tasks ordered": "1. [ ] a\n2. [x] b\n",
    "tasks loose": "- [ ] a\n\n- [x] b\n",
    "not a task": "- [] nope\n- [ x] nope\n",
    "task after paragraph": "Todo:\n- [ ] a\n",
}

BLOCKS = {
    "atx headings": "# One\n## Two\n### Three\n",
    "setext headings": "One\n===\n\nTwo\n---\n",
    "heading closing hashes": "## Title ##\n",
    "heading no space": "#hashtag\n",
    "quote": "> a\n> b\n",
    "quote lazy": "> a\nb\n",
    "quote with list": "> - a\n>   - b\n> - c\n",
    "quote with 4-space list": "> 1. a\n>     - b\n",
    "nested quote": "> a\n>> b\n",
    "alert": "> [!NOTE]\n> Useful.\n",
    "alert warning with list": "> [!WARNING]\n> - a\n> - b\n",
    "footnote": "Text[^1].\n\n[^1]: Note.\n",
    "footnotes two": "A[^a] and B[^b].\n\n[^a]: One.\n[^b]: Two.\n",
    "html comment": "<!-- a comment -->\n\nText\n",
    "html comment inline": "Text <!-- c --> more\n",
    "html block": "<div>\n<p>raw</p>\n</div>\n",
    "html list": "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n",
    "wordpress paragraph": '<!-- wp:paragraph -->\n<p>Hi <a href="https://e.x">l</a></p>\n<!-- /wp:paragraph -->\n',
    "wordpress list": "<!-- wp:list -->\n<ul><li>a</li><li>b</li></ul>\n<!-- /wp:list -->\n",
    "html then markdown": "<p>raw</p>\n\n- a\n- b\n",
    "rule": "a\n\n---\n\nb\n",
    "hard wrapped paragraph": "one\ntwo\nthree\n",
    "cjk paragraph": "数据库发布了新版本。\n性能提升了一倍。\n",
    "cjk list": "新功能：\n- 分布式事务\n  - 两阶段提交\n- 在线扩容\n",
    "definition-like colon": "Term:\nvalue\n",
    "setext over two lines": "Some intro\nTitle\n=====\n\nText\nMore\n---\n",
    "tasks in a quote stay text": "> - [x] done\n>   - [ ] todo\n",
    "www then backslash break": "Visit www.example.org.\\\nNext line\n",
    "www then footnote": "Visit www.example.org.[^1]\n\n[^1]: Note.\n",
}

SPEC_SHAPES = {  # shapes the GFM spec's list sections discuss
    "spec new delimiter new list": "1. foo\n2. bar\n3) baz\n",
    "spec hard-wrapped number": "The number of windows in my house is\n14.  The number of doors is 6.\n",
    "spec hard-wrapped one": "The number of windows in my house is\n1.  The number of doors is 6.\n",
    "spec blank lines in deep item": "- foo\n  - bar\n    - baz\n\n\n      bim\n",
    "spec comment splits lists": "- foo\n- bar\n\n<!-- -->\n\n- baz\n- bim\n",
    "spec comment before code": "-   foo\n\n    notcode\n\n-   foo\n\n<!-- -->\n\n    code\n",
    "spec staircase siblings": "- a\n - b\n  - c\n   - d\n  - e\n - f\n- g\n",
    "spec ordered staircase": "1. a\n\n  2. b\n\n   3. c\n",
    "spec four spaces is text": "- a\n - b\n  - c\n   - d\n    - e\n",
    "spec four spaces is code": "1. a\n\n  2. b\n\n    3. c\n",
    "spec empty middle item": "* a\n*\n\n* c\n",
    "spec empty items": "- foo\n-\n- bar\n",
    "spec empty ordered item": "1. foo\n2.\n3. bar\n",
    "spec reference in item": "- a\n- b\n\n  [ref]: /url\n- d\n",
    "spec quote in tight item": "* a\n  > b\n  >\n* c\n",
    "spec quote and fence in item": "- a\n  > b\n  ```\n  c\n  ```\n- d\n",
    "spec loose outer tight inner": "* foo\n  * bar\n\n  baz\n",
    "spec two nested lists": "- a\n  - b\n  - c\n\n- d\n  - e\n  - f\n",
    "spec item blocks": "1.  A paragraph\n    with two lines.\n\n        indented code\n\n    > A block quote.\n",
    "spec under-indented paragraph": "- one\n\n two\n",
    "spec wide marker under-indented": " -    one\n\n     two\n",
    "spec wide marker indented": " -    one\n\n      two\n",
    "spec quote holding list": ">>- one\n>>\n  >  > two\n",
    "spec no space no item": "-one\n\n2.two\n",
    "spec fence in item": "1.  foo\n\n    ```\n    bar\n    ```\n\n    baz\n\n    > bam\n",
    "spec zero start": "0. ok\n",
    "spec padded start": "003. ok\n",
    "spec negative not item": "-1. not ok\n",
    "spec code in wide item": "  10.  foo\n\n           bar\n",
    "spec lazy item paragraph": "  1.  A paragraph\nwith two lines.\n\n          code\n\n      > A block quote.\n",
    "spec lazy quote in item": "> 1. > Blockquote\ncontinued here.\n",
    "spec nested markers on a line": "- - foo\n",
    "spec mixed markers on a line": "1. - 2. foo\n",
    "spec paren item nested": "10) foo\n    - bar\n",
    "spec paren item not nested": "10) foo\n   - bar\n",
}

# Shapes Gazette does not render as GitHub yet (rare in stories); each test checks it still differs.
GAPS = {
    "fence on the marker line": "- a\n- ```\n  b\n  ```\n- c\n",
    "setext heading in an item": "- Bar\n  ---\n  baz\n",
    "empty item then indented code": "-\n      baz\n",
    "list in a quote in a quote, continued": "   > > 1.  one\n>>\n>>     two\n",
}

RAW_HTML = {  # WordPress exports and hand-written HTML: CommonMark ends most HTML blocks at a blank line
    "html p then list": "<p>Intro</p>\n- a\n- b\n",
    "html div around markdown": '<div class="note">\n\n- a\n- b\n\n</div>\n',
    "html p over lines": '<p>Line one\nwith <a href="https://e.x">link</a></p>\n\nText https://e.x\n',
    "html figure": '<figure><img src="/a.jpg" alt=""/><figcaption>Cap <a href="https://e.x">l</a></figcaption></figure>\n',
    "html inline start": "<strong>Bold</strong> text https://e.x\n",
    "html span then list": "<span>x</span>\n- a\n",
    "html list with blank": "<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>\n",
    "html pre keeps lines": "<pre>\n- a\n  - b\n</pre>\n",
    "html pre with blank": "<pre><code>a\n\nb</code></pre>\n\n- c\n",
    "html table": "<table>\n<tr><td>a</td></tr>\n</table>\n",
    "html div then text": "<div>x</div>\nText https://e.x\n",
    "html comment over lines": "<!--\n- a\n-->\n- b\n",
    "html br lines": "Line<br>\nLine2<br />\n- a\n",
    "html p holding markdown": "<p>\n- a\n</p>\n",
    "html quote": '<blockquote>Quote <a href="https://e.x">l</a></blockquote>\n',
    "html wp list": (
        '<!-- wp:list -->\n<ul>\n<li>a</li>\n\n<li>b <a href="https://e.x">l</a></li>\n</ul>\n<!-- /wp:list -->\n'
    ),
    "html div no blank": "<div>\n*a* https://e.x\n</div>\n",
    "html interrupts paragraph": "Text\n<div>x</div>\n",
    "html link syntax inside": "<p>[link](https://e.x)</p>\n",
    "html after list": "- a\n<div>x</div>\n",
    "html lone tag": '<a href="https://e.x">\nlink\n</a>\n',
    "wp heading and list": (
        "<!-- wp:heading -->\n<h2>Highlights</h2>\n<!-- /wp:heading -->\n\n<!-- wp:list -->\n"
        '<ul><li>Kernel 6.8</li><li>GNOME 46 <a href="https://e.x">notes</a></li></ul>\n<!-- /wp:list -->\n'
    ),
    "wp code": '<!-- wp:code -->\n<pre class="wp-block-code"><code>sudo apt update\n\nsudo apt upgrade</code></pre>\n',
    "wp image link": '<figure><a href="https://e.x/big.png"><img src="https://e.x/a.png" alt=""/></a></figure>\n',
    "html nested list indented": (
        "<ul>\n  <li>One</li>\n  <li>Two\n    <ul>\n      <li>Nested</li>\n    </ul>\n  </li>\n</ul>\n"
    ),
    "html paragraph between markdown": "Some text.\n<p>Then html.</p>\nMore text with https://e.x link.\n",
    "html div holding markdown": '<div class="alert">\n**Important:** read https://e.x\n</div>\n',
    "wp caption shortcode": '[caption id="a1"]<img src="/a.jpg" /> Caption[/caption]\n\nText after.\n',
    "html table with blank": "<table>\n<tbody>\n<tr>\n<td>a</td>\n\n<td>b</td>\n</tr>\n</tbody>\n</table>\n",
    "html heading then text": "<h3>Heading</h3>\nParagraph right after.\n",
    "html iframe then text": '<iframe src="https://www.youtube.com/embed/x"></iframe>\nText after iframe\n',
    "html list after text": "Text before list:\n<ul>\n<li>a</li>\n</ul>\n",
    "html div around table": "<div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n</div>\n",
    "html details": "<details>\n<summary>More</summary>\n\n- hidden list\n\n</details>\n",
    "more marker then list": "<!--more-->\nContinued text\n- list\n",
}

MESSY = {
    "release notes": (
        "## What's Changed\n* Fix crash by @dev in https://github.com/o/r/pull/1\n"
        "* Add flag by @dev in https://github.com/o/r/pull/2\n\n"
        "**Full Changelog**: https://github.com/o/r/compare/v1...v2\n"
    ),
    "changelog nested 2": "### Fixed\n- Core\n  - crash on start\n  - leak\n- CLI\n  - `--help` text\n",
    "changelog nested 4": "### Fixed\n- Core\n    - crash on start\n    - leak\n- CLI\n    - `--help` text\n",
    "steps with code": (
        "1. Clone:\n\n   ```\n   git clone https://example.com/r\n   ```\n\n"
        "2. Build:\n\n   ```\n   make\n   ```\n\n3. Done.\n"
    ),
    "steps with code 4": "1. Clone:\n\n    ```\n    git clone x\n    ```\n\n2. Build\n",
    "steps tight code": "1. Clone:\n   ```\n   git clone x\n   ```\n2. Build:\n   ```\n   make\n   ```\n",
    "steps continue at 4": "4. Four\n5. Five\n",
    "steps split by code": "1. one\n\n```\ncode\n```\n\n2. two\n",
    "news with quote and list": (
        "The company said:\n\n> We are committed to:\n> - privacy\n> - security\n\nMore text.\n"
    ),
    "bold as heading then list": "**Highlights**\n- a\n- b\n",
    "list of links": "- [One](https://a.x)\n- [Two](https://b.x)\n  - [Sub](https://c.x)\n",
    "download links paragraph": "Downloads: [tar](https://a.x) | [zip](https://b.x)\n",
    "mixed tabs and spaces": "- a\n\t- b\n    - c\n",
    "list with trailing spaces": "- a  \n- b  \n",
    "list item lazy then nested": "- a\nlazy\n  - b\n",
    "paragraph then star item": "Note\n* a\n* b\n",
    "paragraph then plus item": "Note\n+ a\n",
    "numbered heading-like": "2024. A year.\n",
    "version numbers": "Version 2.0 is out.\n1.5 is gone.\n",
    "emphasis list items": "- *a*\n- **b**\n",
    "multi paragraph list loose": "- Intro\n\n  Details\n\n  - sub\n\n- Next\n",
    "nested ordered 3 then 6": "1. a\n   1. b\n      1. c\n",
    "deep ordered": "1. a\n   2. b\n",
    "code fence in 3 level": "- a\n  - b\n    ```\n    x\n    ```\n",
    "html comment between lists": "- a\n\n<!-- -->\n\n- b\n",
    "more marker": "Lead.\n\n<!-- more -->\n\nRest.\n",
    "heading with link": "## [Title](https://e.x)\n",
    "image link": "[![b](https://e.x/i.png)](https://e.x)\n",
    "quote then list": "> q\n\n- a\n",
    "list in list in quote 2": "> - a\n>   - b\n>     - c\n",
    "setext under list": "- a\n\nTitle\n-----\n",
    "hr after paragraph": "Text\n\n***\n",
    "url in list": "- https://example.com\n- www.example.org\n",
    "task with link": "- [x] [Done](https://e.x)\n",
    "cjk ordered": "1. 安装\n2. 配置\n   - 修改参数\n3. 启动\n",
    "cjk lazy": "- 第一项\n续行\n- 第二项\n",
    "fence in item lazy text after": "- a\n  ```\n  x\n  ```\n  text\n",
    "blank line then indented item": "- a\n\n  - b\n",
    "ordered then paragraph then ordered": "1. a\n\nText\n\n2. b\n",
    "heading then ordered start": "### Steps\n3. c\n4. d\n",
    "tight list then table": "- a\n\n| x | y |\n|---|---|\n| 1 | 2 |\n",
    "paragraph with pipes": "a | b | c\n",
    "url with trailing star": "**https://example.com**\n",
    "indented code in ordered item": "1. Run:\n\n        make install\n\n2. Done\n",
    "nested at 4 after blank": "* Item\n\n    - nested\n\n* Next\n",
    "ordered siblings at 2": "1. First\n  2. Second\n3. Third\n",
    "bold labels then nested": "### Features\n* **Fast**: yes\n* **Small**: yes\n  * really\n### Fixes\n* bug\n",
    "fence then text in item": "1. One\n   ```\n   code\n   ```\n   More text\n2. Two\n",
    "link list with dashes": "- [One](https://e.x/1) - description\n- [Two](https://e.x/2) – description\n",
    "update note then list": "**Update (2024-01-01):** something\n- change\n",
    "sub at 4 under ordered": "1. Step one.\n    - sub\n2. Step two.\n",
    "tabs for nesting": "-\ttab item\n\t-\ttab nested\n",
    "indented list start": "  - indented list start\n  - second\n",
    "three kinds of rules": "a\n\n***\n\nb\n____\nc\n",
    "rule right after a quote": "> Quoted.\n---\nAfter.\n",
    "two rules": "---\n---\n",
    "rule after a rule of stars": "* * *\n---\n",
    "rule after a quoted list": "> - z\n---\n",
    "bullets change midway": "* a\n* b\n- c\n* d\n",
}

SNIPPETS = {**LISTS, **SPEC_SHAPES, **CODE, **INLINE, **TABLES, **TASKS, **BLOCKS, **RAW_HTML, **MESSY}

# What Gazette renders otherwise on purpose, and why. (README, "Markdown", says the same.)
DIFFERENCES = {
    "marker then 5 spaces": "Text 5 or more spaces after a list marker is indented code to GitHub; Gazette keeps it as "
    "the item's text, as a writer aligning items means it.",
    "triple tilde inline": "~~~text~~~ is struck through (as one tilde and two); GitHub strikes with one or two only.",
    "ten digits is text": "A 10-digit number and a dot start a numbered list; GitHub allows 9 digits at most.",
    "table header only": "A table with a header and no row gets one empty row (Python-Markdown's tables).",
    "www then backslash break": "cmark-gfm takes a trailing backslash into a www. link, which then leads nowhere; "
    "Gazette ends the link at the dot and breaks the line.",
    "www then footnote": "cmark-gfm takes a footnote mark after a www. link into the link; Gazette keeps the footnote.",
}


def _signatures(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return signature(render_markdown(text).html), signature(gfm_html(text))


def test_there_are_enough_snippets() -> None:
    assert len(SNIPPETS) >= 150


@pytest.mark.parametrize("name", sorted(set(SNIPPETS) - set(DIFFERENCES)))
def test_gazette_renders_the_structure_github_renders(name: str) -> None:
    ours, theirs = _signatures(SNIPPETS[name])
    assert ours == theirs, first_difference(ours, theirs)


@pytest.mark.parametrize("name", sorted(GAPS))
def test_each_known_gap_is_still_one(name: str) -> None:
    ours, theirs = _signatures(GAPS[name])
    assert ours != theirs, f"'{name}' now renders as GitHub does: remove it from GAPS (and the README)"


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_each_intended_difference_is_still_one(name: str) -> None:
    ours, theirs = _signatures(SNIPPETS[name])
    assert ours != theirs, f"'{name}' now renders as GitHub does: remove it from DIFFERENCES"


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_no_block_lands_inside_a_paragraph(name: str) -> None:
    assert blocks_in_paragraphs(render_markdown(SNIPPETS[name]).html) == []


def test_task_checkboxes_are_labelled_by_their_items_text() -> None:
    html = render_markdown("- [x] done **now**\n  - [ ] sub\n").html
    assert '<label><input type="checkbox" disabled="" checked=""> done <strong>now</strong></label><ul' in html
    assert '<label><input type="checkbox" disabled=""> sub</label>' in html


def test_a_deep_blockquote_renders_without_recursing_per_level() -> None:
    assert "deep" in render_markdown(">" * 2000 + " deep\n").html


def test_list_nesting_costs_what_the_text_costs() -> None:
    def seconds(count: int) -> float:
        lines = [" " * (2 * (i % 9)) + ("- item" if i % 5 else "  lazy text") for i in range(count)]
        started = time.perf_counter()
        nest_lists(lines, str)
        return time.perf_counter() - started

    small, large = min(seconds(20_000) for _ in range(3)), min(seconds(80_000) for _ in range(3))
    assert large < small * 10  # linear: 4 times the lines, about 4 times the time (quadratic: 16; shared CPUs)


@pytest.mark.parametrize(
    "text",
    [
        "|" + "-" * 50_000 + "x\n",
        "| -- " * 20_000 + "x\n",
        "- -" + " -" * 50_000 + "\n",
        "<a" + " b=c" * 20_000 + "\n",
        "<a" + " b" * 20_000 + " <\n",
        "~" * 50_000 + "\n",
    ],
)
def test_pathological_lines_cost_what_their_size_costs(text: str) -> None:
    started = time.perf_counter()
    render_markdown(text)
    assert time.perf_counter() - started < 10
