"""End to end, issue 8: the review workflow and the lost-update guard, in real browsers.

The editor of 住建局 shortens the promised time of 燃气经营许可证核发 and submits it; the reviewer
sends it back with a reason; while the editor fixes it, the administrator (a second browser)
corrects the consultation phone of the same item and saves first. The editor's save is refused
with what the administrator changed and everything the editor typed still in the form; the
editor takes the new phone over and submits again; the reviewer approves, and after the site
is rebuilt (in the server's worker thread) the public page shows the new content and the
editor's change note under 变更记录.
"""

from __future__ import annotations

import re

import pytest

from .conftest import sign_in, wait_for_publish

pytestmark = pytest.mark.browser

ITEM = "ZJJ-XK-003"
ITEM_NAME = "燃气经营许可证核发"
FIRST_NOTE = "承诺办结时限由10个工作日缩短为5个工作日"
REJECT_REASON = "承诺时限已改为5个工作日，但办理流程中现场核查、审查各4个工作日，合计仍为10个工作日，请同步调整各环节时限后再提交。"
FINAL_NOTE = "承诺办结时限由10个工作日缩短为5个工作日，现场核查、审查环节时限相应缩短"
OLD_PHONE, NEW_PHONE = "0827-5220116", "0827-5220118"
# The server's clock is frozen at tests.e2e.conftest.CLOCK (2026-11-23, China time).
PUBLISHED_ON = "2026年11月23日"
# Seeded as revision 1 (published as version 1); the editor's first save is the 2nd draft,
# the administrator's the 3rd, the editor's accepted save the 4th, published as version 2.
CONFLICT_MESSAGE = ("保存失败：您打开这条内容后，别人已保存过新的版本（您基于第2稿修改，现在是第3稿）。"
                    "您填写的内容都还在下面；请对照下方“别人改了什么”，确认后再次保存。")



def _open_item(page, base: str) -> None:
    """Open the item's edit page from the back-office list, as a clerk finds it."""
    page.goto(f"{base}/admin/items?q={ITEM}")
    page.get_by_role("link", name=ITEM_NAME).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"{ITEM_NAME}（{ITEM}）"


def _flash(page) -> str:
    return page.locator(".flashes").inner_text().strip()


def _step_days(page, row: int):
    """The 时限 input of row ``row`` (1-based) of the 办理流程 table, by its accessible label."""
    return page.get_by_label(f"办理流程第{row}行：时限（工作日）", exact=True)


def _queue_entry(page, base: str):
    page.goto(f"{base}/admin/review")
    return page.locator("ol.review-queue > li", has=page.get_by_role("link", name=ITEM_NAME, exact=True))


