"""The complaint receipt: printable, the number and code, what happens next, the deadlines with how
they were counted, where else to turn, whether a notification will come, and the notification."""

from __future__ import annotations

import logging
import re

from sunshine.site import clock

from .conftest import COMPLAINT, FILED_AT, text_of


def test_the_receipt_names_the_department_and_both_deadlines(file):
    html = file()[0].get_data(as_text=True)
    assert text_of(html, "department") == "清川县住房和城乡建设局"
    assert text_of(html, "deadline-accept") == "2026年10月8日前（1个工作日）"
    assert text_of(html, "deadline-answer") == "2026年10月23日前（13个工作日）"
    assert "其间国庆节（10月1日至7日）不计，10月10日（星期六）为调休上班日，计入" in text_of(html, "deadline-answer-how")


def test_the_receipt_says_what_happens_next(file):
    steps = re.findall(r"<li><strong>([^<]+)</strong>", file()[0].get_data(as_text=True))
    assert steps == ["受理", "交办和办理", "答复", "办结"]


def test_the_receipt_lists_the_published_escalation_channels(file):
    html = text_of(file()[0].get_data(as_text=True), "escalation")
    assert "投诉电话：阳光政务投诉热线，0827-5220110" in html
    assert "投诉信箱：县长信箱，清川县人民政府门户网站“县长信箱”栏目（全天受理），13个工作日内答复" in html
    assert "12345政务服务便民热线" in html
    assert "网上投诉" not in html  # this very form is not an escalation


def test_the_receipt_names_the_sites_complaint_phone_when_no_channel_does(intake, file):
    from sqlalchemy import select

    from sunshine.site.db import db
    from sunshine.site.models import SiteProfile

    with intake.app_context():
        db.session.scalars(select(SiteProfile)).one().complaint_phone = "0827-5220999"
        db.session.commit()
    html = file()[0].get_data(as_text=True)
    assert '清川县政务服务中心投诉电话：<a href="tel:0827-5220999">0827-5220999</a>' in html


def test_the_receipt_is_printable_without_inline_script(file):
    html = file()[0].get_data(as_text=True)
    assert '<script src="/static/print.js" defer></script>' in html
    assert '<button type="button" class="button secondary" data-print hidden>打印回执</button>' in html
    assert "可使用浏览器的“打印”功能" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_print_script_and_print_styles_are_served(intake):
    client = intake.test_client()
    script = client.get("/static/print.js").get_data(as_text=True)
    styles = client.get("/static/intake.css").get_data(as_text=True)
    assert "window.print()" in script
    assert "@media print" in styles and ".no-print" in styles


def test_the_receipt_promises_an_sms_to_the_phones_last_digits(file):
    html = file(notify_by="sms")[0].get_data(as_text=True)
    assert text_of(html, "notification") == "查询码和进度将通过短信发送到您尾号为 4567 的手机。短信可能延迟，请以本回执为准。"
    assert "13981234567" not in html


def test_the_receipt_says_when_no_notification_was_asked_for(file):
    assert text_of(file()[0].get_data(as_text=True), "notification") == \
        "您没有选择短信或电子邮件通知，请凭编号和查询码在本网站查询。"


def test_filing_sends_the_code_by_the_chosen_channel_and_logs_neither_it_nor_the_address(file, caplog):
    caplog.set_level(logging.INFO, logger="sunshine.notify")
    _response, number, code = file(notify_by="email", contact_email="wang.xiulan@example.cn")
    sent = [r.getMessage() for r in caplog.records if r.name == "sunshine.notify"]
    assert sent == [f"notification 投诉已收到 for {number} by email (log sender: not delivered)"]
    assert code not in caplog.text and "wang.xiulan@example.cn" not in caplog.text


def test_a_repeated_post_shows_the_same_receipt_and_notifies_once(intake, caplog):
    caplog.set_level(logging.INFO, logger="sunshine.notify")
    client = intake.test_client()
    with clock.frozen(FILED_AT):
        key = re.search(r'name="submission" type="hidden" value="([^"]+)"',
                        client.get("/intake/complaint").get_data(as_text=True)).group(1)
        data = {**COMPLAINT, "notify_by": "sms", "submission": key}
        first, again = client.post("/intake/complaint", data=data), client.post("/intake/complaint", data=data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert text_of(first.get_data(as_text=True), "query-code") == text_of(again.get_data(as_text=True), "query-code")
    assert len([r for r in caplog.records if r.name == "sunshine.notify"]) == 1


def test_the_receipt_never_shows_the_name_or_the_full_phone(file):
    html = file(notify_by="sms", contact_email="wang.xiulan@example.cn")[0].get_data(as_text=True)
    assert "王秀兰" not in html and "13981234567" not in html and "wang.xiulan@example.cn" not in html


def test_the_receipt_is_not_kept_in_any_cache(file, ask):
    assert file()[0].headers["Cache-Control"] == "no-store"
    assert ask()[0].headers["Cache-Control"] == "no-store"
