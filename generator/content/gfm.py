"""GitHub-flavoured markdown where no maintained extension gives it: Gazette's own Python-Markdown extension. Pure.

Python-Markdown nests a list, and keeps a paragraph or code block inside an item, only when it is indented
by four spaces, and starts a list only after a blank line. CommonMark (and so GitHub) nests by the item's
content column, so that 2, 3 and 4 spaces all work, and lets a list, a table or fenced code interrupt a
paragraph. Its raw HTML blocks end at a blank line, not at a closing tag. `nest_lists` rewrites the
source, line by line, into the shape Python-Markdown reads as GitHub would: one pass, a stack of open
items, no backtracking regex.

Beside it: a backslash at the end of a line is a hard break, one tilde strikes through as two do, bare
URLs glued to text are links, task list checkboxes are labelled by their item's text, and a body's
headings start at `<h2>`, the page's `<h1>` being the story's title.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx import util
from pymdownx.delimiterprocessor import Delimiter, DelimiterProcessor
from pymdownx.magiclink import MagiclinkPattern
from pymdownx.quotes import QuotesProcessor

# A list marker, its spaces and the item's text: "- a", "  10. b", "3) c", "*" (an empty item).
_MARKER = re.compile(r"( *)([-*+]|\d{1,9}[.)])( +|$)(.*)")
# A thematic break: three or more of one of - * _, spaces between. Possessive, as the patterns below: linear.
_BREAK = re.compile(r" {0,3}([-*_])(?: *+\1){2,}+ *+")
# Lines that start a block of their own, so are never the lazy continuation of an item's paragraph
# (raw HTML too, but for a lone inline tag: see _HTML_START).
_BLOCK_START = re.compile(r" {0,3}(?:#{1,6}(?: |$)|>|```|~~~)")
# A table's delimiter row: "|---|:--:|", "--- | ---".
_TABLE_DELIMITER = re.compile(r" {0,3}\|?+ *+:?+-++:?+ *+(?:\| *+:?+-++:?+ *+)*+\|?+ *+")
# Hashes with no space after them are text ("#hashtag"), not a heading.
_NOT_HEADING = re.compile(r"#{1,6}[^ #]")
# GitHub links a bare http(s) URL after any character but a letter ("详见https://…", "a,https://…"), a
# `www.` link only after a space or an opening bracket: magiclink's pattern wants that for both.
_BARE_LINK = r"""(?i)(?:(?<![a-z])(?:ht|f)tps?://|(?<![^\s*_~^[('"\x03])(?P<www>w{3}\.))"""
# The start of a raw HTML block, one group for each of CommonMark's seven kinds. Possessive: linear.
_HTML_START = re.compile(
    r"""[ ]{0,3}<(?:
    (?P<raw>(?:script|pre|style|textarea)(?:[\s>]|$))
    | (?P<comment>!--) | (?P<instruction>\?) | (?P<cdata>!\[CDATA\[) | (?P<declaration>![a-z])
    | (?P<block>/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details
        |dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html
        |iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary
        |table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|/?>|$))
    | (?P<tag>(?:[a-z][a-z0-9-]*+(?:\s++[a-z_:][\w.:-]*+(?:\s*+=\s*+(?:[^\s"'=<>`]++|'[^']*+'|"[^"]*+"))?+)*+\s*+/?
        |/[a-z][a-z0-9-]*+\s*+)>\s*+$)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# What ends an HTML block of each kind that does not end at a blank line.
_HTML_CLOSERS = {
    "raw": re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
    "comment": re.compile("-->"),
    "instruction": re.compile(r"\?>"),
    "cdata": re.compile("]]>"),
    "declaration": re.compile(">"),
}
# A setext heading's underline.
_UNDERLINE = re.compile(r" {0,3}(?:=+|-+) *")
# A list item that starts with a task marker, up to its bracket: "- [x] done".
_TASK_MARKER = re.compile(r"^( *(?:[-*+]|\d{1,9}[.)]) +)\[(?=[ xX]\] )")
# Python-Markdown's stash placeholders (fenced code, raw HTML) stand for a block.
_PLACEHOLDER = "\x02"
_TAB = 4  # Python-Markdown's tab_length: how far a nested block must be indented


@dataclass(slots=True)
class _Item:
    """An open list item: where its content starts in the source, and where it is written."""

    source_column: int
    output_column: int
    bullet: str  # "-", "*", "+", or "." or ")" for a numbered list: a change of kind starts a new list


def _kind(marker: str) -> str:
    """Name a list's kind by its marker: each bullet character is one, numbers with "." or ")" two more."""
    return marker if marker in "-*+" else marker[-1]


def _ordered(marker: str) -> bool:
    """Say whether a list marker is a number."""
    return marker[0] not in "-*+"


def _escaped(text: str, bullet: str) -> str:
    r"""Backslash-escape the item marker that starts a text: "2. b" -> "2\. b", "- b" -> "\- b"."""
    return text[: len(bullet) - 1] + "\\" + text[len(bullet) - 1 :]


def nest_lists(lines: list[str], stash: Callable[[str], str]) -> list[str]:
    """Rewrite list items and their content to Python-Markdown's four-space nesting, as CommonMark nests them.

    Outside lists, raw HTML blocks end where CommonMark ends them (most at a blank line, so markdown
    after one is markdown); `stash` keeps one's HTML as it is and gives the line that stands for it.
    An empty stashed block also stands between two lists that touch, which Python-Markdown would read
    as one.
    """
    separator = stash("")
    out: list[str] = []
    stack: list[_Item] = []
    # How many items hold the paragraph the previous line belongs to (-1: that line was no paragraph text).
    paragraph = -1
    # The indent of the first line written since the last blank one: Python-Markdown reads such a block
    # into the last item if it starts indented, so a line written less indented must start a block.
    block_indent = -1
    stashed = False  # the previous line stands for a stashed block, so this one starts a new block
    html_end = 0  # the line after the raw HTML block being read
    table = False  # the previous line is a table's: its rows go on to a blank line or another block
    opening = 0  # where in `out` the outermost paragraph being written starts
    for number, line in enumerate(lines):
        if number < html_end:
            continue
        text = line.lstrip(" ")
        if not text:
            out.append("")
            paragraph = block_indent = -1
            table = False
            continue
        indent = len(line) - len(text)
        continued = paragraph  # what the previous line was, for where a paragraph opens
        if not stack and paragraph == 0 and len(out) - opening > 1 and _UNDERLINE.fullmatch(line):
            # A paragraph of several lines, underlined, is a heading: Python-Markdown takes one line only.
            out[opening:] = [" ".join(part.strip() for part in out[opening:]), text]
            paragraph = -1
            continue
        depth = len(stack)
        while depth and indent < stack[depth - 1].source_column:
            depth -= 1
        if not depth and text[0] == "<" and (html_end := _html_block_end(lines, number, paragraph >= 0)):
            if out and out[-1]:
                out.append("")
            out.append(stash("\n".join(lines[number:html_end])))
            stack.clear()
            paragraph, stashed, block_indent = -1, True, 0
            continue
        base = stack[depth - 1] if depth else None
        relative = indent - base.source_column if base else indent
        rule = bool(_BREAK.fullmatch(line))
        block_start = bool(_BLOCK_START.match(line) or rule or text.startswith(_PLACEHOLDER) or _html_starts(line))
        marker = _MARKER.fullmatch(line) if relative < _TAB and not rule else None
        if marker is not None and paragraph == depth and not _starts_list(marker, stack, depth):
            # Text that only looks like an item, inside a paragraph: escaped, so Python-Markdown sees text
            # too; a lone "-" stays, as it underlines a heading.
            text = text if text == "-" else _escaped(text, marker.group(2))
            marker, block_start = None, False
        elif marker is None and relative < _TAB and _NOT_HEADING.match(text):
            text = "\\" + text
        if marker is None and depth < len(stack) and paragraph >= 0 and not block_start:
            # A lazy continuation line: it belongs to the innermost open paragraph, however indented.
            looks_like_item = _MARKER.fullmatch(text)
            if looks_like_item:
                text = _escaped(text, looks_like_item.group(2))
            out.append(" " * stack[-1].output_column + text)
            continue
        # A blank line first where Python-Markdown needs one to see a new block: after a list this line
        # ends, before an outermost list or a table that interrupts a paragraph or code.
        closing = stack[depth] if depth < len(stack) else None  # the open item at this line's level
        new_list = False
        if closing is not None and marker is not None and closing.bullet != _kind(marker.group(2)):
            new_list = True
            if _ordered(closing.bullet) == _ordered(marker.group(2)):
                # A new bullet character or number delimiter starts a new list: Python-Markdown would go on
                # with the last one, unless something stands between them.
                out += ["", " " * (base.output_column if base else 0) + separator]
        blank = stashed or new_list or (closing is not None and marker is None)
        del stack[depth:]
        written = base.output_column + relative if base else indent
        if marker is None:
            head = _is_table_head(line, lines, number)
            # A stashed block (fenced code) after text would land inside the text's <p>; a rule after anything
            # but text (a quote, another rule) is a rule, not the underline of a heading.
            blank = blank or (paragraph >= 0 and head) or (table and block_start) or text.startswith(_PLACEHOLDER)
            blank = blank or (rule and paragraph < 0)
            table = head or (table and not block_start)
            line = " " * written + text
            code = relative >= _TAB and paragraph < 0  # indented code: it never continues a paragraph
            if code and closing is not None:  # it follows a list, which Python-Markdown would read it into
                out += ["", " " * (base.output_column if base else 0) + separator]
            paragraph = -1 if block_start or code or table else depth
        else:
            bullet, spaces, content = marker.group(2), marker.group(3), marker.group(4)
            written = base.output_column if base else 0
            blank = blank or (base is None and closing is None) or table  # no list open: this item starts one
            table = False
            # Five or more spaces after the marker make the text indented code; its column is one space in.
            width = len(spaces) if 0 < len(spaces) <= _TAB and content else 1
            stack.append(_Item(indent + len(bullet) + width, written + _TAB, _kind(bullet)))
            bullet = bullet[:-1] + "." if bullet.endswith(")") else bullet
            item = content if width == len(spaces) else spaces[1:] + content
            # An empty item holds an empty stashed block: Python-Markdown has no empty items, and would read
            # a lone "-" under text as a heading's underline.
            line = " " * written + bullet + " " + (item if content else separator)
            paragraph = len(stack) if content else -1
        if (blank or written < block_indent) and out and out[-1]:
            out.append("")
            block_indent = -1
        if block_indent < 0:
            block_indent = written
        if paragraph == 0 and continued != 0:
            opening = len(out)
        out.append(line)
        stashed = text.startswith(_PLACEHOLDER)
    return out


def _starts_list(marker: re.Match[str], stack: list[_Item], depth: int) -> bool:
    """Say whether an item line after paragraph text starts an item, or is more of the paragraph."""
    if depth < len(stack) and stack[depth].bullet == _kind(marker.group(2)):
        return True  # the next item of an open list
    bullet, text = marker.group(2), marker.group(4)
    # CommonMark: an item interrupts a paragraph only if it has text and, if numbered, starts at 1.
    return bool(text.strip()) and (bullet in "-*+" or bullet[:-1].lstrip("0") == "1")


def _html_starts(line: str) -> bool:
    """Say whether a line starts a raw HTML block that may interrupt a paragraph (not a lone inline tag)."""
    start = _HTML_START.match(line) if "<" in line[:4] else None
    return start is not None and start.lastgroup != "tag"


def _html_block_end(lines: list[str], number: int, in_paragraph: bool) -> int:
    """Find where a raw HTML block starting at a line ends, as CommonMark says; 0 if none starts there."""
    start = _HTML_START.match(lines[number])
    if start is None or (start.lastgroup == "tag" and in_paragraph):
        return 0  # only a block element, a comment or the like may interrupt a paragraph
    closer = _HTML_CLOSERS.get(start.lastgroup or "")
    end = number
    if closer is None:  # a block element or a lone tag: up to a blank line
        while end < len(lines) and lines[end].strip(" \t"):  # only spaces make a blank line, not U+3000
            end += 1
        return end
    while end < len(lines) and not closer.search(lines[end]):
        end += 1
    return min(end + 1, len(lines))


def _is_table_head(line: str, lines: list[str], number: int) -> bool:
    """Say whether a line is a table's header row: it has a pipe and the next line is a delimiter row."""
    return "|" in line and number + 1 < len(lines) and bool(_TABLE_DELIMITER.fullmatch(lines[number + 1]))


class _ListPreprocessor(Preprocessor):
    """Nest lists by content column over the whole document."""

    def run(self, lines: list[str]) -> list[str]:
        """Rewrite the document's lists and raw HTML blocks."""
        return nest_lists(lines, self.md.htmlStash.store)


class _QuoteProcessor(QuotesProcessor):
    """A blockquote (GitHub's `> [!NOTE]` alerts included) whose lists nest by content column too."""

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser, {"callouts": True})

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        """Nest the quoted lines' lists, quoted again, then parse the blockquote as pymdown-extensions does."""
        found = self.RE.search(blocks[0])
        if found:
            start = found.start() + len(found.group(1))
            lines = [self.clean(line) for line in blocks[0][start:].split("\n")]
            quoted = nest_lists(lines, self.parser.md.htmlStash.store)
            # GitHub draws no task checkboxes inside a quote: "[ ]" stays text there.
            blocks[0] = blocks[0][:start] + "\n".join("> " + _TASK_MARKER.sub(r"\1\\[", line, 1) for line in quoted)
        super().run(parent, blocks)


class _TaskLabels(Treeprocessor):
    """Label each task list checkbox with its item's text, so a screen reader says what is done."""

    def run(self, root: etree.Element) -> None:
        """Wrap each checkbox (a stashed `<input>` that starts the item's text) and the text after it in a label."""
        for item in [li for li in root.iter("li") if "task-list-item" in li.get("class", "")]:
            # A loose list's item holds its text in a <p>.
            holder = item[0] if not item.text and len(item) and item[0].tag == "p" else item
            label = etree.Element("label")
            label.text, holder.text = holder.text, None
            while len(holder) and holder[0].tag not in _BLOCKS:
                label.append(holder[0])
                holder.remove(label[-1])
            holder.insert(0, label)


# What ends a task item's label: its nested lists, paragraphs and code.
_BLOCKS = frozenset({"ul", "ol", "p", "div", "pre", "blockquote", "table"})


class _HeadingShift(Treeprocessor):
    """Start a body's headings at h2 when it uses h1: the page's only h1 is the story's title."""

    def run(self, root: etree.Element) -> None:
        """Shift every heading one level down if any is an h1."""
        headings = [element for element in root.iter() if element.tag in _LEVELS]
        if any(element.tag == "h1" for element in headings):
            for element in headings:
                element.tag = _LEVELS[element.tag]


_LEVELS = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h5", "h5": "h6", "h6": "h6"}


def drop_title(text: str, title: str) -> str:
    """Drop a first line `# Title` (or a `Title` underlined with `=`) that repeats the story's title."""
    if not title:
        return text
    body = text.lstrip("\n")
    first, _, rest = body.partition("\n")
    heading = first.strip()
    if heading.startswith("# ") and _same_title(heading[2:].rstrip("#"), title):
        return rest
    underline, _, after = rest.partition("\n")
    if underline.strip().strip("=") == "" and underline.strip() and _same_title(heading, title):
        return after
    return text


def _same_title(heading: str, title: str) -> bool:
    """Say whether a heading repeats a title, spaces and case aside."""
    return " ".join(heading.split()).casefold() == " ".join(title.split()).casefold()


class GithubExtension(Extension):
    """Read markdown as GitHub does where Python-Markdown and pymdown-extensions do not."""

    def __init__(self) -> None:
        super().__init__()
        self.strike: DelimiterProcessor | None = None

    def reset(self) -> None:
        """Forget the last document's unclosed tildes."""
        if self.strike is not None:
            self.strike.reset()

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the list preprocessor and quote processor, the backslash break, task labels, heading shift."""
        # After fenced code (25) is stashed, so code is never re-indented; before Python-Markdown's raw HTML
        # blocks (20), whose rules are not CommonMark's: it finds none left to read.
        md.preprocessors.register(_ListPreprocessor(md), "gfm_lists", 21)
        md.parser.blockprocessors.register(_QuoteProcessor(md.parser), "quote", 20)
        # Two spaces or a backslash at a line's end: one pattern in place of Python-Markdown's two-space one.
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"(?:  |\\)\n", "br"), "linebreak", 100)
        # Strikethrough with one tilde or two, by CommonMark's flanking rules, as GitHub reads it (pymdownx.tilde
        # makes one tilde a subscript).
        md.registerExtension(self)
        util.escape_chars(md, ["~"])
        self.strike = DelimiterProcessor(Delimiter("~", "del,del"), md)
        md.inlinePatterns.register(self.strike, "delimiter", 60)
        bare = MagiclinkPattern(_BARE_LINK, md)
        bare.config = md.inlinePatterns["magic-link"].config  # type: ignore[attr-defined]
        md.inlinePatterns.register(bare, "magic-link", 85)  # in magiclink's place
        # After task-list (25) made the checkboxes, before the inline patterns (20) parse the item's text.
        md.treeprocessors.register(_TaskLabels(md), "gfm_task_labels", 24)
        # Before the table of contents (5) reads the headings, after the parser made them.
        md.treeprocessors.register(_HeadingShift(md), "gfm_heading_shift", 30)
