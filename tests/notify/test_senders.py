"""Notification senders: the log sender names no destination and no text, SMTP really delivers,
an SMS gateway is named by a dotted path, and a failing sender never fails or loses a filing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import Complaint
from sunshine.site.notify import LogSender, Message, SmtpSender, notify, sender_for, shutdown

from .gateway import RecordingGateway

MESSAGE = Message(channel="email", to="wang.xiulan@example.cn", subject="投诉已收到",
                  body="投诉编号：TS-K7MX-2QPA，查询码：K7M2P9QA。", reference="TS-K7MX-2QPA")


def _smtp_settings(port: int, **more) -> dict:
    return {"SUNSHINE_NOTIFY_EMAIL": "smtp", "SUNSHINE_SMTP_HOST": "127.0.0.1", "SUNSHINE_SMTP_PORT": port,
            "SUNSHINE_SMTP_FROM": "noreply@qingchuan.example", "SUNSHINE_SMTP_TIMEOUT": 5, **more}


def _stored(app, number: str) -> Complaint | None:
    with app.app_context():
        return db.session.scalars(select(Complaint).where(Complaint.tracking_no == number)).first()


def test_the_log_sender_names_neither_the_destination_nor_the_text(caplog):
    caplog.set_level(logging.DEBUG, logger="sunshine.notify")
    LogSender().send(MESSAGE)
    assert [r.getMessage() for r in caplog.records] == [
        "notification 投诉已收到 for TS-K7MX-2QPA by email (log sender: not delivered)"]
    assert "wang.xiulan" not in caplog.text and "K7M2P9QA" not in caplog.text


def test_the_smtp_sender_delivers_to_a_real_server(smtp_server):
    controller, inbox = smtp_server
    SmtpSender(host="127.0.0.1", port=controller.port, sender="noreply@qingchuan.example", timeout=5).send(MESSAGE)
    (envelope,), (mail,) = inbox.envelopes, inbox.messages
    assert (envelope.mail_from, envelope.rcpt_tos) == ("noreply@qingchuan.example", ["wang.xiulan@example.cn"])
    assert mail["Subject"] == "投诉已收到"
    assert mail["From"] == "阳光政务 <noreply@qingchuan.example>"
    assert mail.get_content().strip() == "投诉编号：TS-K7MX-2QPA，查询码：K7M2P9QA。"


def test_a_filing_mails_the_receipts_code_to_the_complainant(file_complaint_with, smtp_server):
    controller, inbox = smtp_server
    response, number, code = file_complaint_with(_smtp_settings(controller.port), notify_by="email",
                                                 contact_email="wang.xiulan@example.cn")
    assert response.status_code == 201
    (mail,) = inbox.messages
    assert mail["To"] == "wang.xiulan@example.cn"
    body = mail.get_content()
    assert f"投诉编号：{number}，查询码：{code}" in body
    assert "部门将于2026年10月8日前决定是否受理，2026年10月23日前答复。" in body
    assert "http://localhost/intake/lookup" in body


def test_a_queued_mail_is_delivered_after_the_filing_answered(file_complaint_with, smtp_server):
    controller, inbox = smtp_server
    response, number, _code = file_complaint_with(_smtp_settings(controller.port, SUNSHINE_NOTIFY_ASYNC=True),
                                                  notify_by="email", contact_email="wang.xiulan@example.cn")
    assert response.status_code == 201
    shutdown(wait=True)
    assert [m["Subject"] for m in inbox.messages] == ["投诉已收到"]
    assert number in inbox.messages[0].get_content()


def test_an_unreachable_mail_server_neither_fails_nor_loses_the_filing(demo, file_complaint_with, closed_port,
                                                                        caplog):
    caplog.set_level(logging.INFO, logger="sunshine.notify")
    response, number, _code = file_complaint_with(_smtp_settings(closed_port), notify_by="email",
                                                  contact_email="wang.xiulan@example.cn")
    assert response.status_code == 201
    assert _stored(demo, number) is not None
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        f"notification 投诉已收到 for {number} by email failed: ConnectionRefusedError"]
    assert "wang.xiulan" not in caplog.text


def test_a_queued_mail_to_an_unreachable_server_keeps_the_complaint_stored(demo, file_complaint_with, closed_port):
    response, number, _code = file_complaint_with(_smtp_settings(closed_port, SUNSHINE_NOTIFY_ASYNC=True),
                                                  notify_by="email", contact_email="wang.xiulan@example.cn")
    shutdown(wait=True)
    assert response.status_code == 201
    complaint = _stored(demo, number)
    assert complaint is not None and complaint.subject == "施工许可超过承诺时限未办结"


def test_the_sms_gateway_is_loaded_from_its_dotted_path(file_complaint_with):
    response, number, code = file_complaint_with(
        {"SUNSHINE_NOTIFY_SMS": "tests.notify.gateway:RecordingGateway"}, notify_by="sms")
    assert response.status_code == 201
    ((phone, text),) = RecordingGateway.sent
    assert phone == "13981234567"
    assert text.startswith(f"【阳光政务】投诉已收到：您的投诉已收到。投诉编号：{number}，查询码：{code}")


def test_a_failing_sms_gateway_never_fails_the_filing(demo, file_complaint_with, caplog):
    caplog.set_level(logging.INFO, logger="sunshine.notify")
    response, number, _code = file_complaint_with({"SUNSHINE_NOTIFY_SMS": "tests.notify.gateway:DownGateway"},
                                                  notify_by="sms")
    assert response.status_code == 201
    assert _stored(demo, number) is not None
    assert f"notification 投诉已收到 for {number} by sms failed: ConnectionError" in caplog.text
    assert "13981234567" not in caplog.text


def test_no_notification_without_the_chosen_channels_address(demo):
    with demo.app_context():
        complaint = Complaint(tracking_no="TS-K7MX-2QPA", notify_by="sms", contact_phone="", contact_email="")
        assert notify(complaint, "投诉已收到", "…") is False


def test_an_unknown_email_sender_setting_is_refused():
    with pytest.raises(ValueError, match="SUNSHINE_NOTIFY_EMAIL"):
        sender_for("email", {"SUNSHINE_NOTIFY_EMAIL": "carrier-pigeon"})


def test_an_sms_gateway_path_without_a_factory_is_refused():
    with pytest.raises(ValueError, match="package.module:factory"):
        sender_for("sms", {"SUNSHINE_NOTIFY_SMS": "tests.notify.gateway"})
