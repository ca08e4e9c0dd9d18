"""With CSRF protection on (as deployed), rating forms and work-order forms need the page's token."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Rectification

from ..conftest import csrf_token
from .conftest import RATED_AT


@pytest.fixture
def order_id(csrf_demo) -> int:
    """A bad rating of ZJJ-XK-001 filed through the public form, token and all; its work order's id."""
    csrf_app = csrf_demo
    citizen = csrf_app.test_client()
    token = csrf_token(citizen.get("/intake/rate?item=ZJJ-XK-001").get_data(as_text=True))
    with clock.frozen(RATED_AT):
        response = citizen.post("/intake/rate?item=ZJJ-XK-001", data={
            "csrf_token": token, "level": "1", "comment": "等了一上午没人叫号", "contact_phone": "13912345678"})
    assert response.status_code == 201
    with csrf_app.app_context():
        return db.session.scalars(select(Rectification.id)).one()


@pytest.fixture
def editor(csrf_app, order_id):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data={"username": "editor-zjj", "password": "editor-demo-2026",
                                                 "csrf_token": token})
    assert response.status_code == 302
    return client


def _status(app, order_id: int) -> str:
    with app.app_context():
        return db.session.get(Rectification, order_id).status


def test_stage_without_token_is_refused_and_nothing_changes(csrf_app, order_id, editor):
    response = editor.post(f"/admin/rectifications/{order_id}/stage/contact", data={"contact-text": "电话回访"})
    assert response.status_code == 400
    assert _status(csrf_app, order_id) == "open"


def test_stage_with_the_page_token_is_recorded(csrf_app, order_id, editor):
    token = csrf_token(editor.get(f"/admin/rectifications/{order_id}").get_data(as_text=True))
    response = editor.post(f"/admin/rectifications/{order_id}/stage/contact",
                           data={"contact-csrf_token": token, "contact-text": "电话回访"})
    assert response.status_code == 302
    assert _status(csrf_app, order_id) == "contacted"
