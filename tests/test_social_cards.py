"""Social cards: the golden site's cards opened with Pillow, the pages' Open Graph and JSON-LD read back, the
cache that spares redrawing, and the fonts and pictures that are refused with a located message."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from generator.render import cards
from tests.conftest import NOW, Run, gazette, snapshot, write_tree

GOLDEN = Path(__file__).parent / "golden/social-cards"
EXPECTED = GOLDEN / "expected"
BASE = "https://example.org/"


def head(page: str) -> dict[str, str]:
    """Read the meta tags of a page of the golden tree."""
    return head_of(EXPECTED / page)


def head_of(page: Path) -> dict[str, str]:
    """Read the `<meta property|name=… content=…>` of a page."""
    tree = html.fromstring(page.read_bytes())
    return {
        meta.get("property") or meta.get("name"): meta.get("content")
        for meta in tree.iter("meta")
        if meta.get("content")
    }


def build_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes]) -> tuple[Path, Run]:
    """Write a site and build it from inside its folder, so that messages name its files as a writer sees them."""
    site = write_tree(tmp_path, files)
    monkeypatch.chdir(site)
    return site, gazette("build", "--site", site, "--now", NOW)


def json_ld(page: str) -> dict[str, object]:
    tree = html.fromstring((EXPECTED / page).read_bytes())
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    data: dict[str, object] = json.loads(script.text)
    return data


def card_of(meta: dict[str, str]) -> Image.Image:
    """Open the card a page names, from the golden tree."""
    assert meta["og:image"].startswith(BASE)
    return Image.open(EXPECTED / meta["og:image"].removeprefix(BASE))


TITLE_BAND = (80, 168, 1120, 492)  # where a card's title stands
INK = (0x16, 0x17, 0x1A)  # the default theme's text colour


def inked(image: Image.Image) -> int:
    """Count the pixels of the title band drawn in the text colour (the full strokes of the glyphs)."""
    return sum(count for count, colour in image.crop(TITLE_BAND).getcolors(1_000_000) or () if colour == INK)


@pytest.mark.parametrize(
    ("page", "title", "locale"),
    [
        (
            "2025/06/huawei-harmonyos/index.html",
            "华为发布 HarmonyOS NEXT 开发者预览版，原生应用生态进入新阶段",
            "zh_CN",
        ),
        ("2025/06/rust-court/index.html", "Rust 1.90 est là", "fr_FR"),
    ],
)
def test_a_story_without_a_picture_names_its_card(page: str, title: str, locale: str) -> None:
    meta = head(page)
    story = page.removesuffix("index.html")
    assert re.fullmatch(rf"{BASE}{story}card\.[0-9a-f]{{10}}\.png", meta["og:image"])
    assert meta["og:image:type"] == "image/png"
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:alt"]) == ("1200", "630", title)
    assert (meta["og:locale"], meta["twitter:card"]) == (locale, "summary_large_image")
    assert json_ld(page)["image"] == [meta["og:image"]]
    image = card_of(meta)
    assert (image.format, image.size, image.mode, image.info) == ("PNG", (1200, 630), "RGB", {})
    assert inked(image) > 5_000  # the title is there, in the theme's text colour


def test_the_long_french_title_is_set_small_and_cut_cleanly() -> None:
    short = card_of(head("2025/06/rust-court/index.html"))
    long = card_of(head("2025/06/cnil-amende/index.html"))
    assert inked(long) > 2 * inked(short)  # six lines of small type ink more than one line of large
    # The last line ends with an ellipsis: its right end stays clear of the margin, the band below is empty.
    below_title = long.crop((80, 480, 1120, 520))
    assert {colour for _, colour in below_title.getcolors(1_000_000) or ()} == {(0xFC, 0xFC, 0xFA)}


def test_a_story_with_its_own_picture_names_it_and_gets_no_card() -> None:
    bundle = head("2025/06/tsmc/index.html")
    assert bundle["og:image"] == f"{BASE}2025/06/tsmc/usine.png"
    assert bundle["og:image:alt"] == "Le chantier de l’usine, vu du ciel"
    assert "og:image:width" not in bundle and bundle["twitter:card"] == "summary_large_image"
    assert (EXPECTED / "2025/06/tsmc/usine.png").is_file()
    assert not list((EXPECTED / "2025/06/tsmc").glob("card.*.png"))
    remote = head("2025/06/photo-distante/index.html")
    assert remote["og:image"] == "https://images.example.net/afp/2025/photo.jpg?w=1200"
    assert "og:image:alt" not in remote  # no image_alt was written: none is made up
    about = head("a-propos/index.html")
    assert (about["og:image"], about["og:image:alt"]) == (f"{BASE}img/logo.png", "Le logo du Fil Tech")


def test_a_page_without_a_story_names_no_picture() -> None:
    home = head("index.html")
    assert "og:image" not in home and home["twitter:card"] == "summary" and home["og:locale"] == "fr_FR"


def test_every_card_of_the_golden_site_is_listed_and_the_build_warns_of_nothing(tmp_path: Path) -> None:
    site = shutil.copytree(GOLDEN / "site", tmp_path / "site")
    run = gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW)
    assert (run.code, run.err) == (0, "")  # no font lacks a glyph: no box stands for a character
    found = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("card.*.png"))
    assert [re.sub(r"\.[0-9a-f]{10}\.", ".", name) for name in found] == [
        "2025/06/cnil-amende/card.png",
        "2025/06/huawei-harmonyos/card.png",
        "2025/06/rust-court/card.png",
    ]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the title of every card drawn in this process."""
    drawn: list[str] = []
    real = cards.draw_card

    def draw(card: cards.Card) -> bytes:
        drawn.append(card.title)
        return real(card)

    monkeypatch.setattr(cards, "draw_card", draw)
    return drawn


