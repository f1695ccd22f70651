"""The `gazette` command: parse arguments, run a verb, report to the terminal. Exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator import __version__
from generator.build import BuildOptions, BuildResult, SiteBuilder, build, output_problem, resolve_now
from generator.errors import BuildFailed, Diagnostic, summary
from generator.layout import CONFIG_FILE
from generator.model import Source
from generator.progress import build_progress, shows_progress
from generator.publish.checks import FUTURE_DAYS, TIMEOUT, CheckOptions, findings_json, run_checks
from generator.site.schedule import describe_next
from generator.urls import is_web_url

# Each verb imports the rest of what it needs when it runs: a build with nothing to do takes less time
# than loading YAML, the preview server and the watcher would.
if TYPE_CHECKING:
    from generator.preview.watch import Watcher

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 128 + 2  # the shell's status for a process ended by Ctrl-C (SIGINT)


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
    site, report = result.counts, result.report
    shown = os.path.relpath(out_dir)
    if shown.startswith(".."):
        shown = str(out_dir)
    parts = [
        f"Built {_plural(site.posts, 'article')} and {_plural(site.pages, 'page')} into {shown}/: "
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
    if not is_web_url(value):
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


def _build_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that say what to build and where (build and watch)."""
    parser.add_argument("--output", type=Path, help="where to write the site (default: SITE/output)")
    parser.add_argument("--drafts", action="store_true", help="include drafts")
    parser.add_argument("--future", action="store_true", help="include posts dated in the future")
    parser.add_argument("--base-url", type=_base_url, help="override site.yaml's base_url")


def make_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="gazette", description="Gazette: a static site generator for tech news.")
    parser.add_argument("--version", action="version", version=f"gazette {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    build_parser = verbs.add_parser(
        "build", help="build the site into output/", description="Build the site into output/."
    )
    _common(build_parser)
    _build_options(build_parser)
    build_parser.add_argument(
        "--now",
        type=_moment,
        help="the moment to build at (default: SOURCE_DATE_EPOCH or the clock)",
    )
    build_parser.add_argument("--strict", action="store_true", help="fail on warnings too, writing nothing (for CI)")
    _add_writing_verbs(verbs)
    _add_check_verb(verbs)
    return parser


def _source(value: str) -> Source:
    """Check a --source value: NAME=URL."""
    name, _, url = value.partition("=")
    if not name.strip() or not is_web_url(url):
        raise argparse.ArgumentTypeError(f"'{value}' is not NAME=URL, like ITHome=https://www.ithome.com/0/800/000.htm")
    return Source(name.strip(), url)


def _zone(value: str) -> str:
    """Check a --timezone value."""
    try:
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError):
        raise argparse.ArgumentTypeError(f"unknown timezone '{value}'; use a name like Europe/Paris or UTC") from None
    return value


def _port(value: str) -> int:
    """Check a --port value (0 picks a free port)."""
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number (0 to 65535)")
    return int(value)


