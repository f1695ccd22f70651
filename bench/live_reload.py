"""Measure the time from saving a story to seeing it updated in the browser, under `gazette serve`.

    python bench/live_reload.py [CASE ...] [--edits 20]

Each CASE is `repo` (a copy of this repository's own site) or a number N (a temporary site whose
content/posts/ holds N articles from bench/corpus.py, seed 42). For each case: start
`gazette serve` on a free port, open the newest story in Chromium (Debian's /usr/bin/chromium, driven by
playwright), then save the story's markdown EDITS times (atomically, as editors do) and time each save
until the reloaded page has parsed (DOMContentLoaded). Prints a table. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.config import load_config
from generator.content.articles import parse_articles
from generator.content.sources import read_sources

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for the test suite's Chromium launcher, shared so both run Chromium alike
from tests.conftest import launch_chromium  # noqa: E402

CORPUS_SCRIPT = REPO / "bench" / "corpus.py"
# Stamped by the page itself, so the browser's own timing is measured, not the test driver's polling.
STAMP = "addEventListener('DOMContentLoaded', () => { window.__shownAt = Date.now(); });"


def make_site(case: str, folder: Path) -> None:
    """Fill a folder with the site of a case."""
    shutil.copy(REPO / "site.yaml", folder / "site.yaml")
    if case == "repo":
        shutil.copytree(REPO / "content", folder / "content")
        return
    posts = folder / "content" / "posts"
    posts.mkdir(parents=True)
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(posts), case], check=True, stdout=subprocess.DEVNULL)


def newest_story(root: Path) -> tuple[Path, str]:
    """Find the newest post of a site: its file and its URL."""
    config = load_config(root).config
    sources, _ = read_sources(root)
    articles, _ = parse_articles(sources, config)
    newest = max((a for a in articles if a.kind == "post" and not a.draft), key=lambda a: (a.date, a.path))
    return root / newest.path, newest.url


def start_server(root: Path) -> tuple[subprocess.Popen[str], str, float, int]:
    """Start `gazette serve`; give the process, its URL, the first build's seconds and the article count."""
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert server.stdout is not None
    articles = 0
    for line in server.stdout:
        built = re.match(r"Built ([\d,]+) article", line)
        if built:
            articles = int(built.group(1).replace(",", ""))
        serving = re.match(r"Serving (http://\S+)", line)
        if serving:
            return server, serving.group(1), time.perf_counter() - started, articles
    raise RuntimeError("gazette serve stopped before serving")


def save(path: Path, text: str) -> None:
    """Save a file the way most editors do: write a temporary file, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def measure(case: str, edits: int) -> dict[str, str]:
    """Run one case; give its row of the table."""
    with tempfile.TemporaryDirectory(prefix="gazette-bench-") as temp:
        root = Path(temp)
        make_site(case, root)
        story, url = newest_story(root)
        server, base, first_build, articles = start_server(root)
        original = story.read_text(encoding="utf-8")
        timings: list[float] = []
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page()
                page.add_init_script(STAMP)
                page.goto(base.rstrip("/") + url)
                page.wait_for_function("() => window.__shownAt !== undefined")
                for number in range(edits):
                    marker = f"Édition mesurée numéro {number}"
                    with page.expect_navigation(wait_until="domcontentloaded", timeout=1_800_000):
                        saved_at = time.time() * 1000
                        save(story, f"{original}\n{marker}\n")
                    shown_at = page.evaluate("window.__shownAt")
                    if marker not in page.content():
                        raise RuntimeError(f"the page reloaded without edit {number}")
                    timings.append(shown_at - saved_at)
                    time.sleep(0.3)  # let the watcher settle, so each save is its own burst
                browser.close()
        finally:
            server.terminate()
            server.wait()
    return {
        "site": "repository" if case == "repo" else f"corpus {case}",
        "articles": f"{articles:,}",
        "first build": f"{first_build:.2f} s",
        "median": f"{statistics.median(timings):.0f} ms",
        "min": f"{min(timings):.0f} ms",
        "max": f"{max(timings):.0f} ms",
        "edits": str(len(timings)),
    }


def main() -> None:
    """Measure each case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", default=["repo", "10000"], help="'repo' or a number of articles")
    parser.add_argument("--edits", type=int, default=20, help="saves to time per case (default: 20)")
    args = parser.parse_args()
    rows = [measure(case, args.edits) for case in args.cases]
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-|-".join("-" * widths[c] for c in columns))
    for row in rows:
        print(" | ".join(row[c].ljust(widths[c]) for c in columns))


if __name__ == "__main__":
    main()
