"""The plain search results page of the intake (/intake/search): works without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.search.public_fixtures import demo_public_index  # noqa: F401  (fixture)


@pytest.fixture
def app_config(app_config, demo_public_index):  # noqa: F811
    directory, _snapshot = demo_public_index
    return {**app_config, "SUNSHINE_PUBLIC_SEARCH_INDEX": str(directory)}


@pytest.fixture
def page(demo):
    client = demo.test_client()

    def get(query_string: dict, status: int = 200) -> str:
        response = client.get("/intake/search", query_string=query_string)
        assert response.status_code == status
        return response.get_data(as_text=True)

    return get


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="[^"]*">([^<]*)</a></h2>', html)


def test_results_page_lists_hits_with_kind_department_and_summary(page):
    html = page({"q": "开饭馆要办什么证"})
    assert titles(html)[0] == "食品经营许可"
    assert '<a href="/items/SCJG-XK-001/">食品经营许可</a>' in html
    assert '<span class="kind">事项</span> · 清川县市场监督管理局' in html
    assert "不收费" in html


def test_results_page_has_no_script(page):
    assert "<script" not in page({"q": "身份证"})


def test_empty_state_is_honest_and_helpful(page):
    html = page({"q": "公积金"})
    assert "没有找到与“公积金”相关的内容。" in html
    assert '<a href="tel:0827-5220001">0827-5220001</a>' in html
    assert '<a href="/intake/question">提交咨询</a>' in html
    assert titles(html) == []


def test_typo_offers_did_you_mean_link(page):
    html = page({"q": "营业只照"})
    assert '您是不是要找：<a href="/intake/search?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7">营业执照</a>' in html


def test_kind_filter_is_kept_selected(page):
    html = page({"q": "身份证", "kind": "question"})
    assert '<option value="question" selected>问答</option>' in html
    assert set(re.findall(r'<span class="kind">([^<]*)</span>', html)) == {"问答"}


def test_next_page_link_keeps_the_query(page):
    html = page({"q": "许可", "per_page": "3"})
    assert 'href="/intake/search?q=%E8%AE%B8%E5%8F%AF&amp;per_page=3&amp;page=2" rel="next"' in html
    assert 'rel="prev"' not in html


def test_bad_page_number_is_explained(page):
    html = page({"q": "许可", "page": "abc"}, status=400)
    assert "页码必须是正整数（page=abc）" in html


def test_without_a_query_the_page_shows_the_form_only(page):
    html = page({})
    assert '<input type="search" id="q" name="q" value=""' in html
    assert "没有找到" not in html and titles(html) == []
