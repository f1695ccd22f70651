import errno
import os
import time
from pathlib import Path

import pytest

from generator.errors import Diagnostic
from generator.sources import NotAFile, decode, read_file, read_problem, read_sources
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
    hour_ago = time.time() - 3600
    old = tmp_path / "content/posts/old.md"
    os.utime(old, (hour_ago, hour_ago))
    known: dict = {}
    read_sources(tmp_path, known=known)
    assert set(known) == {"content/posts/old.md"}  # the new file is too recent to trust its time
    old.write_text("OLD", encoding="utf-8")  # same size, and the time put back: the stored text is used
    os.utime(old, (hour_ago, hour_ago))
    files, _ = read_sources(tmp_path, known=known)
    assert [f.text for f in files] == ["new", "old"]
    os.utime(old, None)  # a new time: read again
    files, _ = read_sources(tmp_path, known=known)
    assert [f.text for f in files] == ["new", "OLD"]
    old.unlink()
    read_sources(tmp_path, known=known)
    assert known == {}


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
