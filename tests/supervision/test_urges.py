"""催办: a supervisor urges with a note; the department sees it first on its 工作台 until 已阅."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint, User
from tests.conftest import csrf_token

MONDAY = "2026-10-12T09:00:00"
URGED_AT = dt.datetime(2026, 10, 12, 1, 30, tzinfo=dt.UTC)  # 09:30 China time
NOTE = "已超期1个工作日，请今天下班前办结并书面说明超期原因。"


@pytest.fixture
def late_case(make_case):
    """住建局's 商品房预售许可 case due 2026-10-10, red on Monday 10-12."""
    return make_case("ZJJ-XK-002", "QC2026-ZJJ-000101", "2026-09-28")


def urge(client, kind: str, target_id, note: str = NOTE, **extra):
    with clock.frozen("2026-10-12T09:30:00"):
        return client.post("/admin/supervision/urge",
                           data={"kind": kind, "target_id": str(target_id), "note": note, **extra})


def dashboard(client) -> str:
    with clock.frozen("2026-10-12T10:00:00"):
        return client.get("/admin/").get_data(as_text=True)


def test_an_urge_is_recorded_with_note_time_user_and_department(signed_in, late_case, load_urges):
    response = urge(signed_in("supervisor"), "case", late_case)
    assert response.status_code == 302
    [stored] = load_urges()
    assert (stored.kind, stored.case_id, stored.department_code, stored.note, stored.by, stored.at) == (
        "case", late_case, "zjj", NOTE, "supervisor", URGED_AT)
    assert stored.acknowledged_at is None


def test_after_urging_the_board_says_so_and_keeps_the_filters(signed_in, late_case):
    response = urge(signed_in("supervisor"), "case", late_case, department="zjj", light="red")
    assert response.headers["Location"] == "/admin/supervision?department=zjj&light=red"


def test_the_board_shows_the_last_urge_of_a_row(signed_in, late_case):
    client = signed_in("supervisor")
    urge(client, "case", late_case)
    with clock.frozen("2026-10-12T11:00:00"):
        html = client.get("/admin/supervision").get_data(as_text=True)
    last = html.split(f'id="case-{late_case}"')[1].split("</tr>")[0].split('class="last-urge"')[1]
    assert "2026-10-12 09:30" in last and NOTE in last and "部门未阅" in last


def test_the_urge_is_at_the_top_of_the_departments_dashboard(signed_in, late_case):
    urge(signed_in("supervisor"), "case", late_case)
    html = dashboard(signed_in("editor-zjj"))
    assert NOTE in html
    assert html.index(NOTE) < html.index("我的账号")
    box = html.split('id="urges"')[1].split("</section>")[0]
    assert f'href="/admin/cases/{late_case}"' in box and "QC2026-ZJJ-000101" in box
    assert "效能监察室监督员" in box and "2026-10-12 09:30" in box


def test_another_department_does_not_see_the_urge(signed_in, late_case):
    urge(signed_in("supervisor"), "case", late_case)
    html = dashboard(signed_in("editor-scjg"))
    assert NOTE not in html and 'id="urges"' not in html


