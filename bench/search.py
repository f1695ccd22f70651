#!/usr/bin/env python3
"""Measure search on the project's seeded corpus: how big Pagefind's index is, and how long indexing takes.

    python bench/search.py [--sizes 1000,10000] [--runs 3] [--seed 42]

For each size it writes the corpus of bench/corpus.py once (the one bench/build.py times, shared with it
under the same scratch folder), then, in fresh processes, with `search: false` and with `search: true`:

  cold build      no output and no cache; the difference between the two is the time indexing adds
  one story       one story's text changed, then a build: Pagefind cannot add to an index, so every story
                  is indexed again; with search off, only the pages showing that story are rendered

and prints medians of RUNS runs, then the index: its bytes and files in output/pagefind/, and the stories
in each language's index. Needs Pagefind (`pip install -e '.[search]'`). Uses bench/build.py's helpers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import build as timing  # noqa: E402  (bench/ is not a package: bench/build.py beside this script)

MODES = {"off": "search: false\n", "on": "search: true\n"}


@dataclass
class Measured:
    """The runs of one size: seconds of each scenario in each mode, and the last index made."""

    seconds: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    index_bytes: int = 0
    index_files: int = 0
    languages: dict[str, int] = field(default_factory=dict)

    def add(self, scenario: str, mode: str, seconds: float) -> None:
        """Record one run."""
        self.seconds.setdefault((scenario, mode), []).append(seconds)

    def median(self, scenario: str, mode: str) -> float:
        """Give the median of a scenario's runs."""
        return statistics.median(self.seconds[(scenario, mode)])


def measure_mode(stories: Path, site: Path, mode: str, log: Path, measured: Measured) -> None:
    """Build a fresh site cold, then again after editing one story, with search on or off."""
    gazette = timing.Gazette()
    timing.make_site(gazette, stories, site, MODES[mode])
    measured.add("cold", mode, timing.run_measured(gazette.build(site), log).seconds)
    story = min((site / "content" / "posts").glob("*.md"))
    timing.save(story, story.read_text(encoding="utf-8") + "\nUne phrase de plus, pour le banc d'essai.\n")
    measured.add("one story", mode, timing.run_measured(gazette.build(site), log).seconds)


def measure_index(bundle: Path, measured: Measured) -> None:
    """Record the size of the index in the output folder, and the stories of each language's index."""
    files = [path for path in bundle.rglob("*") if path.is_file()]
    measured.index_bytes = sum(path.stat().st_size for path in files)
    measured.index_files = len(files)
    entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
    measured.languages = {code: index["page_count"] for code, index in sorted(entry["languages"].items())}


def measure_size(size: int, args: argparse.Namespace) -> Measured:
    """Measure one corpus size, alternating the mode that goes first from one run to the next."""
    stories, _ = timing.make_corpus(args.scratch, size, args.seed, hugo=False)
    logs = args.scratch / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    measured = Measured()
    for run in range(args.runs):
        modes = ("off", "on") if run % 2 == 0 else ("on", "off")
        for mode in modes:
            site = args.scratch / f"search-{size}-{mode}"
            measure_mode(stories, site, mode, logs / f"search-{size}-{mode}.log", measured)
            if mode == "on":
                measure_index(site / "output" / "pagefind", measured)
        print(f"  {size:,} stories: run {run + 1} of {args.runs} done", file=sys.stderr)
    return measured


def table(size: int, measured: Measured) -> str:
    """Lay out the figures of one size as a markdown table."""
    rows = [f"### {size:,} stories", "", "| | search off | search on | indexing adds |", "|---|---:|---:|---:|"]
    for scenario, label in (("cold", "cold build"), ("one story", "one story edited")):
        off, on = measured.median(scenario, "off"), measured.median(scenario, "on")
        rows.append(f"| {label} | {off:.2f} s | {on:.2f} s | {on - off:+.2f} s |")
    languages = ", ".join(f"{code}: {count:,}" for code, count in measured.languages.items())
    rows += [
        "",
        f"Index: {measured.index_bytes / 1_048_576:.1f} MiB in {measured.index_files:,} files "
        f"(output/pagefind/); stories per language: {languages}.",
    ]
    return "\n".join(rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", type=timing.sizes, default=[1000, 10000], help="comma-separated story counts (default: 1000,10000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of every scenario; medians are shown (default: 3)")
    parser.add_argument("--seed", type=int, default=42, help="the corpus seed (default: 42)")
    parser.add_argument(
        "--scratch",
        type=Path,
        default=timing.parse_args([]).scratch,
        help="where the corpora, sites and logs go (default: %(default)s); corpora are kept for next time",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.scratch.resolve().is_relative_to(timing.REPO):
        parser.error("--scratch must be outside the repository")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each size and print its table."""
    args = parse_args(argv)
    print(f"Gazette with Pagefind, corpus seed {args.seed}, medians of {args.runs} runs.", end="\n\n", flush=True)
    try:
        for size in args.sizes:
            print(table(size, measure_size(size, args)), end="\n\n", flush=True)
    except timing.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
