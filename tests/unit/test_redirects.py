from __future__ import annotations

from generator.model import Alias, Config, RedirectJob
from generator.render.pages import Strings
from generator.render.redirects import redirect_page, redirects_file

SAY = Strings({"en": {"moved_title": "This story has moved", "moved_text": "This story has moved: {link}"}}, "en")
ALIAS = Alias("/2019/10/old/", 3, 5, "  - /2019/10/old/")


def job(
    url: str = "/2019/10/old/", target: str = "/2024/10/new/", title: str = 'A <b>"bold"</b> & move'
) -> RedirectJob:
    return RedirectJob(url, target, title, "content/posts/new.md", ALIAS)


def test_a_redirect_page_sends_readers_and_crawlers_on_and_escapes_the_title() -> None:
    page = redirect_page(job(), Config(base_url="https://example.org/blog/", language="en"), SAY)
    assert page.decode() == (
        "<!doctype html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<title>This story has moved</title>\n"
        '<link rel="canonical" href="https://example.org/blog/2024/10/new/">\n'
        '<meta name="robots" content="noindex">\n'
        '<meta http-equiv="refresh" content="0; url=/blog/2024/10/new/">\n'
        "</head>\n"
        "<body>\n"
        '<p>This story has moved: <a href="/blog/2024/10/new/">A &lt;b&gt;&#34;bold&#34;&lt;/b&gt; &amp; move</a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def test_with_relative_urls_the_redirect_is_relative_and_the_canonical_absolute() -> None:
    config = Config(base_url="https://example.org/blog/", relative_urls=True)
    page = redirect_page(job("/archives/old.html", "/2024/10/caf\u00e9/"), config, SAY).decode()
    assert '<meta http-equiv="refresh" content="0; url=../2024/10/caf%C3%A9/index.html">' in page
    assert '<link rel="canonical" href="https://example.org/blog/2024/10/caf%C3%A9/">' in page


def test_the_redirects_file_is_sorted_under_the_base_path() -> None:
    jobs = (job("/z/"), job("/caf\u00e9/", "/2024/10/b/"), job("/a.html"))
    assert redirects_file(jobs, "/blog/") == (
        b"/blog/a.html /blog/2024/10/new/ 301\n/blog/caf%C3%A9/ /blog/2024/10/b/ 301\n/blog/z/ /blog/2024/10/new/ 301\n"
    )
