"""What one complaint's page and the list show: stage deadlines with their light, the history with who
and both notes, the complainant's follow-up, the contact block, and the 公开预览 (masked)."""

from __future__ import annotations

import re

from sqlalchemy import update

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Rating

CONTENT_WITH_CONTACT = "我是张秀兰，电话13812345678，窗口王科长三次要求补交营业执照复印件。"


def page(client, complaint_id: int, at: str = "2026-11-24T10:00:00") -> str:
    with clock.frozen(at):
        response = client.get(f"/admin/complaints/{complaint_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text_of(html: str, element_id: str) -> str:
    """The text of the element with that id, tags dropped and blanks collapsed."""
    before, after = html.split(f'id="{element_id}"', 1)
    tag = re.search(r"<(\w+)[^<]*$", before).group(1)
    inner = after.split(">", 1)[1].split(f"</{tag}>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner)).strip()


def test_a_received_complaint_shows_the_accept_deadline_as_the_current_one(login_as, new_complaint):
    html = page(login_as("editor-scjg"), new_complaint("scjg"), at="2026-11-23T15:00:00")
    assert text_of(html, "due-on") == "2026-11-24 即将到期 （还剩1个工作日）"
    assert text_of(html, "accept-deadline") == "2026-11-24"
    assert text_of(html, "answer-deadline") == "2026-12-10"


def test_an_accept_deadline_passed_shows_red(login_as, new_complaint):
    html = page(login_as("editor-scjg"), new_complaint("scjg"), at="2026-11-26T09:00:00")
    assert text_of(html, "due-on") == "2026-11-24 已超期 （已超过2个工作日）"
    assert 'class="badge badge-red"' in html


def test_after_acceptance_the_answer_deadline_is_the_current_one(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    html = page(login_as("editor-scjg"), complaint_id, at="2026-11-25T09:00:00")
    assert text_of(html, "due-on") == "2026-12-10 （还剩11个工作日）"


def test_the_history_names_who_took_each_step_with_both_notes_labelled(login_as, new_complaint):
    complaint_id = new_complaint("scjg")
    client = login_as("editor-scjg")
    with clock.frozen("2026-11-23T14:30:00"):
        client.post(f"/admin/complaints/{complaint_id}/accept", data={
            "accept-public_note": "已受理，将核实窗口告知情况。", "accept-note": "请综合科调取11月20日录像"})
    history = text_of(page(client, complaint_id), "history")
    assert history == ("2026-11-23 10:00 收到 （投诉人） 内部备注：网上投诉 "
                       "2026-11-23 14:30 受理 （市场监管局窗口编辑（林海燕）） "
                       "给投诉人的说明：已受理，将核实窗口告知情况。 内部备注：请综合科调取11月20日录像")


def test_a_step_of_the_system_is_named_as_such(app, login_as, new_complaint):
    from sunshine.site.models import Complaint, ComplaintEvent

    complaint_id = new_complaint("scjg")
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        complaint.events.append(ComplaintEvent(at=clock.now(), action="超期提醒", note="", public_note="",
                                               actor="system"))
        db.session.commit()
    assert "超期提醒</strong>（系统）" in page(login_as("editor-scjg"), complaint_id)


def test_the_department_sees_the_whole_contact(login_as, new_complaint):
    complaint_id = new_complaint("scjg", contact_email="zhangxl@example.cn", notify_by="email")
    assert text_of(page(login_as("editor-scjg"), complaint_id), "contact") == (
        "投诉人联系方式 个人信息，严禁外传 ：仅用于核实和回访，不得告知被投诉人或写入答复、说明和备注。 "
        "姓名 张秀兰 电话 13812345678 电子邮箱 zhangxl@example.cn 进度通知 电子邮件")


def test_the_preview_shows_the_published_text_masked(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg", publish_consent=True, subject="张秀兰反映窗口多次要求补材料")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已约谈王科长，并向张秀兰当面致歉，电话13812345678。"}))
    html = page(login_as("editor-scjg"), complaint_id)
    assert text_of(html, "preview-subject") == "某某反映窗口多次要求补材料"
    assert text_of(html, "preview-summary") == "已约谈某科长，并向某某当面致歉，电话（电话号码已隐去）。"
    assert "办结后，以下内容将在网站“投诉办理结果公开”中公开" in html


def test_without_consent_there_is_no_preview(login_as, new_complaint):
    html = page(login_as("editor-scjg"), new_complaint("scjg", publish_consent=False))
    assert 'id="preview"' not in html
    assert text_of(html, "consent") == "不同意公开"


def test_the_outcome_and_its_reasons_are_shown(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实。"}),
                   ("close", {"outcome": "referred", "public_note": "涉及商品质量，已转县消费者协会。"}))
    html = page(login_as("editor-scjg"), complaint_id)
    assert text_of(html, "outcome") == "已转有关部门办理"
    assert "<dt>办结理由</dt><dd>涉及商品质量，已转县消费者协会。</dd>" in html


def test_a_declined_complaint_shows_its_reason(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, ("decline", {"reason": "duplicate", "public_note": "与TS-K7MX-2QPA重复。"}))
    assert text_of(page(login_as("editor-scjg"), complaint_id), "decline-reason") == "重复投诉"


def test_a_closed_complaint_shows_until_when_it_may_be_reopened(login_as, new_complaint, move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实。"}), ("close", {"outcome": "resolved"}),
                   on="2026-11-26T15:00:00")
    assert text_of(page(login_as("editor-scjg"), complaint_id, at="2026-11-27T09:00:00"), "reopen") == (
        "未申请 （可申请至2026-12-03）")


def test_a_reopened_complaint_shows_the_reopening_and_the_new_answer_deadline(login_as, new_complaint,
                                                                             move_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实。"}), ("close", {"outcome": "resolved"}),
                   on="2026-11-26T15:00:00")
    move_complaint(complaint_id, ("reopen", {"public_note": "材料还是被要求重复提交。"}), on="2026-11-30T09:00:00")
    html = page(login_as("editor-scjg"), complaint_id, at="2026-11-30T10:00:00")
    assert text_of(html, "status") == "重新办理中"
    assert text_of(html, "reopen") == "投诉人已申请重新办理1次"
    assert text_of(html, "due-on") == "2026-12-17 （还剩13个工作日）"
    assert "（投诉人）" in text_of(html, "history").split("申请重新办理")[1]


def test_the_complainants_confirmation_and_rating_are_shown(app, login_as, new_complaint, move_complaint):
    from sunshine.site.models import Complaint

    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实。"}), ("close", {"outcome": "resolved"}),
                   on="2026-11-26T15:00:00")
    move_complaint(complaint_id, "confirm", on="2026-11-27T09:00:00")
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        db.session.execute(update(Complaint).where(Complaint.id == complaint_id).values(solved=True))
        db.session.add(Rating(target_kind="complaint", complaint_id=complaint_id,
                              department_id=complaint.department_id, level=4, comment="处理及时",
                              created_at=clock.now()))
        db.session.commit()
    html = page(login_as("editor-scjg"), complaint_id, at="2026-11-27T10:00:00")
    assert text_of(html, "confirmed") == "2026-11-27 09:00"
    assert text_of(html, "solved") == "已解决"
    assert text_of(html, "rating") == "满意：处理及时"


