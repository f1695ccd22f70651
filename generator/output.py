"""Write a rendered site into the output folder. The only module that writes there.

Each file is written atomically (temporary file, then rename) and only when its bytes changed.
A manifest remembers what Gazette wrote, so a later build removes its own stale files and never
anything else (a CNAME, a .git folder, files a deploy tool put there).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.model import Output

MANIFEST = ".gazette-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing changed: files written, left as they were, and removed."""

    written: int
    unchanged: int
    removed: int


def read_manifest(out_dir: Path) -> set[str]:
    """Return the paths the last build generated (none when there is no readable manifest)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files", []) if isinstance(data, dict) else []
    return {f for f in files if isinstance(f, str)}


def _inside(out_dir: Path, relative: str) -> Path:
    """Resolve a generated path, refusing any that would land outside the output folder."""
    target = out_dir / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ValueError(f"refusing to write outside the output folder: {relative}")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old bytes or the new ones, never half of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazette-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(out_dir: Path, stale: set[str]) -> int:
    """Remove files an earlier build generated and this one did not, and folders left empty."""
    removed = 0
    for relative in sorted(stale, reverse=True):
        target = _inside(out_dir, relative)
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed += 1
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def write_outputs(outputs: tuple[Output, ...], out_dir: Path, kept: frozenset[str] = frozenset()) -> WriteReport:
    """Write every output whose bytes changed, remove stale generated files, update the manifest.

    `kept` names generated files that were not rendered again because their inputs did not change.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(out_dir)
    written = unchanged = 0
    for output in outputs:
        target = _inside(out_dir, output.path)
        try:
            if target.is_file() and not target.is_symlink() and target.read_bytes() == output.data:
                unchanged += 1
                continue
        except OSError:
            pass
        write_atomic(target, output.data)
        written += 1
    current = {o.path for o in outputs} | kept
    removed = _remove_stale(out_dir, previous - current)
    manifest = json.dumps({"generator": "gazette", "files": sorted(current)}, indent=0).encode()
    write_atomic(out_dir / MANIFEST, manifest)
    return WriteReport(written, unchanged, removed)
