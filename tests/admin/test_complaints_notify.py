"""After each stored step the complainant who asked for it hears of the progress: the status, what
comes next and where to look it up; never the query code, a contact detail or an internal note."""

from __future__ import annotations

from sunshine.site import clock

LOOKUP = "https://ts.qingchuan.gov.cn/intake/lookup"


def act(client, complaint_id: int, action: str, data: dict, at: str = "2026-11-24T10:00:00"):
    with clock.frozen(at):
        response = client.post(f"/admin/complaints/{complaint_id}/{action}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def tracking_no(load_complaint, complaint_id: int) -> str:
    return load_complaint(complaint_id).tracking_no


def test_acceptance_is_sent_by_sms_with_the_answer_deadline(login_as, new_complaint, load_complaint, sent_sms):
    complaint_id = new_complaint("scjg", notify_by="sms")
    act(login_as("editor-scjg"), complaint_id, "accept", {})
    number = tracking_no(load_complaint, complaint_id)
    assert sent_sms == [("13812345678", f"【阳光政务】投诉{number}受理：您的投诉{number}已受理，将于2026年12月10日前答复。"
                                        f"凭投诉编号和查询码在 {LOOKUP} 查询办理进度。")]


def test_no_message_when_the_complainant_asked_for_none(login_as, new_complaint, sent_sms):
    act(login_as("editor-scjg"), new_complaint("scjg", notify_by=""), "accept", {})
    assert sent_sms == []


def test_the_message_never_carries_notes_or_contact(login_as, new_complaint, sent_sms):
    complaint_id = new_complaint("scjg", notify_by="sms")
    act(login_as("editor-scjg"), complaint_id, "accept",
        {"accept-note": "投诉人张秀兰情绪激动", "accept-public_note": "已受理，请耐心等待。"})
    (_phone, text), = sent_sms
    for private in ("张秀兰", "情绪激动", "请耐心等待", "13812345678"):
        assert private not in text


def test_a_decline_names_the_reason(login_as, new_complaint, load_complaint, sent_sms):
    complaint_id = new_complaint("scjg", notify_by="sms")
    act(login_as("editor-scjg"), complaint_id, "decline",
        {"decline-reason": "duplicate", "decline-public_note": "与上周投诉重复。"})
    number = tracking_no(load_complaint, complaint_id)
    assert f"您的投诉{number}不予受理（重复投诉），理由说明请查询。" in sent_sms[-1][1]


def test_closing_tells_until_when_it_may_be_reopened(login_as, new_complaint, move_complaint, load_complaint,
                                                     sent_sms):
    complaint_id = new_complaint("scjg", notify_by="sms")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实并整改。"}))
    act(login_as("editor-scjg"), complaint_id, "close", {"close-outcome": "resolved"}, at="2026-11-26T15:00:00")
    number = tracking_no(load_complaint, complaint_id)
    assert sent_sms[-1][1] == (
        f"【阳光政务】投诉{number}办结：您的投诉{number}已办结（已解决）。如对处理结果不满意，可在2026年12月3日前"
        f"申请重新办理一次；也请告诉我们问题是否解决。凭投诉编号和查询码在 {LOOKUP} 查询办理进度。")


def test_a_reassignment_names_the_new_department(login_as, new_complaint, load_complaint, sent_sms, app):
    from sqlalchemy import select

    from sunshine.site.db import db
    from sunshine.site.models import Department

    complaint_id = new_complaint("scjg", notify_by="sms")
    with app.app_context():
        zjj = db.session.scalars(select(Department.id).where(Department.code == "zjj")).one()
    act(login_as("admin"), complaint_id, "reassign", {"reassign-department": str(zjj), "reassign-note": "职责调整"})
    number = tracking_no(load_complaint, complaint_id)
    assert f"您的投诉{number}已改由清川县住房和城乡建设局办理，将于2026年11月24日前受理。" in sent_sms[-1][1]


def test_an_email_goes_to_the_address_given(login_as, new_complaint, caplog):
    import logging

    complaint_id = new_complaint("scjg", notify_by="email", contact_email="zhangxl@example.cn")
    with caplog.at_level(logging.INFO, logger="sunshine.notify"):
        act(login_as("editor-scjg"), complaint_id, "accept", {})
    sent = [r.getMessage() for r in caplog.records if r.name == "sunshine.notify"]
    assert len(sent) == 1 and "by email" in sent[0]
    assert "zhangxl@example.cn" not in sent[0]


def test_a_refused_action_sends_nothing(login_as, new_complaint, sent_sms):
    complaint_id = new_complaint("scjg", notify_by="sms")
    with clock.frozen("2026-11-24T10:00:00"):
        response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/decline", data={})
    assert response.status_code == 400
    assert sent_sms == []