def test_the_list_filters_declined_complaints(login_as, new_complaint, move_complaint):
    declined = new_complaint("scjg", subject="重复反映的收费问题")
    new_complaint("scjg", subject="窗口午休提前关门")
    move_complaint(declined, ("decline", {"reason": "duplicate", "public_note": "重复投诉。"}))
    html = login_as("editor-scjg").get("/admin/complaints?status=declined").get_data(as_text=True)
    assert "重复反映的收费问题" in html and "窗口午休提前关门" not in html


def test_the_list_filters_reopened_complaints(login_as, new_complaint, move_complaint):
    reopened = new_complaint("scjg", subject="许可证打印错误未更正")
    new_complaint("scjg", subject="窗口午休提前关门")
    move_complaint(reopened, "accept", ("reply", {"reply": "已更正。"}), ("close", {"outcome": "resolved"}),
                   on="2026-11-26T15:00:00")
    move_complaint(reopened, ("reopen", {"public_note": "仍未更正。"}), on="2026-11-27T09:00:00")
    html = login_as("editor-scjg").get("/admin/complaints?status=reopened").get_data(as_text=True)
    assert "许可证打印错误未更正" in html and "窗口午休提前关门" not in html


def test_the_list_marks_by_the_current_stage_deadline(login_as, new_complaint, move_complaint):
    late_accept = new_complaint("scjg", subject="三天无人受理")
    accepted = new_complaint("scjg", subject="已受理待答复")
    move_complaint(accepted, "accept")
    with clock.frozen("2026-11-26T09:00:00"):
        html = login_as("editor-scjg").get("/admin/complaints").get_data(as_text=True)
    late_row = html.split(f'id="complaint-{late_accept}"')[1].split("</tr>")[0]
    accepted_row = html.split(f'id="complaint-{accepted}"')[1].split("</tr>")[0]
    assert "2026-11-24" in late_row and "badge-red" in late_row
    assert "2026-12-10" in accepted_row and "badge" not in accepted_row


def test_overdue_and_due_soon_complaints_are_marked_on_the_dashboard(login_as, new_complaint, move_complaint):
    new_complaint("scjg", subject="办理超时三周仍无结果")      # to be accepted by 11-24
    due_soon = new_complaint("scjg", subject="收费项目与公示不一致")
    move_complaint(due_soon, "accept")                          # to be answered by 12-10
    with clock.frozen("2026-12-09T09:00:00"):
        html = login_as("editor-scjg").get("/admin/").get_data(as_text=True)
    row_overdue = html.split("办理超时三周仍无结果")[1].split("</tr>")[0]
    row_due = html.split("收费项目与公示不一致")[1].split("</tr>")[0]
    assert "badge-red" in row_overdue and "已超期" in row_overdue
    assert "badge-yellow" in row_due and "即将到期" in row_due


def test_every_demo_complaint_page_renders_for_the_administrator(app, login_as):
    from sqlalchemy import select

    from sunshine.site.models import Complaint

    client = login_as("admin")
    with app.app_context():
        ids = list(db.session.scalars(select(Complaint.id)))
    assert ids
    assert {client.get(f"/admin/complaints/{i}").status_code for i in ids} == {200}
