"""Gazette's cache (`.gazette-cache/cache.sqlite` in the site): parsed articles and the digests of the last build.

Nothing here changes what a build produces, only how much work it does: an article whose source and
settings are unchanged is not parsed again, and an output whose digest is unchanged (and whose file is
still there) is not rendered again. Side effects: that one SQLite file, read once per build and written
in one transaction at its end, so a killed build leaves the last whole cache. Beside each output folder's
digests, the stamp of the inputs that made them: a build that finds the same stamp (and every file
still there) has nothing to do, and stops before reading anything. Deleting the folder is
always safe, and a damaged or foreign cache (garbage, another version's or program's database, a folder
where the file should be, a file where the folder should be) is ignored and written anew.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
from collections.abc import Mapping
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generator
from generator.errors import Diagnostic
from generator.model import Article, FileStamp, SiteCounts
from generator.publish.output import TEMPORARY_PREFIX, TEMPORARY_SUFFIX, OutputFolder, manifest_stamp
from generator.site.codec import from_json, to_json
from generator.site.inputs import InputStamp

CACHE_DIR = ".gazette-cache"
DATABASE = "cache.sqlite"
# The row that says who wrote a database, and in which layout: a database without it is not read, but replaced.
PROGRAM, SCHEMA = "gazette", 5
# Values are JSON, not pickle: a cache folder that came with someone else's site must never run code.
_TABLES = (
    "CREATE TABLE meta (program TEXT NOT NULL, schema INTEGER NOT NULL)",
    # An article's HTML body apart from the rest of it: raw text, which JSON would escape and read back slowly.
    "CREATE TABLE articles (key TEXT PRIMARY KEY, data TEXT NOT NULL, body TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE outputs (folder TEXT PRIMARY KEY, manifest TEXT NOT NULL, digests TEXT NOT NULL, last TEXT NOT NULL)"
    " WITHOUT ROWID",
    "CREATE TABLE files (path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, size INTEGER NOT NULL,"
    " inode INTEGER NOT NULL, digest TEXT NOT NULL) WITHOUT ROWID",
)
# `gazette serve`, or a build into another output folder, may be writing; its transaction is short.
BUSY_SECONDS = 30.0
# What SQLite says of a file that is not, or no longer, a database of ours: make it anew. Other errors
# (busy, read-only, disk full) leave it be; the cache is then only not read, or not written, this time.
_UNUSABLE = {sqlite3.SQLITE_ERROR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
# What decoding a damaged cached value can raise; any of them means "parse or render again".
_DAMAGED = (AttributeError, KeyError, TypeError, ValueError, RecursionError)


def article_to_json(article: Article) -> Any:
    """Describe an article in JSON terms."""
    return to_json(Article, article)


def article_from_json(data: Any) -> Article:
    """Rebuild an article from `article_to_json`; raise TypeError or ValueError when the data does not describe one."""
    return from_json(Article, data)


_BODY = [f.name for f in dataclasses.fields(Article)].index("html")


def _article_row(article: Article) -> tuple[str, str]:
    """Write an article as a database row: its JSON, without its HTML body, and the body."""
    data = article_to_json(article)
    body, data[_BODY] = data[_BODY], ""
    return json.dumps(data), body


def _article_from_row(data: str, body: Any) -> Article:
    """Rebuild an article from `_article_row`'s two parts; raise as `article_from_json` does."""
    values = json.loads(data)
    if not isinstance(values, list) or len(values) <= _BODY:
        raise TypeError("a cached article is no list of its fields")
    values[_BODY] = body
    return article_from_json(values)


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last build into a folder read and reported: a build reading the same must make the same files.

    Its outputs depend on "now" only through which stories are published, scheduled or news: that stays
    the same strictly between `since` and `until` (None: without end), or only at that very moment
    when both are equal.
    """

    inputs: InputStamp  # the stamp of everything it read
    since: dt.datetime | None
    until: dt.datetime | None
    counts: SiteCounts
    files: int
    warnings: tuple[Diagnostic, ...]
    stories: Mapping[str, str]  # each story's entry, "digest shape deck summary words" (see deps.py)
    reads: Mapping[str, str]  # the pages that read no story's body: the parts of texts they read (see deps.py)

    def holds(self, inputs: InputStamp, now: dt.datetime) -> bool:
        """Tell whether a build reading these inputs at this moment would make exactly what this one made."""
        return inputs.same_as(self.inputs) and self.steady(now)

    def steady(self, now: dt.datetime) -> bool:
        """Tell whether the same stories would be published, scheduled and news at this moment."""
        if self.since is not None and self.since == self.until:
            return now == self.since
        return (self.since is None or self.since < now) and (self.until is None or now < self.until)


def clear_way(folder: Path) -> None:
    """Remove a file (or a dangling link) sitting where a cache folder belongs, so the folder can be made."""
    if not folder.is_dir() and (folder.is_symlink() or folder.exists()):
        with suppress(OSError):
            folder.unlink()


def _remove_earlier_caches(folder: Path) -> None:
    """Remove what earlier versions kept: a JSON file per article, one per output folder, temporary files."""
    shutil.rmtree(folder / "articles", ignore_errors=True)
    for file in (*folder.glob("outputs-*.json"), *folder.glob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}")):
        file.unlink(missing_ok=True)


def _remove_database(path: Path) -> None:
    """Remove a database that cannot be used, with its journal files, or a folder or link in its place."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        file.unlink(missing_ok=True)


