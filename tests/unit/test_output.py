import errno
import json
import os
from pathlib import Path

import pytest

from generator.errors import BuildFailed
from generator.model import Output
from generator.publish.output import (
    LEGACY_MANIFEST,
    STAGING,
    Manifest,
    OutputFolder,
    manifest_stamp,
    read_manifest,
    write_advice,
    write_outputs,
)
from tests.conftest import refuse_writes_after


def at(out: Path) -> OutputFolder:
    """Name an output folder with its manifest in a cache folder beside it."""
    return OutputFolder.of(out, out.parent / "cache")


def test_writes_only_changed_files_and_removes_only_its_own(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write_outputs((Output("a/index.html", b"A"), Output("b/index.html", b"B")), at(out))
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    (out / "CNAME").write_bytes(b"example.org")
    stamp = (out / "a/index.html").stat().st_mtime_ns
    report = write_outputs((Output("a/index.html", b"A"),), at(out))
    assert (report.written, report.unchanged, report.removed) == (0, 1, 1)
    assert (out / "a/index.html").stat().st_mtime_ns == stamp
    assert not (out / "b").exists()
    assert (out / "CNAME").read_bytes() == b"example.org"
    assert json.loads(at(out).manifest.read_text())["files"] == ["a/index.html"]


def test_a_build_that_changes_nothing_writes_nothing_not_even_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    outputs = (Output("index.html", b"home"), Output("a/index.html", b"a"))
    write_outputs(outputs, at(out))
    stamp = manifest_stamp(at(out))
    assert write_outputs(outputs, at(out)).written == 0
    assert manifest_stamp(at(out)) == stamp
    assert write_outputs(outputs[:1], at(out)).removed == 1  # one output fewer: the manifest changes
    assert manifest_stamp(at(out)) != stamp


def test_without_a_manifest_nothing_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.html").write_bytes(b"x")
    write_outputs((Output("index.html", b"i"),), at(out))
    assert (out / "old.html").exists()


def test_refuses_paths_outside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="outside the output folder"):
        write_outputs((Output("../evil.html", b"x"),), at(tmp_path / "out"))
    assert not (tmp_path / "evil.html").exists()


