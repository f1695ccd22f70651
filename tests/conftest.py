"""Shared test helpers: write a site into a temporary folder, run the real command line on it."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import http.server
import io
import json
import os
import sqlite3
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from generator.cli import main
from generator.lock import LOCK_FILE
from generator.site.cache import DATABASE

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-01-01T00:00:00+00:00"


@dataclass
class Run:
    """What one `gazette` command did."""

    code: int
    out: str
    err: str


def gazette(*args: str | Path) -> Run:
    """Run the `gazette` command line in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (dedented text, or raw bytes) under root and return root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Read every file below a folder into {relative path: bytes}."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refuse_writes_after(monkeypatch: pytest.MonkeyPatch, files: int, code: int = errno.ENOSPC) -> None:
    """Make the disk refuse more bytes (full, by default) once `files` files were written through os.fdopen."""
    real_fdopen, done = os.fdopen, list[int]()

    class Refusing(io.FileIO):
        def write(self, data: object) -> int:
            raise OSError(code, os.strerror(code))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> IO[Any]:
        if len(done) >= files:
            return Refusing(fd, "wb")  # type: ignore[return-value]
        done.append(fd)
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make opening files whose path ends in `name` fail as it does without read permission."""
    real_open = os.open

    def open_(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if str(path).endswith(name):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def change_cache(folder: Path, *statements: str) -> None:
    """Run SQL statements on a cache folder's database, as another program damaging it would."""
    with contextlib.closing(sqlite3.connect(folder / DATABASE)) as db, db:
        for statement in statements:
            db.execute(statement)


def stored_articles(folder: Path) -> dict[str, str]:
    """Return the articles a cache folder's database holds: their JSON (without their body) by key."""
    with contextlib.closing(sqlite3.connect(folder / DATABASE)) as db:
        return dict(db.execute("SELECT key, data FROM articles"))


def is_locked(folder: Path) -> bool:
    """Tell whether someone holds a cache folder's build lock, by trying to take it through a descriptor of our own."""
    fd = os.open(folder / LOCK_FILE, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Return a function that writes a site from {path: text} and gives its folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "site", files)

    return make


# A newsroom of 50 stories, for the theme's validator and browser tests: French and English, tags,
# sources with and without url and language, updates, code, tables, a Chinese title, a hostile title.
NEWSROOM_TAGS = ("IA", "Cloud", "Sécurité", "Rust", "Linux", "Microsoft", "Apple", "Open source", "Chine")
HOSTILE_TITLE = "Le </script> « piège » & \"guillemets\" d'O'Reilly"
CHINESE_TITLE = "微软停止向中国个人开发者提供 Azure OpenAI 服务"


def _newsroom_story(n: int) -> str:
    """Write story number n of the newsroom fixture, varying what a theme must cope with."""
    english = n % 3 == 1
    title = {
        0: "Microsoft coupe Azure OpenAI aux développeurs individuels en Chine : ce qui change",
        7: CHINESE_TITLE,
        13: HOSTILE_TITLE,
        21: "Une très longue manchette pour vérifier que les titres se replient correctement sur un téléphone",
    }.get(n, f"Story {n}: a cloud outage explained" if english else f"Brève {n} : la mise à jour de sécurité")
    tags = [NEWSROOM_TAGS[n % len(NEWSROOM_TAGS)], NEWSROOM_TAGS[(n * 2 + 1) % len(NEWSROOM_TAGS)]]
    if n % 5 == 0:
        tags.append("Cloud")
    source = {
        0: "source:\n  name: ITHome\n  url: https://www.ithome.com/0/800/000.htm\n  lang: zh\n",
        1: "source: The Register\n",
        2: "source: https://www.theverge.com/2024/1/1/ai-news\n",
        3: "source:\n  - name: Heise\n    url: https://www.heise.de/news/1.html\n    lang: de\n"
        "  - name: Ars Technica\n    url: https://arstechnica.com/x/\n",
    }[n % 4]
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: 2024-{1 + n // 28:02d}-{1 + n % 28:02d}T{8 + n % 10:02d}:30:00+01:00",
        f"tags: {json.dumps(tags, ensure_ascii=False)}",
        source.rstrip("\n"),
    ]
    if n % 5 == 2:
        lines.append(f"updated: 2024-{1 + n // 28:02d}-{1 + n % 28:02d}T20:00:00+01:00")
    if english:
        lines.append("lang: en")
    if n % 3 == 0:
        lines.append('summary: "Le résumé : ce qu\'il faut savoir, en une phrase !"')
    if n % 4 == 1:
        lines.append("author: [Alice Martin, Bob Chen]")
    lines.append("---")
    body = [
        "First paragraph of the story, with a [link](https://example.com/a:b?x=1) and `code: here`."
        if english
        else "Premier paragraphe : il cite « l'original » et pose la question ? Oui ! Rendez-vous à 12:30.",
        "",
        "<!-- more -->" if n % 7 == 0 else "",
        "## Contexte" if not english else "## Background",
        "",
        "Une adresse très longue : https://example.com/un/chemin/vraiment/tres/long/qui/ne/se/coupe/pas/tout/seul"
        " et un mot interminable : anticonstitutionnellementanticonstitutionnellement.",
        "",
        "> Une citation : elle garde sa mise en forme.",
        "",
    ]
    if n % 4 == 0:
        body += ["```python", "def hello(name: str) -> str:", '    return f"Bonjour : {name} !"', "```", ""]
    if n % 6 == 0:
        body += [
            "| Produit | Prix | Disponibilité |",
            "|---|---:|---|",
            "| Azure | 10 € | Oui |",
            "| AWS | 12 € | Non |",
            "",
        ]
    body += [f"Dernier paragraphe de la brève {n}, suivi d'une note[^1].", "", "[^1]: La note de bas de page."]
    return "\n".join(lines) + "\n\n" + "\n".join(body) + "\n"


def newsroom_files() -> dict[str, str | bytes]:
    """Give the files of the 50-story newsroom site, keyed by path."""
    files: dict[str, str | bytes] = {
        "site.yaml": (
            'title: "Le Fil Tech & Co"\n'
            'description: "Les brèves de la tech, sourcées."\n'
            'base_url: "https://news.example.com/tech/"\n'
            "language: fr\ntimezone: Europe/Paris\nauthor: Rédaction\nper_page: 12\n"
        ),
        "content/pages/a-propos.md": (
            '---\ntitle: "À propos"\n---\n\nNous citons nos sources : toujours. Contact : '
            "[écrivez-nous](mailto:redaction@example.com) ?\n"
        ),
    }
    for n in range(50):
        files[f"content/posts/story-{n:02d}.md"] = _newsroom_story(n)
    return files


@pytest.fixture(scope="session")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the newsroom site once; its output is served at /tech/ of the returned folder."""
    root = write_tree(tmp_path_factory.mktemp("newsroom") / "site", newsroom_files())
    www = root.parent / "www"
    run = gazette("build", "--site", root, "--output", www / "tech", "--now", NOW)
    assert run.code == 0, run.err
    return www


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request to the test output."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a folder over http on a free port of 127.0.0.1; give its root URL."""
    with serve_with(functools.partial(_QuietHandler, directory=str(folder))) as url:
        yield url


@contextlib.contextmanager
def serve_with(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve requests with a handler on a free port of 127.0.0.1, in a thread; give its root URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright never downloads a browser here
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch_chromium(playwright: Playwright) -> Browser:
    """Start Debian's Chromium, headless and offline."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Give the tests of one module a running Chromium."""
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