def _unusable(error: sqlite3.Error) -> bool:
    """Tell whether SQLite refused a file because it is damaged or not a database of ours."""
    return (getattr(error, "sqlite_errorcode", sqlite3.SQLITE_ERROR) & 0xFF) in _UNUSABLE


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open the cache database, waiting while another process writes; transactions are begun by hand."""
    uri = f"{path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"
    return sqlite3.connect(uri, timeout=BUSY_SECONDS, isolation_level=None, uri=True)


def _is_ours(db: sqlite3.Connection) -> bool:
    """Tell whether a database is Gazette's cache in this layout."""
    return db.execute("SELECT program, schema FROM meta").fetchall() == [(PROGRAM, SCHEMA)]


@dataclass(slots=True)
class _Stored:
    """What the database held when first read: the articles' keys and the output digests, still as JSON.

    The articles themselves are read on first need (a build that finds nothing changed never needs
    them): their keys name their content, so a later read gives what an earlier one would have.
    """

    keys: set[str] = field(default_factory=set)
    outputs: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    articles: dict[str, tuple[str, str]] | None = None


def _read_database(path: Path) -> _Stored:
    """Read the cache's keys and outputs in one snapshot; nothing when there is none, or it cannot be used."""
    if not path.is_file():
        return _Stored()
    try:
        with closing(_connect(path, create=False)) as db:
            db.execute("BEGIN")
            if not _is_ours(db):
                return _Stored()
            keys = {key for (key,) in db.execute("SELECT key FROM articles")}
            rows = db.execute("SELECT folder, manifest, digests, last FROM outputs")
            outputs = {row[0]: (row[1], row[2], row[3]) for row in rows}
    except sqlite3.Error:
        return _Stored()  # damaged, foreign, or busy for too long: parse and render again
    return _Stored(keys, outputs)


def _read_articles(path: Path) -> dict[str, tuple[str, str]]:
    """Read every stored article, as JSON and body; none when they cannot be read (they are parsed again)."""
    try:
        with closing(_connect(path, create=False)) as db:
            return {key: (data, body) for key, data, body in db.execute("SELECT key, data, body FROM articles")}
    except sqlite3.Error:
        return {}


# The libraries whose code shapes what a build writes.
_SHAPING = ("markdown", "pymdownx", "pygments", "nh3", "jinja2", "yaml", "feedgen", "babel")


def _installed(name: str) -> str:
    """Stamp an installed library by its folder, without importing it: installing another version replaces it.

    Importing Markdown alone takes longer than a build that finds nothing changed.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name}:-"
    folder = os.stat(os.path.dirname(spec.origin))
    return f"{name}:{spec.origin}:{folder.st_ino}:{folder.st_mtime_ns}:{folder.st_ctime_ns}"


def _read_files(path: Path) -> dict[str, FileStamp]:
    """Read the stamps of the stories' files; none when they cannot be read (the files are read instead)."""
    try:
        with closing(_connect(path, create=False)) as db:
            rows = db.execute("SELECT path, mtime, ctime, size, inode, digest FROM files").fetchall()
    except sqlite3.Error:
        return {}
    return {row[0]: row[1:] for row in rows if all(isinstance(value, int) for value in row[1:5])}


