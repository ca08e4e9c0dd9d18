"""Server-side sessions: revoked at logout, password change, reset and disabling; idle and absolute timeouts."""

from __future__ import annotations

import hashlib

from flask_login.utils import encode_cookie
from sqlalchemy import select, update

from sunshine.site import clock, sessions
from sunshine.site.db import db
from sunshine.site.models import User, UserSession

from .conftest import is_logged_in, post_login


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A new browser presenting a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_cookie_replayed_after_logout_is_refused(app, browser):
    client = browser("editor-zjj")
    saved = _cookie(client)
    assert is_logged_in(_replay(app, saved))
    client.post("/admin/logout")
    response = _replay(app, saved).get("/admin/items")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")


def test_the_database_keeps_only_the_tokens_hash(app, browser):
    client = browser("editor-zjj")
    with client.session_transaction() as flask_session:
        token = flask_session[sessions.TOKEN_KEY]
    with app.app_context():
        stored = db.session.scalars(select(UserSession.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_each_login_gets_a_new_token_and_ends_the_one_it_replaces(app, browser, passwords, session_rows):
    client = browser("editor-zjj")
    before = _cookie(client)
    post_login(client, "editor-zjj", passwords["editor-zjj"])  # logged in again in the same browser
    assert _cookie(client) != before
    assert session_rows("editor-zjj") == [(True, "replaced"), (False, "")]
    assert not is_logged_in(_replay(app, before))
    assert is_logged_in(client)


def test_a_remember_cookie_alone_does_not_log_anyone_in(app, demo, account):
    client = app.test_client()
    with app.test_request_context():
        client.set_cookie("remember_token", encode_cookie(str(account("admin").id)))
    assert client.get("/admin/").status_code == 302


def test_a_session_stays_while_used_within_the_idle_timeout(browser):
    with clock.frozen("2026-11-23T09:00:00"):
        client = browser("editor-zjj")
    for minute in ("09:29", "09:58", "10:27"):
        with clock.frozen(f"2026-11-23T{minute}:00"):
            assert is_logged_in(client)


def test_thirty_idle_minutes_end_the_session(browser, session_rows):
    with clock.frozen("2026-11-23T09:00:00"):
        client = browser("editor-zjj")
    with clock.frozen("2026-11-23T09:30:00"):
        response = client.get("/admin/items")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "长时间未操作，登录已超时，请重新登录。" in login_page
    assert session_rows("editor-zjj") == [(True, "idle")]


def test_twelve_hours_end_even_a_busy_session(browser, session_rows):
    with clock.frozen("2026-11-23T08:00:00"):
        client = browser("editor-zjj")
    for hour in range(8, 20):
        for minute in (0, 20, 40):
            with clock.frozen(f"2026-11-23T{hour:02d}:{minute:02d}:00"):
                assert is_logged_in(client), (hour, minute)
    with clock.frozen("2026-11-23T20:00:00"):
        assert not is_logged_in(client)
    assert session_rows("editor-zjj") == [(True, "expired")]


def test_the_timeouts_are_settings(app, browser):
    app.config["SUNSHINE_SESSION_IDLE_MINUTES"] = 5
    with clock.frozen("2026-11-23T09:00:00"):
        client = browser("editor-zjj")
    with clock.frozen("2026-11-23T09:04:59"):
        assert is_logged_in(client)
    with clock.frozen("2026-11-23T09:09:59"):
        assert not is_logged_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app, browser):
    def last_seen():
        with app.app_context():
            return db.session.scalars(select(UserSession.last_seen_at)).one().astimezone(clock.CN_TZ)

    with clock.frozen("2026-11-23T09:00:00"):
        client = browser("editor-zjj")
    with clock.frozen("2026-11-23T09:00:59"):
        client.get("/admin/")
    assert last_seen().isoformat() == "2026-11-23T09:00:00+08:00"
    with clock.frozen("2026-11-23T09:01:00"):
        client.get("/admin/")
    assert last_seen().isoformat() == "2026-11-23T09:01:00+08:00"


def test_a_disabled_users_open_session_is_refused_on_the_next_request(app, browser):
    client = browser("editor-mz")
    with app.app_context():
        db.session.execute(update(User).where(User.username == "editor-mz").values(active=False))
        db.session.commit()
    response = client.get("/admin/items")
    assert response.status_code == 302
    assert "该账号已停用，请联系系统管理员。" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_disabling_in_the_web_ui_ends_the_users_sessions_at_once(app, browser, account, session_rows):
    clerk = browser("editor-mz")
    admin = browser("admin")
    admin.post(f"/admin/users/{account('editor-mz').id}/active", data={"active": "0"})
    assert session_rows("editor-mz") == [(True, "disabled")]
    assert not is_logged_in(clerk)


def test_an_administrators_reset_ends_every_session_of_the_user(browser, account, session_rows):
    office, home = browser("editor-zjj"), browser("editor-zjj")
    admin = browser("admin")
    admin.post(f"/admin/users/{account('editor-zjj').id}/password",
               data={"new_password": "青川住建-新密码-2026", "new_password_again": "青川住建-新密码-2026"})
    assert not is_logged_in(office) and not is_logged_in(home)
    assert session_rows("editor-zjj") == [(True, "password_reset"), (True, "password_reset")]


def test_changing_ones_own_password_ends_the_other_sessions_only(browser, passwords, session_rows):
    office, home = browser("editor-zjj"), browser("editor-zjj")
    response = office.post("/admin/account/password", data={
        "current_password": passwords["editor-zjj"], "new_password": "青川住建-新密码-2026",
        "new_password_again": "青川住建-新密码-2026"})
    assert response.status_code == 302
    assert is_logged_in(office)
    assert not is_logged_in(home)
    assert session_rows("editor-zjj") == [(False, ""), (True, "password_changed")]


def test_logout_needs_a_post(browser):
    client = browser("editor-zjj")
    page = client.get("/admin/logout")
    assert page.status_code == 200 and "确认退出" in page.get_data(as_text=True)
    assert is_logged_in(client)
