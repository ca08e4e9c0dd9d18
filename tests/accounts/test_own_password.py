"""Changing one's own password: the current one first, the rules in Chinese, audited."""

from __future__ import annotations

import pytest

from sunshine.site import clock

from .conftest import is_logged_in, post_login

NEW = "青川住建-新密码-2026"


def _change(client, current: str, new: str = NEW, again: str | None = None):
    return client.post("/admin/account/password", data={
        "current_password": current, "new_password": new, "new_password_again": new if again is None else again})


def test_every_user_finds_the_page_in_the_header(browser):
    page = browser("reviewer-zjj").get("/admin/").get_data(as_text=True)
    assert '<a href="/admin/account/password">修改密码</a>' in page


def test_the_new_password_works_and_the_old_one_no_longer(app, browser, passwords):
    client = browser("editor-zjj")
    response = _change(client, passwords["editor-zjj"])
    assert response.status_code == 302
    assert "密码已修改。您在其他设备或浏览器上的登录已全部退出。" in client.get("/admin/").get_data(as_text=True)
    assert post_login(app.test_client(), "editor-zjj", NEW).status_code == 302
    assert post_login(app.test_client(), "editor-zjj", passwords["editor-zjj"]).status_code == 200


def test_the_change_is_audited_and_dated(browser, passwords, account, audit_log):
    client = browser("editor-zjj")
    with clock.frozen("2026-11-23T10:30:00"):
        _change(client, passwords["editor-zjj"])
    [entry] = audit_log("password_changed")
    user = account("editor-zjj")
    assert (entry.username, entry.user_id, entry.target_id) == ("editor-zjj", user.id, user.id)
    assert entry.detail == {"sessions_ended": 0}
    assert user.password_changed_at.astimezone(clock.CN_TZ).isoformat() == "2026-11-23T10:30:00+08:00"


def test_a_wrong_current_password_is_refused(browser, account):
    client = browser("editor-zjj")
    before = account("editor-zjj").password_hash
    response = _change(client, "not-my-password-2026")
    assert response.status_code == 400
    assert "当前密码不正确，请重新输入。" in response.get_data(as_text=True)
    assert account("editor-zjj").password_hash == before
    assert is_logged_in(client)


@pytest.mark.parametrize(("new", "again", "message"), [
    ("short-pw1", None, "密码至少10位，请设置更长的密码。"),
    ("editor-zjj", None, "密码不能与用户名相同，请另设一个。"),
    ("qwertyuiop", None, "这个密码太常见，很容易被猜中，请另设一个。"),
    (NEW, "青川住建-新密码-2025", "两次输入的新密码不一致，请重新输入。"),
    ("editor-demo-2026", None, "新密码不能与当前密码相同，请另设一个。"),
])
def test_a_weak_or_mistyped_new_password_is_refused(browser, passwords, account, audit_log, new, again, message):
    client = browser("editor-zjj")
    before = account("editor-zjj").password_hash
    response = _change(client, passwords["editor-zjj"], new, again)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert account("editor-zjj").password_hash == before
    assert audit_log("password_changed") == []


def test_the_form_never_shows_a_typed_password_back(browser, passwords):
    response = _change(browser("editor-zjj"), passwords["editor-zjj"], "short-pw1")
    html = response.get_data(as_text=True)
    assert passwords["editor-zjj"] not in html and "short-pw1" not in html
