#!/usr/bin/env python3
"""Time whole `gazette build` runs on the team's benchmark corpus and print a table.

    python bench/build.py [--sizes 1000,10000] [--runs 5] [--corpus-script ../shared/bench/make_corpus.py]

For each corpus size it times, as whole processes (wall clock, medians of --runs runs):
  clean     output/ and .gazette-cache/ deleted first: everything parsed and rendered
  no-op     nothing changed since the last build: nothing parsed or rendered
  one edit  one story's text changed: that story parsed again, the outputs that show it rendered
and prints how many outputs each kind of run rendered. Uses only the standard library.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_YAML = "title: Bench\nbase_url: https://bench.example.org/news/\nlanguage: fr\ntimezone: Europe/Paris\n"


def make_site(folder: Path, size: int, corpus_script: Path) -> Path:
    """Write a site of `size` generated stories (the shared corpus generator, seed 42)."""
    site = folder / f"site-{size}"
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    subprocess.run([sys.executable, str(corpus_script), str(posts), str(size)], check=True, capture_output=True)
    return site


def gazette_build(site: Path) -> tuple[float, int]:
    """Run one build as its own process; return its wall time and how many outputs it rendered."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr}")
    rendered = re.search(r"\(([\d,]+) rendered", done.stdout)
    return seconds, int(rendered.group(1).replace(",", "")) if rendered else -1


def clean(site: Path) -> None:
    """Forget every earlier build."""
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".gazette-cache", ignore_errors=True)


def edit_one(site: Path, run: int) -> None:
    """Change the text of one story, differently each run."""
    post = min((site / "content" / "posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + f"\nÉdition {run}.\n", encoding="utf-8")


def measure(site: Path, runs: int) -> dict[str, tuple[list[float], int]]:
    """Time each kind of build `runs` times."""
    results: dict[str, tuple[list[float], int]] = {"clean": ([], 0), "no-op": ([], 0), "one edit": ([], 0)}
    for run in range(runs):
        clean(site)
        for kind, before in (("clean", None), ("no-op", None), ("one edit", edit_one)):
            if before is not None:
                before(site, run)
            seconds, rendered = gazette_build(site)
            results[kind][0].append(seconds)
            results[kind] = (results[kind][0], rendered)
    return results


def main() -> int:
    """Build the corpora, time the builds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000", help="comma-separated corpus sizes (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each kind (default 5)")
    parser.add_argument("--corpus-script", type=Path, default=REPO.parent / "shared" / "bench" / "make_corpus.py")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| stories | build | median s | min s | max s | outputs rendered | runs |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="gazette-bench-") as scratch:
        for size in sizes:
            site = make_site(Path(scratch), size, args.corpus_script)
            for kind, (times, rendered) in measure(site, args.runs).items():
                print(
                    f"| {size:,} | {kind} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} "
                    f"| {rendered:,} | {len(times)} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
