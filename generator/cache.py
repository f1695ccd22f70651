"""Gazette's cache folder (`.gazette-cache/` in the site): parsed articles and the digests of the last build.

Nothing here changes what a build produces, only how much work it does: an article whose source and
settings are unchanged is not parsed again, and an output whose digest is unchanged (and whose file is
still there) is not rendered again. Deleting the folder is always safe, and a damaged or foreign cache
(garbage, another version's, a file where the folder should be) is ignored and written anew.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
import typing
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import markdown
import pygments
import pymdownx

import generator
from generator.errors import Diagnostic
from generator.model import Article, FrozenMap, Source, SourceFile
from generator.output import TEMPORARY_PREFIX, TEMPORARY_SUFFIX, manifest_stamp, write_atomic

CACHE_DIR = ".gazette-cache"
# JSON, not pickle: a cache folder that came with someone else's site must never run code.
_ARTICLES = "articles"
# What reading a damaged cache file can raise; any of them means "parse or render again".
_DAMAGED = (OSError, AttributeError, KeyError, TypeError, ValueError, RecursionError)


def _encode(value: Any) -> Any:
    """Turn an article's values into JSON, keeping dates' zones and tuples' shape."""
    if isinstance(value, dt.datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {"$dt": value.isoformat(), "zone": zone, "fold": value.fold}
    if isinstance(value, Source):
        return {"$source": [value.name, value.url, value.lang, value.feed]}
    if isinstance(value, Diagnostic):
        return {"$diagnostic": [getattr(value, f.name) for f in dataclasses.fields(value)]}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item) for item in value]}
    if isinstance(value, FrozenMap):
        return {"$map": {key: _encode(item) for key, item in value.items()}}
    return value


def _decode(value: Any) -> Any:
    """Undo `_encode`."""
    if not isinstance(value, dict):
        return value
    if "$dt" in value:
        moment = dt.datetime.fromisoformat(value["$dt"])
        if value["zone"]:
            moment = moment.replace(tzinfo=ZoneInfo(value["zone"]), fold=value["fold"])
        return moment
    if "$source" in value:
        return Source(*value["$source"])
    if "$diagnostic" in value:
        return Diagnostic(*value["$diagnostic"])
    if "$tuple" in value:
        return tuple(_decode(item) for item in value["$tuple"])
    return FrozenMap({key: _decode(item) for key, item in value["$map"].items()})


def article_to_json(article: Article) -> dict[str, Any]:
    """Describe an article in JSON terms."""
    return {f.name: _encode(getattr(article, f.name)) for f in dataclasses.fields(article)}


@cache
def _type_check(hint: Any) -> Callable[[Any], bool]:
    """Make the test of whether a value read back from the cache has the type a field declares.

    Made once per type: resolving type hints costs far more than the test, run on every cached article.
    """
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return lambda value: True
    if origin is Literal:
        return lambda value: value in args
    if origin in (typing.Union, types.UnionType):
        options = [_type_check(arg) for arg in args]
        return lambda value: any(check(value) for check in options)
    if origin is tuple:
        item = _type_check(args[0])
        return lambda value: isinstance(value, tuple) and all(item(each) for each in value)
    if origin is Mapping:
        return lambda value: isinstance(value, FrozenMap)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = [(name, _type_check(kind)) for name, kind in typing.get_type_hints(hint).items()]
        return lambda value: isinstance(value, hint) and all(check(getattr(value, name)) for name, check in fields)
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    kind = type(None) if hint is None else hint
    return lambda value: isinstance(value, kind)


def article_from_json(data: dict[str, Any]) -> Article:
    """Rebuild an article from `article_to_json`; raise TypeError when the data does not describe one."""
    article = Article(**{key: _decode(value) for key, value in data.items()})
    if not _type_check(Article)(article):
        raise TypeError("a cached article with fields of the wrong type")
    return article


def clear_way(folder: Path) -> None:
    """Remove a file (or a dangling link) sitting where a cache folder belongs, so the folder can be made."""
    if not folder.is_dir() and (folder.is_symlink() or folder.exists()):
        with suppress(OSError):
            folder.unlink()


def _remove_temporaries(folder: Path) -> None:
    """Remove the temporary files a killed build left in one cache folder."""
    for file in folder.glob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"):
        file.unlink(missing_ok=True)