def code_digest() -> str:
    """Digest Gazette's own code and the installed libraries that shape its HTML."""
    digest = hashlib.sha1("|".join([generator.__version__, *map(_installed, _SHAPING)]).encode())
    for path in sorted(Path(generator.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class BuildCache:
    """What one build leaves for the next: parsed articles by key, and output digests by output folder.

    A long-lived process (`gazette serve`, `gazette watch`) keeps one in memory; `gazette build` loads
    and saves it in the cache folder. `folder=None` keeps it in memory only.
    """

    folder: Path | None = None
    code: str = field(default_factory=code_digest)
    articles: dict[str, Article] = field(default_factory=dict)
    # By output folder: the stamp of the manifest the digests were saved beside, the digests, and what
    # the build that made them read and reported (None: not known).
    outputs: dict[str, tuple[str, dict[str, str], LastBuild | None]] = field(default_factory=dict)
    new_articles: set[str] = field(default_factory=set)  # parsed this build, not yet on disk
    # The stamps of the stories' files, by path (None until read), and as the database holds them.
    files: dict[str, FileStamp] | None = None
    saved_files: dict[str, FileStamp] = field(default_factory=dict)
    used_articles: set[str] | None = None  # the keys the last build used, to prune the database
    stored: _Stored | None = None  # the database as first read; None until then
    saved_keys: set[str] = field(default_factory=set)  # the articles the database holds, as far as we know
    unsaved: bool = False  # the last save failed: write the next, even when it changes nothing

    @classmethod
    def load(cls, folder: Path) -> BuildCache:
        """Use a cache folder: its database is read once, when first asked for."""
        return cls(folder)

    def _read(self) -> _Stored:
        """Read the database, once."""
        if self.stored is None:
            self.stored = _Stored() if self.folder is None else _read_database(self.folder / DATABASE)
            self.saved_keys = set(self.stored.keys)
        return self.stored

    def _stored_articles(self) -> dict[str, tuple[str, str]]:
        """Read the stored articles' JSON and bodies, once, when the first is asked for."""
        stored = self._read()
        if stored.articles is None:
            stored.articles = _read_articles(self.folder / DATABASE) if self.folder is not None and stored.keys else {}
        return stored.articles

    def file_stamps(self) -> dict[str, FileStamp]:
        """Give the stamps the stories' files had when their bytes had a known digest (read once, then kept)."""
        if self.files is None:
            self.files = {} if self.folder is None or not self._read().keys else _read_files(self.folder / DATABASE)
            self.saved_files = dict(self.files)
        return self.files

    def article_key(self, path: str, digest: str, settings: str) -> str:
        """Key a parsed article by its file, its bytes, the settings it was parsed with, and the code."""
        return hashlib.sha1(f"{self.code}|{path}|{digest}|{settings}".encode()).hexdigest()

    def article(self, key: str) -> Article | None:
        """Return the article parsed under this key, from memory or the database; None if unknown."""
        if key not in self.articles and (row := self._stored_articles().pop(key, None)) is not None:
            try:
                self.articles[key] = _article_from_row(*row)
            except _DAMAGED:
                return None  # damaged: parse again
        return self.articles.get(key)

    def add_article(self, key: str, article: Article) -> None:
        """Remember a freshly parsed article."""
        self.articles[key] = article
        self.new_articles.add(key)

    def keep_articles(self, used: set[str]) -> None:
        """Forget articles this build did not use (deleted or changed files)."""
        self.articles = {key: value for key, value in self.articles.items() if key in used}
        self.used_articles = used

    def last_outputs(self, target: OutputFolder) -> tuple[dict[str, str], LastBuild | None]:
        """Return the last build into out_dir's output digests and what it read, if its files still match them.

        They are trusted only beside the very manifest the build that saved them wrote last: a build
        that died while writing, or whose digests could not be saved, leaves another manifest behind,
        and then nothing is trusted and every output is rendered again.
        """
        key = str(target.path.resolve())
        if key not in self.outputs and (stored := self._read().outputs.get(key)) is not None:
            try:
                digests = json.loads(stored[1])
                digests = {k: v for k, v in digests.items() if isinstance(k, str) and isinstance(v, str)}
                self.outputs[key] = (str(stored[0]), digests, from_json(LastBuild, json.loads(stored[2])))
            except _DAMAGED:
                self.outputs[key] = ("", {}, None)
        stamp, digests, last = self.outputs.get(key, ("", {}, None))
        return (digests, last) if stamp and stamp == manifest_stamp(target) else ({}, None)

    def previous_outputs(self, target: OutputFolder) -> dict[str, str]:
        """Return the output digests of the last build into a folder, if its files are known to match them."""
        return self.last_outputs(target)[0]

    def unchanged(self, target: OutputFolder, inputs: InputStamp, now: dt.datetime) -> LastBuild | None:
        """Return the last build into a folder when building now would make exactly its files, all still there."""
        digests, last = self.last_outputs(target)
        if last is None or not last.holds(inputs, now):
            return None
        folder = str(target.path)
        return last if all(os.path.isfile(os.path.join(folder, path)) for path in digests) else None

    def save(self, target: OutputFolder, digests: dict[str, str], last: LastBuild) -> None:
        """Remember this build's output digests and what it read, and the parsed articles when they changed."""
        folder_key, stamp = str(target.path.resolve()), manifest_stamp(target) or ""
        unchanged = self.outputs.get(folder_key) == (stamp, digests, last)
        self.outputs[folder_key] = (stamp, digests, last)
        if self.folder is None:
            return
        self._read()  # what the database holds, to know whether this build changed it
        new = sorted(self.new_articles & self.articles.keys())
        unused = self.saved_keys - self.used_articles if self.used_articles is not None else set()
        files = self.files if self.files is not None else self.saved_files
        if unchanged and not new and not unused and files == self.saved_files and not self.unsaved:
            return  # a build that changed nothing writes nothing
        path = self.folder / DATABASE
        row = (folder_key, stamp, json.dumps(digests), json.dumps(to_json(LastBuild, last)))
        try:
            clear_way(self.folder)
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                self._write(path, row, new, files)
            except sqlite3.Error as error:
                if not _unusable(error):
                    raise
                _remove_database(path)
                self._write(path, row, new, files)
            _remove_earlier_caches(self.folder)
        except (OSError, sqlite3.Error):
            self.unsaved = True  # a cache that cannot be written only costs time on the next build
            return
        self.new_articles.clear()
        self.saved_files = dict(files)
        self.unsaved = False

    def _write(
        self, path: Path, outputs: tuple[str, str, str, str], new: list[str], files: dict[str, FileStamp]
    ) -> None:
        """Write one build's articles and its row of outputs, and prune unused articles, in one transaction."""
        if path.is_dir() or path.is_symlink():
            _remove_database(path)
        # Closing without COMMIT rolls back: whatever fails, the database stays as the last build left it.
        with closing(_connect(path, create=True)) as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers (`gazette serve`) never wait for a writer
            db.execute("PRAGMA synchronous=NORMAL")  # a power cut may lose the last build's cache, never damage it
            db.execute("BEGIN IMMEDIATE")
            saved_files = self.saved_files
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                for table in _TABLES:
                    db.execute(table)
                db.execute("INSERT INTO meta VALUES (?, ?)", (PROGRAM, SCHEMA))
                saved_files = {}
            elif not _is_ours(db):
                raise sqlite3.DatabaseError("not Gazette's cache database")  # unusable, so made anew
            # Encoded one by one as SQLite takes them: 10,000 stories' JSON is never held at once.
            rows = ((key, *_article_row(self.articles[key])) for key in new)
            db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)", rows)
            kept = {key for (key,) in db.execute("SELECT key FROM articles")}
            if self.used_articles is not None:
                db.executemany(
                    "DELETE FROM articles WHERE key = ?", [(key,) for key in sorted(kept - self.used_articles)]
                )
                kept &= self.used_articles
            db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)", outputs)
            # Only what changed: a stamp is a fact about a file, whichever build recorded it.
            changed = [(path, *stamp) for path, stamp in files.items() if saved_files.get(path) != stamp]
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", changed)
            db.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in saved_files.keys() - files.keys()])
            db.execute("COMMIT")
        self.saved_keys = kept
