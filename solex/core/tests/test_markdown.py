"""What people write renders as they expect (hostile input: test_markdown_xss.py)."""

from __future__ import annotations

from solex.core.markdown import render_markdown


def test_headings_paragraphs_and_emphasis() -> None:
    assert render_markdown("## Lessons learned\n\nIt *worked* in **Kenya**.") == (
        "<h2>Lessons learned</h2>\n<p>It <em>worked</em> in <strong>Kenya</strong>.</p>\n"
    )


def test_lists_keep_their_numbering() -> None:
    assert render_markdown("3. three\n4. four\n\n- a\n- b") == (
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n'
    )


def test_code_is_escaped_and_keeps_its_language() -> None:
    assert render_markdown("Use `a < b`.\n\n```python\nif a < b:\n    pass\n```") == (
        "<p>Use <code>a &lt; b</code>.</p>\n"
        '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>\n'
    )


def test_links_are_marked_as_user_content() -> None:
    assert render_markdown('[UNDP](https://www.undp.org "Home") <mailto:km@undp.org>') == (
        '<p><a href="https://www.undp.org" title="Home" rel="nofollow noopener ugc">UNDP</a> '
        '<a href="mailto:km@undp.org" rel="nofollow noopener ugc">mailto:km@undp.org</a></p>\n'
    )


def test_relative_links_and_images_survive() -> None:
    assert render_markdown("[Library](/knowledge/) ![Map of the region](/media/map.png)") == (
        '<p><a href="/knowledge/" rel="nofollow noopener ugc">Library</a> '
        '<img src="/media/map.png" alt="Map of the region" loading="lazy"></p>\n'
    )


def test_other_url_schemes_lose_their_link() -> None:
    assert render_markdown("[call](tel:+123) [files](ftp://example.org/x)") == (
        '<p><a rel="nofollow noopener ugc">call</a> <a rel="nofollow noopener ugc">files</a></p>\n'
    )


def test_tables_align_with_classes_not_styles() -> None:
    assert render_markdown("| Country | Replies |\n|:--|--:|\n| Senegal | 12 |") == (
        "<table>\n<thead>\n<tr>\n"
        '<th class="align-start">Country</th>\n<th class="align-end">Replies</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td class="align-start">Senegal</td>\n<td class="align-end">12</td>\n'
        "</tr>\n</tbody>\n</table>\n"
    )


def test_strikethrough_and_blockquote() -> None:
    assert render_markdown("> ~~draft~~ final") == (
        "<blockquote>\n<p><s>draft</s> final</p>\n</blockquote>\n"
    )


def test_arabic_text_is_kept_intact() -> None:
    text = "## الدروس المستفادة\n\nنجحت **التجربة** في السنغال."
    assert render_markdown(text) == (
        "<h2>الدروس المستفادة</h2>\n<p>نجحت <strong>التجربة</strong> في السنغال.</p>\n"
    )


def test_raw_html_is_shown_as_text() -> None:
    assert render_markdown("Press <kbd>Ctrl</kbd>") == (
        "<p>Press &lt;kbd&gt;Ctrl&lt;/kbd&gt;</p>\n"
    )


def test_bare_urls_are_not_linked() -> None:
    assert render_markdown("See https://www.undp.org") == "<p>See https://www.undp.org</p>\n"


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == ""
