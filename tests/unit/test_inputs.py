"""Input stamps: equal when nothing a build reads changed, different after any change to it."""

from pathlib import Path

from generator.site.inputs import InputStamp, input_stamp
from tests.conftest import write_tree

SITE = {
    "site.yaml": "title: Stamps\n",
    "content/posts/one.md": "---\ntitle: One\n---\nBody.\n",
    "static/logo.svg": "<svg/>",
    "themes/mine/templates/base.html": "<p>",
    "notes.txt": "not read by a build",
}


def test_a_stamp_is_the_same_while_nothing_read_changes(tmp_path: Path) -> None:
    site = write_tree(tmp_path, SITE)
    first = input_stamp(site, "options", "code")
    (site / "notes.txt").write_text("changed", "utf-8")
    (site / "output").mkdir()
    assert input_stamp(site, "options", "code").same_as(first)
    assert not input_stamp(site, "other options", "code").same_as(first)
    assert not input_stamp(site, "options", "other code").same_as(first)


def test_every_file_read_is_stamped(tmp_path: Path) -> None:
    site = write_tree(tmp_path, SITE)
    for name in ("site.yaml", "content/posts/one.md", "static/logo.svg", "themes/mine/templates/base.html"):
        first = input_stamp(site, "", "")
        (site / name).write_text("changed", "utf-8")
        assert not input_stamp(site, "", "").same_as(first), name
    first = input_stamp(site, "", "")
    (site / "content/posts/two.md").write_text("new", "utf-8")
    assert not input_stamp(site, "", "").same_as(first)


def test_a_recent_file_is_compared_by_its_bytes(tmp_path: Path) -> None:
    site = write_tree(tmp_path, SITE)
    post = site / "content/posts/one.md"
    first = input_stamp(site, "", "")
    assert post.as_posix() in dict(first.recent_stories)
    # On a coarse clock, a file written again at once may keep its time and size: only its bytes tell.
    same_times = InputStamp(first.files)
    assert same_times.same_as(first)
    post.write_text(post.read_text("utf-8").replace("One", "Two"), "utf-8")
    assert not same_times.same_as(first)


def test_the_frame_is_everything_but_the_stories_texts(tmp_path: Path) -> None:
    site = write_tree(tmp_path, SITE)
    first = input_stamp(site, "", "")
    (site / "content/posts/one.md").write_text("---\ntitle: One\n---\nAnother body.\n", "utf-8")
    assert input_stamp(site, "", "").same_frame(first)
    for change in ("content/posts/two.md", "content/posts/photo.jpg", "static/logo.svg"):
        first = input_stamp(site, "", "")
        write_tree(site, {change: "new"})
        assert not input_stamp(site, "", "").same_frame(first), change
