"""Index the stories for search in the browser, with Pagefind, inside the build's staging folder.

Pagefind (its PyPI packages `pagefind` and `pagefind-bin-extended`, which segments Chinese and Japanese)
is optional: `pip install 'gazette[search]'`. Its command line (`python -m pagefind`) reads the pages
the build just rendered, through a folder of links inside the staging folder, and writes its bundle
there too; the bundle's files are then staged like any other output, so they reach output/ only with
the rest of a build that succeeded, and a build that fails leaves the old index as it was. Pagefind
cannot add to an index, so any change to a story's page indexes every story again; a build that
changed no story's page keeps the last bundle untouched.

Side effects: links and files in the staging folder, and the Pagefind process it runs there.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from generator.errors import Diagnostic
from generator.model import Config, Job, Output, PageJob
from generator.publish.output import Staged, Staging, write_advice
from generator.urls import SEARCH_BUNDLE_URL, output_path

INSTALL_COMMAND = "pip install 'gazette[search]'"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")  # fr, pt-BR, zh-Hant-TW
_HTML_LANG = re.compile(rb"""(<html\b[^>]*?\blang=)(?:"[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE)
EMPTY_MAP: Mapping[str, str] = MappingProxyType({})
BUNDLE_FOLDER = SEARCH_BUNDLE_URL.lstrip("/")  # "pagefind/": the output folder of the bundle


def pagefind_stamp() -> str | None:
    """Identify the Pagefind binary `python -m pagefind` would run (path, size, time), or None when there is none.

    Found as Pagefind's Python package finds it (PAGEFIND_BINARY_PATH, the extended binary's package, the
    standard one's, then the PATH), without importing anything: a build that finds nothing changed asks
    this too, and must stay fast. The binary's size and time stand for its version.
    """
    if importlib.util.find_spec("pagefind") is None:
        return None
    binary = os.environ.get("PAGEFIND_BINARY_PATH") or _packaged_binary()
    binary = binary or shutil.which("pagefind_extended") or shutil.which("pagefind")
    try:
        status = os.stat(binary) if binary else None
    except OSError:
        return None
    return f"{binary}:{status.st_size}:{status.st_mtime_ns}" if status else None


def _packaged_binary() -> str | None:
    """Give the binary shipped by `pagefind-bin-extended`, else by `pagefind-bin`, or None."""
    for package, name in (("pagefind_bin_extended", "pagefind_extended"), ("pagefind_bin", "pagefind")):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or ()) if spec else ():
            for candidate in (os.path.join(folder, name), os.path.join(folder, name + ".exe")):
                if os.path.isfile(candidate):
                    return candidate
    return None


def is_bundle_file(path: str) -> bool:
    """Tell whether an output path belongs to the search bundle."""
    return path.startswith(BUNDLE_FOLDER)


def story_pages(jobs: Iterable[Job]) -> tuple[str, ...]:
    """List the output paths of the pages a reader searches: the stories (not lists, pages or indexes)."""
    return tuple(
        sorted(
            output_path(job.url)
            for job in jobs
            if isinstance(job, PageJob) and job.page is not None and job.page.kind == "post"
        )
    )


