"""Markdown from the back office is rendered and sanitized before it reaches a page."""

from __future__ import annotations

import pytest

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


HOSTILE_MARKDOWN_LINKS = [
    "/\\evil.example/x",
    "//evil.example/x",
    "/%5Cevil.example/x",
    "/%2F/evil.example",
    "http:/\\evil.example",
    "https:evil.example",
    "https://zwfw.example.gov.cn@evil.example/",
]


@pytest.mark.parametrize("href", HOSTILE_MARKDOWN_LINKS)
def test_off_site_markdown_links_lose_their_href(href):
    html = render_markdown(f"详见[办事指南]({href})。")
    assert html == '<p>详见<a rel="noopener noreferrer">办事指南</a>。</p>'


def test_off_site_html_link_with_a_tab_loses_its_href():
    html = render_markdown('<a href="/&#9;/evil.example/x">申请表</a>')
    assert html == '<p><a rel="noopener noreferrer">申请表</a></p>'


@pytest.mark.parametrize(
    "href",
    ["/items/511623-ZJ-0001/", "https://zwfw.example.gov.cn/x?a=1", "mailto:zwfw@example.gov.cn",
     "tel:0817-2223344"],
)  # fmt: skip
def test_same_site_web_and_contact_links_keep_their_href(href):
    html = render_markdown(f"[咨询]({href})")
    assert html == f'<p><a href="{href}" rel="noopener noreferrer">咨询</a></p>'


def test_link_title_survives_the_filter():
    html = render_markdown('[收费标准](/fees/ "收费公示")')
    assert html == '<p><a href="/fees/" title="收费公示" rel="noopener noreferrer">收费标准</a></p>'


# -- texts with no Markdown in them but list marks (markup._plain_markdown) -----------------------

PLAIN_ALPHABET = [*"中文营业执照，。；：、（）《》“”…—·〔〕【】！？", *"aZ09.%", " ", "  ", "-", "1. ", "#", "*", "_", "<",
                  "&", "|", ">", "    ", "\t", "---", "!", "[", "＃", "\u3000", "+ ", "1.", "ｆ", "～", "＿", "＊", "`"]


def python_markdown(text: str) -> str:
    from sunshine.publisher import markup

    return markup._converter().reset().convert(text)


def generated_texts(count: int, seed: int) -> list[str]:
    """Lists and lines of pieces of the alphabet above: plain ones and near misses."""
    import random

    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        lines = ["".join(rng.choice(PLAIN_ALPHABET) for _ in range(rng.randint(1, 8)))
                 for _ in range(rng.randint(1, 4))]
        listed = rng.random() < 0.8
        texts.append("\n".join(f"- {line}" if listed else line for line in lines) + "\n" * rng.randint(0, 2))
    return texts


def test_a_plain_text_becomes_what_python_markdown_makes_of_it():
    from sunshine.publisher.markup import _plain_markdown

    plain = [(text, html) for text in generated_texts(40000, seed=7) if (html := _plain_markdown(text)) is not None]
    assert len(plain) > 2000  # enough of them were plain
    assert [html for _text, html in plain] == [python_markdown(text) for text, _html in plain]


def test_a_list_of_legal_bases_is_a_plain_text():
    from sunshine.publisher.markup import _plain_markdown

    text = "- 《行政许可法》第十二条：下列事项可以设定行政许可……\n- 《条例》第3.5条（试行），收费标准按100%执行。\n"
    assert _plain_markdown(text) == python_markdown(text) == (
        "<ul>\n<li>《行政许可法》第十二条：下列事项可以设定行政许可……</li>\n"
        "<li>《条例》第3.5条（试行），收费标准按100%执行。</li>\n</ul>")


@pytest.mark.parametrize("text", ["- **营业执照**副本", "1. 提交申请", "- 1. 提交申请", "申请\n- 材料", "- 材料\n\n- 表格",
                                  "# 标题", "- 材料  ", "  材料", "材料\n材料", "- A类材料", "- <b>材料</b>"])
def test_any_other_text_goes_through_python_markdown(text):
    from sunshine.publisher.markup import _plain_markdown

    assert _plain_markdown(text) is None
