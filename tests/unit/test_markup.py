from generator.content.markup import count_words, highlight_css, render_markdown, rewrite_links
from generator.urls import rebase_link, resolve_link


def test_summary_is_text_before_more_marker_and_marker_is_removed() -> None:
    r = render_markdown("First.\n\nSecond.\n\n<!-- more -->\n\nThird.\n")
    assert r.summary_html == "<p>First.</p>\n<p>Second.</p>"
    assert "more" not in r.html
    assert "<p>Third.</p>" in r.html


def test_summary_defaults_to_the_first_words_of_the_prose() -> None:
    r = render_markdown("## Heading\n\nThe lead.\n\nMore.\n")
    assert r.summary_html == "<p>The lead. More.</p>"


def test_excerpt_leaves_out_headings_code_tables_footnotes_and_lists_of_links() -> None:
    text = (
        "Downloads: [tar.gz](https://e.x/a) | [zip](https://e.x/b)\n\n## Changes\n\n- Faster *start*\n  - nested\n\n"
        "```\nmake\n```\n\n| a |\n|---|\n| cell |\n\nSee the [notes](https://e.x)[^1].\n\n[^1]: Footnote.\n"
    )
    assert render_markdown(text).summary_html == "<p>Faster start nested See the notes.</p>"


def test_excerpt_leaves_out_an_alerts_title() -> None:
    assert render_markdown("> [!NOTE]\n> Read this.\n\nThen this.\n").summary_html == "<p>Read this. Then this.</p>"


def test_excerpt_stops_near_fifty_words_or_a_hundred_cjk_characters() -> None:
    words = render_markdown(" ".join(f"w{i}" for i in range(80)) + "\n").summary_html
    assert words.startswith("<p>w0 w1 ") and words.endswith(" w49…</p>")
    assert render_markdown("数" * 150 + "\n").summary_html == "<p>" + "数" * 100 + "…</p>"


def test_a_first_heading_that_repeats_the_title_is_dropped_and_body_headings_start_at_h2() -> None:
    text = "# Big News\n\nLead.\n\n# Part\n\n## Detail\n"
    html = render_markdown(text, title="Big  news").html
    assert "Big News" not in html
    assert html.startswith('<p>Lead.</p>\n<h2 id="part">') and '<h3 id="detail">' in html
    assert render_markdown("Big News\n===\n\nLead.\n", title="Big News").html == "<p>Lead.</p>"
    assert '<h2 id="other">' in render_markdown("# Other\n\nLead.\n", title="Big News").html
    assert '<h2 id="detail">' in render_markdown("## Detail\n", title="Big News").html


def test_emoji_shortcodes_stay_text_unless_the_site_asks() -> None:
    assert render_markdown("Ship it :rocket:\n").html == "<p>Ship it :rocket:</p>"
    assert render_markdown("Ship it :rocket: :nope:\n", emoji=True).html == "<p>Ship it 🚀 :nope:</p>"


def test_jinja_syntax_is_never_evaluated() -> None:
    r = render_markdown("Use {{ page.title }} and {% if x %}.\n")
    assert r.html == "<p>Use {{ page.title }} and {% if x %}.</p>"


def test_tables_footnotes_code_and_anchors() -> None:
    text = "## Café crème\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n```python\nx = 1\n```\n\n[^1]: Here.\n"
    r = render_markdown(text, "Lien")
    assert '<h2 id="cafe-creme">Café crème<a class="headerlink" href="#cafe-creme" title="Lien">#</a></h2>' in r.html
    assert "<table>" in r.html
    assert 'class="footnote-ref"' in r.html
    assert '<div class="highlight"><pre><span></span><code><span class="n">x</span>' in r.html
    assert '<a href="#cafe-creme">Café crème</a>' in r.toc_html


def test_raw_html_passes_through() -> None:
    assert render_markdown('<div class="x">raw</div>\n').html == '<div class="x">raw</div>'


def test_word_count_counts_cjk_characters() -> None:
    assert count_words("<p>Deux mots</p>") == 2
    assert count_words("<p>l’intelligence artificielle</p>") == 2
    assert count_words("<p>人工智能 AI</p>") == 5


