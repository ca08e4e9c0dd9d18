"""End to end: an office edits an item, publishes, the change is on the static
page and found by the static search, and a citizen files a complaint about it
and looks it up."""

from __future__ import annotations

import re

import pytest

from .conftest import wait_for_publish

pytestmark = pytest.mark.browser

ITEM = "ZJJ-XK-001"
ITEM_NAME = "建筑工程施工许可证核发"
NEW_KEYWORD = "塔吊告知"  # appears nowhere in the demo data


def _edit_and_publish(page, base: str) -> None:
    page.goto(base + "/admin/login")
    page.get_by_label("用户名").fill("reviewer-zjj")  # the department's reviewer publishes directly
    page.get_by_label("密码").fill("reviewer-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.goto(base + "/admin/items")
    page.get_by_role("link", name=ITEM_NAME).first.click()
    keywords = page.locator("textarea[name=keywords]")
    keywords.fill(keywords.input_value() + "\n" + NEW_KEYWORD)
    page.get_by_role("button", name="保存并发布").click()
    page.wait_for_load_state()
    assert "已发布" in page.content()


def test_office_edit_reaches_public_page_search_and_complaint(page, live_server):
    base = live_server
    _edit_and_publish(page, base)

    # The publish runs in the background (the server's worker thread): the dashboard shows it
    # going live, then the static page shows the change.
    wait_for_publish(page, base)
    page.goto(f"{base}/items/{ITEM}/")
    assert NEW_KEYWORD in page.locator("main").inner_text()

    # The static (Pagefind) search finds it, in the browser, with no server help.
    page.goto(f"{base}/search/?q=塔吊")
    result = page.locator(".search-result a", has_text=ITEM_NAME)
    result.first.wait_for(state="visible")

    # A citizen complains about the item from its page, without JavaScript needed.
    page.goto(f"{base}/items/{ITEM}/")
    page.get_by_role("link", name=re.compile("我要投诉")).first.click()
    assert page.locator("select[name=item]").input_value() == ITEM
    page.locator("select[name=category]").select_option("办理超时")
    page.locator("input[name=subject]").fill("施工许可超过承诺时限")
    page.locator("textarea[name=content]").fill("十一月二日提交申请，承诺三个工作日，至今十个工作日仍未发证。")
    page.locator("input[name=contact_phone]").fill("13981234567")
    page.get_by_role("button", name="提交投诉").click()
    tracking_no = page.locator("#tracking-no").inner_text().strip()
    query_code = page.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"TS-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", tracking_no)

    page.get_by_role("link", name="查询办理进度").click()
    page.locator("input[name=query_code]").fill(query_code)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#status").inner_text() == "已收到"
    assert "13981234567" not in page.content()

    # The department sees it in its back-office list (still logged in as reviewer-zjj).
    page.goto(f"{base}/admin/complaints")
    assert tracking_no in page.locator("main").inner_text()
