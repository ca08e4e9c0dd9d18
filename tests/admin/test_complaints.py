"""Complaint handling: 受理 → 交办 → 答复 → 办结, 催办 by supervisors, each step in the history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from sunshine.site.db import db
from sunshine.site.models import Complaint


def test_editor_accepts_a_complaint_of_own_department(login_as, new_complaint, load_complaint, user_id):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    response = client.post(f"/admin/complaints/{complaint_id}/accept", data={"accept-note": ""},
                           follow_redirects=True)
    assert "已受理" in response.get_data(as_text=True)
    stored = load_complaint(complaint_id)
    assert stored.status == "accepted"
    assert stored.events[-1] == ("受理", "", user_id("editor-scjg"))


def test_whole_handling_ends_closed_with_the_reply_stored(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    base = f"/admin/complaints/{complaint_id}"
    client.post(f"{base}/accept", data={})
    client.post(f"{base}/assign", data={"assign-note": "交食品经营许可审批股核实，3个工作日内反馈"})
    client.post(f"{base}/reply", data={"reply-reply": "经核实，窗口人员未一次性告知所需材料，已批评教育并当面致歉。"})
    client.post(f"{base}/close", data={})
    stored = load_complaint(complaint_id)
    assert stored.status == "closed"
    assert stored.reply == "经核实，窗口人员未一次性告知所需材料，已批评教育并当面致歉。"
    assert [e[0] for e in stored.events] == ["收到", "受理", "交办", "答复", "办结"]
    assert stored.events[2][1] == "交食品经营许可审批股核实，3个工作日内反馈"


def test_assign_without_a_note_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    client.post(f"/admin/complaints/{complaint_id}/accept", data={})
    response = client.post(f"/admin/complaints/{complaint_id}/assign", data={"assign-note": " "})
    assert response.status_code == 400
    assert "交办时请写明交办说明" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "accepted"


def test_reply_without_text_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    client.post(f"/admin/complaints/{complaint_id}/accept", data={})
    response = client.post(f"/admin/complaints/{complaint_id}/reply", data={"reply-reply": ""})
    assert response.status_code == 400
    assert "答复时请填写答复意见" in response.get_data(as_text=True)
    stored = load_complaint(complaint_id)
    assert stored.status == "accepted"
    assert stored.reply == ""


def test_closing_before_a_reply_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/close", data={})
    assert response.status_code == 400
    assert "当前为“已收到”，不能办结" in response.get_data(as_text=True)
    assert load_complaint(complaint_id).status == "received"


def test_editor_of_another_department_cannot_see_or_handle(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-zjj")
    assert client.get(f"/admin/complaints/{complaint_id}").status_code == 403
    assert client.post(f"/admin/complaints/{complaint_id}/accept", data={}).status_code == 403
    assert load_complaint(complaint_id).status == "received"
    assert "窗口多次要求补交同一份材料" not in client.get("/admin/complaints").get_data(as_text=True)


def test_editor_cannot_urge(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/urge",
                                            data={"urge-note": "请尽快办理"})
    assert response.status_code == 403
    assert [e[0] for e in load_complaint(complaint_id).events] == ["收到"]


def test_supervisor_urges_without_changing_the_status(login_as, new_complaint, load_complaint, user_id):
    complaint_id = new_complaint("scjg")
    client = login_as("supervisor")
    client.post(f"/admin/complaints/{complaint_id}/urge", data={"urge-note": "距答复期限不足3个工作日，请抓紧办理"})
    stored = load_complaint(complaint_id)
    assert stored.status == "received"
    assert stored.events[-1] == ("催办", "距答复期限不足3个工作日，请抓紧办理", user_id("supervisor"))


def test_supervisor_reads_any_complaint_with_the_private_contact(login_as, new_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("supervisor").get(f"/admin/complaints/{complaint_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "张秀兰" in html and "13812345678" in html
    assert "个人信息，严禁外传" in html


def test_supervisor_cannot_accept_for_the_department(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = login_as("supervisor").post(f"/admin/complaints/{complaint_id}/accept", data={})
    assert response.status_code == 403
    assert load_complaint(complaint_id).status == "received"


def test_overdue_and_due_soon_complaints_are_marked_on_the_dashboard(app, login_as, new_complaint):
    overdue = new_complaint("scjg", subject="办理超时三周仍无结果")
    due_soon = new_complaint("scjg", subject="收费项目与公示不一致")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    with app.app_context():
        db.session.execute(update(Complaint).where(Complaint.id == overdue)
                           .values(deadline=today - dt.timedelta(days=3)))
        db.session.execute(update(Complaint).where(Complaint.id == due_soon).values(deadline=today))
        db.session.commit()
    html = login_as("editor-scjg").get("/admin/").get_data(as_text=True)
    assert "办理超时三周仍无结果" in html and "收费项目与公示不一致" in html
    row_overdue = html.split("办理超时三周仍无结果")[1].split("</tr>")[0]
    row_due = html.split("收费项目与公示不一致")[1].split("</tr>")[0]
    assert "badge-red" in row_overdue and "已超期" in row_overdue
    assert "badge-yellow" in row_due and "即将到期" in row_due