def test_cards_are_drawn_once_and_an_edited_title_redraws_exactly_its_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = _counting(monkeypatch)
    site = shutil.copytree(GOLDEN / "site", tmp_path / "site")
    out = tmp_path / "out"
    assert gazette("build", "--site", site, "--output", out, "--now", NOW, "-q").code == 0
    assert len(drawn) == 3
    drawn.clear()
    # A fresh output folder (a CI run restores .gazette-cache only): every card comes from the cache.
    assert gazette("build", "--site", site, "--output", tmp_path / "fresh", "--now", NOW, "-q").code == 0
    assert drawn == []
    assert snapshot(tmp_path / "fresh") == snapshot(out)
    story = site / "content/posts/2025/rust-court.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("Rust 1.90 est là", "Rust 1.91 est là"), encoding="utf-8"
    )
    (old,) = (out / "2025/06/rust-court").glob("card.*.png")
    assert gazette("build", "--site", site, "--output", out, "--now", NOW, "-q").code == 0
    assert drawn == ["Rust 1.91 est là"]
    (new,) = (out / "2025/06/rust-court").glob("card.*.png")
    assert new.name != old.name  # a new URL, which social networks fetch anew; the old card is removed
    assert head_of(out / "2025/06/rust-court/index.html")["og:image"] == f"{BASE}2025/06/rust-court/{new.name}"


def test_a_build_with_every_card_in_place_does_not_load_pillow(tmp_path: Path) -> None:
    site = shutil.copytree(GOLDEN / "site", tmp_path / "site")
    assert gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW, "-q").code == 0
    (site / "content/posts/2025/extra.md").write_text("---\ntitle: En plus\ndate: 2025-01-01\n---\nTexte.\n")
    assert gazette("build", "--site", site, "--output", tmp_path / "out", "--now", NOW, "-q").code == 0
    # Another story's text changes: the pipeline runs, renders that page, and draws nothing.
    (site / "content/posts/2025/extra.md").write_text("---\ntitle: En plus\ndate: 2025-01-01\n---\nAutre texte.\n")
    args = ["build", "--site", str(site), "--output", str(tmp_path / "out"), "--now", NOW, "-q"]
    code = f"import sys; from generator.cli import main; code = main({args!r}); print(code, 'PIL' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "False"]


THEME_CARD = """
extends: default
card:
  title_font: ["Gazette Missing Sans:bold", "DejaVu Sans:bold"]
  text_font: [DejaVu Sans]
"""


