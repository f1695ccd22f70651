import errno
import hashlib
import os
import time
from pathlib import Path
from unittest import mock

import pytest

from generator.content.sources import RACY_NS, NotAFile, decode, read_file, read_problem, read_sources
from generator.errors import Diagnostic
from generator.model import KnownFile
from tests.conftest import write_tree


def test_decode_drops_bom_and_normalizes_newlines() -> None:
    assert decode("a.md", b"\xef\xbb\xbf---\r\ntitle: x\r---\n") == ("---\ntitle: x\n---\n", None)


def test_editor_files_and_other_formats_are_not_sources(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/posts/a.md": "a", "content/posts/.a.md.swp": "x", "content/posts/a.md~": "x",
                          "content/posts/4913": "x", "content/posts/.hidden/b.md": "x", "content/posts/c.txt": "x",
                          "content/posts/d.markdown": "d"})  # fmt: skip
    files, problems = read_sources(tmp_path)
    assert [f.path for f in files] == ["content/posts/a.md", "content/posts/d.markdown"]
    assert problems == ()


def test_known_files_are_not_read_again_unless_recently_changed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/posts/old.md": "old", "content/posts/new.md": "new"})
    old = tmp_path / "content/posts/old.md"
    known: dict = {}
    read_sources(tmp_path, known=known)
    assert known == {}  # both files are too recent to trust their times
    with mock.patch("time.time_ns", return_value=time.time_ns() + RACY_NS + 1):
        first, _ = read_sources(tmp_path, known=known)
    status = old.stat()
    digest = hashlib.sha256(b"old").hexdigest()
    assert known["content/posts/old.md"] == (status.st_mtime_ns, status.st_ctime_ns, 3, status.st_ino, digest)
    assert first == (
        KnownFile("content/posts/new.md", hashlib.sha256(b"new").hexdigest(), tmp_path / "content/posts/new.md"),
        KnownFile("content/posts/old.md", digest, old),
    )
    with mock.patch("generator.content.sources.read_file", side_effect=AssertionError("read again")):
        assert read_sources(tmp_path, known=known)[0] == first  # neither is read again
    old.write_text("OLD", encoding="utf-8")  # same size, and the time put back: its change time still moved
    os.utime(old, ns=(status.st_atime_ns, status.st_mtime_ns))
    files, _ = read_sources(tmp_path, known=known)
    assert files[1] == KnownFile("content/posts/old.md", hashlib.sha256(b"OLD").hexdigest(), old)
    assert "content/posts/old.md" not in known  # changed moments ago: not trusted until it settles
    old.unlink()
    read_sources(tmp_path, known=known)
    assert set(known) == {"content/posts/new.md"}


def test_read_file_reads_regular_files_and_refuses_pipes_without_waiting(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"text")
    assert read_file(tmp_path / "a.md") == b"text"
    os.mkfifo(tmp_path / "pipe.md")  # no writer: a plain open would wait forever
    with pytest.raises(NotAFile, match="is a named pipe"):
        read_file(tmp_path / "pipe.md")
    with pytest.raises(NotAFile, match="is a folder"):
        read_file(tmp_path)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied; make it readable by you"),
        (FileNotFoundError(errno.ENOENT, "No such file"), "it went away while the site was read; build again"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error; check the file"),
    ],
)
def test_read_problems_are_located_at_the_first_line_and_say_what_to_do(
    tmp_path: Path, error: OSError, message: str
) -> None:
    problem = read_problem("content/posts/a.md", tmp_path / "a.md", error)
    assert (problem.path, problem.line, problem.col, problem.severity) == ("content/posts/a.md", 1, 1, "error")
    assert problem.message.startswith("cannot be read: ")
    assert message in problem.message


def test_a_dangling_link_among_sources_names_its_target(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/posts/a.md": "a"})
    (tmp_path / "content/posts/b.md").symlink_to("../drafts/b.md")
    files, problems = read_sources(tmp_path)
    assert [f.path for f in files] == ["content/posts/a.md"]
    message = "cannot be read: it is a link to ../drafts/b.md, which does not exist; fix the link or remove it"
    assert problems == (Diagnostic("content/posts/b.md", 1, 1, message),)
