"""The supervisor's 电子监察 board: red and yellow cases and complaints of every department."""

from __future__ import annotations

import re

import pytest

from sunshine.site import clock

MONDAY = "2026-10-12T09:00:00"  # the first Monday after 国庆节


@pytest.fixture
def flagged(make_case, make_complaint):
    """As of Monday 2026-10-12:住建局 one red and one yellow case, 市场监管局 one red case, one green
    case and one yellow complaint, 自然资源局 one red complaint."""
    return {
        "zjj_red": make_case("ZJJ-XK-002", "QC2026-ZJJ-000101", "2026-09-28"),      # due 10-10
        "zjj_yellow": make_case("ZJJ-XK-001", "QC2026-ZJJ-000102", "2026-10-08"),   # due 10-12
        "scjg_red": make_case("SCJG-XK-001", "QC2026-SCJG-000201", "2026-09-28"),   # due 10-10
        "scjg_green": make_case("SCJG-XK-004", "QC2026-SCJG-000202", "2026-10-09"),  # due 10-15
        "scjg_complaint": make_complaint("scjg", "食品经营许可证迟迟未发", "2026-10-13"),
        "gtzy_complaint": make_complaint("gtzy", "不动产登记窗口推诿扯皮", "2026-10-09"),
    }


def board(client, query: str = "") -> str:
    with clock.frozen(MONDAY):
        response = client.get("/admin/supervision" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"')[1].split("</tr>")[0]


def cells(html: str, anchor: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row(html, anchor), re.S)]


def test_supervisor_sees_red_and_yellow_cases_of_two_departments(login_as, flagged):
    html = board(login_as("supervisor"))
    assert "QC2026-ZJJ-000101" in html and "QC2026-ZJJ-000102" in html and "QC2026-SCJG-000201" in html


def test_a_green_case_is_not_on_the_board(login_as, flagged):
    assert "QC2026-SCJG-000202" not in board(login_as("supervisor"))


def test_a_red_case_row_says_how_late_it_is(login_as, flagged):
    html = board(login_as("supervisor"))
    red = row(html, f"case-{flagged['zjj_red']}")
    assert "红牌警告" in red and "商品房预售许可" in red and "2026-10-10" in red
    assert "已超期1个工作日" in red and "未催办" in red


def test_a_case_due_today_is_yellow(login_as, flagged):
    html = board(login_as("supervisor"))
    yellow = row(html, f"case-{flagged['zjj_yellow']}")
    assert "黄牌预警" in yellow and "今天到期" in yellow


def test_red_and_yellow_complaints_are_listed(login_as, flagged):
    html = board(login_as("supervisor"))
    # due Friday 10-09: the make-up Saturday 10-10 and Monday 10-12 have passed
    assert "已超期2个工作日" in row(html, f"complaint-{flagged['gtzy_complaint']}")
    assert "还剩1个工作日" in row(html, f"complaint-{flagged['scjg_complaint']}")


def test_counts_per_department_slowest_first(login_as, flagged):
    html = board(login_as("supervisor"))
    table = html.split('id="department-counts"')[1].split("</table>")[0]
    assert re.findall(r'id="count-(\w+)"', table) == ["scjg", "zjj", "gtzy"]
    assert cells(html, "count-zjj") == ["清川县住房和城乡建设局", "16-17号窗口", "1", "1", "0", "0", "0", "0", "2"]
    assert cells(html, "count-scjg") == ["清川县市场监督管理局", "13-15号窗口", "1", "0", "0", "1", "0", "0", "2"]
    assert cells(html, "count-gtzy") == ["清川县自然资源局", "18-21号窗口", "0", "0", "1", "0", "0", "0", "1"]


def test_filter_by_department(login_as, flagged):
    html = board(login_as("supervisor"), "?department=zjj")
    lists = html.split('id="cases-title"')[1]
    assert "QC2026-ZJJ-000101" in lists and "QC2026-ZJJ-000102" in lists
    assert "QC2026-SCJG-000201" not in lists and "不动产登记窗口推诿扯皮" not in lists


def test_filter_by_light(login_as, flagged):
    html = board(login_as("supervisor"), "?light=red")
    lists = html.split('id="cases-title"')[1]
    assert "QC2026-ZJJ-000101" in lists and "不动产登记窗口推诿扯皮" in lists
    assert "QC2026-ZJJ-000102" not in lists and "食品经营许可证迟迟未发" not in lists


def test_the_board_never_shows_applicants_or_complainants(login_as, flagged):
    html = board(login_as("supervisor"))
    for private in ("王建国", "13907310001", "430102198505061234", "李秀英", "13807315566"):
        assert private not in html


def test_admin_sees_the_board(login_as, flagged):
    assert "QC2026-ZJJ-000101" in board(login_as("admin"))


@pytest.mark.parametrize("username", ["editor-zjj", "reviewer-zjj"])
def test_office_staff_are_refused_the_board(login_as, username):
    assert login_as(username).get("/admin/supervision").status_code == 403


def test_the_nav_shows_the_board_to_supervisors_only(login_as):
    assert "电子监察" in login_as("supervisor").get("/admin/").get_data(as_text=True)


def test_editors_have_no_board_in_the_nav(login_as):
    assert "电子监察" not in login_as("editor-zjj").get("/admin/").get_data(as_text=True)


def test_the_department_dashboard_lists_its_own_red_and_yellow_cases(login_as, flagged):
    client = login_as("editor-zjj")
    with clock.frozen(MONDAY):
        html = client.get("/admin/").get_data(as_text=True)
    section = html.split('id="flagged-cases"')[1].split("</table>")[0]
    assert "QC2026-ZJJ-000101" in section and "QC2026-ZJJ-000102" in section
    assert "QC2026-SCJG-000201" not in section
