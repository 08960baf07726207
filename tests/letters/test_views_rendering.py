"""Letter bodies: Markdown through markdown-it-py, sanitised by nh3."""

from letters.rendering import render_markdown


def test_placeholder_links_keep_their_words():
    assert render_markdown("Decisions of [Australia](#) and [New Zealand](#).") == (
        "<p>Decisions of Australia and New Zealand.</p>\n"
    )


def test_autolinks_are_links():
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer">https://example.org/x</a>' in (
        render_markdown("<https://example.org/x>")
    )


def test_raw_html_and_scripts_are_not_rendered():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(1)">')

    assert "<script" not in html
    assert "<img" not in html


def test_javascript_links_are_not_links():
    assert "javascript:" not in render_markdown("[click](javascript:alert(1))").replace("[click](javascript:", "")
    assert "<a" not in render_markdown("[click](javascript:alert(1))")


def test_headings_start_below_the_page_title():
    assert render_markdown("# Title\n\n## Part") == "<h2>Title</h2>\n<h3>Part</h3>\n"


def test_numbered_lists_keep_their_start():
    assert '<ol start="3">' in render_markdown("3. three\n4. four")


def test_empty_body_is_empty():
    assert render_markdown("  \n") == ""
