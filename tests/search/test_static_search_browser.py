"""The search page in Chromium on a phone-sized window, on a demo-like site built once.

Typed queries and the keyboard only: results labelled by kind with department, time limit and fee;
filters narrowing them; the honest empty state with the hotline and the online-question form; and,
with JavaScript off, the form going to the intake's plain results page.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from sunshine.contract.urls import question_url
from sunshine.publisher.generator import SEARCH_DATA_URL, SEARCH_PINYIN_URL
from tests.e2e.page_checkers import axe_violations
from tests.publisher.static_browser import chromium, served
from tests.search.test_static_terms import FOOD, ID_CARD, demo_snapshot

pytestmark = pytest.mark.browser

SITE = demo_snapshot()["site"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sunshine.publisher.build import build_site

    work = tmp_path_factory.mktemp("search-browser")
    snapshot = work / "snapshot.json"
    snapshot.write_text(json.dumps(demo_snapshot(), ensure_ascii=False), encoding="utf-8")
    return build_site(snapshot, work / "site").out_dir


@pytest.fixture(scope="module")
def browser_base(site: Path):
    with chromium() as browser, served(site) as base:
        yield browser, base


@pytest.fixture(scope="module")
def browser_page(browser_base):
    browser, base = browser_base
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    yield context.new_page(), base
    context.close()


def first_query(browser_base, query: str) -> tuple[list[str], list[str]]:
    """The results shown for a query opened in a new window (nothing cached) as ?q=, and the
    paths the page requested."""
    browser, base = browser_base
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{base}/search/?q={quote(query)}")
    settled(page)
    hrefs = [r["href"] for r in shown(page)]
    context.close()
    return hrefs, requested


def settled(page) -> str:
    page.wait_for_function(
        "() => /找到|没有找到|无法使用/.test(document.getElementById('search-status').textContent)")
    return page.text_content("#search-status")


def shown(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#search-results .search-result",
        "items => items.map(i => ({kind: i.querySelector('.search-kind')?.textContent,"
        " href: i.querySelector('a').getAttribute('href'), title: i.querySelector('a').textContent,"
        " facts: i.querySelector('.search-facts')?.textContent}))",
    )


def type_and_enter(page, base: str, query: str) -> str:
    page.goto(f"{base}/search/")
    page.focus("#site-search-input")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    return settled(page)


def test_typed_query_finds_the_item_labelled_with_its_facts(browser_page):
    page, base = browser_page
    type_and_enter(page, base, "开饭馆要办什么证")
    first = shown(page)[0]
    assert first == {"kind": "事项", "href": f"/items/{FOOD}/", "title": "食品经营许可",
                     "facts": first["facts"]}
    assert first["facts"].startswith("清川县市场监督管理局 · 承诺 ")
    assert page.url.endswith("/search/?q=" + quote("开饭馆要办什么证"))


def test_traditional_characters_find_the_item(browser_page):
    page, base = browser_page
    type_and_enter(page, base, "身份證")
    assert shown(page)[0]["href"] == f"/items/{ID_CARD}/"


def test_the_summary_marks_the_words_searched(browser_page):
    page, base = browser_page
    type_and_enter(page, base, "食品安全")
    marks = page.eval_on_selector_all(f"a[href='/items/{FOOD}/'] >> xpath=../.. >> .search-excerpt mark",
                                      "m => m.map(x => x.textContent)")
    assert "食品安全" in marks


def test_no_result_is_said_honestly_with_the_hotline_and_the_question_form(browser_page):
    page, base = browser_page
    assert type_and_enter(page, base, "公积金") == "没有找到与“公积金”相关的内容"
    assert shown(page) == []
    empty = page.locator("#search-empty")
    assert empty.is_visible()
    assert f"拨打咨询电话 {SITE['phone']}" in empty.text_content()
    assert empty.locator("a", has_text="在网上咨询中提问").get_attribute("href") == question_url(SITE["intake_url"])


def test_a_filter_chosen_with_the_keyboard_narrows_the_results(browser_page):
    page, base = browser_page
    type_and_enter(page, base, "登记")
    everything = {r["href"] for r in shown(page)}
    page.focus("#search-filter-department")
    page.keyboard.press("ArrowDown")  # the first department in window order
    chosen = page.eval_on_selector("#search-filter-department", "s => s.value")
    page.wait_for_function(f"() => new URL(location.href).searchParams.get('department') === '{chosen}'")
    settled(page)
    narrowed = {r["href"] for r in shown(page)}
    assert narrowed and narrowed < everything


def test_the_results_page_fits_a_phone_and_passes_axe(browser_page):
    page, base = browser_page
    type_and_enter(page, base, "登记")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []


@pytest.mark.parametrize(("query", "results"), [
    ("营业执照", ["/items/511623-SC-0001/", "/questions/ZX-6LMV-3QAH/", "/items/511623-GA-0001/",
              "/items/511623-SC-0002/", "/items/511623-SC-0003/"]),
    # pinyin initials are words of the index itself: no reading is needed to find them
    ("yyzz", ["/items/511623-SC-0001/", "/questions/ZX-6LMV-3QAH/"]),
])
def test_a_query_the_index_has_does_not_download_the_readings(browser_base, query, results):
    """The characters' readings (search-pinyin.json, 24 KB at the demo) are for homophone typos
    only: a first query whose words the index has never loads them (part of the first-query
    budget, bench/bench_search_delta.py step 6)."""
    hrefs, requested = first_query(browser_base, query)
    assert hrefs == results
    assert SEARCH_DATA_URL in requested
    assert SEARCH_PINYIN_URL not in requested


def test_a_homophone_typo_downloads_the_readings_and_finds_the_item(browser_base):
    hrefs, requested = first_query(browser_base, "底保")  # for 低保
    assert hrefs == ["/items/511623-MZ-0002/"]
    assert SEARCH_PINYIN_URL in requested


def test_without_javascript_the_form_goes_to_the_intakes_results_page(site: Path):
    with chromium() as browser, served(site) as base:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base}/search/")
        page.fill("#site-search-input", "营业执照")
        page.press("#site-search-input", "Enter")
        page.wait_for_url("**/intake/search?*")
        address = urlsplit(page.url)
        assert f"{address.scheme}://{address.netloc}{address.path}" == f"{base}/intake/search"
        # the filters go along, empty when none is chosen
        assert parse_qs(address.query, keep_blank_values=True) == {
            "q": ["营业执照"], "department": [""], "item_type": [""], "case_type": [""]}
        context.close()