def test_the_department_acknowledges(signed_in, late_case, load_urges):
    urge(signed_in("supervisor"), "case", late_case)
    client = signed_in("editor-zjj")
    [pending] = load_urges()
    with clock.frozen("2026-10-12T10:05:00"):
        response = client.post(f"/admin/urges/{pending.id}/acknowledge", data={"next": "/admin/"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    [stored] = load_urges()
    assert (stored.acknowledged_at, stored.acknowledged_by) == (
        dt.datetime(2026, 10, 12, 2, 5, tzinfo=dt.UTC), "editor-zjj")


def test_an_acknowledged_urge_leaves_the_dashboard(signed_in, late_case, load_urges):
    urge(signed_in("supervisor"), "case", late_case)
    client = signed_in("editor-zjj")
    client.post(f"/admin/urges/{load_urges()[0].id}/acknowledge")
    assert NOTE not in dashboard(client)


@pytest.mark.parametrize("username", ["editor-scjg", "supervisor"])
def test_only_the_department_may_acknowledge(signed_in, late_case, load_urges, username):
    urge(signed_in("supervisor"), "case", late_case)
    response = signed_in(username).post(f"/admin/urges/{load_urges()[0].id}/acknowledge")
    assert response.status_code == 403
    assert load_urges()[0].acknowledged_at is None


def test_acknowledge_never_redirects_off_site(signed_in, late_case, load_urges):
    urge(signed_in("supervisor"), "case", late_case)
    response = signed_in("editor-zjj").post(f"/admin/urges/{load_urges()[0].id}/acknowledge",
                                           data={"next": "https://evil.example/admin/"})
    assert response.headers["Location"] == "/admin/"


def test_an_urge_without_a_note_is_refused(signed_in, late_case, load_urges):
    response = urge(signed_in("supervisor"), "case", late_case, note="   ")
    assert response.status_code == 400
    assert "请填写催办意见" in response.get_data(as_text=True)
    assert load_urges() == []


def test_a_too_long_note_is_refused_and_kept(signed_in, late_case, load_urges):
    note = "请抓紧办理。" * 84  # 504 characters
    response = urge(signed_in("supervisor"), "case", late_case, note=note)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不能超过500个字。" in html and note in html
    assert load_urges() == []


def test_an_editor_cannot_urge(signed_in, late_case, load_urges):
    assert urge(signed_in("editor-zjj"), "case", late_case).status_code == 403
    assert load_urges() == []


def test_an_unknown_kind_is_refused(signed_in, late_case, load_urges):
    response = urge(signed_in("supervisor"), "item", late_case)
    assert response.status_code == 400
    assert "催办对象不正确" in response.get_data(as_text=True)
    assert load_urges() == []


def test_an_unknown_case_is_not_found(signed_in, late_case, load_urges):
    assert urge(signed_in("supervisor"), "case", late_case + 1000).status_code == 404
    assert load_urges() == []


def test_a_completed_case_is_not_urged(signed_in, late_case, move_case, load_urges):
    move_case(late_case, "completed", "2026-10-12")
    response = urge(signed_in("supervisor"), "case", late_case)
    assert response.status_code == 400
    assert "已“办结”，无需催办" in response.get_data(as_text=True)
    assert load_urges() == []


def test_urging_a_complaint_also_writes_its_history(app, signed_in, make_complaint, load_urges):
    complaint_id = make_complaint("gtzy", "不动产登记窗口推诿扯皮", "2026-10-09")
    urge(signed_in("supervisor"), "complaint", complaint_id, note="已超期2个工作日，请立即答复投诉人")
    [stored] = load_urges()
    assert (stored.kind, stored.complaint_id, stored.department_code) == ("complaint", complaint_id, "gtzy")
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        last = complaint.events[-1]
        by = db.session.get(User, last.user_id).username
        assert (last.action, last.note, by, last.at) == ("催办", "已超期2个工作日，请立即答复投诉人", "supervisor", URGED_AT)
        assert complaint.status == "received"


def test_a_closed_complaint_is_not_urged(signed_in, make_complaint, load_urges):
    complaint_id = make_complaint("gtzy", "不动产登记窗口推诿扯皮", "2026-10-09", status="closed")
    response = urge(signed_in("supervisor"), "complaint", complaint_id)
    assert response.status_code == 400
    assert "不能催办" in response.get_data(as_text=True)
    assert load_urges() == []


def test_an_urge_from_the_complaint_page_reaches_the_department_too(signed_in, make_complaint):
    complaint_id = make_complaint("gtzy", "不动产登记窗口推诿扯皮", "2026-10-09")
    signed_in("supervisor").post(f"/admin/complaints/{complaint_id}/urge", data={"urge-note": "请今天内答复"})
    box = dashboard(signed_in("editor-gtzy")).split('id="urges"')[1].split("</section>")[0]
    assert "请今天内答复" in box and f'href="/admin/complaints/{complaint_id}"' in box


def test_the_partial_can_show_one_kind_only(app, signed_in, late_case, make_complaint):
    from flask import render_template_string
    from flask_login import login_user

    complaint_id = make_complaint("zjj", "施工许可窗口推诿", "2026-10-09")
    client = signed_in("supervisor")
    urge(client, "case", late_case)
    urge(client, "complaint", complaint_id, note="投诉已超期，请答复")
    with app.test_request_context("/admin/"):
        login_user(db.session.scalars(select(User).where(User.username == "editor-zjj")).one())
        app.preprocess_request()
        html = render_template_string(
            '{% with urge_kind = "complaint" %}{% include "admin/_urges.html" %}{% endwith %}')
    assert "投诉已超期，请答复" in html and NOTE not in html


@pytest.fixture
def supervisor_with_csrf(csrf_app, make_case_in):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data={"username": "supervisor", "password": "supervisor-demo-2026",
                                                 "csrf_token": token})
    assert response.status_code == 302
    return client


@pytest.fixture
def make_case_in(csrf_demo):
    """The demo and one red case in the CSRF-protected app."""
    from sunshine.site.cases.lifecycle import new_case
    from sunshine.site.models import ServiceItem

    csrf_app = csrf_demo
    with csrf_app.app_context(), clock.frozen("2026-09-28T09:30:00"):
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-002")).one()
        case, _code = new_case(item, "QC2026-ZJJ-000101", dt.date(2026, 9, 28))
        db.session.add(case)
        db.session.commit()
        return case.id


def _urge_count(app) -> int:
    from sqlalchemy import func

    from sunshine.site.models import Urge

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Urge))


def test_an_urge_without_the_csrf_token_is_refused(csrf_app, supervisor_with_csrf, make_case_in):
    response = urge(supervisor_with_csrf, "case", make_case_in)
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert _urge_count(csrf_app) == 0


def test_an_urge_with_the_boards_token_is_stored(csrf_app, supervisor_with_csrf, make_case_in):
    with clock.frozen(MONDAY):
        board_html = supervisor_with_csrf.get("/admin/supervision").get_data(as_text=True)
    html = board_html.split(f'id="case-{make_case_in}"')[1]
    response = urge(supervisor_with_csrf, "case", make_case_in, csrf_token=csrf_token(html))
    assert response.status_code == 302
    assert _urge_count(csrf_app) == 1
