"""`gazette check`: run the content, output and external checks, and give their findings grouped by file."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Finding, as_errors
from generator.site.cache import CACHE_DIR

FUTURE_DAYS = 365  # a story dated further ahead than this is taken for a typo in the year (--future-days)
TIMEOUT = 10.0  # seconds to wait for one external link (--timeout)


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What `gazette check` is asked to check."""

    root: Path
    output: Path  # the built site to check
    now: dt.datetime
    base_url: str | None = None
    external: bool = False
    timeout: float = TIMEOUT
    future_days: int = FUTURE_DAYS
    strict: bool = False  # warnings count as errors


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a check found, grouped by file, and what it could not check (`notes`)."""

    findings: tuple[Finding, ...]
    notes: tuple[str, ...]
    stories: int

    @property
    def failed(self) -> bool:
        """Tell whether any finding is an error."""
        return any(f.diagnostic.severity == "error" for f in self.findings)

    def summary(self) -> str:
        """Say in one line what was checked and found."""
        errors = sum(1 for f in self.findings if f.diagnostic.severity == "error")
        warnings = len(self.findings) - errors
        files = len({f.diagnostic.path for f in self.findings})
        checked = f"Checked {self.stories:,} {'story' if self.stories == 1 else 'stories'}"
        if not self.findings:
            return f"{checked}: no problems found"
        counts = [
            f"{errors:,} error{'' if errors == 1 else 's'}",
            f"{warnings:,} warning{'' if warnings == 1 else 's'}",
        ]
        return f"{checked}: {' and '.join(counts)} in {files:,} file{'' if files == 1 else 's'}"


def ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Group findings by file, in file order, each file's in line and column order."""
    return tuple(sorted(findings, key=lambda f: (f.diagnostic.path, f.diagnostic.line, f.diagnostic.col)))


def _shown(root: Path, folder: Path) -> str:
    """Name a folder as diagnostics do: from the site's root when it is inside, else in full."""
    absolute = folder.resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(absolute)


def run_checks(options: CheckOptions) -> CheckReport:
    """Check the site's content, then its last build, then (when asked) the links that leave it."""
    # Loaded when a check runs: the command line stays quick to start for every other verb.
    from generator.lock import site_lock
    from generator.publish.contentcheck import Content, check_content, read_content
    from generator.publish.linkcheck import check_external, external_links
    from generator.publish.outputcheck import check_output

    content = read_content(options.root, options.base_url, options.now)
    if not isinstance(content, Content):  # site.yaml has errors: nothing else can be read
        return CheckReport(ordered(content), (), 0)
    findings = check_content(content, options.now, options.future_days)
    notes = []
    if options.output.is_dir():
        with site_lock(options.root / CACHE_DIR):  # never read a build half-written
            findings += check_output(options.output, _shown(options.root, options.output), content)
    else:
        shown = os.path.relpath(options.output)
        notes.append(f"output checks skipped: there is no built site in {shown}/ yet; run gazette build first")
    if options.external:
        external, offline = check_external(external_links(content), options.root / CACHE_DIR, options.timeout)
        findings += external
        notes += [offline] if offline else []
    if options.strict:
        findings = [
            Finding(f.check, d) for f, d in zip(findings, as_errors(tuple(f.diagnostic for f in findings)), strict=True)
        ]
    return CheckReport(ordered(findings), tuple(notes), len(content.articles))


def findings_json(findings: Iterable[Finding]) -> str:
    """Write findings as a JSON list for CI annotations: file, line, column, severity, message, check."""
    return json.dumps(
        [
            {
                "file": f.diagnostic.path,
                "line": f.diagnostic.line,
                "column": f.diagnostic.col,
                "severity": f.diagnostic.severity,
                "message": f.diagnostic.message,
                "check": f.check,
            }
            for f in findings
        ],
        ensure_ascii=False,
        indent=2,
    )
