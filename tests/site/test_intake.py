"""Citizens' complaint form and lookup (public intake)."""

import re

from sunshine.site.db import db
from sunshine.site.models import Complaint

from ..conftest import csrf_token

VALID = {
    "department": "zjj",
    "item": "ZJJ-XK-001",
    "category": "办理超时",
    "subject": "施工许可超过承诺时限未办结",
    "content": "十月二十日提交的施工许可申请，承诺五个工作日，至今已过十个工作日仍未办结。",
    "contact_name": "王秀兰",
    "contact_phone": "13981234567",
}


def _receipt(html: str) -> tuple[str, str]:
    number = re.search(r'id="tracking-no">([^<]+)<', html).group(1)
    code = re.search(r'id="query-code">([^<]+)<', html).group(1)
    return number, code


def test_item_link_preselects_item_and_department(published):
    html = published.test_client().get("/intake/complaint?item=ZJJ-XK-001").get_data(as_text=True)
    assert '<option selected value="ZJJ-XK-001">' in html
    assert '<option selected value="zjj">' in html


def test_filing_gives_tracking_number_and_query_code(published):
    response = published.test_client().post("/intake/complaint", data=VALID)
    assert response.status_code == 201
    number, code = _receipt(response.get_data(as_text=True))
    assert re.fullmatch(r"TS-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", number)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)


def test_filed_complaint_is_stored_with_a_working_day_deadline(published):
    published.test_client().post("/intake/complaint", data=VALID)
    with published.app_context():
        complaint = db.session.scalars(db.select(Complaint)).one()
        assert complaint.department.code == "zjj" and complaint.item.code == "ZJJ-XK-001"
        assert complaint.contact_phone == "13981234567"
        assert complaint.query_code_hash and "13981234567" not in complaint.query_code_hash
        assert complaint.deadline > complaint.received_at.date()


def test_query_code_is_stored_only_as_a_hash(published):
    response = published.test_client().post("/intake/complaint", data=VALID)
    _, code = _receipt(response.get_data(as_text=True))
    with published.app_context():
        complaint = db.session.scalars(db.select(Complaint)).one()
        assert code not in complaint.query_code_hash


def test_lookup_with_number_and_code_shows_progress(published):
    client = published.test_client()
    number, code = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    response = client.post("/intake/lookup", data={"tracking_no": number, "query_code": code.lower()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "施工许可超过承诺时限未办结" in html and "已收到" in html


def test_lookup_never_shows_contact_details(published):
    client = published.test_client()
    number, code = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    html = client.post("/intake/lookup", data={"tracking_no": number, "query_code": code}).get_data(as_text=True)
    assert "王秀兰" not in html and "13981234567" not in html


def test_lookup_with_wrong_code_is_refused(published):
    client = published.test_client()
    number, _ = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    response = client.post("/intake/lookup", data={"tracking_no": number, "query_code": "AAAAAAAA"})
    assert response.status_code == 404
    assert "投诉编号或查询码不正确" in response.get_data(as_text=True)


def test_lookup_of_unknown_number_gives_the_same_answer(published):
    response = published.test_client().post(
        "/intake/lookup", data={"tracking_no": "TS20261123-9999", "query_code": "AAAAAAAA"})
    assert response.status_code == 404
    assert "投诉编号或查询码不正确" in response.get_data(as_text=True)


def test_invalid_complaint_keeps_what_was_typed(published):
    data = {**VALID, "content": "太慢了", "contact_phone": "12345"}
    response = published.test_client().post("/intake/complaint", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "投诉内容请写10至3000个字" in html
    assert "请填写正确的手机号" in html
    assert "施工许可超过承诺时限未办结" in html and "太慢了" in html and "王秀兰" in html
    with published.app_context():
        assert db.session.scalars(db.select(Complaint)).all() == []


def test_item_of_another_department_is_refused(published):
    from sunshine.site.models import Department
    from sunshine.site.workflow import publish

    from .conftest import make_department

    with published.app_context():
        other = make_department(code="scjg", name="清川县市场监督管理局")
        db.session.add(other)
        publish(other)
        db.session.commit()
        assert db.session.scalars(db.select(Department)).all()
    response = published.test_client().post("/intake/complaint", data={**VALID, "department": "scjg"})
    assert response.status_code == 400
    assert "所选事项不属于所选部门" in response.get_data(as_text=True)


def test_unpublished_department_cannot_be_chosen(published):
    response = published.test_client().post("/intake/complaint", data={**VALID, "department": "nosuch"})
    assert response.status_code == 400


def test_complaint_form_without_csrf_token_is_refused(csrf_app, published):
    response = csrf_app.test_client().post("/intake/complaint", data=VALID)
    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.scalars(db.select(Complaint)).all() == []


def test_complaint_form_with_csrf_token_is_accepted(csrf_app, published):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/intake/complaint").get_data(as_text=True))
    response = client.post("/intake/complaint", data={**VALID, "csrf_token": token})
    assert response.status_code == 201


def test_lookup_hides_internal_handling_notes(published):
    import datetime as dt

    from sunshine.site.models import ComplaintEvent

    client = published.test_client()
    number, code = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    with published.app_context():
        complaint = db.session.scalars(db.select(Complaint)).one()
        complaint.events.append(ComplaintEvent(at=dt.datetime.now(dt.UTC), action="交办",
                                               note="请审批股周建国核实后两日内回复"))
        complaint.status = "assigned"
        db.session.commit()
    html = client.post("/intake/lookup", data={"tracking_no": number, "query_code": code}).get_data(as_text=True)
    assert "交办" in html and "已交办" in html
    assert "周建国" not in html