def _add_writing_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Describe the verbs of the writing loop: new, init, serve, watch."""
    new = verbs.add_parser(
        "new", help="start a new post", description="Write content/posts/<slug>.md with complete front matter."
    )
    _common(new)
    new.add_argument("title", help="the headline")
    new.add_argument("--tag", action="append", default=[], help="a tag (repeat for more)")
    new.add_argument("--source", action="append", default=[], type=_source, help="the original story, NAME=URL")
    new.add_argument(
        "--draft", action=argparse.BooleanOptionalAction, default=True, help="mark it a draft (default: yes)"
    )
    new.add_argument("--date", type=_moment, help="its date (default: now, in the site's timezone)")
    new.add_argument("--edit", action="store_true", help="open it in $VISUAL or $EDITOR")

    init = verbs.add_parser(
        "init", help="create a new site", description="Create a site folder: site.yaml, a first post, an about page."
    )
    init.add_argument("folder", type=Path, help="the folder to create (it must not exist, or be empty)")
    init.add_argument("--title", help="the site's name (default: the folder's name)")
    init.add_argument("--language", default="en", help="the site's language (default: en)")
    init.add_argument("--timezone", type=_zone, default="UTC", help="the zone of dates without offset (default: UTC)")

    serve = verbs.add_parser(
        "serve",
        help="preview the site, reloading on every save",
        description="Build the site with drafts into .gazette-cache/preview/, serve it, rebuild and reload on save.",
    )
    _common(serve)
    serve.add_argument("--port", type=_port, default=8000, help="the port to serve on (default: 8000; 0: any free)")
    serve.add_argument("--bind", default="127.0.0.1", help="the address to serve on (default: 127.0.0.1)")
    serve.add_argument("--no-drafts", action="store_true", help="leave drafts out of the preview")
    serve.add_argument("--poll", action="store_true", help="poll for changes (for file systems without inotify)")

    watch = verbs.add_parser(
        "watch", help="rebuild output/ on every save", description="Build the site into output/, then again on change."
    )
    _common(watch)
    _build_options(watch)
    watch.add_argument("--poll", action="store_true", help="poll for changes (for file systems without inotify)")


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """Make the checker of a positive number option (--timeout, --future-days)."""

    def read(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            number = 0
        if number <= 0:
            raise argparse.ArgumentTypeError(f"'{value}' is not a positive {'whole ' if kind is int else ''}number")
        return number

    return read


def _add_check_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Describe `gazette check`."""
    check = verbs.add_parser(
        "check",
        help="find problems in the content and the built site",
        description="Check the stories, then the last build in output/, and with --external the links that leave "
        "the site. Exit 1 when an error is found (or a warning, with --strict).",
    )
    _common(check)
    check.add_argument("--output", type=Path, help="the built site to check (default: SITE/output)")
    check.add_argument("--base-url", type=_base_url, help="the base_url the site was built with, if not site.yaml's")
    check.add_argument("--now", type=_moment, help="the moment to check at (default: SOURCE_DATE_EPOCH or the clock)")
    check.add_argument("--external", action="store_true", help="also ask every source and outbound link if it answers")
    check.add_argument(
        "--timeout", type=_positive(float), default=TIMEOUT, help=f"seconds to wait for one link (default: {TIMEOUT:g})"
    )
    check.add_argument(
        "--future-days",
        type=_positive(int),
        default=FUTURE_DAYS,
        help=f"report stories dated more than this many days ahead (default: {FUTURE_DAYS})",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="text (default), or JSON for CI")
    check.add_argument("--strict", action="store_true", help="count warnings as errors")


def _output_folder(args: argparse.Namespace, root: Path) -> Path | None:
    """Give the folder to build into, or None (after saying why) when it would put the site at risk."""
    out_dir: Path = args.output if args.output is not None else root / "output"
    problem = output_problem(root, out_dir)
    if problem:
        print(f"gazette: error: {problem}", file=sys.stderr)
        return None
    return out_dir


