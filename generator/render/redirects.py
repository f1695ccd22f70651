"""Moved stories: the page left at each old URL, and the `_redirects` file hosts read. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup

from generator.model import Config, RedirectJob
from generator.urls import absolute, relative_link, site_path

# A page search engines read as a permanent move (refresh at 0 s, canonical URL, not indexed), and
# that a person without automatic refresh can still follow.
_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>{text}</p>
</body>
</html>
"""


def redirect_page(job: RedirectJob, config: Config, say: Callable[..., Markup]) -> bytes:
    """Write the page at an old URL that sends readers on to the story, in the site's language."""
    target = site_path(config.base_path, job.target)
    if config.relative_urls:
        target = relative_link(job.url, target, config.base_path)
    link = Markup('<a href="{}">{}</a>').format(target, job.title)
    page = Markup(_PAGE).format(
        lang=config.language,
        title=say("moved_title"),
        canonical=absolute(config.base_url, job.target),
        target=target,
        text=say("moved_text", link=link),
    )
    return str(page).encode()


def redirects_file(redirects: Iterable[RedirectJob], base_path: str) -> bytes:
    """List old URLs and where they moved, one `/old/ /new/ 301` line each, sorted, for Netlify and Cloudflare."""
    lines = sorted(f"{site_path(base_path, job.url)} {site_path(base_path, job.target)} 301\n" for job in redirects)
    return "".join(lines).encode()