def test_a_full_disk_while_staging_leaves_the_output_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_outputs((Output("a.html", b"A"),), at(out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with monkeypatch.context() as patch:
        refuse_writes_after(patch, 1)  # a.html staged, then the disk is full
        with pytest.raises(BuildFailed) as failure:
            write_outputs((Output("a.html", b"A2"), Output("b.html", b"B"), Output("c.html", b"C")), at(out))
    assert not failure.value.output_touched
    problem = failure.value.diagnostics[0]
    assert (problem.path, problem.line, problem.col) == (str(out / "b.html"), 1, 1)
    assert (
        problem.message == "cannot be written: No space left on device; free some space on that disk, then build again"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing staged is left


def test_a_first_build_that_fails_while_staging_leaves_no_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        refuse_writes_after(patch, 1)
        with pytest.raises(BuildFailed):
            write_outputs((Output("a/index.html", b"A"), Output("b/index.html", b"B")), at(out))
    assert not out.exists()


def test_a_write_that_dies_half_way_leaves_whole_files_listed_as_gazettes_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_outputs((Output("a.html", b"A"),), at(out))
    real_replace, moved = os.replace, list[str]()

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target).suffix == ".html":  # a.html and b.html moved, then the disk fails
            if len(moved) == 2:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            moved.append(str(target))
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(BuildFailed) as failure:
            write_outputs((Output("a.html", b"A2"), Output("b.html", b"B"), Output("c.html", b"C")), at(out))
    assert failure.value.output_touched
    assert failure.value.diagnostics[0].path == str(out / "c.html")
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "b.html"]  # no staged file left
    assert read_manifest(at(out).manifest) == Manifest(frozenset({"a.html", "b.html", "c.html"}), finished=False)
    # The next build no longer makes b.html: it is known as Gazette's own, so it goes.
    (out / ".gazette-left-by-a-kill.tmp").write_bytes(b"half")
    report = write_outputs((Output("a.html", b"A2"),), at(out))
    assert (report.written, report.removed) == (0, 1)
    assert sorted(p.name for p in out.iterdir()) == ["a.html"]
    assert read_manifest(at(out).manifest) == Manifest(frozenset({"a.html"}), finished=True)


def test_a_staging_folder_left_by_a_killed_build_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs((Output("a.html", b"A"),), at(out))
    (out / STAGING).mkdir()
    (out / STAGING / "tmpx").write_bytes(b"half")
    write_outputs((Output("a.html", b"A"),), at(out))
    assert sorted(p.name for p in out.iterdir()) == ["a.html"]


def test_temporary_files_are_swept_only_after_an_unfinished_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs((Output("a/index.html", b"A"),), at(out))
    (out / "a/.gazette-x.tmp").write_bytes(b"?")
    write_outputs((Output("a/index.html", b"A"),), at(out))
    assert (out / "a/.gazette-x.tmp").exists()  # a finished build left none: not looked for
    at(out).manifest.write_text('{"generator": "gazette", "finished": false, "files": []}')
    (out / ".git").mkdir()
    (out / ".git/.gazette-y.tmp").write_bytes(b"not ours to judge")
    write_outputs((Output("a/index.html", b"A"),), at(out))
    assert not (out / "a/.gazette-x.tmp").exists()
    assert (out / ".git/.gazette-y.tmp").exists()


def test_a_manifest_half_written_by_a_killed_build_is_swept_though_the_last_build_finished(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs((Output("a.html", b"A"),), at(out))
    left = at(out).manifest.parent / ".gazette-x.tmp"
    left.write_bytes(b'{"generator": "gaz')  # killed while writing the manifest that opens a build
    write_outputs((Output("a.html", b"B"),), at(out))
    assert sorted(p.name for p in at(out).manifest.parent.iterdir()) == [at(out).manifest.name]


def test_every_write_of_the_manifest_gives_a_new_stamp(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert manifest_stamp(at(out)) is None
    write_outputs((Output("a.html", b"A"),), at(out))
    first = manifest_stamp(at(out))
    assert first is not None and manifest_stamp(at(out)) == first
    write_outputs((Output("a.html", b"B"),), at(out))
    assert manifest_stamp(at(out)) not in (None, first)


@pytest.mark.parametrize(
    ("code", "advice"),
    [
        (errno.ENOSPC, "free some space on that disk, then build again"),
        (errno.EDQUOT, "free some space on that disk, then build again"),
        (errno.EROFS, "build into a writable folder with --output DIR"),
        (errno.EPERM, "make the folder writable by you, or build elsewhere with --output DIR"),
        (errno.EISDIR, "fix what is in the way, then build again"),
    ],
)
def test_write_advice_says_what_to_do(code: int, advice: str) -> None:
    assert write_advice(OSError(code, os.strerror(code))) == f"cannot be written: {os.strerror(code)}; {advice}"


def test_files_reach_the_disk_before_the_manifest_says_the_build_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, synced = tmp_path / "out", []
    monkeypatch.setattr(os, "sync", lambda: synced.append(read_manifest(at(out).manifest).finished))
    write_outputs((Output("a.html", b"A"),), at(out))
    assert synced == [False] and read_manifest(at(out).manifest).finished
    write_outputs((Output("a.html", b"A"),), at(out))
    assert synced == [False]  # nothing written, nothing to flush


def test_the_manifest_is_kept_in_the_cache_folder_not_published(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs((Output("index.html", b"i"),), at(out))
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert at(out).manifest.parent == tmp_path / "cache" / "manifests"
    assert read_manifest(at(out).manifest) == Manifest(frozenset({"index.html"}), finished=True)


def test_each_output_folder_has_its_own_manifest(tmp_path: Path) -> None:
    write_outputs((Output("a.html", b"A"),), at(tmp_path / "one"))
    write_outputs((Output("b.html", b"B"),), at(tmp_path / "two"))
    assert at(tmp_path / "one").manifest != at(tmp_path / "two").manifest
    assert read_manifest(at(tmp_path / "one").manifest).files == {"a.html"}
    assert read_manifest(at(tmp_path / "two").manifest).files == {"b.html"}


def test_a_manifest_left_in_the_output_folder_by_an_earlier_version_is_read_then_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.html").write_bytes(b"generated by an earlier version")
    (out / "mine.html").write_bytes(b"the user's")
    (out / LEGACY_MANIFEST).write_text('{"generator": "gazette", "finished": true, "files": ["old.html"]}')
    report = write_outputs((Output("index.html", b"i"),), at(out))
    assert report.removed == 1
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "mine.html"]
    assert read_manifest(at(out).manifest).files == {"index.html"}