def run_build(args: argparse.Namespace, root: Path) -> int:
    """Run `gazette build`."""
    out_dir = _output_folder(args, root)
    if out_dir is None:
        return EXIT_USAGE
    options = BuildOptions(root, out_dir, args.drafts, args.future, args.base_url, args.now, args.strict)
    if args.verbose:
        print(f"Building {root} into {out_dir}", file=sys.stderr)
    try:
        # Left before anything else is printed: the bar is erased, and diagnostics start on a clean line.
        with build_progress(sys.stderr, show=shows_progress(sys.stderr, quiet=args.quiet)) as progress:
            result = build(options, progress=progress)
    except BuildFailed as failure:
        print_diagnostics(failure.diagnostics, root)
        print(summary(failure.diagnostics, output_touched=failure.output_touched), file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("gazette: interrupted; every file in output/ is whole, and the next build finishes it", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # a file the build found no words for still gets a message, not a traceback
        where = f"{os.path.relpath(error.filename)}: " if isinstance(error.filename, str) else ""
        print(f"gazette: error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_ERRORS
    print_diagnostics(result.warnings, root, quiet=args.quiet)
    if not args.quiet:
        print(describe(result, out_dir))
        if (due := describe_next(result.counts)) is not None:
            print(due)
    return EXIT_OK


def run_check(args: argparse.Namespace, root: Path) -> int:
    """Run `gazette check`: print every finding, grouped by file; exit 1 on an error."""
    if args.output is not None and not args.output.is_dir():
        print(
            f"gazette: error: {args.output} is not a folder; run gazette build --output {args.output}", file=sys.stderr
        )
        return EXIT_USAGE
    out_dir = args.output if args.output is not None else root / "output"
    options = CheckOptions(
        root, out_dir, resolve_now(args.now), args.base_url, args.external, args.timeout, args.future_days, args.strict
    )
    if args.verbose:
        external = " and the links that leave it" if args.external else ""
        print(f"Checking {root}, its build in {out_dir}{external}", file=sys.stderr)
    report = run_checks(options)
    for note in report.notes:
        print(f"gazette: note: {note}", file=sys.stderr)
    if args.format == "json":
        print(findings_json(report.findings))
    else:
        print_diagnostics([finding.diagnostic for finding in report.findings], root, quiet=args.quiet)
    if not args.quiet or report.failed:
        print(report.summary(), file=sys.stderr if report.failed or args.format == "json" else sys.stdout)
    return EXIT_ERRORS if report.failed else EXIT_OK


def _config_errors(root: Path, quiet: bool) -> ZoneInfo | None:
    """Read site.yaml for its timezone; print its problems and give None when it has errors."""
    from generator.config import load_config

    loaded = load_config(root)
    print_diagnostics(loaded.diagnostics, root, quiet=quiet)
    return None if any(p.severity == "error" for p in loaded.diagnostics) else ZoneInfo(loaded.config.timezone)


def run_new(args: argparse.Namespace, root: Path) -> int:
    """Run `gazette new`: write a post, print its path, open it when asked."""
    from generator.scaffold import post_path, post_text, write_new

    title = " ".join(args.title.split())
    if not title:
        print("gazette: error: the title is empty", file=sys.stderr)
        return EXIT_USAGE
    zone = _config_errors(root, args.quiet)
    if zone is None:
        return EXIT_ERRORS
    date = (args.date or dt.datetime.now(zone)).astimezone(zone).replace(microsecond=0)
    path = post_path(root, title)
    text = post_text(title, date, tags=args.tag, sources=args.source, draft=args.draft)
    try:
        write_new(path, text)
    except FileExistsError:
        print(
            f"gazette: error: {os.path.relpath(path)} already exists; edit it, or choose another title",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    print(os.path.relpath(path))
    if args.edit:
        return open_editor(path)
    return EXIT_OK


def open_editor(path: Path) -> int:
    """Open a file in $VISUAL or $EDITOR and wait for it to close."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        print("gazette: error: set $EDITOR (for example: export EDITOR=nano) to use --edit", file=sys.stderr)
        return EXIT_USAGE
    try:
        status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
    except OSError as error:
        print(f"gazette: error: cannot run the editor '{editor}': {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if status == 0 else EXIT_ERRORS


def run_init(args: argparse.Namespace) -> int:
    """Run `gazette init`: create a site folder ready for `gazette serve`."""
    from generator.config import parse_config
    from generator.scaffold import create_site, site_files

    folder: Path = args.folder
    title = args.title or folder.resolve().name.replace("-", " ").replace("_", " ").title()
    files = site_files(title, args.language, args.timezone, dt.datetime.now(ZoneInfo(args.timezone)))
    problems = parse_config(CONFIG_FILE, files[CONFIG_FILE]).diagnostics  # checked before anything is written
    if problems:
        print_diagnostics(problems, Path())
        return EXIT_USAGE
    try:
        create_site(folder, files)
    except FileExistsError:
        print(f"gazette: error: {folder} is not empty; choose a new folder, or an empty one", file=sys.stderr)
        return EXIT_USAGE
    print(f"Created the site {folder}/. Next: cd {shlex.quote(str(folder))} && gazette serve")
    return EXIT_OK


def _report(root: Path, quiet: bool, out_dir: Path, failure_note: str) -> Callable[[BuildResult | BuildFailed], None]:
    """Make the function that prints each build of a serve or watch session."""

    def report(outcome: BuildResult | BuildFailed) -> None:
        if isinstance(outcome, BuildFailed):
            print_diagnostics(outcome.diagnostics, root)
            errors = len(outcome.errors)
            print(f"Build failed: {errors} error{'' if errors == 1 else 's'}; {failure_note}", file=sys.stderr)
            return
        print_diagnostics(outcome.warnings, root, quiet=quiet)
        if not quiet:
            print(describe(outcome, out_dir), flush=True)

    return report


def _start_watching(watcher: Watcher) -> bool:
    """Start a watcher; say what to do when the system refuses."""
    from generator.preview.watch import WatchError

    try:
        watcher.start()
    except WatchError as error:
        print(f"gazette: error: {error}", file=sys.stderr)
        return False
    return True


def _bind_message(error: OSError, host: str, port: int) -> str:
    """Say why the server could not listen, and what to do."""
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host} (another gazette serve?); "
            f"stop it, or choose another port: gazette serve --port {port + 1 if port < 65535 else 8000}"
        )
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; ports below 1024 need privileges, use --port 8000"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def run_serve(args: argparse.Namespace, root: Path) -> int:
    """Run `gazette serve`: build a preview with drafts, serve it, rebuild and reload on every change."""
    from generator.preview.edits import EditingBuilder
    from generator.preview.serve import PREVIEW_DIR, Preview, PreviewServer, is_loopback
    from generator.preview.watch import Watcher

    folder = root / PREVIEW_DIR
    builder = EditingBuilder(BuildOptions(root, folder, drafts=not args.no_drafts, future=True))
    preview = Preview(builder, folder, _report(root, args.quiet, folder, "still serving the last good build"))
    try:
        server = PreviewServer((args.bind, args.port), preview, verbose=args.verbose)
    except OSError as error:
        print(f"gazette: error: {_bind_message(error, args.bind, args.port)}", file=sys.stderr)
        return EXIT_USAGE
    if not is_loopback(args.bind):
        print(
            f"gazette: warning: serving on {args.bind}: other machines can read this preview, drafts included",
            file=sys.stderr,
        )
    # Pages link to the preview's own address, wherever the site will be published.
    builder.options = dataclasses.replace(builder.options, base_url=server.url)
    watcher = Watcher(root, preview.rebuild, poll=args.poll)
    try:
        preview.rebuild()
        if not _start_watching(watcher):
            return EXIT_ERRORS
        print(f"Serving {server.url} (drafts {'hidden' if args.no_drafts else 'shown'}); Ctrl-C stops", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        preview.close()
        server.server_close()
        watcher.stop()
    return EXIT_OK


def run_watch(args: argparse.Namespace, root: Path) -> int:
    """Run `gazette watch`: build into output/, then again after every change, until Ctrl-C."""
    from generator.preview.watch import Watcher

    out_dir = _output_folder(args, root)
    if out_dir is None:
        return EXIT_USAGE
    builder = SiteBuilder(BuildOptions(root, out_dir, args.drafts, args.future, args.base_url))
    report = _report(root, args.quiet, out_dir, f"{os.path.relpath(out_dir)}/ was left as it was")
    watcher = Watcher(root, lambda changed: report(builder.rebuild()), poll=args.poll)
    try:
        report(builder.rebuild())
        if not _start_watching(watcher):
            return EXIT_ERRORS
        print(f"Watching {root} for changes; Ctrl-C stops", file=sys.stderr, flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        watcher.stop()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = make_parser().parse_args(argv)
    if args.verb == "init":
        return run_init(args)
    root = (args.site or find_site(Path.cwd())).resolve()
    if not root.is_dir():
        print(f"gazette: error: the site folder {args.site} does not exist", file=sys.stderr)
        return EXIT_USAGE
    verbs = {"build": run_build, "check": run_check, "new": run_new, "serve": run_serve, "watch": run_watch}
    return verbs[args.verb](args, root)
