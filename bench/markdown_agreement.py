#!/usr/bin/env python3
"""How often Gazette renders a story body with the structure GitHub gives it: a table per blog style.

    python bench/markdown_agreement.py [--posts 1200] [--seed 9] [--show 2] [--time]

Generates posts that imitate real blogs (release notes, news with quotes, tutorials with nested steps
and code, a blog migrated from WordPress, a Chinese database blog), deterministically from the seed,
renders each with Gazette and with cmark-gfm (`pip install -e '.[dev]'`), and compares their structure
(tests/markdown_structure.py). `--show N` prints N differing posts per style; `--time` times Gazette's
`render_markdown` over all posts. Runs from a fresh clone: no network, no data files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.content.markup import render_markdown
from tests.markdown_structure import first_difference, gfm_html, signature

# One string, split once: the vocabulary of the made-up stories.
WORDS = tuple(
    re.findall(
        r"\w+",
        "release kernel driver support update security patch server cloud model open source version users "
        "performance memory network storage database query index cluster developer team project feature bug "
        "fix change report build test package install upgrade migration api browser mobile chip data",
    )
)
HANZI = "数据库查询索引集群版本发布性能优化内存存储网络安全更新支持开发团队功能修复测试升级迁移分布式事务"
URLS = ("https://example.com/download", "https://github.com/acme/tool/releases/tag/v2.1", "https://lwn.net/Articles/1/")
LANGS = ("bash", "python", "sql", "", "yaml", "go")


def words(rng: random.Random, low: int = 4, high: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def hanzi(rng: random.Random, low: int = 8, high: int = 30) -> str:
    return "".join(rng.choice(HANZI) for _ in range(rng.randint(low, high))) + rng.choice("。，；")


# What a sentence may end with, up to which roll of the dice: inline markup as people use it.
ENDINGS: tuple[tuple[float, Callable[[random.Random], str]], ...] = (
    (0.15, lambda rng: f" See {rng.choice(URLS)} for details."),
    (0.25, lambda rng: f" [{rng.choice(WORDS)}]({rng.choice(URLS)})"),
    (0.32, lambda rng: f" `{rng.choice(WORDS)}_{rng.choice(WORDS)}()`"),
    (0.37, lambda rng: f" ~~{rng.choice(WORDS)}~~ {rng.choice(WORDS)}"),
    (0.42, lambda rng: f" **{rng.choice(WORDS)}**"),
    (0.45, lambda rng: f" www.{rng.choice(WORDS)}.org"),
)


def sentence(rng: random.Random, cjk: bool = False) -> str:
    """Write a sentence with the inline markup people use: emphasis, code, links, bare URLs, strikethrough."""
    text = hanzi(rng) if cjk else words(rng).capitalize()
    roll = rng.random()
    text += next((ending(rng) for chance, ending in ENDINGS if roll < chance), "")
    return text + ("" if cjk else ".")


def paragraph(rng: random.Random, cjk: bool = False) -> str:
    lines = [sentence(rng, cjk) for _ in range(rng.randint(1, 3))]
    if len(lines) > 1 and rng.random() < 0.1:
        lines[0] += rng.choice(("\\", "  "))  # a hard break, backslash or two spaces
    return "\n".join(lines)


def items(rng: random.Random, indent: int, depth: int, ordered: bool, cjk: bool, fence: bool = False) -> list[str]:
    """Write a list, nested by `indent` spaces per level below its items' content column."""
    lines: list[str] = []
    bullet = rng.choice("-*+") if not ordered else ""
    start = rng.choice((1, 1, 1, 2, 5)) if ordered else 1
    for number in range(start, start + rng.randint(2, 5)):
        marker = f"{number}." if ordered else bullet
        task = rng.choice(("[ ] ", "[x] ")) if not ordered and rng.random() < 0.1 else ""
        lines.append(f"{marker} {task}{sentence(rng, cjk)}")
        column = len(marker) + 1 if indent == 0 else indent
        if rng.random() < 0.1:
            lines.append(words(rng))  # a lazy continuation line
        if depth and rng.random() < 0.35:
            sub = items(rng, indent, depth - 1, rng.random() < 0.3, cjk)
            lines += [" " * column + line if line else "" for line in sub]
        if fence and rng.random() < 0.4:
            code = [f"```{rng.choice(LANGS)}", f"{rng.choice(WORDS)} --{rng.choice(WORDS)}", "```"]
            lines += [""] + [" " * column + line for line in code] + [""]
    return lines


