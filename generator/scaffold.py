"""Start new things: a post (`gazette new`) and a whole site (`gazette init`).

`post_text` and `site_files` are pure; `write_new` and `create_site` write files, never over existing ones.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.content.articles import PAGES_DIR, POSTS_DIR
from generator.layout import CONFIG_FILE
from generator.model import Source
from generator.urls import slugify


def _quoted(text: str) -> str:
    """Quote a text for YAML: a JSON string is a YAML double-quoted scalar, so ': ', '#' and quotes are safe."""
    return json.dumps(text, ensure_ascii=False)


def post_text(
    title: str,
    date: dt.datetime,
    *,
    tags: Sequence[str] = (),
    sources: Sequence[Source] = (),
    draft: bool = True,
    body: str = "",
) -> str:
    """Write a post's markdown: complete front matter, then the body."""
    lines = ["---", f"title: {_quoted(title)}", f"date: {date.isoformat(timespec='seconds')}"]
    lines.append(f"tags: [{', '.join(_quoted(tag) for tag in tags)}]")
    if sources:
        lines.append("source:")
    # One source is a mapping, several a list of mappings: the shapes a writer would type.
    indent, first = ("  ", "  ") if len(sources) == 1 else ("    ", "  - ")
    for source in sources:
        lines.append(f"{first}name: {_quoted(source.name)}")
        lines += [f"{indent}url: {_quoted(source.url)}"] if source.url else []
    lines += [f"draft: {'true' if draft else 'false'}", "---", "", body]
    return "\n".join(lines).rstrip("\n") + "\n"


def post_path(root: Path, title: str) -> Path:
    """Say where a new post with this title goes: content/posts/<slug>.md."""
    return root / POSTS_DIR / f"{slugify(title)}.md"


def write_new(path: Path, text: str) -> None:
    """Write a new file (and its folders); raise FileExistsError rather than replace one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


_WORDS = {
    "en": {
        "description": "Tech news, with their sources.",
        "post_title": "Welcome to your Gazette",
        "post_body": (
            "This is your first story. Edit it, or start another with:\n\n"
            '    gazette new "Your headline" --tag News --source Outlet=https://example.org/story\n\n'
            "While `gazette serve` runs, every save shows up in the browser at once."
        ),
        "about_title": "About",
        "about_body": "Who writes here, and why. Edit `content/pages/about.md`.",
        "about_slug": "about",
    },
    "fr": {
        "description": "Les brèves de la tech, avec leurs sources.",
        "post_title": "Bienvenue dans votre Gazette",
        "post_body": (
            "Voici votre première brève. Modifiez-la, ou commencez-en une autre :\n\n"
            '    gazette new "Votre titre" --tag Actu --source Média=https://example.org/article\n\n'
            "Pendant que `gazette serve` tourne, chaque enregistrement s’affiche aussitôt dans le navigateur."
        ),
        "about_title": "À propos",
        "about_body": "Qui écrit ici, et pourquoi. Modifiez `content/pages/a-propos.md`.",
        "about_slug": "a-propos",
    },
}


def site_files(title: str, language: str, timezone: str, now: dt.datetime) -> Mapping[str, str]:
    """Give the files of a new site: settings, a first post, an about page, a .gitignore."""
    words = _WORDS["fr" if language.lower().startswith("fr") else "en"]
    config = "\n".join(
        [
            "# Settings of this Gazette site; every one has a default (see the README).",
            f"title: {_quoted(title)}",
            f"description: {_quoted(words['description'])}",
            "base_url: http://localhost:8000/  # where the site will be published",
            f"language: {language}",
            f"timezone: {timezone}",
            "",
        ]
    )
    first_post = post_text(
        words["post_title"],
        now.replace(microsecond=0),
        tags=["Gazette"],
        sources=[Source("Gazette", "https://example.org/")],
        draft=False,
        body=words["post_body"],
    )
    about = f"---\ntitle: {_quoted(words['about_title'])}\n---\n\n{words['about_body']}\n"
    return {
        CONFIG_FILE: config,
        f"{POSTS_DIR}{slugify(words['post_title'])}.md": first_post,
        f"{PAGES_DIR}{words['about_slug']}.md": about,
        ".gitignore": "output/\n.gazette-cache/\n",
    }


def create_site(folder: Path, files: Mapping[str, str]) -> None:
    """Write a new site into a folder that does not exist or is empty; raise FileExistsError otherwise."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(folder)
    for name, text in files.items():
        write_new(folder / name, text)
