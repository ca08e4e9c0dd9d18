"""Error pages of the intake keep what was typed; HEAD answers like GET; typed phones and text are normalised."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint, Rating

from ..conftest import csrf_token
from .conftest import (
    CASE_NO,
    COMPLAINT,
    ENDPOINTS,
    RATING,
    SENT_AT,
    add_closed_complaint,
    add_decided_case,
)

GET_PAGES = ["/intake/complaint", "/intake/complaint?item=ZJJ-XK-001", "/intake/lookup",
             "/intake/lookup?no=TS20260930-0001", "/intake/case", f"/intake/case?no={CASE_NO}",
             "/intake/rate?item=ZJJ-XK-001", "/intake/rate?department=zjj", "/intake/case/rate",
             "/intake/question", "/intake/question?item=ZJJ-XK-001", "/intake/question?department=zjj",
             "/intake/question/lookup", "/intake/question/lookup?no=ZX-AAAA-AAAA"]


def _stored(app, model, **where):
    with app.app_context():
        stmt = select(model).order_by(model.id.desc())
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        found = db.session.scalars(stmt).first()
        return {"phone": found.contact_phone, **({"content": found.content} if model is Complaint else {})}


@pytest.mark.parametrize("path", GET_PAGES)
def test_head_answers_like_get(intake, path):
    client = intake.test_client()
    got, head = client.get(path), client.head(path)
    assert (head.status_code, got.status_code) == (200, 200)
    assert head.get_data() == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]


def test_head_of_the_form_answers_200_with_csrf_on(csrf_demo):
    assert csrf_demo.test_client().head("/intake/complaint").status_code == 200


def test_a_complaint_sent_after_the_session_expired_is_shown_again_and_can_be_resent(csrf_demo):
    old_page = csrf_demo.test_client()
    token = csrf_token(old_page.get("/intake/complaint").get_data(as_text=True))
    browser = csrf_demo.test_client()  # the session cookie is gone (expired, or cookies cleared)
    with clock.frozen(SENT_AT):
        refused = browser.post("/intake/complaint", data={**COMPLAINT, "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "页面已过期，您填写的内容尚未提交" in html
    assert COMPLAINT["subject"] in html and COMPLAINT["content"] in html and "王秀兰" in html
    assert '<option selected value="ZJJ-XK-001">' in html and '<option selected value="办理超时">' in html
    fresh = csrf_token(html)
    assert fresh != token
    with clock.frozen(SENT_AT):
        resent = browser.post("/intake/complaint", data={**COMPLAINT, "csrf_token": fresh})
    assert resent.status_code == 201
    with csrf_demo.app_context():
        assert db.session.scalars(select(Complaint.subject).where(
            Complaint.subject == COMPLAINT["subject"])).all() == [COMPLAINT["subject"]]


def test_a_complaint_without_its_token_stores_nothing_and_keeps_what_was_typed(csrf_demo, row_counts):
    before = row_counts(csrf_demo)
    response = csrf_demo.test_client().post("/intake/complaint", data=COMPLAINT)
    assert response.status_code == 400
    assert COMPLAINT["content"] in response.get_data(as_text=True)
    assert row_counts(csrf_demo) == before


def test_a_rating_sent_after_the_session_expired_keeps_its_comment(csrf_demo):
    add_decided_case(csrf_demo)
    response = csrf_demo.test_client().post("/intake/rate?item=ZJJ-XK-001", data={**RATING, "csrf_token": "stale"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期" in html and RATING["comment"] in html
    assert '<input checked id="level-3" name="level" required type="radio" value="2">' in html
    assert csrf_token(html)


@pytest.mark.parametrize("name", ["lookup", "case", "case_rate", "question", "question_lookup", "complaint_reopen",
                                  "complaint_confirm"])
def test_every_form_is_shown_again_after_a_csrf_failure(csrf_demo, name):
    add_closed_complaint(csrf_demo)
    path, valid, text_fields, _ = ENDPOINTS[name]
    with clock.frozen(SENT_AT):  # the closed complaint may still be reopened and confirmed
        response = csrf_demo.test_client().post(path, data=valid)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期" in html
    assert all(valid[field] in html for field in text_fields)


def test_a_nul_byte_in_the_content_is_removed_and_the_rest_shown_again(intake, row_counts):
    before = row_counts(intake)
    data = {**COMPLAINT, "content": "九月十五日提交\x00的施工许可申请，至今未办结。"}
    response = intake.test_client().post("/intake/complaint", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "提交的内容含有无法保存的空字符，尚未提交" in html
    assert "九月十五日提交的施工许可申请，至今未办结。" in html and COMPLAINT["subject"] in html
    assert row_counts(intake) == before


def test_a_field_with_an_rlo_is_shown_without_it_next_to_its_message(intake):
    data = {**COMPLAINT, "subject": "窗口收费\u202e元002\u202c不开发票"}
    html = intake.test_client().post("/intake/complaint", data=data).get_data(as_text=True)
    assert 'value="窗口收费元002不开发票"' in html
    assert re.search(r'id="subject-error" role="alert">投诉标题含有改变文字显示方向的控制符', html)


def test_a_gbk_body_asks_to_type_again_and_links_back_to_the_form(intake):
    body = "subject=%CA%A9%B9%A4&content=%B3%AC%CA%B1".encode("ascii")
    response = intake.test_client().post("/intake/rate?item=ZJJ-XK-001", data=body,
                                         content_type="application/x-www-form-urlencoded")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "为避免保存成乱码，内容未保存。请返回表单重新输入后提交。" in html
    assert 'href="/intake/rate?item=ZJJ-XK-001">返回表单重新填写' in html


def test_an_oversize_body_gets_the_chinese_limit(intake):
    response = intake.test_client().post("/intake/complaint", data={**COMPLAINT, "content": "字" * 300_000})
    assert response.status_code == 413
    assert "提交的内容超过 2 MB，未保存。" in response.get_data(as_text=True)


def test_a_wrong_method_is_answered_in_chinese_with_the_allowed_methods(intake):
    response = intake.test_client().put("/intake/complaint", data=COMPLAINT)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "本页只能通过浏览器打开或通过网页表单提交。" in response.get_data(as_text=True)


def test_an_unknown_intake_address_is_answered_in_chinese(app_config):
    from sunshine.site import create_app

    public_only = create_app({**app_config, "SUNSHINE_ROLES": ("public",)})  # as deployed on the internet
    response = public_only.test_client().get("/intake/complain")
    assert response.status_code == 404
    assert "您要找的页面不存在。" in response.get_data(as_text=True)


def test_addresses_outside_the_intake_keep_their_own_answers(intake):
    response = intake.test_client().put("/admin/login")
    assert response.status_code == 405
    assert "本页只能通过浏览器打开" not in response.get_data(as_text=True)


def test_a_nul_byte_in_a_rating_address_never_reaches_the_database(intake):
    response = intake.test_client().get("/intake/rate?item=ZJJ-XK-001%00")
    assert response.status_code == 400
    assert "提交的内容含有无法保存的空字符" in response.get_data(as_text=True)


def test_a_complaint_with_a_phone_in_international_form_is_stored_normalised(intake):
    data = {**COMPLAINT, "contact_phone": "+86 139 8123 4567",
            "content": "九月十五日在8号窗口\r\n申请施工许可，cafe\u0301旁的复印店说要加收费用。"}
    with clock.frozen(SENT_AT):
        assert intake.test_client().post("/intake/complaint", data=data).status_code == 201
    assert _stored(intake, Complaint) == {
        "phone": "13981234567", "content": "九月十五日在8号窗口\n申请施工许可，café旁的复印店说要加收费用。"}


def test_an_item_rating_with_a_bracketed_landline_is_stored_normalised(intake):
    with clock.frozen(SENT_AT):
        response = intake.test_client().post("/intake/rate?item=ZJJ-XK-001",
                                             data={**RATING, "contact_phone": "(0827)5231234"})
    assert response.status_code == 201
    assert _stored(intake, Rating, target_kind="item") == {"phone": "0827-5231234"}


def test_a_case_rating_with_a_dashed_mobile_is_stored_normalised(intake):
    with clock.frozen(SENT_AT):
        response = intake.test_client().post("/intake/case/rate", data={
            "case_no": CASE_NO, **ENDPOINTS["case_rate"][1], "contact_phone": "139-8123-4567"})
    assert response.status_code == 201
    assert _stored(intake, Rating, target_kind="case") == {"phone": "13981234567"}


def test_a_phone_that_is_no_number_keeps_what_was_typed(intake):
    response = intake.test_client().post("/intake/complaint", data={**COMPLAINT, "contact_phone": "139 8123"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="139 8123"' in html and "请填写正确的手机号（11位）或固定电话（如0827-5231234）。" in html