def release_notes(rng: random.Random) -> str:
    parts = [paragraph(rng)]
    for _ in range(rng.randint(2, 4)):
        parts.append(rng.choice(("## ", "### ")) + words(rng, 1, 3).title())
        head = rng.choice((f"{words(rng, 2, 4).capitalize()}:\n", "", ""))
        parts.append(head + "\n".join(items(rng, rng.choice((0, 2, 2, 4)), 2, False, False)))
    if rng.random() < 0.4:  # GitHub's generated release notes
        changes = [f"* {words(rng, 3, 6)} by @dev in https://github.com/acme/tool/pull/{n}" for n in range(3)]
        parts.append("## What's Changed\n" + "\n".join(changes))
        parts.append("**Full Changelog**: https://github.com/acme/tool/compare/v1.0...v1.1")
    parts.append("Downloads: " + " | ".join(f"[{w}]({u})" for w, u in zip(WORDS[:3], URLS, strict=True)))
    if rng.random() < 0.3:
        parts.append("| Platform | Status |\n|:--|--:|\n| linux | ok |\n| macos | ~~broken~~ fixed |")
    return "\n\n".join(parts) + "\n"


def news(rng: random.Random) -> str:
    parts = [paragraph(rng) for _ in range(rng.randint(2, 4))]
    quote = [f"> {sentence(rng)}"] + [f"> {sentence(rng)}" if rng.random() < 0.7 else sentence(rng) for _ in range(2)]
    parts.insert(1, "\n".join(quote))
    if rng.random() < 0.3:
        parts.append(f"> [!NOTE]\n> {sentence(rng)}")
    if rng.random() < 0.4:
        parts.append(f"{sentence(rng)}[^1]\n\n[^1]: {sentence(rng)}")
    if rng.random() < 0.3:
        parts.insert(0, "<!-- imported -->")
    if rng.random() < 0.3:  # a list quoted from a statement, nested by two spaces
        lines = items(rng, 2, 1, rng.random() < 0.5, False)
        parts.append(f"> {sentence(rng)}\n" + "\n".join(f"> {line}" if line else ">" for line in lines))
    if rng.random() < 0.2:
        parts.append(f"![{rng.choice(WORDS)}](/img/{rng.randint(1, 9)}.jpg)\n*{sentence(rng)}*")
    return "\n\n".join(parts) + "\n"


def tutorial(rng: random.Random) -> str:
    parts = [paragraph(rng)]
    for _ in range(rng.randint(1, 3)):
        parts.append(words(rng, 2, 4).title() + "\n" + rng.choice("=-") * 8)  # setext headings
        steps = "\n".join(items(rng, rng.choice((0, 3, 4)), 1, True, False, fence=True))
        if rng.random() < 0.3:
            steps = steps.replace(". ", ") ", 1) if rng.random() < 0.5 else f"{words(rng, 2, 3).capitalize()}:\n{steps}"
        parts.append(steps)
        if rng.random() < 0.3:
            parts.append(f"{sentence(rng)}\n\n    {rng.choice(WORDS)} --{rng.choice(WORDS)}\n    exit 0")
        parts.append(f"```{rng.choice(LANGS)}\n{words(rng)}\n\n  {words(rng)}\n```")
    return "\n\n".join(parts) + "\n"


