"""网上咨询 in the back office: the department's list with deadline lights, one question, 答复 (published
only with the asker's consent and the department's choice), 不予答复, the preview and the notice."""

from __future__ import annotations

import datetime as dt
import re

from sunshine.site import clock

ANSWER = "变更经营场所需提交变更登记申请书、新场所使用证明和营业执照正副本，可在网上办理。"


def cn(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment).replace(tzinfo=clock.CN_TZ)


def answer(client, question_id: int, data: dict, at: str = "2026-11-25T10:00:00"):
    with clock.frozen(at):
        return client.post(f"/admin/questions/{question_id}/answer", data=data)


def page(client, question_id: int, at: str = "2026-11-25T10:00:00") -> str:
    with clock.frozen(at):
        response = client.get(f"/admin/questions/{question_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text_of(html: str, element_id: str) -> str:
    before, after = html.split(f'id="{element_id}"', 1)
    tag = re.search(r"<(\w+)[^<]*$", before).group(1)
    inner = after.split(">", 1)[1].split(f"</{tag}>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner)).strip()


def test_the_nav_has_online_questions(login_as):
    assert '<a href="/admin/questions">网上咨询</a>' in login_as("editor-scjg").get("/admin/").get_data(as_text=True)


def test_a_clerk_lists_only_their_own_departments_questions(login_as, new_question):
    new_question("scjg")
    new_question("zjj", subject="商品房预售资金监管怎么查询")
    html = login_as("editor-scjg").get("/admin/questions").get_data(as_text=True)
    assert "个体工商户变更经营场所要带哪些材料" in html and "商品房预售资金监管怎么查询" not in html


def test_the_supervisor_lists_every_department(login_as, new_question):
    new_question("scjg")
    new_question("zjj", subject="商品房预售资金监管怎么查询")
    html = login_as("supervisor").get("/admin/questions").get_data(as_text=True)
    assert "个体工商户变更经营场所要带哪些材料" in html and "商品房预售资金监管怎么查询" in html


def test_the_list_filters_answered_questions(login_as, new_question):
    answered = new_question("scjg", subject="食品经营许可延续提前多久申请")
    new_question("scjg")
    client = login_as("editor-scjg")
    answer(client, answered, {"answer-answer": "有效期届满30个工作日前提出。"})
    html = client.get("/admin/questions?status=answered").get_data(as_text=True)
    assert "食品经营许可延续提前多久申请" in html and "个体工商户变更经营场所要带哪些材料" not in html


def test_the_list_marks_overdue_and_due_soon_questions(login_as, new_question):
    overdue = new_question("scjg", subject="早已到期的咨询")  # due 11-30
    due_soon = new_question("scjg", subject="明天到期的咨询", received_at=cn("2026-11-25T09:00:00"))  # 12-02
    with clock.frozen("2026-12-01T09:00:00"):
        html = login_as("editor-scjg").get("/admin/questions").get_data(as_text=True)
    assert "badge-red" in html.split(f'id="question-{overdue}"')[1].split("</tr>")[0]
    assert "badge-yellow" in html.split(f'id="question-{due_soon}"')[1].split("</tr>")[0]


def test_the_detail_shows_the_question_the_deadline_and_the_consent(login_as, new_question):
    html = page(login_as("editor-scjg"), new_question("scjg"), at="2026-11-30T09:00:00")
    assert text_of(html, "content").startswith("我叫周建华")
    assert text_of(html, "deadline") == "2026-11-30 即将到期 （今天到期）"
    assert text_of(html, "consent") == "提问人同意匿名公开问答"
    assert text_of(html, "item") == "不涉及具体事项"


def test_the_department_sees_the_askers_contact(login_as, new_question):
    html = page(login_as("editor-scjg"), new_question("scjg", contact_email="zhoujh@example.cn"))
    assert "周建华" in text_of(html, "contact") and "13912345678" in html and "zhoujh@example.cn" in html


def test_answering_publishes_by_default_with_consent(login_as, new_question, load_question, user_id):
    question_id = new_question("scjg")
    response = answer(login_as("editor-scjg"), question_id, {"answer-answer": ANSWER, "answer-public": "y"})
    assert response.status_code == 302
    stored = load_question(question_id)
    assert (stored.status, stored.answer, stored.public, stored.answered_by) == (
        "answered", ANSWER, True, user_id("editor-scjg"))


def test_the_publish_box_is_ticked_by_default(login_as, new_question):
    html = page(login_as("editor-scjg"), new_question("scjg"))
    assert re.search(r'<input checked id="answer-public" name="answer-public" type="checkbox"', html)


def test_unticking_publish_keeps_the_answer_private(login_as, new_question, load_question):
    question_id = new_question("scjg")
    answer(login_as("editor-scjg"), question_id, {"answer-answer": ANSWER})
    stored = load_question(question_id)
    assert (stored.status, stored.public) == ("answered", False)


def test_without_consent_the_publish_box_is_not_offered(login_as, new_question):
    html = page(login_as("editor-scjg"), new_question("scjg", publish_consent=False))
    assert 'name="answer-public"' not in html
    assert "提问人不同意公开，答复只有提问人能看到。" in html


def test_without_consent_a_posted_publish_box_is_ignored(login_as, new_question, load_question):
    question_id = new_question("scjg", publish_consent=False)
    answer(login_as("editor-scjg"), question_id, {"answer-answer": ANSWER, "answer-public": "y"})
    assert load_question(question_id).public is False


def test_an_empty_answer_is_refused(login_as, new_question, load_question):
    question_id = new_question("scjg")
    response = answer(login_as("editor-scjg"), question_id, {"answer-answer": "  ", "answer-public": "y"})
    assert response.status_code == 400
    assert "请填写答复内容。" in response.get_data(as_text=True)
    assert load_question(question_id).status == "received"


def test_an_answered_question_cannot_be_answered_again(login_as, new_question, load_question):
    question_id = new_question("scjg")
    client = login_as("editor-scjg")
    answer(client, question_id, {"answer-answer": ANSWER})
    response = answer(client, question_id, {"answer-answer": "第二次答复"})
    assert response.status_code == 400
    assert "该咨询当前为“已答复”，不能答复。" in response.get_data(as_text=True)
    assert load_question(question_id).answer == ANSWER


def test_decline_stores_the_reason_and_the_note(login_as, new_question, load_question):
    question_id = new_question("scjg")
    with clock.frozen("2026-11-25T10:00:00"):
        login_as("editor-scjg").post(f"/admin/questions/{question_id}/decline", data={
            "decline-reason": "out_of_scope", "decline-note": "食品安全事故请拨打12315。"})
    stored = load_question(question_id)
    assert (stored.status, stored.decline_reason, stored.decline_note, stored.public) == (
        "declined", "out_of_scope", "食品安全事故请拨打12315。", False)


def test_decline_without_a_reason_is_refused_keeping_the_note(login_as, new_question, load_question):
    question_id = new_question("scjg")
    response = login_as("editor-scjg").post(f"/admin/questions/{question_id}/decline",
                                            data={"decline-reason": "", "decline-note": "请向县卫健局咨询。"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请选择不予答复的理由。" in html and "请向县卫健局咨询。" in html
    assert load_question(question_id).status == "received"


def test_the_preview_masks_the_askers_name_and_phone(login_as, new_question):
    html = page(login_as("editor-scjg"), new_question("scjg"))
    assert text_of(html, "preview-question") == (
        "我叫某某，电话（电话号码已隐去），准备把小吃店从东街搬到西街，请问变更登记要准备什么？")


def test_the_preview_shows_the_published_answer_masked(login_as, new_question):
    question_id = new_question("scjg")
    client = login_as("editor-scjg")
    answer(client, question_id, {"answer-answer": "周建华您好，请携带营业执照到13号窗口办理。", "answer-public": "y"})
    assert text_of(page(client, question_id), "preview-answer") == "某某您好，请携带营业执照到13号窗口办理。"


def test_a_question_kept_private_has_no_preview(login_as, new_question):
    question_id = new_question("scjg")
    client = login_as("editor-scjg")
    answer(client, question_id, {"answer-answer": ANSWER})
    html = page(client, question_id)
    assert 'id="preview"' not in html and text_of(html, "public") == "部门决定不公开"


def test_without_consent_there_is_no_preview(login_as, new_question):
    assert 'id="preview"' not in page(login_as("editor-scjg"), new_question("scjg", publish_consent=False))


def test_the_asker_is_told_of_the_answer(login_as, new_question, load_question, sent_sms):
    question_id = new_question("scjg", notify_by="sms")
    answer(login_as("editor-scjg"), question_id, {"answer-answer": ANSWER})
    number = load_question(question_id).tracking_no
    assert sent_sms == [("13912345678", f"【阳光政务】咨询{number}已答复：您的咨询{number}已由清川县市场监督管理局答复。"
                                        "凭咨询编号和查询码在 https://ts.qingchuan.gov.cn/intake/question/lookup 查看。")]


def test_the_asker_is_told_of_a_decline_with_its_reason(login_as, new_question, load_question, sent_sms):
    question_id = new_question("scjg", notify_by="sms")
    with clock.frozen("2026-11-25T10:00:00"):
        login_as("editor-scjg").post(f"/admin/questions/{question_id}/decline", data={
            "decline-reason": "duplicate", "decline-note": "与ZX-7KQM-3PWA相同。"})
    number = load_question(question_id).tracking_no
    assert f"您的咨询{number}不予答复（重复提问），说明请查询。" in sent_sms[-1][1]
    assert "ZX-7KQM-3PWA" not in sent_sms[-1][1]


def test_the_dashboard_counts_questions_awaiting_an_answer(login_as, without_demo_questions, new_question):
    new_question("scjg", subject="已超期")                                                       # due 11-30
    new_question("scjg", subject="即将到期", received_at=cn("2026-11-25T09:00:00"))     # due 12-02
    new_question("scjg", subject="还早", received_at=cn("2026-11-30T09:00:00"))         # due 12-07
    new_question("zjj", subject="别的部门")
    with clock.frozen("2026-12-01T09:00:00"):
        html = login_as("editor-scjg").get("/admin/").get_data(as_text=True)
    assert text_of(html, "question-counts") == (
        "待答复 3 条，其中 已超期 1 条， 即将到期 1 条。 到“网上咨询”答复")
    flagged = html.split('id="flagged-questions"')[1].split("</table>")[0]
    assert "已超期" in flagged and "即将到期" in flagged and "还早" not in flagged and "别的部门" not in flagged


def test_every_demo_question_page_renders_for_the_administrator(app, login_as):
    from sqlalchemy import select

    from sunshine.site.db import db
    from sunshine.site.models import Question

    client = login_as("admin")
    with app.app_context():
        ids = list(db.session.scalars(select(Question.id)))
    assert ids
    assert {client.get(f"/admin/questions/{i}").status_code for i in ids} == {200}


def test_a_nul_byte_in_an_answer_is_refused(login_as, new_question, load_question):
    question_id = new_question("scjg")
    response = answer(login_as("editor-scjg"), question_id, {"answer-answer": "请到13号\x00窗口办理。"})
    assert response.status_code == 400
    assert "含有不可见的控制字符" in response.get_data(as_text=True)
    assert load_question(question_id).status == "received"
