from generator.markup import count_words, highlight_css, render_markdown


def test_summary_is_text_before_more_marker_and_marker_is_removed() -> None:
    r = render_markdown("First.\n\nSecond.\n\n<!-- more -->\n\nThird.\n")
    assert r.summary_html == "<p>First.</p>\n<p>Second.</p>"
    assert "more" not in r.html
    assert "<p>Third.</p>" in r.html


def test_summary_defaults_to_first_paragraph() -> None:
    r = render_markdown("## Heading\n\nThe lead.\n\nMore.\n")
    assert r.summary_html == "<p>The lead.</p>"


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
