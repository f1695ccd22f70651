"""French spacing and absolute links over every page of the golden trees give the bytes recorded in
tests/html_passes.json (digests made with the html.parser versions these passes replaced).

The golden builds pin each pass as a build uses it; this runs both on every page as a whole and French
spacing on English text too, where a tokenizer mistake would show. After an intended change, rewrite
the digests with `GAZETTE_REGEN=1 pytest tests/test_html_passes.py` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from generator.content.markup import rewrite_links
from generator.content.typography import french_spacing
from generator.urls import resolve_link

GOLDEN = Path(__file__).parent / "golden"
DIGESTS = Path(__file__).parent / "html_passes.json"
PAGE_URL = "https://example.org/blog/2024/01/story/"


def _digest(text: str) -> str:
    """Shorten an output to a digest that still tells any change."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _passes(text: str) -> dict[str, str]:
    """Run both passes on a page, French spacing both as for a French site and everywhere."""
    return {
        "everywhere": _digest(french_spacing(text, everywhere=True)),
        "french": _digest(french_spacing(text)),
        "links": _digest(rewrite_links(text, lambda ref: resolve_link(PAGE_URL, ref))),
    }


def test_golden_pages_through_both_passes_give_the_recorded_bytes() -> None:
    pages = sorted(p for p in GOLDEN.glob("*/expected/**/*") if p.suffix in (".html", ".xml"))
    actual = {p.relative_to(GOLDEN).as_posix(): _passes(p.read_text(encoding="utf-8")) for p in pages}
    if os.environ.get("GAZETTE_REGEN"):
        DIGESTS.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert len(actual) > 100
    assert actual == expected
