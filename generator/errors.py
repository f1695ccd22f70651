"""Diagnostics: what went wrong, where, and how it is shown to a person. Pure."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]
# Control characters shown as escapes: a value quoted in a message must not start a line of its own
# (a forged "path:1:1: error:") nor send a terminal an escape sequence.
_SHOWN = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]} | {0x0A: "\\n", 0x09: " "}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file, at a 1-based line and column (0 when there is no position)."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    source_line: str = ""

    def format(self, root: Path | None = None) -> str:
        """Render as `path:line:col: severity: message`, then the line and a caret under the column."""
        shown = self.path
        if root is not None:
            shown = os.path.relpath(root / self.path)
        head = f"{shown}:{self.line}:{self.col}: {self.severity}: {self.message.translate(_SHOWN)}"
        if not self.source_line:
            return head
        text = self.source_line.translate(_SHOWN)
        caret = " " * (max(self.col, 1) - 1) + "^"
        return f"{head}\n    {text}\n    {caret}"


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic of `gazette check`, with the name of the check that found it (`no-source`, `broken-link`)."""

    check: str
    diagnostic: Diagnostic


class BuildFailed(Exception):
    """Raised when a build found errors; carries every diagnostic the build gathered.

    `output_touched` says the failure came while writing: the output folder then holds some new files
    beside old ones (each whole), and the next build finishes the job.
    """

    def __init__(self, diagnostics: tuple[Diagnostic, ...], *, output_touched: bool = False) -> None:
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics
        self.output_touched = output_touched

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics that are errors, not warnings."""
        return tuple(d for d in self.diagnostics if d.severity == "error")


def has_errors(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> bool:
    """Tell whether any diagnostic is an error (warnings alone let a build go on)."""
    return any(d.severity == "error" for d in diagnostics)


def as_errors(diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """Make every warning an error (`--strict`: nothing suspicious is let through)."""
    return tuple(replace(d, severity="error") for d in diagnostics)


def at_line(path: str, text: str, line: int, col: int, message: str, *, warning: bool = False) -> Diagnostic:
    """Make a diagnostic that quotes `line` of `text` (1-based)."""
    lines = text.split("\n")
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    return Diagnostic(path, line, col, message, "warning" if warning else "error", source_line)


def summary(diagnostics: tuple[Diagnostic, ...], *, output_touched: bool = False) -> str:
    """Say how many errors there are, in how many files, and what became of output/."""
    errors = [d for d in diagnostics if d.severity == "error"]
    files = len({d.path for d in errors})
    noun = "error" if len(errors) == 1 else "errors"
    where = "file" if files == 1 else "files"
    if output_touched:
        return (
            f"Build failed: {len(errors)} {noun} in {files} {where} while writing; output/ holds new files beside "
            "old ones, each complete, and the next build finishes it."
        )
    return f"Build failed: {len(errors)} {noun} in {files} {where}; output/ was left as it was."