def test_a_font_that_is_not_installed_is_named_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, run = build_in(tmp_path, monkeypatch, {
        "site.yaml": "theme: mine\n",
        "themes/mine/theme.yaml": THEME_CARD,
        "themes/mine/templates/.keep": "",
        "content/posts/a.md": "---\ntitle: 华为 Azure\ndate: 2025-01-01\n---\nText.\n",
    })  # fmt: skip
    assert run.code == 0
    assert run.err == (
        "themes/mine/theme.yaml:3:16: warning: font 'Gazette Missing Sans:bold' is not installed; install it "
        "(your system's font packages) or name another font; social cards are drawn without it\n"
        '      title_font: ["Gazette Missing Sans:bold", "DejaVu Sans:bold"]\n'
        "                   ^\n"
        "content/posts/a.md:1:1: warning: no font of the theme's social card has 华 (U+534E) 为 (U+4E3A), drawn as "
        "boxes on the card; add a font that has them to 'card' in the theme's theme.yaml\n"
    )
    assert gazette("build", "--site", site, "--now", NOW, "--strict").code == 1


def test_the_install_hint_names_the_debian_package() -> None:
    from generator.render.cardstyle import install_hint

    assert (
        install_hint("Noto Sans CJK SC:bold")
        == "install it (Debian, Ubuntu: apt install fonts-noto-cjk) or name another font"
    )


def test_a_theme_without_any_usable_font_draws_no_card_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, run = build_in(tmp_path, monkeypatch, {
        "site.yaml": "theme: mine\n",
        "themes/mine/theme.yaml": "extends: default\ncard:\n  title_font: fonts/none.ttf\n  background: '#zzz'\n",
        "themes/mine/templates/.keep": "",
        "content/posts/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nText.\n",
    })  # fmt: skip
    assert run.code == 1
    assert run.err.startswith(
        "themes/mine/theme.yaml:4:15: error: 'card background' must be a colour like '#1a2b3c', not '#zzz'\n"
    )
    (site / "themes/mine/theme.yaml").write_text("extends: default\ncard:\n  title_font: fonts/none.ttf\n")
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0
    assert run.err.splitlines()[0] == (
        "themes/mine/theme.yaml:3:15: warning: font file 'fonts/none.ttf' is not in the theme's folder "
        f"{site / 'themes/mine'}; add it or name another font; social cards are drawn without it"
    )
    assert "no title font or no text font of 'card' is installed, so no social card is drawn" in run.err
    page = (site / "output/2025/01/a/index.html").read_text(encoding="utf-8")
    assert "og:image" not in page and '<meta name="twitter:card" content="summary">' in page


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("javascript:alert(1)", "'image' must be a picture or a web address, not 'javascript:alert(1)'; give a full "
         "https:// URL, a path from the site's root (/img/photo.jpg) or a file beside the story"),
        ("https://", "'image' is no valid URL: 'https://'; give a full https:// URL, a path from the site's root "
         "(/img/photo.jpg) or a file beside the story"),
    ],
)  # fmt: skip
def test_a_picture_that_is_no_picture_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, message: str
) -> None:
    _, run = build_in(
        tmp_path,
        monkeypatch,
        {"content/posts/a.md": f"---\ntitle: A\ndate: 2025-01-01\nimage: {written}\n---\nText.\n"},
    )
    assert run.code == 1
    assert run.err.startswith(f"content/posts/a.md:4:8: error: {message}\n    image: {written}\n           ^\n")


