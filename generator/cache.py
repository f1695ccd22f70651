"""Gazette's cache folder (`.gazette-cache/` in the site): parsed articles and the digests of the last build.

Nothing here changes what a build produces, only how much work it does: an article whose source and
settings are unchanged is not parsed again, and an output whose digest is unchanged (and whose file is
still there) is not rendered again. Deleting the folder is always safe.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import markdown
import pygments
import pymdownx

import generator
from generator.model import Article, FrozenMap, Source, SourceFile
from generator.output import write_atomic

CACHE_DIR = ".gazette-cache"
# JSON, not pickle: a cache folder that came with someone else's site must never run code.
_ARTICLES = "articles"


def _encode(value: Any) -> Any:
    """Turn an article's values into JSON, keeping dates' zones and tuples' shape."""
    if isinstance(value, dt.datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {"$dt": value.isoformat(), "zone": zone, "fold": value.fold}
    if isinstance(value, Source):
        return {"$source": [value.name, value.url, value.lang, value.feed]}
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
    if "$tuple" in value:
        return tuple(_decode(item) for item in value["$tuple"])
    return FrozenMap({key: _decode(item) for key, item in value["$map"].items()})


def article_to_json(article: Article) -> dict[str, Any]:
    """Describe an article in JSON terms."""
    return {f.name: _encode(getattr(article, f.name)) for f in dataclasses.fields(article)}


def article_from_json(data: dict[str, Any]) -> Article:
    """Rebuild an article from `article_to_json`."""
    return Article(**{key: _decode(value) for key, value in data.items()})


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
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
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
            except (OSError, AttributeError, KeyError, TypeError, ValueError):
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
        """Return the output digests of the last build into out_dir."""
        key = str(out_dir.resolve())
        file = self._outputs_file(out_dir)
        if key not in self.outputs and file is not None:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
                self.outputs[key] = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
            except (OSError, ValueError, AttributeError):
                self.outputs[key] = {}
        return self.outputs.get(key, {})

    def forget_outputs(self, out_dir: Path) -> None:
        """Drop the digests of out_dir before its files change, so a write that dies halfway trusts nothing."""
        self.outputs[str(out_dir.resolve())] = {}
        file = self._outputs_file(out_dir)
        if file is not None:
            file.unlink(missing_ok=True)

    def save(self, out_dir: Path, digests: dict[str, str]) -> None:
        """Remember this build's output digests, and the parsed articles when they changed."""
        self.outputs[str(out_dir.resolve())] = digests
        file = self._outputs_file(out_dir)
        if self.folder is None or file is None:
            return
        try:
            write_atomic(file, json.dumps(digests, sort_keys=True).encode())
            self._save_articles(self.folder / _ARTICLES)
        except OSError:
            pass  # a cache that cannot be written only costs time on the next build

    def _save_articles(self, folder: Path) -> None:
        """Write the articles parsed this build and delete those no longer used."""
        for key in sorted(self.new_articles & self.articles.keys()):
            write_atomic(folder / f"{key}.json", json.dumps(article_to_json(self.articles[key])).encode())
        self.new_articles.clear()
        if self.used_articles is not None and folder.is_dir():
            for file in folder.glob("*.json"):
                if file.stem not in self.used_articles:
                    file.unlink(missing_ok=True)
