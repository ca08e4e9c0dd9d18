"""The complaint form: the deadlines to expect before filing, the new contact and consent fields,
and a lean POST (the posted department and item only; nothing read again after the commit)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint

from .conftest import COMPLAINT, FILED_AT, receipt, text_of


def _form(app, path: str = "/intake/complaint", at: str = FILED_AT) -> str:
    with clock.frozen(at):
        return app.test_client().get(path).get_data(as_text=True)


def _post(app, at: str = FILED_AT, **changes):
    with clock.frozen(at):
        return app.test_client().post("/intake/complaint", data={**COMPLAINT, **changes})


def test_the_form_shows_the_acceptance_deadline_across_national_day(intake):
    html = _form(intake)
    assert text_of(html, "deadline-accept") == "2026年10月8日前（1个工作日）"
    assert text_of(html, "deadline-accept-how") == (
        "自2026年9月30日提交起计1个工作日（当日不计），至2026年10月8日；其间国庆节（10月1日至7日）不计。")


def test_the_form_shows_the_answer_deadline_with_the_make_up_working_day(intake):
    html = _form(intake)
    assert text_of(html, "deadline-answer") == "2026年10月23日前（13个工作日）"
    assert text_of(html, "deadline-answer-how") == (
        "自2026年9月30日提交起计13个工作日（当日不计），至2026年10月23日；其间国庆节（10月1日至7日）不计，"
        "10月10日（星期六）为调休上班日，计入，另有周六、周日3天不计。")


def test_the_form_follows_the_configured_answer_days(intake):
    intake.config["SUNSHINE_COMPLAINT_DAYS"] = 5
    assert text_of(_form(intake, at="2026-11-02T09:00:00+08:00"), "deadline-answer") == "2026年11月9日前（5个工作日）"


def test_the_form_offers_the_notification_choice_and_the_consent(intake):
    html = _form(intake)
    assert '<input checked id="notify_by-0" name="notify_by" type="radio" value="">' in html
    assert '<label for="notify_by-2">电子邮件</label>' in html
    assert '<input id="contact_email" maxlength="200" name="contact_email" type="email" value="">' in html
    assert "同意在办结后匿名公开投诉及处理结果（姓名、电话等个人信息不会公开）" in html


def test_the_department_link_preselects_the_department(intake):
    assert '<option selected value="scjg">' in _form(intake, "/intake/complaint?department=scjg")


def _filed(response) -> Complaint:
    assert response.status_code == 201
    number, _code = receipt(response.get_data(as_text=True))
    return db.session.scalars(select(Complaint).where(Complaint.tracking_no == number)).one()


def _count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Complaint.id)).all())


def test_contact_email_notification_and_consent_are_stored(intake):
    response = _post(intake, contact_email="wang.xiulan@example.cn", notify_by="email", publish_consent="y")
    with intake.app_context():
        complaint = _filed(response)
        assert (complaint.contact_email, complaint.notify_by, complaint.publish_consent) == (
            "wang.xiulan@example.cn", "email", True)
        assert (complaint.accept_deadline.isoformat(), complaint.deadline.isoformat(), complaint.due_on.isoformat()) \
            == ("2026-10-08", "2026-10-23", "2026-10-08")


def test_without_consent_nothing_is_to_be_published(intake):
    response = _post(intake)
    with intake.app_context():
        assert _filed(response).publish_consent is False


@pytest.mark.parametrize(("changes", "message"), [
    ({"notify_by": "sms", "contact_phone": ""}, "选择短信通知时，请在“联系电话”中填写11位手机号码。"),
    ({"notify_by": "sms", "contact_phone": "0827-5231234"}, "选择短信通知时，请在“联系电话”中填写11位手机号码。"),
    ({"notify_by": "email"}, "选择电子邮件通知时，请填写电子邮箱。"),
    ({"contact_email": "wang.xiulan@example"}, "请填写正确的电子邮箱，如 zhangsan@example.com。"),
    ({"contact_email": "王秀兰 @qq.com"}, "请填写正确的电子邮箱，如 zhangsan@example.com。"),
    ({"notify_by": "fax"}, "请从列表中选择通知方式。"),
], ids=["sms-without-phone", "sms-to-a-landline", "email-without-address", "address-without-domain",
        "address-with-a-space", "unknown-channel"])
def test_a_notification_that_cannot_be_sent_is_refused_in_chinese_and_keeps_the_text(intake, changes, message):
    before = _count(intake)
    response = _post(intake, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert COMPLAINT["content"] in html and '<option selected value="ZJJ-XK-001">' in html
    assert _count(intake) == before


def test_sms_to_a_mobile_typed_with_country_code_is_accepted(intake):
    response = _post(intake, notify_by="sms", contact_phone="+86 139-8123-4567")
    with intake.app_context():
        assert _filed(response).contact_phone == "13981234567"


def test_a_withdrawn_item_is_refused_with_the_selects_message(intake):
    from sunshine.site.models import ServiceItem
    from sunshine.site.workflow import withdraw

    with intake.app_context():
        withdraw(db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001")).one())
        db.session.commit()
    response = _post(intake)
    assert response.status_code == 400
    assert "请从列表中选择涉及事项。" in response.get_data(as_text=True)


def test_filing_reads_only_what_it_names_and_nothing_after_the_commit(intake):
    """The hot path: with the lists cached, no read at all (the department and item come from the
    cached lists) and the receipt rendered from what was written (no statement after the commit)."""
    intake.config["SUNSHINE_CHOICES_SECONDS"] = 600
    _form(intake)  # warms the cached lists and site facts, as any earlier visitor would
    seen: list[str] = []
    with intake.app_context():
        engine = db.engine

        def statement(conn, cursor, sql, *args):
            seen.append(sql.split()[0].upper() + " " + sql)

        def committed(conn):
            seen.append("COMMIT")

        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine, "commit", committed)
        try:
            response = _post(intake)
        finally:
            event.remove(engine, "before_cursor_execute", statement)
            event.remove(engine, "commit", committed)
    assert response.status_code == 201
    assert seen[-1] == "COMMIT"
    assert [s for s in seen if s.startswith("SELECT")] == []
    assert [s.split()[0] for s in seen] == ["INSERT", "INSERT", "COMMIT"]
