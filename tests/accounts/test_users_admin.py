"""Account management (账号管理): the administrator lists, creates, resets and disables accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import User

from .conftest import is_logged_in, post_login

NEW = "青川民政-新密码-2026"


def _row(html: str, username: str) -> str:
    start = html.index(f"<td>{username}</td>")
    return html[start:html.index("</tr>", start)]


def test_the_list_shows_role_department_state_and_last_login(app, demo, passwords):
    with clock.frozen("2026-11-23T08:45:00"):
        post_login(app.test_client(), "editor-zjj", passwords["editor-zjj"])
    with clock.frozen("2026-11-23T09:00:00"):
        admin = app.test_client()
        post_login(admin, "admin", passwords["admin"])
        html = admin.get("/admin/users").get_data(as_text=True)
    row = _row(html, "editor-zjj")
    assert "<td>住建局窗口编辑（吴强）</td>" in row
    assert "<td>部门编辑</td>" in row and "<td>启用</td>" in row
    assert "清川县住房和城乡建设局" in row
    assert "2026-11-23 08:45" in row
    assert "从未登录" in _row(html, "editor-gtzy")
    assert html.count("<td>启用</td>") == 7


def test_the_header_links_to_account_management_for_the_administrator_only(browser):
    assert '<a href="/admin/users">账号管理</a>' in browser("admin").get("/admin/").get_data(as_text=True)
    assert '<a href="/admin/users">账号管理</a>' not in browser("supervisor").get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("username", ["editor-zjj", "reviewer-zjj", "supervisor"])
@pytest.mark.parametrize(("method", "url"), [("get", "/admin/users"), ("get", "/admin/users/new"),
                                             ("post", "/admin/users/new"), ("get", "/admin/users/1/password"),
                                             ("post", "/admin/users/1/password"), ("post", "/admin/users/1/active")])
def test_only_the_administrator_manages_accounts(browser, account, username, method, url):
    admin_id = account("admin").id
    url = url.replace("/1/", f"/{admin_id}/")
    response = getattr(browser(username), method)(url, data={"active": "0", "new_password": NEW,
                                                            "new_password_again": NEW})
    assert response.status_code == 403
    assert account("admin").active


def test_an_unknown_account_answers_404(browser):
    assert browser("admin").get("/admin/users/999999/password").status_code == 404


def test_the_administrator_creates_an_editor(app, browser, audit_log, account):
    admin = browser("admin")
    response = admin.post("/admin/users/new", data={
        "username": "editor-ga", "display_name": "公安局窗口编辑（陈静）", "role": "editor", "department": "ga",
        "new_password": "清川公安-初始-2026", "new_password_again": "清川公安-初始-2026"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "editor-ga")).one()
        assert (user.display_name, user.role, user.department.code, user.active) == (
            "公安局窗口编辑（陈静）", "editor", "ga", True)
    [entry] = audit_log("user_created")
    assert (entry.username, entry.target_id, entry.detail) == (
        "admin", account("editor-ga").id, {"role": "editor", "department": "ga"})
    assert post_login(app.test_client(), "editor-ga", "清川公安-初始-2026").status_code == 302


@pytest.mark.parametrize(("fields", "message"), [
    ({"username": "editor-zjj"}, "账号 editor-zjj 已存在，请换一个用户名。"),
    ({"department": ""}, "部门编辑和审核员必须指定所属部门。"),
    ({"username": "陈静"}, "用户名只能用英文字母、数字和 . _ -，并以字母或数字开头。"),
    ({"new_password": "short-pw1", "new_password_again": "short-pw1"}, "密码至少10位，请设置更长的密码。"),
])
def test_a_refused_account_is_not_created(app, browser, audit_log, fields, message):
    data = {"username": "editor-ga", "display_name": "陈静", "role": "editor", "department": "ga",
            "new_password": "清川公安-初始-2026", "new_password_again": "清川公安-初始-2026", **fields}
    response = browser("admin").post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 7
    assert audit_log("user_created") == []


def test_the_administrator_resets_a_forgotten_password(app, browser, account, audit_log, passwords):
    response = browser("admin").post(f"/admin/users/{account('editor-mz').id}/password",
                                     data={"new_password": NEW, "new_password_again": NEW})
    assert response.status_code == 302
    assert post_login(app.test_client(), "editor-mz", NEW).status_code == 302
    assert post_login(app.test_client(), "editor-mz", passwords["editor-mz"]).status_code == 200
    [entry] = audit_log("password_reset")
    assert (entry.username, entry.target_id) == ("admin", account("editor-mz").id)


def test_a_reset_to_a_common_password_is_refused(browser, account, audit_log):
    before = account("editor-mz").password_hash
    response = browser("admin").post(f"/admin/users/{account('editor-mz').id}/password",
                                     data={"new_password": "1234567890", "new_password_again": "1234567890"})
    assert response.status_code == 400
    assert "这个密码太常见，很容易被猜中，请另设一个。" in response.get_data(as_text=True)
    assert account("editor-mz").password_hash == before
    assert audit_log("password_reset") == []


def test_disable_then_enable_an_account(app, browser, account, audit_log, passwords):
    admin = browser("admin")
    user_id = account("editor-mz").id
    admin.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    assert not account("editor-mz").active
    assert post_login(app.test_client(), "editor-mz", passwords["editor-mz"]).status_code == 200
    admin.post(f"/admin/users/{user_id}/active", data={"active": "1"})
    assert account("editor-mz").active
    assert is_logged_in(browser("editor-mz"))
    assert [(e.action, e.target_id, e.detail) for e in audit_log() if e.action.startswith("user_")] == [
        ("user_disabled", user_id, {"sessions_ended": 0}), ("user_changed", user_id, {"active": True})]


def test_the_administrator_cannot_disable_their_own_account(browser, account):
    admin = browser("admin")
    response = admin.post(f"/admin/users/{account('admin').id}/active", data={"active": "0"},
                          follow_redirects=True)
    assert "不能停用自己正在使用的账号。" in response.get_data(as_text=True)
    assert account("admin").active and is_logged_in(admin)
