"""Complaint handling: 受理 / 不予受理 → 交办 → 答复 → 办结 with an outcome, each step in the history
with who took it, an internal note and a note the complainant sees."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sunshine.site import clock

from .conftest import FILED_AT
from .htmlforms import form_fields

TUESDAY = "2026-11-24T10:00:00"


def options(html: str, select_name: str) -> list[str]:
    """The labels a <select> offers, the "请选择" placeholder left out."""
    block = html.split(f'name="{select_name}"')[1].split("</select>")[0]
    return [label for label in re.findall(r"<option[^>]*>([^<]*)</option>", block) if label != "请选择"]


def test_editor_accepts_a_complaint_of_own_department(login_as, new_complaint, load_complaint, user_id):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    with clock.frozen(TUESDAY):
        response = client.post(f"/admin/complaints/{complaint_id}/accept", follow_redirects=True, data={
            "accept-public_note": "您的投诉已受理，我们将在答复期限内核实处理。", "accept-note": "窗口负责人林海燕跟进"})
    assert "已受理" in response.get_data(as_text=True)
    stored = load_complaint(complaint_id)
    assert stored.status == "accepted"
    assert stored.events[-1] == ("受理", "窗口负责人林海燕跟进", user_id("editor-scjg"))
    assert stored.public_events[-1] == ("受理", "您的投诉已受理，我们将在答复期限内核实处理。", "staff")


def test_accepting_moves_the_current_deadline_to_the_answer_deadline(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    assert load_complaint(complaint_id).due_on == dt.date(2026, 11, 24)
    with clock.frozen(TUESDAY):
        login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/accept", data={})
    assert load_complaint(complaint_id).due_on == dt.date(2026, 12, 10)


def test_whole_handling_ends_closed_with_the_outcome_stored(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    base = f"/admin/complaints/{complaint_id}"
    with clock.frozen(TUESDAY):
        client.post(f"{base}/accept", data={})
        department_id = form_fields(client.get(base).get_data(as_text=True),
                                    action=f"{base}/assign")["assign-department"]
        client.post(f"{base}/assign", data={"assign-department": department_id,
                                            "assign-note": "交食品经营许可审批股核实，3个工作日内反馈"})
        client.post(f"{base}/reply", data={"reply-reply": "经核实，窗口人员未一次性告知所需材料，已批评教育并当面致歉。"})
        client.post(f"{base}/close", data={"close-outcome": "resolved"})
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.outcome, stored.due_on) == ("closed", "resolved", None)
    assert stored.reply == "经核实，窗口人员未一次性告知所需材料，已批评教育并当面致歉。"
    assert [e[0] for e in stored.events] == ["收到", "受理", "交办", "答复", "办结"]
    assert stored.events[2][1] == "交食品经营许可审批股核实，3个工作日内反馈"


def test_decline_stores_the_reason_and_the_note_to_the_complainant(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    with clock.frozen(TUESDAY):
        login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/decline", data={
            "decline-reason": "out_of_scope", "decline-public_note": "您反映的是商品质量纠纷，请拨打12315投诉举报。",
            "decline-note": "已电话告知"})
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.decline_reason, stored.due_on) == ("declined", "out_of_scope", None)
    assert stored.public_events[-1] == ("不予受理", "您反映的是商品质量纠纷，请拨打12315投诉举报。", "staff")


def test_decline_without_a_reason_is_refused_keeping_what_was_typed(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/decline", data={
        "decline-reason": "", "decline-public_note": "请向12315反映商品质量问题。"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请选择不予受理的理由。" in html
    assert "请向12315反映商品质量问题。" in html
    assert load_complaint(complaint_id).status == "received"


def test_decline_with_an_unknown_reason_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/decline", data={
        "decline-reason": "too_busy", "decline-public_note": "窗口太忙。"})
    assert response.status_code == 400
    assert "请选择不予受理的理由。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "received"


def test_decline_without_a_note_to_the_complainant_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/decline",
                                            data={"decline-reason": "duplicate", "decline-public_note": " "})
    assert response.status_code == 400
    assert "请写明给投诉人的说明（为什么不予受理，可向哪里反映）。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "received"


def test_assign_without_a_note_is_refused(login_as, new_complaint, load_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    client = login_as("editor-scjg")
    department_id = form_fields(client.get(f"/admin/complaints/{complaint_id}").get_data(as_text=True),
                                action=f"/admin/complaints/{complaint_id}/assign")["assign-department"]
    response = client.post(f"/admin/complaints/{complaint_id}/assign",
                           data={"assign-department": department_id, "assign-note": " "})
    assert response.status_code == 400
    assert "交办时请写明交办说明。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "accepted"


def test_a_clerk_is_offered_only_their_own_department_to_assign_to(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    html = login_as("editor-scjg").get(f"/admin/complaints/{complaint_id}").get_data(as_text=True)
    assert options(html, "assign-department") == ["清川县市场监督管理局"]


def test_a_clerk_cannot_assign_to_another_department(login_as, new_complaint, move_complaint, load_complaint,
                                                     app):
    from sqlalchemy import select

    from sunshine.site.db import db
    from sunshine.site.models import Department

    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    with app.app_context():
        zjj = db.session.scalars(select(Department.id).where(Department.code == "zjj")).one()
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/assign", data={
        "assign-department": str(zjj), "assign-note": "交住建局"})
    assert response.status_code == 400
    assert "请选择承办部门。" in response.get_data(as_text=True)
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.department_code) == ("accepted", "scjg")


def test_the_administrator_is_offered_every_published_department(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    offered = options(login_as("admin").get(f"/admin/complaints/{complaint_id}").get_data(as_text=True),
                      "assign-department")
    assert len(offered) == 12  # 13 demo departments, 医保局 still a draft
    assert "清川县住房和城乡建设局" in offered and "清川县医疗保障局" not in offered


def test_reply_without_text_is_refused(login_as, new_complaint, load_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/reply",
                                            data={"reply-reply": "", "reply-note": "待科室意见"})
    assert response.status_code == 400
    assert "答复时请填写答复意见。" in response.get_data(as_text=True)
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.reply) == ("accepted", "")


def test_a_late_reply_is_counted(login_as, new_complaint, load_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    with clock.frozen("2026-12-11T09:00:00"):  # the answer was due Thursday 12-10
        login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/reply",
                                     data={"reply-reply": "已责成窗口整改。"})
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.late_answers) == ("replied", 1)


def test_close_without_an_outcome_is_refused(login_as, new_complaint, load_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实并整改。"}))
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/close", data={})
    assert response.status_code == 400
    assert "请选择办结结果。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "replied"


def test_not_upheld_without_reasons_is_refused_keeping_the_internal_note(login_as, new_complaint, load_complaint,
                                                                         move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "经调取录像，窗口已一次性告知。"}))
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/close", data={
        "close-outcome": "not_upheld", "close-public_note": "", "close-note": "录像编号CQ-1120-03"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "办结结果为“投诉不成立”时请写明理由。" in html
    assert "录像编号CQ-1120-03" in html
    assert load_complaint(complaint_id).status == "replied"


def test_not_upheld_with_reasons_stores_them_for_the_complainant(login_as, new_complaint, load_complaint,
                                                                 move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "经调取录像，窗口已一次性告知。"}))
    with clock.frozen("2026-11-26T15:00:00"):
        login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/close", data={
            "close-outcome": "not_upheld", "close-public_note": "窗口录像显示已书面一次性告知所需材料。"})
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.outcome, stored.outcome_note) == (
        "closed", "not_upheld", "窗口录像显示已书面一次性告知所需材料。")


def test_closing_before_a_reply_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/close",
                                            data={"close-outcome": "resolved"})
    assert response.status_code == 400
    assert "该投诉当前为“已收到”，不能办结。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "received"


def test_an_unknown_action_is_not_found(login_as, new_complaint):
    complaint_id = new_complaint("scjg")
    assert login_as("admin").post(f"/admin/complaints/{complaint_id}/confirm", data={}).status_code == 404


def test_an_unknown_complaint_is_not_found(login_as):
    assert login_as("admin").get("/admin/complaints/999999").status_code == 404


def test_the_administrator_reassigns_an_open_complaint(login_as, new_complaint, load_complaint, move_complaint,
                                                       app):
    from sqlalchemy import select

    from sunshine.site.db import db
    from sunshine.site.models import Department

    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    with app.app_context():
        zjj = db.session.scalars(select(Department.id).where(Department.code == "zjj")).one()
    with clock.frozen(TUESDAY):
        login_as("admin").post(f"/admin/complaints/{complaint_id}/reassign", data={
            "reassign-department": str(zjj), "reassign-note": "涉及施工许可，属住建局职责",
            "reassign-public_note": "您的投诉已改由县住建局办理。"})
    stored = load_complaint(complaint_id)
    assert (stored.status, stored.department_code) == ("accepted", "zjj")
    assert stored.public_events[-1] == ("改派", "您的投诉已改由县住建局办理。", "staff")


def test_reassign_is_not_offered_the_current_department(login_as, new_complaint):
    complaint_id = new_complaint("scjg")
    offered = options(login_as("admin").get(f"/admin/complaints/{complaint_id}").get_data(as_text=True),
                      "reassign-department")
    assert "清川县市场监督管理局" not in offered and "清川县住房和城乡建设局" in offered


@pytest.fixture
def csrf_clerk(csrf_demo):
    """With CSRF protection on: a complaint filed to 市场监管局 and its clerk logged in through the real
    login form; returns (client, complaint id, a reader of the stored status)."""
    from sqlalchemy import select

    from sunshine.site.complaints import file_complaint
    from sunshine.site.db import db
    from sunshine.site.models import Complaint, Department
    from tests.conftest import csrf_token

    with csrf_demo.app_context():
        department = db.session.scalars(select(Department).where(Department.code == "scjg")).one()
        complaint_id = file_complaint(
            department=department, item=None, category="服务态度", subject="窗口人员态度生硬",
            content="询问办理进度时被要求自己上网查。", contact_name="马丽", contact_phone="13811112222",
            received_at=FILED_AT).complaint.id
    client = csrf_demo.test_client()
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    assert client.post("/admin/login", data={"username": "editor-scjg", "password": "editor-demo-2026",
                                             "csrf_token": token}).status_code == 302

    def status() -> str:
        with csrf_demo.app_context():
            return db.session.get(Complaint, complaint_id).status

    return client, complaint_id, status


def test_the_forms_carry_a_csrf_token_and_post_with_it(csrf_clerk):
    client, complaint_id, status = csrf_clerk
    fields = form_fields(client.get(f"/admin/complaints/{complaint_id}").get_data(as_text=True),
                         action=f"/admin/complaints/{complaint_id}/accept")
    assert fields["accept-csrf_token"]
    with clock.frozen(TUESDAY):
        assert client.post(f"/admin/complaints/{complaint_id}/accept", data=fields).status_code == 302
    assert status() == "accepted"


def test_a_post_without_the_csrf_token_changes_nothing(csrf_clerk):
    client, complaint_id, status = csrf_clerk
    response = client.post(f"/admin/complaints/{complaint_id}/accept", data={"accept-note": "受理"})
    assert response.status_code == 400
    assert status() == "received"


def test_a_nul_byte_in_a_note_is_refused_with_the_rest_kept(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/accept",
                                            data={"accept-note": "已电话\x00核实"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "含有不可见的控制字符，已将其去掉，请核对后重新提交。" in html and "已电话核实" in html
    assert load_complaint(complaint_id).status == "received"


def test_a_bidi_override_in_a_reply_is_refused(login_as, new_complaint, load_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/reply",
                                            data={"reply-reply": "已退还\u202e元021费款"})
    assert response.status_code == 400
    assert "含有改变文字显示方向的控制符" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).reply == ""


def test_an_overlong_note_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/accept",
                                            data={"accept-public_note": "情况说明" * 501})
    assert response.status_code == 400
    assert "不能超过2000个字。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "received"


def test_a_department_that_is_not_a_number_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("admin").post(f"/admin/complaints/{complaint_id}/reassign",
                                      data={"reassign-department": "zjj'--", "reassign-note": "职责调整"})
    assert response.status_code == 400
    assert "请选择改派的部门。" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).department_code == "scjg"
