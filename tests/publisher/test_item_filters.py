"""Filters of the item list (department, item type, case type, online, zero visits, no fee):
one static page per value, linked from the items page, so they work without JavaScript; a small
script combines them on the items page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sunshine.publisher.catalog import build_catalog
from tests.publisher.conftest import SMALL_SNAPSHOT
from tests.publisher.pagecheck import parse
from tests.publisher.static_browser import chromium, served


def _item_codes(html: str) -> list[str]:
    """Codes of the items a list page links to, in page order."""
    return [
        link.removeprefix("/items/").rstrip("/")
        for link in parse(html).links
        if link.startswith("/items/") and link != "/items/"
    ]


@pytest.fixture(scope="module")
def catalog():
    return build_catalog(json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8")))


def test_every_filter_value_that_selects_an_item_has_a_page(catalog):
    assert [(f.url, f.label, len(f.items)) for f in catalog.item_filters] == [
        ("/items-by/department/scjgj/", "市场监管局", 1),
        ("/items-by/department/zjj/", "住建局", 2),
        ("/items-by/department/mzj/", "民政局", 2),
        ("/items-by/type/xzxk/", "行政许可", 3),
        ("/items-by/type/xzgf/", "行政给付", 1),
        ("/items-by/type/xzqr/", "行政确认", 1),
        ("/items-by/case-type/immediate/", "即办件", 2),
        ("/items-by/case-type/promised/", "承诺件", 1),
        ("/items-by/case-type/joint/", "联办件", 1),
        ("/items-by/case-type/escalated/", "上报件", 1),
        ("/items-by/online/", "可网上办理", 3),
        ("/items-by/zero-visits/", "零跑腿", 1),
        ("/items-by/no-fee/", "不收费", 4),
    ]


def test_a_value_no_item_has_gets_no_page(site_dir):
    assert not (site_dir / "items-by/type/xzzs").exists()  # 行政征收: no such item
    assert sorted(p.name for p in (site_dir / "items-by/type").iterdir()) == ["xzgf", "xzqr", "xzxk"]


@pytest.mark.parametrize(
    ("url", "title", "codes"),
    [
        ("/items-by/online/", "可网上办理的事项", ["511623-SC-0001", "511623-ZJ-0001", "511623-ZJ-0002"]),
        ("/items-by/zero-visits/", "零跑腿（不用到现场）的事项", ["511623-SC-0001"]),
        (
            "/items-by/no-fee/",
            "不收费的事项",
            ["511623-MZ-0001", "511623-MZ-0002", "511623-SC-0001", "511623-ZJ-0002"],
        ),
        ("/items-by/case-type/immediate/", "即办件事项", ["511623-MZ-0001", "511623-SC-0001"]),
        ("/items-by/type/xzxk/", "行政许可事项", ["511623-SC-0001", "511623-ZJ-0001", "511623-ZJ-0002"]),
        ("/items-by/department/mzj/", "清川县民政局的办事事项", ["511623-MZ-0001", "511623-MZ-0002"]),
    ],
)
def test_a_filter_page_lists_exactly_its_items(page, url, title, codes):
    html = page(url)
    assert f"<h1>{title}</h1>" in html
    assert f"共 {len(codes)} 个事项" in html
    table = html[html.index("<table") : html.index("</table>")]
    assert _item_codes(table) == codes


def test_a_filter_page_names_the_department_unless_it_lists_one_department(page):
    assert '<th scope="col">实施部门</th>' in page("/items-by/online/")
    assert '<th scope="col">实施部门</th>' not in page("/items-by/department/zjj/")
    assert '<a href="/departments/zjj/">部门页面</a>' in page("/items-by/department/zjj/")


def test_the_items_page_links_every_filter_page_with_its_count(page, catalog):
    html = page("/items/")
    for f in catalog.item_filters:
        assert f'<a href="{f.url}">{f.label}<span class="meta">（{len(f.items)}）</span></a>' in html
    assert "<h3>按部门</h3>" in html and "<h3>按办理方式</h3>" in html


def test_the_current_filter_is_marked_on_its_page(page):
    html = page("/items-by/no-fee/")
    links = html[html.index('<nav class="filter-links"') :]
    assert '<a href="/items-by/no-fee/" aria-current="page">不收费' in links
    assert links.count('aria-current="page"') == 1


def test_item_rows_carry_what_the_script_filters_on(page):
    html = page("/items/")
    assert (
        '<tr class="item-row" data-department="zjj" data-type="xzxk" data-case="promised"'
        ' data-online="1" data-visits="1" data-fee="1">' in html
    )
    assert html.count('<tr class="item-row"') == 5


def test_the_script_form_is_hidden_until_the_script_shows_it(page):
    html = page("/items/")
    assert '<form class="list-filter item-filter" id="item-filter" action="/items/" method="get" hidden' in html
    assert '<script src="/theme/js/items.js" defer></script>' in html


def test_filter_pages_are_left_out_of_the_static_search(page):
    facts = parse(page("/items-by/online/"))
    assert facts.main_attrs is not None and "data-pagefind-body" not in facts.main_attrs


def _visible_items(browser_page) -> list[str]:
    return browser_page.eval_on_selector_all(
        "tr.item-row:not([hidden]) th a", "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.browser
def test_the_script_combines_filters_and_keeps_them_in_the_address(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(base + "/items/")
        assert tab.is_visible("#item-filter") and not tab.is_visible("#filter-links")
        assert len(_visible_items(tab)) == 5
        tab.select_option("#filter-department", "zjj")
        tab.check("input[name=no_fee]")
        assert _visible_items(tab) == ["/items/511623-ZJ-0002/"]
        assert tab.inner_text("#item-filter-count") == "共有 1 个事项符合条件"
        assert tab.url == base + "/items/?department=zjj&no_fee=1"
        assert not tab.is_visible("#dept-mzj") and tab.is_visible("#dept-zjj")
        tab.check("input[name=zero_visits]")
        assert _visible_items(tab) == [] and tab.is_visible("#item-filter-none")
        tab.click("button[type=reset]")
        tab.wait_for_function("document.querySelectorAll('tr.item-row:not([hidden])').length === 5")
        assert tab.url == base + "/items/"


@pytest.mark.browser
def test_a_bookmarked_choice_is_applied_on_load(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page()
        tab.goto(base + "/items/?case_type=immediate&online=1")
        assert _visible_items(tab) == ["/items/511623-SC-0001/"]
        assert tab.eval_on_selector("#filter-case_type", "s => s.value") == "immediate"
        assert tab.is_checked("input[name=online]")
