"""Logging in and out; every other admin page needs an active account."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from sunshine.site.db import db
from sunshine.site.models import User
from tests.conftest import login


def test_login_with_right_password_opens_the_dashboard(client, demo):
    response = login(client, "editor-zjj", "editor-demo-2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "工作台" in html
    assert "住建局窗口编辑（吴强）" in html
    assert "部门编辑" in html


def test_login_with_wrong_password_shows_the_form_again(client, demo):
    response = login(client, "editor-zjj", "wrong-password-123")
    html = response.get_data(as_text=True)
    assert "用户名或密码不正确" in html
    assert 'name="password"' in html
    assert client.get("/admin/").status_code == 302


def test_login_with_unknown_user_gives_the_same_message(client, demo):
    response = login(client, "nobody-here", "editor-demo-2026")
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_inactive_account_cannot_log_in(app, client, demo):
    with app.app_context():
        db.session.execute(update(User).where(User.username == "editor-mz").values(active=False))
        db.session.commit()
    response = login(client, "editor-mz", "editor-demo-2026")
    assert "已停用" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_account_deactivated_while_logged_in_is_sent_to_login(app, login_as):
    client = login_as("editor-mz")
    with app.app_context():
        db.session.execute(update(User).where(User.username == "editor-mz").values(active=False))
        db.session.commit()
    response = client.get("/admin/items")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/items", "/admin/items/new", "/admin/complaints",
                                 "/admin/search?q=许可", "/admin/departments", "/admin/notices",
                                 "/admin/channels"])
def test_anonymous_visitor_is_redirected_to_login(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")


def test_anonymous_post_changes_nothing(client, demo):
    response = client.post("/admin/site/rebuild")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_login_follows_next_to_a_local_page(client, demo):
    response = client.post("/admin/login?next=/admin/complaints",
                           data={"username": "supervisor", "password": "supervisor-demo-2026"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/complaints"


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com"])
def test_login_never_follows_next_to_another_site(client, demo, target):
    response = client.post("/admin/login", query_string={"next": target},
                           data={"username": "supervisor", "password": "supervisor-demo-2026"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_logout_ends_the_session(login_as):
    client = login_as("admin")
    response = client.post("/admin/logout", follow_redirects=True)
    assert "您已安全退出" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