def code_digest() -> str:
    """Digest Gazette's own code and the versions of the libraries that shape its HTML."""
    versions = f"{generator.__version__}|{markdown.__version__}|{pymdownx.__version__}|{pygments.__version__}"
    digest = hashlib.sha1(versions.encode())
    for path in sorted(Path(generator.__file__).parent.glob("*.py")):
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
    # By output folder: the stamp of the manifest the digests were saved beside, and the digests.
    outputs: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    new_articles: set[str] = field(default_factory=set)  # parsed this build, not yet on disk
    sources: dict[str, tuple[int, int, SourceFile]] = field(default_factory=dict)  # in memory only
    used_articles: set[str] | None = None  # the keys the last build used, to prune the folder

    @classmethod
    def load(cls, folder: Path) -> BuildCache:
        """Use a cache folder: articles are read from it one by one, when asked for."""
        return cls(folder)

    def article_key(self, path: str, digest: str, settings: str) -> str:
        """Key a parsed article by its file, its bytes, the settings it was parsed with, and the code."""
        return hashlib.sha1(f"{self.code}|{path}|{digest}|{settings}".encode()).hexdigest()

    def _article_file(self, key: str) -> Path | None:
        """Where one parsed article is kept: one small file each, so an edit rewrites one file."""
        return None if self.folder is None else self.folder / _ARTICLES / f"{key}.json"

    def article(self, key: str) -> Article | None:
        """Return the article parsed under this key, from memory or the cache folder; None if unknown."""
        if key not in self.articles and (file := self._article_file(key)) is not None:
            try:
                self.articles[key] = article_from_json(json.loads(file.read_bytes()))
            except _DAMAGED:
                return None  # missing or damaged: parse again
        return self.articles.get(key)

    def add_article(self, key: str, article: Article) -> None:
        """Remember a freshly parsed article."""
        self.articles[key] = article
        self.new_articles.add(key)

    def keep_articles(self, used: set[str]) -> None:
        """Forget articles this build did not use (deleted or changed files)."""
        self.articles = {key: value for key, value in self.articles.items() if key in used}
        self.used_articles = used

    def _outputs_file(self, out_dir: Path) -> Path | None:
        """Where the digests of one output folder's files are kept."""
        if self.folder is None:
            return None
        name = hashlib.sha1(str(out_dir.resolve()).encode()).hexdigest()[:16]
        return self.folder / f"outputs-{name}.json"

    def previous_outputs(self, out_dir: Path) -> dict[str, str]:
        """Return the output digests of the last build into out_dir, if its files are known to match them.

        They are trusted only beside the very manifest the build that saved them wrote last: a build
        that died while writing, or whose digests could not be saved, leaves another manifest behind,
        and then nothing is trusted and every output is rendered again.
        """
        key = str(out_dir.resolve())
        file = self._outputs_file(out_dir)
        if key not in self.outputs and file is not None:
            try:
                data = json.loads(file.read_bytes())
                digests = {k: v for k, v in data["digests"].items() if isinstance(k, str) and isinstance(v, str)}
                self.outputs[key] = (str(data["manifest"]), digests)
            except _DAMAGED:
                self.outputs[key] = ("", {})
        stamp, digests = self.outputs.get(key, ("", {}))
        return digests if stamp and stamp == manifest_stamp(out_dir) else {}

    def save(self, out_dir: Path, digests: dict[str, str]) -> None:
        """Remember this build's output digests, and the parsed articles when they changed."""
        stamp = manifest_stamp(out_dir) or ""
        self.outputs[str(out_dir.resolve())] = (stamp, digests)
        file = self._outputs_file(out_dir)
        if self.folder is None or file is None:
            return
        try:
            clear_way(self.folder)
            write_atomic(file, json.dumps({"manifest": stamp, "digests": digests}, sort_keys=True).encode())
            _remove_temporaries(self.folder)
            self._save_articles(self.folder / _ARTICLES)
        except OSError:
            pass  # a cache that cannot be written only costs time on the next build

    def _save_articles(self, folder: Path) -> None:
        """Write the articles parsed this build and delete those no longer used."""
        clear_way(folder)
        for key in sorted(self.new_articles & self.articles.keys()):
            data = json.dumps(article_to_json(self.articles[key])).encode()
            write_atomic(folder / f"{key}.json", data)
        self.new_articles.clear()
        if self.used_articles is not None and folder.is_dir():
            for file in folder.iterdir():  # unused articles, another version's files, temporary files
                if file.suffix != ".json" or file.stem not in self.used_articles:
                    file.unlink(missing_ok=True)
