"""With CSRF protection on (as deployed), a POST needs the token of a page we served."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import ServiceItem
from tests.conftest import csrf_token

from .htmlforms import form_fields


@pytest.fixture
def editor(csrf_demo):
    """A client logged in as editor-zjj through the real login form (token and all)."""
    csrf_app = csrf_demo
    with csrf_app.app_context():
        item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == "ZJJ-XK-001")).one()
    client = csrf_app.test_client()
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data={"username": "editor-zjj", "password": "editor-demo-2026",
                                                 "csrf_token": token})
    assert response.status_code == 302
    client.item_url = f"/admin/items/{item_id}/edit"
    return client


def _promised_note(app) -> str:
    with app.app_context():
        return db.session.scalars(
            select(ServiceItem.promised_note).where(ServiceItem.code == "ZJJ-XK-001")).one()


def test_login_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/admin/login", data={"username": "admin", "password": "admin-demo-2026"})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_save_without_token_is_refused_and_nothing_saved(csrf_app, editor):
    html = editor.get(editor.item_url).get_data(as_text=True)
    data = form_fields(html, action=editor.item_url)
    del data["csrf_token"]
    data.update({"promised_note": "没有令牌的修改", "action": "draft"})
    response = editor.post(editor.item_url, data=data)
    assert response.status_code == 400
    assert _promised_note(csrf_app) != "没有令牌的修改"


def test_save_with_the_page_token_works(csrf_app, editor):
    html = editor.get(editor.item_url).get_data(as_text=True)
    data = form_fields(html, action=editor.item_url)
    assert data["csrf_token"] == csrf_token(html)
    data.update({"promised_note": "带令牌的修改：规费缴清后2个工作日内发证", "action": "draft"})
    response = editor.post(editor.item_url, data=data)
    assert response.status_code == 302
    assert _promised_note(csrf_app) == "带令牌的修改：规费缴清后2个工作日内发证"


def test_every_admin_form_carries_a_token(csrf_app, editor):
    for url in ("/admin/", editor.item_url, "/admin/items/new", "/admin/notices/new"):
        html = editor.get(url).get_data(as_text=True)
        assert html.count("<form") == html.count('name="csrf_token"') + html.count('role="search"'), url