def wordpress(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 5)):
        roll = rng.random()
        if roll < 0.3:
            parts.append(
                f'<!-- wp:paragraph -->\n<p>{words(rng)} <a href="{rng.choice(URLS)}">link</a></p>\n'
                "<!-- /wp:paragraph -->"
            )
        elif roll < 0.45:
            lis = "".join(f"<li>{words(rng, 2, 5)}</li>" for _ in range(3))
            parts.append(f"<ul>{lis}</ul>")
        else:
            parts.append(paragraph(rng))
        if rng.random() < 0.4:
            parts.append("\n".join(items(rng, 4, 2, rng.random() < 0.4, False)))
        if rng.random() < 0.2:
            parts.append(f'<figure><img src="/a.jpg" alt=""><figcaption>{words(rng, 2, 5)}</figcaption></figure>')
        if rng.random() < 0.2:
            parts.append(f"{words(rng)}<br />\n{words(rng)}&nbsp;{rng.choice(WORDS)}")
        if rng.random() < 0.2:  # markdown wrapped in a raw <div>, or a list right after a raw paragraph
            inner = "\n".join(items(rng, 2, 1, False, False))
            parts.append(rng.choice((f'<div class="note">\n\n{inner}\n\n</div>', f"<p>{words(rng)}</p>\n{inner}")))
    if rng.random() < 0.3:
        parts.insert(1, "<!--more-->")
    return "\n\n".join(parts) + "\n"


def cjk(rng: random.Random) -> str:
    parts = [paragraph(rng, True)]
    for _ in range(rng.randint(1, 3)):
        parts.append("## " + hanzi(rng, 4, 8))
        parts.append(hanzi(rng) + "\n" + "\n".join(items(rng, rng.choice((2, 4, 4)), 2, rng.random() < 0.5, True)))
        if rng.random() < 0.3:
            parts.append(f"{hanzi(rng)}详见https://example.com/{rng.randint(1, 9)}，{hanzi(rng)}")
        if rng.random() < 0.2:
            table = "| 参数 | 说明 |\n| --- | --- |\n| `max_conn` | " + hanzi(rng, 4, 8) + " |"
            parts.append(table + rng.choice(("", "\n- " + hanzi(rng))))  # a list right under a table
        if rng.random() < 0.3:  # ranges written with tildes, which GitHub may strike through
            parts.append(f"{hanzi(rng)}需要{rng.randint(1, 5)}~{rng.randint(6, 9)}天，{hanzi(rng)}")
        if rng.random() < 0.5:
            parts.append(f"```sql\nSELECT * FROM t WHERE id = {rng.randint(1, 99)};\n```")
    return "\n\n".join(parts) + "\n"


STYLES: dict[str, Callable[[random.Random], str]] = {
    "release notes": release_notes,
    "news with quotes": news,
    "tutorial": tutorial,
    "wordpress migrated": wordpress,
    "chinese database": cjk,
}


def generate_posts(count: int, seed: int) -> list[tuple[str, str]]:
    """Make `count` (style, markdown) posts, the styles in turn, the same for the same seed."""
    rng = random.Random(seed)
    names = list(STYLES)
    return [(names[i % len(names)], STYLES[names[i % len(names)]](rng)) for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    """Print the agreement table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--show", type=int, default=0, help="print this many differing posts per style")
    parser.add_argument("--time", action="store_true", help="time render_markdown over all posts")
    args = parser.parse_args(argv)
    posts = generate_posts(args.posts, args.seed)
    if args.time:
        started = time.perf_counter()
        for _, text in posts:
            render_markdown(text)
        print(f"render_markdown: {len(posts)} posts in {time.perf_counter() - started:.2f} s")
    totals: dict[str, list[int]] = {name: [0, 0] for name in STYLES}
    shown: dict[str, int] = dict.fromkeys(STYLES, 0)
    for style, text in posts:
        ours, theirs = signature(render_markdown(text).html), signature(gfm_html(text))
        totals[style][0] += ours == theirs
        totals[style][1] += 1
        if ours != theirs and shown[style] < args.show:
            shown[style] += 1
            print(f"--- {style}: {first_difference(ours, theirs)}\n{text}")
    print(f"{'style':<20} {'posts':>6} {'match':>7}")
    for style, (matched, total) in totals.items():
        print(f"{style:<20} {total:>6} {matched / total:>7.1%}")
    matched, total = (sum(t[i] for t in totals.values()) for i in (0, 1))
    print(f"{'all':<20} {total:>6} {matched / total:>7.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
