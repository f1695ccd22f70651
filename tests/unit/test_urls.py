import datetime as dt

import pytest

from generator.urls import (
    absolute,
    feed_url,
    hashed_url,
    host_problem,
    list_url,
    output_path,
    path_in_site,
    permalink_problem,
    post_url,
    read_alias,
    relative_link,
    served_file,
    short_url,
    site_path,
    slugify,
    source_url,
    tag_url,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sécurité", "securite"),
        ("Microsoft coupe Azure OpenAI en Chine !", "microsoft-coupe-azure-openai-en-chine"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("F#", "f-sharp"),
        (".NET", "dotnet"),
        ("CI/CD", "ci-cd"),
        ("AT&T", "at-and-t"),
        ("l’IA générative", "l-ia-generative"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("人工智能", "人工智能"),
        ("微软 Azure", "微软-azure"),
        ("ガジェット", "ガジェット"),
        ("한국어", "한국어"),
        ("010", "010"),
        ("snake_case", "snake-case"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "...", "..", ".", "/", "!!!", "🙂", "../../etc/passwd", "a/b"])
def test_slugify_never_gives_an_unsafe_name(text: str) -> None:
    slug = slugify(text)
    assert slug not in ("", ".", "..")
    assert "/" not in slug and "\\" not in slug


def test_slugify_bounds_length_in_bytes_at_a_word_boundary() -> None:
    slug = slugify("mot " * 100)
    assert len(slug.encode()) <= 96
    assert not slug.endswith("-")
    assert slug.startswith("mot-mot")
    assert len(slugify("人" * 200).encode()) <= 96


def test_permalink_rules() -> None:
    assert permalink_problem("/{year}/{month}/{slug}/") is None
    assert permalink_problem("{slug}") == "the permalink must start and end with '/', like /{year}/{month}/{slug}/"
    assert (
        permalink_problem("/{year}/") == "the permalink must contain {slug}, or two posts of one day would share a URL"
    )
    date = dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    assert post_url("/{year}/{month}/{day}/{slug}/", date, "x") == "/2024/03/05/x/"


def test_paths_and_links() -> None:
    assert output_path("/") == "index.html"
    assert output_path("/2024/10/x/") == "2024/10/x/index.html"
    assert output_path("/404.html") == "404.html"
    assert list_url("/", 1) == "/"
    assert list_url("/tags/ia/", 3) == "/tags/ia/page/3/"
    assert tag_url("Sécurité") == "/tags/securite/"
    assert site_path("/blog/", "/tags/人工智能/") == "/blog/tags/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD/"
    assert site_path("/", "/a/") == "/a/"
    assert absolute("https://example.org/blog/", "/2024/10/x/") == "https://example.org/blog/2024/10/x/"
    assert absolute("https://example.org/blog", "/") == "https://example.org/blog/"


def test_feed_and_source_urls() -> None:
    assert feed_url("/") == "/feed.xml"
    assert feed_url("/", "atom") == "/atom.xml"
    assert feed_url("/", "json") == "/feed.json"
    assert feed_url("/tags/ia/") == "/tags/ia/feed.xml"
    assert source_url("ITHome") == "/sources/ithome/"


@pytest.mark.parametrize(
    ("written", "url", "problem"),
    [
        ("/2019/10/ancien-slug/", "/2019/10/ancien-slug/", None),
        ("/old/url", "/old/url/", None),  # a folder, as Hugo reads it
        ("/archives/page.html", "/archives/page.html", None),
        ("/caf%C3%A9/", "/café/", None),
        ("/", "/", None),
        ("/old//double/", "/old/double/", None),
        ("https://old.example/a/", "https://old.example/a/", "a path inside the site"),
        ("//cdn.example/a/", "//cdn.example/a/", "a path inside the site"),
        ("old/a/", "old/a/", "must start with '/'"),
        ("/a/?p=1", "/a/?p=1", "a query or #fragment never reaches the server"),
        ("/x/../etc/", "/x/../etc/", "its part '..' cannot name a file"),
        ("/a b/", "/a b/", "its part 'a b' cannot name a file"),
    ],
)
def test_read_alias(written: str, url: str, problem: str | None) -> None:
    found, why = read_alias(written)
    assert found == url
    assert (why is None) if problem is None else (why is not None and problem in why)


@pytest.mark.parametrize(
    ("page", "ref", "relative"),
    [
        ("/2024/10/x/", "/blog/", "../../../index.html"),
        ("/2024/10/x/", "/blog/2024/10/x/#top", "index.html#top"),
        ("/2024/10/x/", "/blog/static/style.0123456789.css", "../../../static/style.0123456789.css"),
        ("/", "/blog/tags/ia/?p=2", "tags/ia/index.html?p=2"),
        ("/tags/ia/page/2/", "/blog/tags/ia/", "../../index.html"),
        ("/2024/10/café/", "/blog/2024/10/caf%C3%A9/photo.jpg", "photo.jpg"),
        ("/404.html", "/blog/a/", "a/index.html"),
        ("/2024/10/x/", "https://example.org/blog/", "https://example.org/blog/"),
        ("/2024/10/x/", "//cdn.example/a.js", "//cdn.example/a.js"),
        ("/2024/10/x/", "/elsewhere/", "/elsewhere/"),  # not under the base path: not the site's
        ("/2024/10/x/", "#top", "#top"),
    ],
)
def test_relative_link(page: str, ref: str, relative: str) -> None:
    assert relative_link(page, ref, "/blog/") == relative


def test_hashed_url_and_host_names() -> None:
    assert hashed_url("/static/style.css", "3f2a9c1b0d77") == "/static/style.3f2a9c1b0d.css"
    assert hashed_url("/static/js/app.min.js", "abcdef0123") == "/static/js/app.min.abcdef0123.js"
    assert host_problem("blog.example.org") is None
    assert host_problem("xn--caf-dma.fr") is None
    for bad in ("https://blog.example.org/", "localhost", "-bad.example.org", "a..b", "blog.example.org/x", "a b.org"):
        assert host_problem(bad) is not None, bad


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://example.org/blog/", ""),
        ("https://example.org/blog", ""),
        ("https://example.org/blog/2024/10/x/?q=1#part", "2024/10/x/"),
        ("https://example.org/blog/tags/%E4%BA%BA%E5%B7%A5/", "tags/人工/"),
        ("https://example.org/blog/img/a%20b.png", "img/a b.png"),
        ("https://example.org/blogger/", None),
        ("https://example.org/", None),
        ("https://other.example/blog/", None),
        ("mailto:news@example.org", None),
        ("https://[::1/", None),
    ],
)
def test_a_url_names_a_path_of_the_site_only_under_its_base(url: str, path: str | None) -> None:
    assert path_in_site("https://example.org/blog/", url) == path


def test_a_folder_is_served_by_its_index() -> None:
    files = {"index.html", "a/index.html", "b.txt"}
    assert [served_file(p, files) for p in ("", "a/", "a", "b.txt", "c")] == [
        "index.html",
        "a/index.html",
        "a/index.html",
        "b.txt",
        "c",
    ]


def test_short_url_drops_the_scheme_and_www() -> None:
    assert short_url("https://www.ithome.com/rss/") == "ithome.com/rss/"
    assert short_url("https://next.ink/") == "next.ink"
    assert short_url("not a url") == "not a url"
