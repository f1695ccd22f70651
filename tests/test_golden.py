"""Golden sites: each tests/golden/<case>/site builds to exactly tests/golden/<case>/expected.

Regenerate after an intended change with `GAZETTE_REGEN=1 pytest tests/test_golden.py`, then review
the diff of expected/ in git.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import NOW, gazette, snapshot

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "site").is_dir())


def _args(case: Path) -> list[str]:
    """Read the extra command-line arguments of a case, one per line."""
    file = case / "args.txt"
    return file.read_text(encoding="utf-8").split() if file.is_file() else []


def _describe(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """Explain how two output trees differ, with a diff of the first changed text file."""
    lines = [f"missing: {p}" for p in sorted(expected.keys() - actual.keys())]
    lines += [f"unexpected: {p}" for p in sorted(actual.keys() - expected.keys())]
    changed = sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p])
    lines += [f"changed: {p}" for p in changed]
    if changed:
        first = changed[0]
        diff = difflib.unified_diff(
            expected[first].decode(errors="replace").splitlines(),
            actual[first].decode(errors="replace").splitlines(),
            f"expected/{first}",
            f"actual/{first}",
            lineterm="",
        )
        lines += list(diff)[:60]
    return "\n".join(lines)


@pytest.mark.parametrize("name", CASES)
def test_golden_site(name: str, tmp_path: Path) -> None:
    case = GOLDEN / name
    site = shutil.copytree(case / "site", tmp_path / "site")  # its cache is written there, not in the repository
    out = tmp_path / "output"
    run = gazette("build", "--site", site, "--output", out, "--now", NOW, "-q", *_args(case))
    assert run.code == 0, run.err
    expected_dir = case / "expected"
    if os.environ.get("GAZETTE_REGEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    expected, actual = snapshot(expected_dir), snapshot(out)
    assert expected == actual, _describe(expected, actual)


def test_incremental_build_equals_clean_build(tmp_path: Path) -> None:
    """Building over an older output gives the same bytes as building into an empty folder."""
    case = GOLDEN / CASES[0]
    site = tmp_path / "site"
    shutil.copytree(case / "site", site)
    out = tmp_path / "output"
    assert gazette("build", "--site", site, "--output", out, "--now", NOW, "-q").code == 0
    post = next(p for p in sorted((site / "content" / "posts").rglob("*.md")))
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    assert gazette("build", "--site", site, "--output", out, "--now", NOW, "-q").code == 0
    clean = tmp_path / "clean"
    assert gazette("build", "--site", site, "--output", clean, "--now", NOW, "-q").code == 0
    assert snapshot(out) == snapshot(clean)
