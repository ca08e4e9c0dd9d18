"""网上咨询 on the intake: the form with its deadline, asking, the receipt, idempotency, the lookup of
the answer or the refusal with the deadline's state, and the same 404 for a wrong number or code."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Question

from .conftest import FILED_AT, QUESTION, text_of


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def _lookup(app, number: str, code: str, at: str):
    with clock.frozen(at):
        return app.test_client().post("/intake/question/lookup", data={"question_no": number, "query_code": code})


def test_the_form_shows_the_answer_deadline_before_asking(intake):
    with clock.frozen(FILED_AT):
        html = intake.test_client().get("/intake/question").get_data(as_text=True)
    assert text_of(html, "deadline-answer") == "2026年10月13日前（5个工作日）"
    assert text_of(html, "deadline-answer-how") == (
        "自2026年9月30日提交起计5个工作日（当日不计），至2026年10月13日；其间国庆节（10月1日至7日）不计，"
        "10月10日（星期六）为调休上班日，计入，另有周六、周日1天不计。")


def test_an_item_link_preselects_the_item_and_its_department(intake):
    html = intake.test_client().get("/intake/question?item=SCJG-XK-002").get_data(as_text=True)
    assert '<option selected value="SCJG-XK-002">' in html and '<option selected value="scjg">' in html


def test_the_form_links_to_the_published_answers(intake):
    intake.config["SUNSHINE_STATIC_URL"] = "https://gk.qingchuan.example"
    html = intake.test_client().get("/intake/question").get_data(as_text=True)
    assert '<a href="https://gk.qingchuan.example/questions/">已公开的咨询答复</a>' in html


def test_asking_gives_a_number_and_a_code_and_stores_the_question(intake, ask, stored):
    response, number, code = ask(publish_consent="y", contact_email="chen.jg@example.cn", notify_by="email")
    assert re.fullmatch(r"ZX-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", number)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)
    assert text_of(response.get_data(as_text=True), "department") == "清川县住房和城乡建设局"
    assert stored(number, "subject", "status", "publish_consent", "notify_by", "contact_email", "deadline") == {
        "subject": QUESTION["subject"], "status": "received", "publish_consent": True, "notify_by": "email",
        "contact_email": "chen.jg@example.cn", "deadline": dt.date(2026, 10, 13)}


def test_the_receipt_shows_the_deadline_and_the_publication_promise(ask):
    html = ask(publish_consent="y")[0].get_data(as_text=True)
    assert text_of(html, "deadline-answer") == "2026年10月13日前（5个工作日）"
    assert "答复后，您的咨询和答复将隐去个人信息后在网站“网上咨询”栏目公开。" in text_of(html, "next-steps")
    assert text_of(html, "consent") == "同意答复后匿名公开"


def test_the_same_form_posted_twice_asks_once_with_the_same_receipt(intake):
    client = intake.test_client()
    with clock.frozen(FILED_AT):
        key = re.search(r'name="submission" type="hidden" value="([^"]+)"',
                        client.get("/intake/question").get_data(as_text=True)).group(1)
        before = _count(intake)
        first = client.post("/intake/question", data={**QUESTION, "submission": key})
        again = client.post("/intake/question", data={**QUESTION, "submission": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert text_of(first.get_data(as_text=True), "query-code") == text_of(again.get_data(as_text=True), "query-code")
    assert _count(intake) == before + 1


def test_a_filled_honeypot_asks_nothing(intake):
    before = _count(intake)
    with clock.frozen(FILED_AT):
        response = intake.test_client().post("/intake/question", data={**QUESTION, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "提交未成功，请刷新页面后重新填写。" in response.get_data(as_text=True)
    assert _count(intake) == before


def test_an_item_of_another_department_is_refused(intake):
    with clock.frozen(FILED_AT):
        response = intake.test_client().post("/intake/question", data={**QUESTION, "department": "scjg"})
    assert response.status_code == 400
    assert "所选事项不属于所选部门，请重新选择。" in response.get_data(as_text=True)


def test_a_general_question_needs_no_item(intake, ask, stored):
    _r, number, _code = ask(item="")
    assert stored(number, "item_id") == {"item_id": None}


def test_an_sms_notification_needs_a_mobile(intake):
    with clock.frozen(FILED_AT):
        response = intake.test_client().post("/intake/question",
                                             data={**QUESTION, "contact_phone": "", "notify_by": "sms"})
    assert response.status_code == 400
    assert "选择短信通知时，请在“联系电话”中填写11位手机号码。" in response.get_data(as_text=True)


def test_the_lookup_shows_a_waiting_question_counted_down(intake, ask):
    _r, number, code = ask()
    html = _lookup(intake, number, code, "2026-10-09T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "status") == "待答复"
    assert text_of(html, "deadline-answer-state") == "剩余3个工作日"  # Saturday 10月10日 is a working day
    assert text_of(html, "waiting") == "部门尚未答复，请在答复期限后再来查看。"


def test_the_lookup_shows_an_overdue_question_in_red(intake, ask):
    _r, number, code = ask()
    html = _lookup(intake, number, code, "2026-10-15T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "deadline-answer-state") == "已超期2个工作日"
    assert 'class="deadline-state light-red"' in html


def test_the_lookup_shows_the_answer_and_that_it_was_on_time(intake, ask, answer_question):
    _r, number, code = ask(publish_consent="y")
    answer_question(number, "2026-10-12", "需提交施工许可申请表、建设工程规划许可证和施工合同，可在网上提交。")
    html = _lookup(intake, number, code, "2026-10-13T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "status") == "已答复"
    assert text_of(html, "answer") == "需提交施工许可申请表、建设工程规划许可证和施工合同，可在网上提交。"
    assert text_of(html, "deadline-answer-state") == "已于10月12日答复，按期"
    assert "在网站“网上咨询”栏目公开" in text_of(html, "published")


def test_the_lookup_shows_a_refusal_with_its_reason(intake, ask, answer_question):
    _r, number, code = ask()
    answer_question(number, "2026-10-14", decline=("duplicate", "您已于9月29日提交相同咨询，答复见ZX-K7MX-2QPA。"))
    html = _lookup(intake, number, code, "2026-10-15T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "status") == "不予答复"
    assert text_of(html, "decline") == "理由：重复提问 您已于9月29日提交相同咨询，答复见ZX-K7MX-2QPA。"
    assert text_of(html, "deadline-answer-state") == "已于10月14日作出不予答复的决定，超期1个工作日"


def test_a_wrong_code_and_an_unknown_number_get_the_same_404(intake, ask):
    _r, number, _code = ask()
    wrong = _lookup(intake, number, "AAAAAAAA", FILED_AT)
    unknown = _lookup(intake, "ZX-AAAA-AAAA", "AAAAAAAA", FILED_AT)
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert text_of(wrong.get_data(as_text=True), "query_code-error") == \
        text_of(unknown.get_data(as_text=True), "query_code-error") == "咨询编号或查询码不正确，请核对后再试。"


def test_the_lookup_never_shows_the_askers_contact(intake, ask):
    _r, number, code = ask(contact_email="chen.jg@example.cn")
    html = _lookup(intake, number, code, FILED_AT).get_data(as_text=True)
    assert "陈建国" not in html and "13700002222" not in html and "chen.jg@example.cn" not in html


def test_the_lookup_link_of_the_receipt_prefills_the_number(intake, ask):
    _r, number, _code = ask()
    html = intake.test_client().get(f"/intake/question/lookup?no={number}").get_data(as_text=True)
    assert f'name="question_no" required type="text" value="{number}"' in html
