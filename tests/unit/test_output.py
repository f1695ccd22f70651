import json
from pathlib import Path

import pytest

from generator.model import Output
from generator.output import MANIFEST, write_outputs


def test_writes_only_changed_files_and_removes_only_its_own(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write_outputs((Output("a/index.html", b"A"), Output("b/index.html", b"B")), out)
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    (out / "CNAME").write_bytes(b"example.org")
    stamp = (out / "a/index.html").stat().st_mtime_ns
    report = write_outputs((Output("a/index.html", b"A"),), out)
    assert (report.written, report.unchanged, report.removed) == (0, 1, 1)
    assert (out / "a/index.html").stat().st_mtime_ns == stamp
    assert not (out / "b").exists()
    assert (out / "CNAME").read_bytes() == b"example.org"
    assert json.loads((out / MANIFEST).read_text())["files"] == ["a/index.html"]


def test_without_a_manifest_nothing_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.html").write_bytes(b"x")
    write_outputs((Output("index.html", b"i"),), out)
    assert (out / "old.html").exists()


def test_refuses_paths_outside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="outside the output folder"):
        write_outputs((Output("../evil.html", b"x"),), tmp_path / "out")
    assert not (tmp_path / "evil.html").exists()