def test_a_picture_networks_do_not_show_is_a_warning_and_the_story_gets_a_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SVG (or AVIF) brought from an old blog: the story is published with a drawn card, and the writer told."""
    site, run = build_in(
        tmp_path,
        monkeypatch,
        {
            "content/posts/a.md": "---\ntitle: A\ndate: 2025-01-01\nimage: /img/logo.svg?v=2\n---\nText.\n",
            "static/img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
    )
    assert run.code == 0
    assert run.err.startswith(
        "content/posts/a.md:4:8: warning: 'image' names '/img/logo.svg', which social networks do not show (they "
        "show PNG, JPG, JPEG, GIF, WEBP), so the story gets a drawn card instead; give a picture of one of those "
        "kinds to show it\n    image: /img/logo.svg?v=2\n           ^\n"
    )
    page = (site / "output/2025/01/a/index.html").read_text(encoding="utf-8")
    card = re.search(
        r'<meta property="og:image" content="http://localhost:8000/(2025/01/a/card\.[0-9a-f]{10}\.png)">', page
    )
    assert card is not None and (site / "output" / card.group(1)).is_file()
    strict = gazette("build", "--site", site, "--strict", "--now", NOW)
    assert strict.code == 1 and "error: 'image' names '/img/logo.svg'" in strict.err


def test_an_empty_picture_or_update_moment_is_none_and_a_protocol_relative_url_is_https(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the templates of Hugo and Jekyll leave in a new post (`image: ""`) builds as if not written."""
    front = {"a": 'image: ""\nimage_alt: ""\nupdated: ""', "b": "image: //cdn.example.org/b.jpg"}
    files = {
        f"content/posts/{name}.md": f"---\ntitle: {name}\ndate: 2025-01-01\n{line}\n---\nText.\n"
        for name, line in front.items()
    }
    site, run = build_in(tmp_path, monkeypatch, files)
    assert (run.code, run.err) == (0, "")
    a = (site / "output/2025/01/a/index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta property="og:image" content="http://localhost:8000/2025/01/a/card\.', a)
    assert '"dateModified": "2025-01-01T00:00:00+00:00"' in a  # no change: the publication moment
    b = (site / "output/2025/01/b/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://cdn.example.org/b.jpg">' in b


def refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str) -> list[str]:
    """Build a site whose story b.md has this front matter line, which fails; give the messages' first lines."""
    story = f"---\ntitle: B\ndate: 2025-01-02\n{line}\n---\nText.\n"
    _, run = build_in(tmp_path / "refused", monkeypatch, {"content/posts/b.md": story})
    assert run.code == 1
    return [message for message in run.err.splitlines() if not message.startswith(" ")]


def test_a_picture_the_site_does_not_have_is_a_warning_and_an_alt_without_picture_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = "---\ntitle: A\ndate: 2025-01-01\nimage: /img/gone.png\n---\nText.\n"
    _, run = build_in(tmp_path / "one", monkeypatch, {"content/posts/a.md": story})
    assert run.code == 0
    assert run.err.startswith(
        "content/posts/a.md:4:8: warning: 'image' names /img/gone.png, which is no file of the site, so social "
        "networks will show no picture; put it in static/ (and write its path from the site's root) or beside "
        "the story, in its folder with index.md\n"
        "    image: /img/gone.png\n"
        "           ^\n"
    )
    errors = refused(tmp_path, monkeypatch, "image_alt: Un chat")
    assert errors == [
        "content/posts/b.md:4:12: error: 'image_alt' describes no picture; add 'image' or remove it",
        "Build failed: 1 error in 1 file; output/ was left as it was.",
    ]


def test_a_picture_written_as_jekyll_seo_tag_writes_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, run = build_in(tmp_path / "one", monkeypatch, {
        "content/posts/a.md": "---\ntitle: A\ndate: 2025-01-01\n"
        "image:\n  path: https://cdn.example.org/a.jpg\n  width: 1200\n  height: 630\n  alt: Un chat\n---\nText.\n",
    })  # fmt: skip
    assert run.code == 0, run.err
    page = (site / "output/2025/01/a/index.html").read_text("utf-8")
    assert '<meta property="og:image" content="https://cdn.example.org/a.jpg">' in page
    assert '<meta property="og:image:alt" content="Un chat">' in page
    assert not list((site / "output/2025/01/a").glob("card.*.png"))  # its own picture: no card drawn
    assert refused(tmp_path, monkeypatch, "image: {alt: x, size: 3}") == [
        "content/posts/b.md:4:8: error: 'image' written as a mapping needs its 'path', like 'path: /img/photo.jpg'",
        "content/posts/b.md:4:23: error: unknown key 'size' in 'image'; use path, alt, width, height",
        "Build failed: 2 errors in 1 file; output/ was left as it was.",
    ]


def test_a_machine_without_fontconfig_builds_without_cards_and_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_tree(tmp_path / "site", {"content/posts/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nText.\n"})
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no fc-match to be found
    run = gazette("build", "--site", site, "--now", NOW)
    assert run.code == 0
    lines = [line for line in run.err.splitlines() if ": warning: " in line]
    theme = "themes/default/theme.yaml"
    assert len(lines) == 5 and all(theme in line for line in lines)
    assert lines[0].endswith(
        "warning: fontconfig's fc-match is not installed; install it (Debian, Ubuntu: apt install fontconfig); "
        "social cards are drawn without it"
    )
    assert lines[-1].endswith(
        "warning: no title font or no text font of 'card' is installed, so no social card is drawn"
    )
    assert not list((site / "output").rglob("*.png"))
    assert "og:image" not in (site / "output/2025/01/a/index.html").read_text(encoding="utf-8")
    assert gazette("build", "--site", site, "--now", NOW, "--strict").code == 1