def test_highlight_css_targets_highlight_blocks() -> None:
    assert ".highlight .k" in highlight_css()


PAGE = "https://example.org/blog/2024/10/story/"


def absolute(html: str) -> str:
    return rewrite_links(html, lambda ref: resolve_link(PAGE, ref))


def test_relative_root_relative_fragment_and_srcset_links_become_absolute() -> None:
    html = (
        '<p><a href="/blog/2024/09/other/">a</a> <a href=../other/>b</a> <a href="#fn:1">c</a>\n'
        '<img src="pic.png" srcset="pic.png 1x, /blog/big.png 2x" alt="x"></p>'
    )
    assert absolute(html) == (
        '<p><a href="https://example.org/blog/2024/09/other/">a</a> '
        '<a href="https://example.org/blog/2024/10/other/">b</a> '
        '<a href="https://example.org/blog/2024/10/story/#fn:1">c</a>\n'
        '<img src="https://example.org/blog/2024/10/story/pic.png" '
        'srcset="https://example.org/blog/2024/10/story/pic.png 1x, https://example.org/blog/big.png 2x" alt="x"></p>'
    )


def test_absolute_mailto_and_protocol_relative_links_are_kept() -> None:
    html = '<a href="https://other.example/x">o</a><a href="mailto:a@b.c">m</a><img src="//cdn.example/i.png">'
    assert absolute(html) == (
        '<a href="https://other.example/x">o</a><a href="mailto:a@b.c">m</a><img src="https://cdn.example/i.png">'
    )


def test_comments_scripts_other_attributes_and_entities_are_left_as_written() -> None:
    html = (
        '<!-- <a href="/c/"> -->\n<script>var a = \'<a href="/d/">\';</script>\n'
        '<a title=" href=/no" data-x=\'1\' href="/q?a=1&amp;b=2">é &amp; <code>&lt;a href="/e/"&gt;</code></a>\n'
        '<svg viewBox="0 0 1 1"><image href="i.svg" preserveAspectRatio="none"/></svg>'
    )
    assert absolute(html) == (
        '<!-- <a href="/c/"> -->\n<script>var a = \'<a href="/d/">\';</script>\n'
        '<a title=" href=/no" data-x=\'1\' href="https://example.org/q?a=1&amp;b=2">é &amp; '
        '<code>&lt;a href="/e/"&gt;</code></a>\n'
        '<svg viewBox="0 0 1 1"><image href="https://example.org/blog/2024/10/story/i.svg" '
        'preserveAspectRatio="none"/></svg>'
    )


def test_a_quote_in_a_rewritten_url_is_escaped() -> None:
    assert rewrite_links("<a href='x\"y'>q</a>", lambda ref: ref + "&z") == '<a href="x&quot;y&amp;z">q</a>'


def test_root_relative_links_go_under_the_base_path_and_nothing_else_moves() -> None:
    html = '<a href="/2024/10/x/">a</a><a href="x/">b</a><a href="//cdn.example/">c</a><a href="#top">d</a>'
    assert rewrite_links(html, lambda ref: rebase_link("/blog/", ref)) == (
        '<a href="/blog/2024/10/x/">a</a><a href="x/">b</a><a href="//cdn.example/">c</a><a href="#top">d</a>'
    )


def test_a_url_left_unchanged_keeps_its_spelling() -> None:
    html = "<a href=\"&#109;&#97;ilto:a@b.c\">m</a><a href='/x/'>x</a>"
    assert absolute(html) == html.replace("'/x/'", '"https://example.org/x/"')


def test_other_generators_template_tags_stay_text_while_attribute_lists_still_work() -> None:
    jekyll = "Code:\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\nSee {{ site.baseurl }}\n{{ site.baseurl }}\n"
    html = render_markdown(jekyll).html
    assert "{% endhighlight %}</p>" in html
    assert "{{ site.baseurl }}\n{{ site.baseurl }}</p>" in html
    assert render_markdown("Note\n{: .aside #n1}\n").html == '<p class="aside" id="n1">Note</p>'
