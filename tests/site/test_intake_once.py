"""A refreshed or double-clicked complaint form files one complaint and shows the same receipt;
a robot that fills the hidden honeypot field files nothing."""

import re

from sqlalchemy import func, select

from sunshine.site.db import db
from sunshine.site.models import Complaint

from .test_intake import VALID, _receipt


def _key(html: str) -> str:
    return re.search(r'name="submission" type="hidden" value="([^"]+)"', html).group(1)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Complaint))


def test_each_rendering_of_the_form_has_its_own_key(published):
    client = published.test_client()
    first = _key(client.get("/intake/complaint").get_data(as_text=True))
    second = _key(client.get("/intake/complaint").get_data(as_text=True))
    assert first != second and len(first) >= 16


def test_the_same_form_posted_twice_files_once_and_shows_the_same_receipt(published):
    client = published.test_client()
    key = _key(client.get("/intake/complaint").get_data(as_text=True))
    first = client.post("/intake/complaint", data={**VALID, "submission": key})
    again = client.post("/intake/complaint", data={**VALID, "submission": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert _receipt(first.get_data(as_text=True)) == _receipt(again.get_data(as_text=True))
    assert _count(published) == 1


def test_the_repeated_receipts_code_opens_the_lookup(published):
    client = published.test_client()
    key = _key(client.get("/intake/complaint").get_data(as_text=True))
    client.post("/intake/complaint", data={**VALID, "submission": key})
    number, code = _receipt(client.post("/intake/complaint", data={**VALID, "submission": key}).get_data(as_text=True))
    assert client.post("/intake/lookup", data={"tracking_no": number, "query_code": code}).status_code == 200


def test_two_renderings_file_two_complaints(published):
    client = published.test_client()
    for _ in range(2):
        key = _key(client.get("/intake/complaint").get_data(as_text=True))
        assert client.post("/intake/complaint", data={**VALID, "submission": key}).status_code == 201
    assert _count(published) == 2


def test_a_filled_honeypot_files_nothing(published):
    response = published.test_client().post("/intake/complaint", data={**VALID, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "提交未成功，请刷新页面后重新填写。" in response.get_data(as_text=True)
    assert _count(published) == 0


def test_the_honeypot_is_hidden_from_people(published):
    html = published.test_client().get("/intake/complaint").get_data(as_text=True)
    assert re.search(r'<div class="hp" aria-hidden="true">.*tabindex="-1"', html)


def test_a_malformed_key_is_refused_in_chinese(published):
    response = published.test_client().post("/intake/complaint", data={**VALID, "submission": "<script>"})
    assert response.status_code == 400
    assert "页面已失效，请刷新后重新提交。" in response.get_data(as_text=True)
    assert _count(published) == 0
