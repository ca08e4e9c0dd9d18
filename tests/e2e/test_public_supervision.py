"""End to end, issue 5: a case is imported, the citizen looks it up and rates it 不满意, the
department works the rectification order to the end, the supervisor sees a red case and urges
it, and after publishing the figures page shows the new counts."""

from __future__ import annotations

import re

import pytest

from .conftest import sign_in, wait_for_publish

pytestmark = pytest.mark.browser

DONE_NO, DONE_CODE = "E2E-ZJJ-0001", "E2EKQ7MX"
LATE_NO = "E2E-ZJJ-0002"
# ZJJ-XK-001 promises 3 working days: the late case, accepted 2026-10-12, was due 2026-10-15.
CSV = (
    "办件编号,事项编码,收件日期,状态,状态日期,说明,申请人,联系电话,查询码\r\n"
    f"{DONE_NO},ZJJ-XK-001,2026-11-16,办结,2026-11-18,已发证,清川某建筑公司,13990001111,{DONE_CODE}\r\n"
    f"{LATE_NO},ZJJ-XK-001,2026-10-12,办理中,2026-10-13,技术审查,清川某置业公司,13990002222,\r\n"
)



def _headline(page, base: str) -> dict[str, int]:
    """The centre's headline counts on the public figures page."""
    page.goto(base + "/figures/")
    text = page.locator(".figure-counts").first.inner_text()
    numbers = {
        "received": r"(\d+)\s*件受理办件",
        "bad": r"(\d+)\s*条差评",
        "rectified": r"已整改\s*(\d+)\s*条",
    }
    return {key: int(re.search(pattern, text).group(1)) for key, pattern in numbers.items()}


def test_case_to_rating_to_rectification_to_urge_to_published_figures(person, live_server, tmp_path):
    base = live_server
    citizen = person()
    before = _headline(citizen, base)

    # The department imports two cases from the approval system's export.
    page = clerk = sign_in(person(), base, "editor-zjj", "editor-demo-2026")
    upload = tmp_path / "cases.csv"
    upload.write_bytes(CSV.encode("utf-8-sig"))
    page.goto(base + "/admin/cases/import")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="检查并导入").click()
    assert "新建 2 件" in page.locator("[role=status]").inner_text(), page.locator("main").inner_text()

    # The citizen looks the completed case up with number and code, and rates it 不满意.
    page = citizen
    page.goto(base + "/intake/case")
    page.locator("input[name=case_no]").fill(DONE_NO)
    page.locator("input[name=query_code]").fill(DONE_CODE.lower())
    page.get_by_role("button", name="查询").click()
    assert page.locator("#status").inner_text().startswith("办结")
    assert "13990001111" not in page.content() and "清川某建筑公司" not in page.content()
    page.get_by_role("link", name="评价这次办理").click()
    page.locator("input[name=query_code]").fill(DONE_CODE)
    page.get_by_label("不满意", exact=True).check()
    page.locator("textarea[name=comment]").fill("窗口告知的材料清单不全，多跑了一趟。")
    page.get_by_role("button", name="提交评价").click()
    work_order = page.locator("#work-order-code").inner_text().strip()
    assert re.fullmatch(r"ZG2026-\d{4}", work_order)

    # The department sees the work order and answers it, stage by stage.
    page = clerk
    page.goto(base + "/admin/rectifications")
    page.get_by_role("link", name=work_order).click()
    for stage, text in (("核实", "材料清单漏列了施工图审查合格书，情况属实。"),
                        ("整改", "修订一次性告知单，补列施工图审查合格书，并对窗口人员进行培训。"),
                        ("反馈", "已通过网站公开整改结果。")):
        form = page.locator("form", has=page.get_by_role("button", name=f"登记{stage}"))
        form.locator("textarea").fill(text)
        form.get_by_role("button", name=f"登记{stage}").click()
        page.wait_for_load_state()
    assert "已办结" in page.locator("main").inner_text()

    # The supervisor sees the late case in red and urges it.
    live_server.cli("tick")
    page = sign_in(person(), base, "supervisor", "supervisor-demo-2026")
    page.goto(base + "/admin/supervision")
    row = page.locator("tr", has_text=LATE_NO)
    assert "红" in row.inner_text()
    row.locator("textarea[name=note]").fill("已超期二十余个工作日，请今天说明原因并办结。")
    row.get_by_role("button", name="催办").click()
    page.wait_for_load_state()

    # The department finds the urge at the top of its work list.
    page = clerk
    page.goto(base + "/admin/cases")
    assert "已超期二十余个工作日" in page.locator("#urges").inner_text()

    # After publishing, the public figures count the new case, the bad rating and its rectification.
    page = sign_in(person(), base, "admin", "admin-demo-2026")
    page.goto(base + "/admin/")
    page.get_by_role("button", name="重新生成网站").click()
    page.wait_for_load_state()
    wait_for_publish(page, base)
    after = _headline(citizen, base)
    assert after == {"received": before["received"] + 2, "bad": before["bad"] + 1,
                     "rectified": before["rectified"] + 1}
    page.goto(base + "/figures/rectifications/")
    assert work_order in page.locator("main").inner_text()
    assert "修订一次性告知单" in page.content()
