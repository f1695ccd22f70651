import os
import time
from pathlib import Path

from generator.sources import decode, read_sources
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
