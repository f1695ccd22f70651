"""Shared test helpers: write a site into a temporary folder, run the real command line on it."""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

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


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Return a function that writes a site from {path: text} and gives its folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "site", files)

    return make