def test_reject_fix_conflict_resubmit_approve_reaches_public_change_history(person, live_server, tmp_path):
    base = live_server
    editor = sign_in(person(width=1280), base, "editor-zjj", "editor-demo-2026")
    reviewer = sign_in(person(width=1280), base, "reviewer-zjj", "reviewer-demo-2026")
    admin = sign_in(person(width=1280), base, "admin", "admin-demo-2026")

    # The editor shortens the promised time and submits it with a major change note.
    page = editor
    _open_item(page, base)
    page.locator("input[name=promised_days]").fill("5")
    page.locator("#change_note").fill(FIRST_NOTE)
    page.get_by_label("重要修改", exact=False).check()
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    assert _flash(page) == "已保存并提交审核，审核通过后才会在公开网站上更新"
    assert page.locator(".review-panel strong.review").inner_text() == "待审核"

    # The reviewer finds it in the queue and sends it back with a reason.
    page = reviewer
    entry = _queue_entry(page, base)
    assert "住建局窗口编辑（吴强）" in entry.inner_text()
    entry.get_by_label("退回原因").fill(REJECT_REASON)
    entry.get_by_role("button", name="退回修改").click()
    page.wait_for_load_state()
    assert _flash(page) == "已退回，编辑会看到退回原因"
    assert _queue_entry(page, base).count() == 0

    # The editor sees the reason on the edit page and starts fixing the steps.
    page = editor
    _open_item(page, base)
    assert page.locator(".review-panel strong.review").inner_text() == "已退回"
    assert page.locator(".rejected p").first.inner_text() == f"退回原因：{REJECT_REASON}"
    page.screenshot(path=str(tmp_path / "1-rejected.png"))
    _step_days(page, 2).fill("2")  # 现场核查 4 → 2
    _step_days(page, 3).fill("1")  # 审查 4 → 1
    page.locator("#change_note").fill(FINAL_NOTE)
    page.get_by_label("重要修改", exact=False).check()

    # Meanwhile the administrator, in a second browser, corrects the phone and saves first.
    page = admin
    _open_item(page, base)
    page.locator("input[name=consult_phone]").fill(NEW_PHONE)
    page.locator("#change_note").fill("更正咨询电话")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    assert _flash(page) == "已保存草稿，公开网站暂不变化"

    # The editor's save is refused: what the administrator changed is shown, nothing typed is lost.
    page = editor
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary h2").inner_text() == CONFLICT_MESSAGE
    conflict = page.locator("section.conflict")
    assert conflict.locator("h2").inner_text() == "别人改了什么"
    phone_row = conflict.locator("tr", has=page.locator("th", has_text="咨询电话"))
    assert [cell.inner_text() for cell in phone_row.locator("td").all()] == [OLD_PHONE, NEW_PHONE]
    assert _step_days(page, 2).input_value() == "2"
    assert _step_days(page, 3).input_value() == "1"
    assert page.locator("input[name=promised_days]").input_value() == "5"
    assert page.locator("#change_note").input_value() == FINAL_NOTE
    assert page.locator("#change_major").is_checked()
    # The administrator's phone, a field the editor did not touch, is merged into the editor's form.
    assert page.locator("input[name=consult_phone]").input_value() == NEW_PHONE
    assert "对方修改的咨询电话已合并到下面的表单中" in conflict.inner_text()
    page.screenshot(path=str(tmp_path / "2-conflict.png"))

    # The editor saves again: accepted and submitted, with both people's changes.
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    assert _flash(page) == "已保存并提交审核，审核通过后才会在公开网站上更新"
    assert page.locator(".review-panel strong.review").inner_text() == "待审核"
    assert page.locator("section.conflict").count() == 0

    # The reviewer approves from the queue; the site is rebuilt in the background.
    page = reviewer
    entry = _queue_entry(page, base)
    entry.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    assert re.fullmatch(r"审核通过，已发布第2版，网站更新已排队（第\d+号发布任务），稍后自动上线，进度见工作台"
                        r"|审核通过，已发布第2版，网站已更新（用时[\d.]+秒）", _flash(page)), _flash(page)
    assert _queue_entry(page, base).count() == 0

    # Once the publish job has gone live (the dashboard says why when it failed), the public page
    # shows the approved content and the editor's note in its change history.
    wait_for_publish(admin, base, seconds=180)
    page.goto(f"{base}/items/{ITEM}/")
    history = page.locator("section.change-history")
    assert history.locator("h2").inner_text() == "变更记录"
    assert [li.inner_text() for li in history.locator("li").all()] == [f"{PUBLISHED_ON}（第 2 版）：{FINAL_NOTE}"]
    assert page.locator(".record-meta").inner_text().startswith("第 2 版 · 发布时间：")
    assert "承诺 5 个工作日" in page.locator(".lead-facts").inner_text()
    steps = [meta.inner_text() for meta in page.locator("#steps .flow-meta").all()]
    assert steps[1:3] == ["办理机构：县住建局燃气管理办公室　时限：2 个工作日", "办理机构：县住建局行政审批股　时限：1 个工作日"]
    assert page.locator("#where dt:text-is('咨询电话') + dd").inner_text() == NEW_PHONE
    assert "更正咨询电话" not in page.content()  # a minor note stays in the back office
    history.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "3-public.png"))
