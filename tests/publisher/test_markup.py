"""Markdown from the back office is rendered and sanitized before it reaches a page."""

from __future__ import annotations

from sunshine.publisher.markup import render_markdown


def test_script_tags_and_their_content_are_removed():
    html = render_markdown("办理须知<script>alert('盗取')</script>")
    assert "<script" not in html and "alert" not in html
    assert "办理须知" in html


def test_event_handler_attributes_are_removed():
    html = render_markdown(
        '<img src="x" onerror="alert(1)"> <a href="/fees/" onclick="x()">收费</a>'
    )
    assert "onerror" not in html and "onclick" not in html
    assert "<img" not in html  # images are not in the allowed set
    assert '<a href="/fees/"' in html


def test_javascript_links_lose_their_href():
    html = render_markdown("[点击领取补贴](javascript:alert(1))")
    assert "javascript:" not in html
    assert "点击领取补贴" in html


def test_ordinary_markdown_survives():
    html = render_markdown(
        "1. 《中华人民共和国建筑法》第七条\n2. **第八条**\n\n| 类别 | 件数 |\n|---|---|\n| 服务态度 | 5 |"
    )
    assert "<ol>" in html and "<strong>第八条</strong>" in html
    assert "<table>" in html and "<td>服务态度</td>" in html


def test_headings_are_demoted_below_the_page_headings():
    html = render_markdown("# 总则\n\n## 第一条")
    assert "<h1>" not in html and "<h2>" not in html
    assert "<h3>总则</h3>" in html and "<h4>第一条</h4>" in html


def test_empty_text_gives_empty_markup():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
