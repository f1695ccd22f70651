"""The `gazette` command: parse arguments, run a verb, report to the terminal. Exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from generator import __version__
from generator.build import BuildOptions, BuildResult, build, output_problem
from generator.config import CONFIG_FILE
from generator.errors import BuildFailed, Diagnostic, summary

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def find_site(start: Path) -> Path:
    """Return the nearest folder at or above `start` holding site.yaml, else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start


def _colour(stream: object) -> bool:
    """Colour only on a terminal, and never with NO_COLOR."""
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def print_diagnostics(diagnostics: Sequence[Diagnostic], root: Path, *, quiet: bool = False) -> None:
    """Print each diagnostic to stderr (warnings are left out when quiet)."""
    colour = _colour(sys.stderr)
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity == "warning":
            continue
        text = diagnostic.format(root)
        if colour:
            code = "31" if diagnostic.severity == "error" else "33"
            text = text.replace(f" {diagnostic.severity}: ", f" \033[1;{code}m{diagnostic.severity}:\033[0m ", 1)
        print(text, file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    """Say '1 article' or '2 articles', with thousands separated."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def describe(result: BuildResult, out_dir: Path) -> str:
    """Summarize a build in one line."""
    site, report = result.site, result.report
    shown = os.path.relpath(out_dir)
    if shown.startswith(".."):
        shown = str(out_dir)
    parts = [
        f"Built {_plural(len(site.posts), 'article')} and {_plural(len(site.pages), 'page')} into {shown}/: "
        f"{_plural(result.files, 'file')} ({len(result.rendered):,} rendered, {report.written:,} written, "
        f"{report.removed:,} removed)"
    ]
    if site.scheduled:
        parts.append(f"{site.scheduled:,} scheduled")
    if site.drafts:
        parts.append(f"{_plural(site.drafts, 'draft')} left out")
    return ", ".join(parts) + f" in {result.seconds:.2f} s"


def _base_url(value: str) -> str:
    """Check a --base-url value."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"'{value}' is not an absolute http(s) URL, like https://example.org/blog/")
    return value


def _moment(value: str) -> dt.datetime:
    """Check a --now value: an ISO date or date-time; without an offset it is UTC."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not an ISO date like 2024-10-14T09:30:00+02:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _common(parser: argparse.ArgumentParser) -> None:
    """Add the options every verb takes."""
    parser.add_argument("--site", type=Path, help="the site folder (default: nearest folder with site.yaml)")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="say more about what is done")


def make_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="gazette", description="Gazette: a static site generator for tech news.")
    parser.add_argument("--version", action="version", version=f"gazette {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    build_parser = verbs.add_parser(
        "build", help="build the site into output/", description="Build the site into output/."
    )
    _common(build_parser)
    build_parser.add_argument("--output", type=Path, help="where to write the site (default: SITE/output)")
    build_parser.add_argument("--drafts", action="store_true", help="include drafts")
    build_parser.add_argument("--future", action="store_true", help="include posts dated in the future")
    build_parser.add_argument("--base-url", type=_base_url, help="override site.yaml's base_url")
    build_parser.add_argument(
        "--now",
        type=_moment,
        help="the moment to build at (default: SOURCE_DATE_EPOCH or the clock)",
    )
    return parser


def run_build(args: argparse.Namespace, root: Path) -> int:
    """Run `gazette build`."""
    out_dir = args.output if args.output is not None else root / "output"
    problem = output_problem(root, out_dir)
    if problem:
        print(f"gazette: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    options = BuildOptions(root, out_dir, args.drafts, args.future, args.base_url, args.now)
    if args.verbose:
        print(f"Building {root} into {out_dir}", file=sys.stderr)
    try:
        result = build(options)
    except BuildFailed as failure:
        print_diagnostics(failure.diagnostics, root)
        print(summary(failure.diagnostics), file=sys.stderr)
        return EXIT_ERRORS
    print_diagnostics(result.warnings, root, quiet=args.quiet)
    if not args.quiet:
        print(describe(result, out_dir))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = make_parser().parse_args(argv)
    root = (args.site or find_site(Path.cwd())).resolve()
    if not root.is_dir():
        print(f"gazette: error: the site folder {args.site} does not exist", file=sys.stderr)
        return EXIT_USAGE
    return run_build(args, root)
