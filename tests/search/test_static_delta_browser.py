"""The search page in Chromium on a real built site after one edit: base bundle + delta bundle.

The small snapshot is built and indexed (a base), one item is renamed and re-described, the site is
rebuilt incrementally (unchanged pages hard-linked) and indexed as a delta; the search page must
find the edited item once by its new words, no longer by its old ones, and label results by kind.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from sunshine.publisher.build import build_site
from sunshine.search.static_delta import update_static_index
from tests.e2e.page_checkers import axe_violations
from tests.publisher.conftest import SMALL_SNAPSHOT
from tests.publisher.static_browser import chromium, served

pytestmark = pytest.mark.browser

EDITED = "511623-SC-0001"
NEW_NAME = "个体工商户智慧联办登记"
NEW_CONDITIONS = "经营者通过“智慧联办”专窗申请，实行容缺受理，营业执照当场寄递。"
#: A word only the old version of the item had.
OLD_WORD = "公民"
#: Queries whose results must equal those of one fresh index of the edited site: new words, old
#: words (Pagefind matches word prefixes, so 经营范围 still finds 经营者 in the new text), words
#: of unchanged pages, and mixtures.
SAME_AS_FRESH = ("智慧联办", "经营范围", "设立登记", "公民", "营业执照", "民政局", "结婚登记", "施工许可",
                 "智慧联办 登记", "容缺受理 民政局")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("delta-site")
    build_site(SMALL_SNAPSHOT, work / "a", static_index=False, ledger=work / "a.json")
    update_static_index(work / "a", None)
    snapshot = json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8"))
    edited = copy.deepcopy(snapshot)
    item = next(i for i in edited["items"] if i["code"] == EDITED)
    item["name"], item["conditions"] = NEW_NAME, NEW_CONDITIONS
    (work / "b.json").write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    build_site(work / "b.json", work / "b", static_index=False, previous=work / "a",
               previous_ledger=work / "a.json", ledger=work / "b-ledger.json")
    result = update_static_index(work / "b", work / "a")
    assert result.mode == "delta" and result.delta_pages >= 1
    return work / "b"


@pytest.fixture(scope="module")
def fresh_site(site: Path) -> Path:
    """The same edited site with one fresh full index (hard-linked pages, new bundles)."""
    fresh = site.parent / "fresh"
    shutil.copytree(site, fresh, copy_function=os.link,
                    ignore=lambda folder, names: [n for n in names if n in ("pagefind", "pagefind-delta")]
                    if Path(folder) == site else [])
    update_static_index(fresh, None)
    return fresh


def results(page, base: str, query: str) -> list[dict]:
    """Open the search page with ?q=, wait for its status line, return the shown results."""
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_function(
        "() => /找到|没有找到/.test(document.getElementById('search-status').textContent)")
    return page.eval_on_selector_all(
        "#search-results .search-result",  # the answer, not the empty state's suggestions
        "items => items.map(i => ({kind: i.querySelector('.search-kind')?.textContent,"
        " title: i.querySelector('a').textContent, href: i.querySelector('a').getAttribute('href'),"
        " marked: [...i.querySelectorAll('.search-excerpt mark')].map(m => m.textContent)}))",
    )


@pytest.fixture(scope="module")
def browser_page(site: Path):
    with chromium() as browser, served(site) as base:
        context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
        yield context.new_page(), base
        context.close()


def test_new_words_find_the_edited_item_once(browser_page):
    page, base = browser_page
    found = [r for r in results(page, base, "智慧联办") if r["href"] == f"/items/{EDITED}/"]
    assert [(r["kind"], r["title"]) for r in found] == [("事项", NEW_NAME)]


def test_old_word_no_longer_finds_the_edited_item(browser_page):
    page, base = browser_page
    assert f"/items/{EDITED}/" not in [r["href"] for r in results(page, base, OLD_WORD)]


def all_results(page, base: str, query: str) -> list[str]:
    """Every result's address, pressing 加载更多 until none is left."""
    results(page, base, query)
    while page.is_visible("#search-more"):
        count = page.eval_on_selector_all("#search-results .search-result", "r => r.length")
        page.click("#search-more")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results .search-result').length > {count}")
    return page.eval_on_selector_all("#search-results .search-result a", "a => a.map(x => x.getAttribute('href'))")


def test_results_equal_those_of_a_fresh_full_index(browser_page, fresh_site):
    page, base = browser_page
    merged = {q: sorted(all_results(page, base, q)) for q in SAME_AS_FRESH}
    with served(fresh_site) as fresh_base:
        single = {q: sorted(all_results(page, fresh_base, q)) for q in SAME_AS_FRESH}
    assert merged == single


def test_results_are_labelled_by_kind(browser_page):
    page, base = browser_page
    kinds = {r["href"]: r["kind"] for r in results(page, base, "民政局")}
    assert kinds["/departments/mzj/"] == "部门"
    assert kinds["/items/511623-MZ-0001/"] == "事项"


def test_excerpt_marks_the_words_searched(browser_page):
    page, base = browser_page
    edited = next(r for r in results(page, base, "智慧联办") if r["href"] == f"/items/{EDITED}/")
    assert "智慧" in "".join(edited["marked"])


def test_status_announces_the_count(browser_page):
    page, base = browser_page
    assert len(results(page, base, "清川县")) == 10
    # the pages whose search block has a word starting with 清川县 (the office names, the items'
    # departments): not the listing pages, and not the navigation or footer of every page
    assert page.text_content("#search-status") == "找到 14 条与“清川县”相关的结果，已显示 10 条"


def test_no_result_names_the_hotline(browser_page, site):
    page, base = browser_page
    phone = json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8"))["site"]["phone"]
    assert results(page, base, "火星移民") == []
    assert page.text_content("#search-status") == "没有找到与“火星移民”相关的内容"
    assert page.is_visible("#search-empty")
    assert f"拨打咨询电话 {phone}" in page.text_content("#search-empty")


def test_the_form_searches_and_keeps_the_query_in_the_address(browser_page):
    page, base = browser_page
    page.goto(f"{base}/search/")
    page.fill("#site-search-input", "结婚登记")
    page.click("#site-search button[type=submit]")
    page.wait_for_function("() => /找到/.test(document.getElementById('search-status').textContent)")
    assert page.url.endswith("/search/?q=%E7%BB%93%E5%A9%9A%E7%99%BB%E8%AE%B0")
    assert "/items/511623-MZ-0001/" in page.eval_on_selector_all(".search-result a", "a => a.map(x => x.getAttribute('href'))")


def test_results_page_fits_a_phone_and_passes_axe(browser_page):
    page, base = browser_page
    assert results(page, base, "登记")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []


def test_load_more_shows_the_next_results(site, browser_page):
    page, base = browser_page
    shown = results(page, base, "清川县")
    total = int(page.text_content("#search-status").split(" ")[1])
    if total <= 10:
        pytest.skip(f"the small site has only {total} results for 清川县")
    assert len(shown) == 10 and page.is_visible("#search-more")
    page.click("#search-more")
    page.wait_for_function(f"() => document.querySelectorAll('.search-result').length === {min(total, 20)}")
    assert page.evaluate("document.activeElement.closest('.search-result') !== null")
