"""After closing: the complainant reopens once within the window, or confirms with a satisfaction
rating (once; a bad one opens a rectification work order). Every post checks the number and code
again; every refusal says why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint, Rating, Rectification

from .conftest import text_of

#: Closed on Tuesday 2026-10-20: the complainant may reopen until Tuesday 2026-10-27.
AFTER_CLOSING = "2026-10-22T10:00:00+08:00"
REASON = "答复说已办结，但我至今没有收到施工许可证，窗口也联系不上。"
SATISFIED = {"solved": "yes", "level": "4", "comment": "处理及时，谢谢。"}


def _post(app, path: str, number: str, code: str, at: str, **data):
    with clock.frozen(at):
        return app.test_client().post(path, data={"tracking_no": number, "query_code": code, **data})


def _reopen(app, number, code, at=AFTER_CLOSING, reason=REASON):
    return _post(app, "/intake/lookup/reopen", number, code, at, reason=reason)


def _confirm(app, number, code, at=AFTER_CLOSING, **data):
    return _post(app, "/intake/lookup/confirm", number, code, at, **{**SATISFIED, **data})


def _closed(file, walk):
    _r, number, code = file()
    walk(number)
    return number, code


def test_the_closed_complaint_offers_reopening_until_the_last_day(intake, file, walk, lookup):
    number, code = _closed(file, walk)
    html = lookup(number, code, AFTER_CLOSING).get_data(as_text=True)
    assert text_of(html, "deadline-reopen") == "2026年10月27日前（5个工作日）"
    assert text_of(html, "deadline-reopen-state") == "可在10月27日前（含当日）申请重新办理"
    assert 'action="/intake/lookup/reopen"' in html and 'action="/intake/lookup/confirm"' in html


def test_reopening_within_the_window_reopens_with_a_new_answer_deadline(intake, file, walk, stored):
    number, code = _closed(file, walk)
    response = _reopen(intake, number, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text_of(html, "done") == "您的重新办理申请已提交，部门将重新办理并在新的期限内答复。"
    assert text_of(html, "status") == "重新办理中"
    assert text_of(html, "deadline-answer") == "2026年11月10日前（13个工作日）"
    assert text_of(html, "deadline-answer-how").startswith("自2026年10月22日申请重新办理起计13个工作日")
    assert f"申请重新办理（投诉人）{REASON}" in text_of(html, "history")
    assert stored(number, "status", "reopen_count", "due_on") == {
        "status": "reopened", "reopen_count": 1, "due_on": dt.date(2026, 11, 10)}


def test_reopening_on_the_last_day_is_still_allowed(intake, file, walk):
    number, code = _closed(file, walk)
    assert _reopen(intake, number, code, at="2026-10-27T17:00:00+08:00").status_code == 200


def test_reopening_after_the_window_is_refused(intake, file, walk, stored):
    number, code = _closed(file, walk)
    response = _reopen(intake, number, code, at="2026-10-28T09:00:00+08:00")
    assert response.status_code == 409
    assert text_of(response.get_data(as_text=True), "refused") == "已超过可申请重新办理的期限（2026年10月27日前），不能再申请。"
    assert stored(number, "status", "reopen_count") == {"status": "closed", "reopen_count": 0}


def test_a_second_reopening_is_refused(intake, file, walk, office, stored):
    number, code = _closed(file, walk)
    _reopen(intake, number, code)
    office(number, "reply", "2026-10-26", reply="已为您补发施工许可证。")
    office(number, "close", "2026-10-26", outcome="resolved")
    response = _reopen(intake, number, code, at="2026-10-27T09:00:00+08:00")
    assert response.status_code == 409
    assert text_of(response.get_data(as_text=True), "refused") == "每件投诉只能申请重新办理一次，您已申请过。"
    assert stored(number, "reopen_count", "status") == {"reopen_count": 1, "status": "closed"}


def test_reopening_needs_a_reason(intake, file, walk, stored):
    number, code = _closed(file, walk)
    response = _reopen(intake, number, code, reason="   ")
    assert response.status_code == 400
    assert "请写明申请重新办理的理由。" in response.get_data(as_text=True)
    assert stored(number, "status")["status"] == "closed"


def test_reopening_with_a_wrong_code_changes_nothing_and_says_not_found(intake, file, walk, stored):
    number, _code = _closed(file, walk)
    response = _reopen(intake, number, "AAAAAAAA")
    assert response.status_code == 404
    assert text_of(response.get_data(as_text=True), "query_code-error") == "投诉编号或查询码不正确，请核对后再试。"
    assert stored(number, "status")["status"] == "closed"


def test_reopening_an_open_complaint_is_refused(intake, file):
    _r, number, code = file()
    response = _reopen(intake, number, code, at="2026-10-09T09:00:00+08:00")
    assert response.status_code == 409
    assert text_of(response.get_data(as_text=True), "refused") == "该投诉当前为“已收到”，办结后才能申请重新办理。"


def test_confirming_records_the_answer_and_the_rating(intake, file, walk):
    number, code = _closed(file, walk)
    response = _confirm(intake, number, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text_of(html, "done") == "感谢您的评价。您已确认办结，本投诉办理完毕。"
    assert text_of(html, "confirmed") == "您已于2026-10-22 10:00确认办结，问题已解决，评价：满意。"
    assert 'action="/intake/lookup/reopen"' not in html and 'action="/intake/lookup/confirm"' not in html
    with intake.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.tracking_no == number)).one()
        rating = db.session.scalars(select(Rating).where(Rating.complaint_id == complaint.id)).one()
        assert (complaint.solved, complaint.confirmed_at is not None) == (True, True)
        assert (rating.target_kind, rating.level, rating.comment, rating.department.code, rating.item.code) == (
            "complaint", 4, "处理及时，谢谢。", "zjj", "ZJJ-XK-001")
        assert complaint.events[-1].action == "确认办结" and complaint.events[-1].actor == "citizen"


def test_confirming_twice_is_refused_and_rates_once(intake, file, walk):
    number, code = _closed(file, walk)
    _confirm(intake, number, code)
    again = _confirm(intake, number, code, level="1", solved="no")
    assert again.status_code == 409
    assert text_of(again.get_data(as_text=True), "refused") == "您已确认办结并提交了评价，不能重复提交。"
    with intake.app_context():
        levels = db.session.scalars(select(Rating.level).where(Rating.target_kind == "complaint")).all()
    assert levels == [4]


def test_after_confirming_reopening_is_refused(intake, file, walk):
    number, code = _closed(file, walk)
    _confirm(intake, number, code)
    response = _reopen(intake, number, code)
    assert response.status_code == 409
    assert text_of(response.get_data(as_text=True), "refused") == "您已确认办结，不能再申请重新办理。"


def test_a_bad_satisfaction_opens_a_rectification_work_order(intake, file, walk):
    number, code = _closed(file, walk)
    response = _confirm(intake, number, code, solved="no", level="1", comment="答复与事实不符。")
    assert response.status_code == 200
    with intake.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.tracking_no == number)).one()
        order = db.session.scalars(select(Rectification).join(Rating).where(Rating.complaint_id == complaint.id)).one()
        assert (order.department.code, order.status, order.opened_on.isoformat(), order.contact_due.isoformat()) == (
            "zjj", "open", "2026-10-22", "2026-10-23")
        assert order.rating.contact_phone == "13981234567"  # the complainant is called back
        assert complaint.solved is False


def test_a_good_satisfaction_opens_no_work_order(intake, file, walk):
    number, code = _closed(file, walk)
    with intake.app_context():
        before = len(db.session.scalars(select(Rectification.id)).all())
    _confirm(intake, number, code, level="3")
    with intake.app_context():
        assert len(db.session.scalars(select(Rectification.id)).all()) == before


def test_confirming_before_closing_is_refused(intake, file, office):
    _r, number, code = file()
    office(number, "accept", "2026-10-08")
    response = _confirm(intake, number, code, at="2026-10-09T09:00:00+08:00")
    assert response.status_code == 409
    assert text_of(response.get_data(as_text=True), "refused") == "该投诉当前为“已受理”，办结后才能确认和评价。"


def test_the_satisfaction_form_needs_both_answers(intake, file, walk, stored):
    number, code = _closed(file, walk)
    response = _confirm(intake, number, code, solved="", level="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请选择问题是否已经解决。" in html and "请选择满意程度（五个等级选一个）。" in html
    assert "处理及时，谢谢。" in html  # the comment is kept
    assert stored(number, "confirmed_at")["confirmed_at"] is None


def test_confirming_with_a_wrong_code_is_not_found(intake, file, walk, stored):
    number, _code = _closed(file, walk)
    assert _confirm(intake, number, "AAAAAAAA").status_code == 404
    assert stored(number, "confirmed_at")["confirmed_at"] is None


def test_opening_the_reopen_or_confirm_address_leads_to_the_lookup_form(intake):
    client = intake.test_client()
    for path in ("/intake/lookup/reopen", "/intake/lookup/confirm"):
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (302, "/intake/lookup")


def test_the_whole_round_works_with_csrf_protection_on(csrf_demo, walk_in):
    """As deployed: the form, the receipt, the lookup and the reopen form each carry their token."""
    from ..conftest import csrf_token
    from .conftest import COMPLAINT, receipt

    client = csrf_demo.test_client()
    with clock.frozen("2026-09-30T10:00:00+08:00"):
        token = csrf_token(client.get("/intake/complaint").get_data(as_text=True))
        number, code = receipt(client.post("/intake/complaint", data={**COMPLAINT, "csrf_token": token})
                               .get_data(as_text=True))
    walk_in(csrf_demo, number)
    with clock.frozen(AFTER_CLOSING):
        token = csrf_token(client.get("/intake/lookup").get_data(as_text=True))
        page = client.post("/intake/lookup", data={"tracking_no": number, "query_code": code, "csrf_token": token})
        forms = page.get_data(as_text=True)
        assert forms.count('name="csrf_token" type="hidden"') == 2
        reopened = client.post("/intake/lookup/reopen", data={"tracking_no": number, "query_code": code,
                                                               "reason": REASON, "csrf_token": csrf_token(forms)})
    assert reopened.status_code == 200
    assert text_of(reopened.get_data(as_text=True), "status") == "重新办理中"
