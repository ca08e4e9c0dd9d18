"""/admin/audit: the supervisor's and the administrator's read-only view of the log, newest first,
50 a page, narrowed by account, department, action and China-time dates (kept in the URL), and its
CSV export (itself audited). Office staff are refused."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re

import pytest

from sunshine.site import audit, clock
from sunshine.site.db import db

#: When the reader looks (Tuesday 2026-12-01, 09:00 China time); every entry below is older.
READING = "2026-12-01T09:00:00"
#: (China time, action, account, department): two entries straddle midnight of 11-23/11-24.
ENTRIES = [
    ("2026-11-23T09:00:00", "login", "editor-zjj", "zjj"),
    ("2026-11-23T23:30:00", "save", "editor-zjj", "zjj"),
    ("2026-11-24T00:30:00", "submit", "editor-zjj", "zjj"),
    ("2026-11-24T10:00:00", "approve", "reviewer-zjj", "zjj"),
    ("2026-11-25T10:00:00", "change", "editor-scjg", "scjg"),
    ("2026-11-26T10:00:00", "export", "supervisor", None),
]


@pytest.fixture
def reader(signed_in):
    """A browser signed in (at ``READING``) as ``username``."""

    def _reader(username: str):
        with clock.frozen(READING):
            return signed_in(username)

    return _reader


@pytest.fixture
def log_entries(demo, write_entry):
    for at, action, username, department in ENTRIES:
        write_entry(at, action, username, department, summary=f"{username}：{audit.ACTIONS[action]}")


def get(client, url: str):
    with clock.frozen(READING):
        return client.get(url)


def rows(page: str) -> list[tuple[str, str, str]]:
    """(time, account, action) of each entry row of the page, in order."""
    found = []
    for row in re.findall(r'<tr id="entry-\d+">(.*?)</tr>', page, re.S):
        cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        found.append((cells[0], cells[1], cells[3]))
    return found


# ---------------------------------------------------------------- who may read


@pytest.mark.parametrize("username", ["editor-zjj", "reviewer-zjj"])
@pytest.mark.parametrize("url", ["/admin/audit", "/admin/audit/export.csv"])
def test_office_staff_may_not_read_the_log(reader, username, url):
    assert get(reader(username), url).status_code == 403


def test_the_log_needs_a_login(client, demo):
    response = get(client, "/admin/audit")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_supervisor_and_administrator_read_the_log_from_the_navigation(reader, log_entries, username):
    client = reader(username)
    assert '>审计日志</a>' in get(client, "/admin/").get_data(as_text=True)
    response = get(client, "/admin/audit")
    assert response.status_code == 200
    assert rows(response.get_data(as_text=True))[0] == ("2026-12-01 09:00:00", username, "登录")


def test_office_staff_see_no_link_to_the_log(reader):
    assert "审计日志" not in get(reader("editor-zjj"), "/admin/").get_data(as_text=True)


# ---------------------------------------------------------------- filters


def test_the_whole_log_is_listed_newest_first_in_china_time(reader, log_entries):
    page = get(reader("supervisor"), "/admin/audit").get_data(as_text=True)
    assert rows(page) == [
        ("2026-12-01 09:00:00", "supervisor", "登录"),
        ("2026-11-26 10:00:00", "supervisor", "导出"),
        ("2026-11-25 10:00:00", "editor-scjg", "修改数据"),
        ("2026-11-24 10:00:00", "reviewer-zjj", "审核通过"),
        ("2026-11-24 00:30:00", "editor-zjj", "提交审核"),
        ("2026-11-23 23:30:00", "editor-zjj", "保存修改"),
        ("2026-11-23 09:00:00", "editor-zjj", "登录"),
    ]


@pytest.mark.parametrize(("query", "expected"), [
    ("user=editor-zjj", ["提交审核", "保存修改", "登录"]),
    ("department=zjj", ["审核通过", "提交审核", "保存修改", "登录"]),
    ("department=scjg", ["修改数据"]),
    ("action=login", ["登录", "登录"]),
    ("since=2026-11-24&until=2026-11-24", ["审核通过", "提交审核"]),
    ("until=2026-11-23", ["保存修改", "登录"]),
    ("since=2026-11-25", ["登录", "导出", "修改数据"]),
    ("user=editor-zjj&since=2026-11-24", ["提交审核"]),
    ("user=editor-mz", []),
], ids=["user", "department", "other-department", "action", "one-day", "until", "since", "user-and-date", "nobody"])
def test_each_filter_narrows_exactly(reader, log_entries, query, expected):
    response = get(reader("supervisor"), f"/admin/audit?{query}")
    assert response.status_code == 200
    assert [action for _time, _who, action in rows(response.get_data(as_text=True))] == expected


def test_the_filter_form_shows_what_was_chosen(reader, log_entries):
    page = get(reader("admin"), "/admin/audit?user=editor-zjj&department=zjj&action=save&since=2026-11-23"
                                "&until=2026-11-24").get_data(as_text=True)
    assert 'name="user" type="text" value="editor-zjj"' in page
    assert re.search(r'<option value="zjj" selected>', page)
    assert re.search(r'<option value="save" selected>保存修改</option>', page)
    assert 'value="2026-11-23"' in page and 'value="2026-11-24"' in page


@pytest.mark.parametrize(("query", "message"), [
    ("since=2026/11/24", "请按 2026-03-01 的格式填写日期。"),
    ("until=2026-11-31", "请按 2026-03-01 的格式填写日期。"),
    ("since=2026-11-25&until=2026-11-24", "结束日期不能早于开始日期。"),
    ("department=nosuch", "没有这个部门，请从列表中选择。"),
    ("action=drop", "没有这种操作，请从列表中选择。"),
], ids=["slashes", "no-such-day", "reversed", "department", "action"])
def test_an_unusable_filter_is_refused_with_the_reason(reader, log_entries, query, message):
    response = get(reader("supervisor"), f"/admin/audit?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert rows(page) == []


# ---------------------------------------------------------------- pages


@pytest.fixture
def many_exports(app, demo):
    """120 exports by the supervisor, one a minute from 2026-11-20 08:00 China time."""
    with app.app_context():
        for minute in range(120):
            with clock.frozen(f"2026-11-20T{8 + minute // 60:02d}:{minute % 60:02d}:00"):
                audit.record("export", username="supervisor", summary=f"导出第{minute + 1}次")
        db.session.commit()


def test_fifty_entries_a_page_newest_first_and_the_filter_kept(reader, many_exports):
    client = reader("supervisor")
    first = get(client, "/admin/audit?action=export").get_data(as_text=True)
    assert len(rows(first)) == 50
    assert rows(first)[0][0] == "2026-11-20 09:59:00"
    assert "共 120 条，第 1/3 页" in first
    assert 'href="/admin/audit?page=2&amp;action=export"' in first
    last = get(client, "/admin/audit?action=export&page=3").get_data(as_text=True)
    assert len(rows(last)) == 20
    assert rows(last)[-1][0] == "2026-11-20 08:00:00"
    assert 'href="/admin/audit?page=2&amp;action=export"' in last


def test_a_page_past_the_end_is_empty(reader, many_exports):
    page = get(reader("supervisor"), "/admin/audit?action=export&page=99999999999999999999").get_data(as_text=True)
    assert rows(page) == []
    assert "没有符合条件的记录。" in page


# ---------------------------------------------------------------- what a row says


def test_a_captured_change_links_its_record_and_reads_its_status_change(reader, new_complaint, signed_in):
    complaint_id = new_complaint("scjg")
    with clock.frozen("2026-11-24T10:00:00"):
        signed_in("editor-scjg").post(f"/admin/complaints/{complaint_id}/accept", data={})
    page = get(reader("supervisor"), "/admin/audit?action=change").get_data(as_text=True)
    assert f'<a href="/admin/complaints/{complaint_id}">投诉 #{complaint_id}</a>' in page
    assert "修改的字段：due_on、status" in page
    assert "状态：已收到 → 已受理" in page
    assert "新建投诉办理记录 #" in page and "（受理）" in page


def test_a_department_move_reads_with_department_names(reader, new_complaint, signed_in, department_id):
    complaint_id = new_complaint("scjg")
    with clock.frozen("2026-11-24T10:00:00"):
        signed_in("admin").post(f"/admin/complaints/{complaint_id}/reassign", data={
            "reassign-department": str(department_id("zjj")), "reassign-note": "属住建局职责"})
    page = get(reader("supervisor"), "/admin/audit?action=change").get_data(as_text=True)
    assert "部门：市场监管局 → 住建局" in page


# ---------------------------------------------------------------- export


def test_export_gives_the_filtered_entries_and_is_audited(app, reader, log_entries, audit_log):
    response = get(reader("admin"), "/admin/audit/export.csv?department=zjj&since=2026-11-24")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0][:4] == ["时间（北京时间）", "账号", "地址", "操作"]
    assert [(r[0], r[1], r[3]) for r in table[1:]] == [
        ("2026-11-24 10:00:00", "reviewer-zjj", "审核通过"), ("2026-11-24 00:30:00", "editor-zjj", "提交审核")]
    [export] = [e for e in audit_log("export") if e.username == "admin"]
    assert export.detail == {"filter": {"department": "zjj", "since": "2026-11-24"}, "count": 2}
    assert export.summary == "导出审计日志 2 条"


def test_export_does_not_let_a_typed_name_run_as_a_formula(app, reader, demo, write_entry):
    write_entry("2026-11-23T09:00:00", "login_failed", '=HYPERLINK("http://x","点我")')
    text = get(reader("supervisor"), "/admin/audit/export.csv?action=login_failed").get_data(as_text=True)
    [row] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]
    assert row[1] == '\'=HYPERLINK("http://x","点我")'