def index_digest(stories: tuple[str, ...], digests: Mapping[str, str], pagefind: str) -> str:
    """Digest what the index is made from: every story page's inputs, and the Pagefind that indexes them."""
    digest = hashlib.sha256(pagefind.encode())
    for path in stories:
        digest.update(f"\0{path}\0{digests[path]}".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The search bundle of a build: its files staged (none when the last bundle stands) and their digests."""

    staged: tuple[Staged, ...]
    digests: dict[str, str]
    problems: tuple[Diagnostic, ...] = ()


NO_INDEX = SearchIndex((), {})


def index_for_search(
    jobs: tuple[Job, ...],
    digests: Mapping[str, str],
    previous: Mapping[str, str],
    staged: tuple[Staged, ...],
    staging: Staging,
    pagefind: str | None,
    language: str,
) -> SearchIndex:
    """Index the stories for search as this build leaves them, or keep the last index (see index_search)."""
    assert pagefind is not None  # search is on only where Pagefind is installed
    stories = story_pages(jobs)
    pages = {s.path: s for s in staged}
    digest = index_digest(stories, digests, pagefind)
    return index_search(stories, pages, staging, digest, previous, _retagged(jobs, language))


def index_search(
    stories: tuple[str, ...],
    pages: Mapping[str, Staged],
    staging: Staging,
    digest: str,
    previous: Mapping[str, str],
    retagged: Mapping[str, str] = EMPTY_MAP,
) -> SearchIndex:
    """Index the story pages as this build leaves them, unless the last build indexed exactly these.

    `pages` holds what this build rendered (the others are in the output folder, as the last build
    left them); `previous` is the last build's digests, whose bundle files are kept when their
    digest is this one and they are all still there. `retagged` maps the stories whose `lang` Pagefind
    cannot take to the language they are indexed in.
    """
    if not stories:  # nothing to search: no bundle, and no search page (see Site.sections)
        return NO_INDEX
    last = {path: value for path, value in previous.items() if is_bundle_file(path)}
    out_dir = staging.out_dir
    if last and set(last.values()) == {digest} and all((out_dir / path).is_file() for path in last):
        return SearchIndex((), dict(last))
    work = staging.scratch("search")
    try:
        _link_pages(stories, pages, staging, work / "site", retagged)
        problem = _run_pagefind(work)
        if problem is not None:
            return SearchIndex((), {}, (_located(out_dir, problem),))
        staged = tuple(
            staging.stage(Output(BUNDLE_FOLDER + file.relative_to(work / "bundle").as_posix(), file.read_bytes()))
            for file in sorted((work / "bundle").rglob("*"))
            if file.is_file()
        )
    except OSError as error:  # a full disk, a folder made read-only meanwhile
        return SearchIndex((), {}, (_located(out_dir, f"the search index {write_advice(error)}"),))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SearchIndex(staged, dict.fromkeys((s.path for s in staged), digest))


def _located(out_dir: Path, message: str) -> Diagnostic:
    """Report a problem of the search index at its folder in the output folder."""
    return Diagnostic(str(out_dir / BUNDLE_FOLDER.rstrip("/")), 0, 0, message)


def _retagged(jobs: Iterable[Job], language: str) -> dict[str, str]:
    """Map each story whose `lang` is no language tag Pagefind can take to the site's language.

    Pagefind names its files after each language, and fails on a long one; `lang` is whatever a writer typed.
    """
    return {
        output_path(job.url): language
        for job in jobs
        if isinstance(job, PageJob) and job.page is not None and job.page.lang is not None
        and not _LANGUAGE_TAG.fullmatch(job.page.lang)
    }  # fmt: skip


def _with_language(page: bytes, language: str) -> bytes:
    """Give a page with the lang attribute of its <html> element set to a language."""
    value = b'"' + language.encode() + b'"'
    return _HTML_LANG.sub(lambda match: match[1] + value, page, count=1)


def _link_pages(
    stories: tuple[str, ...], pages: Mapping[str, Staged], staging: Staging, folder: Path, retagged: Mapping[str, str]
) -> None:
    """Lay out the story pages under a folder as the site will have them, as links to their bytes.

    A page in `retagged` is copied instead, its <html lang> replaced by the language it is indexed in.
    """
    for path in stories:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        source = staging.holder(pages.get(path) or Staged(path, None))
        if path in retagged:
            target.write_bytes(_with_language(source.read_bytes(), retagged[path]))
            continue
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links: a copy does as well
            shutil.copyfile(source, target)


def _run_pagefind(work: Path) -> str | None:
    """Index the pages below work/site into a bundle at work/bundle; say what went wrong, or None.

    Pagefind's command line, run by its Python package: it ends with a status and says why on stderr.
    It runs in the work folder, where no pagefind.yml of the user's is read.
    """
    command = [sys.executable, "-m", "pagefind", "--site", "site", "--output-path", "bundle", "--silent"]
    try:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, errors="replace", check=False)
    except OSError as error:
        return f"Pagefind could not be started: {error}; reinstall it with: {INSTALL_COMMAND}"
    if done.returncode != 0 or not (work / "bundle" / "pagefind.js").is_file():
        lines = dict.fromkeys(line.strip() for line in done.stderr.splitlines() if line.strip())  # it repeats itself
        said = " ".join(lines) or f"it ended with status {done.returncode}"
        return f"Pagefind could not index the stories: {said}"
    return None


def settle_search(config: Config, pagefind: str | None, error_at: Callable[[str, str], Diagnostic]) -> SettledSearch:
    """Decide whether this build indexes for search: as site.yaml says, else when Pagefind is installed."""
    if config.search is None:
        return SettledSearch(replace(config, search=pagefind is not None))
    if config.search and pagefind is None:
        message = f"search is on, but Pagefind is not installed; install it with: {INSTALL_COMMAND}"
        return SettledSearch(replace(config, search=False), (error_at("search", message),))
    return SettledSearch(config)


@dataclass(frozen=True, slots=True)
class SettledSearch:
    """The config with `search` settled to True or False, and the error when it cannot be as written."""

    config: Config
    problems: tuple[Diagnostic, ...] = ()
