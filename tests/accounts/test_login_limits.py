"""Login attempts: limited per account and per address, counted from the audit log, every attempt audited."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.site import clock

from .conftest import is_logged_in, post_login

LOCKED_UNTIL_0915 = "该账号登录失败次数过多，已暂时锁定。请在 09:15（约 {minutes} 分钟后）再试；忘记密码请联系系统管理员重置。"


def _fail(client, username: str, at: str, times: int = 1, minutes_apart: int = 1) -> None:
    start = dt.datetime.fromisoformat(at)
    for n in range(times):
        with clock.frozen(start + dt.timedelta(minutes=n * minutes_apart)):
            response = post_login(client, username, "wrong-password-2026")
            assert response.status_code == 200
            assert "用户名或密码不正确" in response.get_data(as_text=True)


@pytest.fixture
def locked_editor(client, demo):
    """Five wrong passwords for editor-zjj, one a minute from 09:00 to 09:04 (the limit)."""
    _fail(client, "editor-zjj", "2026-11-23T09:00:00", times=5)
    return client


def test_the_right_password_is_refused_while_the_account_is_locked(locked_editor, passwords):
    with clock.frozen("2026-11-23T09:05:00"):
        response = post_login(locked_editor, "editor-zjj", passwords["editor-zjj"])
    assert response.status_code == 429
    assert LOCKED_UNTIL_0915.format(minutes=10) in response.get_data(as_text=True)
    assert not is_logged_in(locked_editor)


def test_a_refused_login_is_audited_with_its_limit(locked_editor, passwords, audit_log):
    with clock.frozen("2026-11-23T09:05:00"):
        post_login(locked_editor, "editor-zjj", passwords["editor-zjj"])
    [refused] = audit_log("login_refused")
    assert (refused.username, refused.address) == ("editor-zjj", "127.0.0.1")
    assert refused.detail == {"limit": "account", "retry_at": "2026-11-23T01:15:00+00:00"}


def test_the_lock_lifts_when_the_oldest_failure_leaves_the_window(locked_editor, passwords):
    with clock.frozen("2026-11-23T09:14:59"):
        assert post_login(locked_editor, "editor-zjj", passwords["editor-zjj"]).status_code == 429
    with clock.frozen("2026-11-23T09:15:00"):
        response = post_login(locked_editor, "editor-zjj", passwords["editor-zjj"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_retrying_during_the_lock_does_not_extend_it(locked_editor, passwords):
    for minute in range(5, 15):
        with clock.frozen(f"2026-11-23T09:{minute:02d}:30"):
            assert post_login(locked_editor, "editor-zjj", passwords["editor-zjj"]).status_code == 429
    with clock.frozen("2026-11-23T09:15:00"):
        assert post_login(locked_editor, "editor-zjj", passwords["editor-zjj"]).status_code == 302


def test_failures_from_several_addresses_lock_the_account(app, demo, passwords):
    for n in range(5):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.3.0.{n + 1}"
        _fail(client, "editor-zjj", f"2026-11-23T09:0{n}:00")
    with clock.frozen("2026-11-23T09:05:00"):
        response = post_login(app.test_client(), "editor-zjj", passwords["editor-zjj"])
    assert response.status_code == 429


def test_four_failures_still_let_the_right_password_in(client, demo, passwords):
    _fail(client, "editor-zjj", "2026-11-23T09:00:00", times=4)
    with clock.frozen("2026-11-23T09:05:00"):
        assert post_login(client, "editor-zjj", passwords["editor-zjj"]).status_code == 302


def test_a_successful_login_starts_the_account_count_again(app, demo, passwords):
    _fail(app.test_client(), "editor-zjj", "2026-11-23T09:00:00", times=4)
    with clock.frozen("2026-11-23T09:04:30"):
        assert post_login(app.test_client(), "editor-zjj", passwords["editor-zjj"]).status_code == 302
    _fail(app.test_client(), "editor-zjj", "2026-11-23T09:05:00", times=4)
    with clock.frozen("2026-11-23T09:09:30"):
        assert post_login(app.test_client(), "editor-zjj", passwords["editor-zjj"]).status_code == 302


def test_an_unknown_account_is_locked_like_a_known_one(client, demo):
    _fail(client, "zhangsan", "2026-11-23T09:00:00", times=5)
    with clock.frozen("2026-11-23T09:05:00"):
        response = post_login(client, "zhangsan", "wrong-password-2026")
    assert response.status_code == 429
    assert LOCKED_UNTIL_0915.format(minutes=10) in response.get_data(as_text=True)


def test_twenty_failures_from_one_address_refuse_every_account_there(app, client, demo, passwords):
    for n in range(20):  # four tries each at five accounts: no account reaches its own limit
        _fail(client, f"guess-{n % 5}", f"2026-11-23T09:00:{n:02d}")
    with clock.frozen("2026-11-23T09:01:00"):
        response = post_login(client, "supervisor", passwords["supervisor"])
    assert response.status_code == 429
    assert "本机登录失败次数过多，已暂时禁止登录。请在 09:15（约 14 分钟后）再试。" in response.get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.3.0.9"
    with clock.frozen("2026-11-23T09:01:00"):
        assert post_login(other, "supervisor", passwords["supervisor"]).status_code == 302


def test_nineteen_failures_from_one_address_do_not_block_it(client, demo, passwords):
    for n in range(19):
        _fail(client, f"guess-{n % 5}", f"2026-11-23T09:00:{n:02d}")
    with clock.frozen("2026-11-23T09:01:00"):
        assert post_login(client, "supervisor", passwords["supervisor"]).status_code == 302


def test_the_limits_are_settings(app, client, demo, passwords):
    app.config.update(SUNSHINE_LOGIN_ACCOUNT_FAILURES=2, SUNSHINE_LOGIN_WINDOW_MINUTES=60)
    _fail(client, "editor-zjj", "2026-11-23T09:00:00", times=2)
    with clock.frozen("2026-11-23T09:59:00"):
        response = post_login(client, "editor-zjj", passwords["editor-zjj"])
    assert response.status_code == 429
    assert "请在 10:00（约 1 分钟后）再试" in response.get_data(as_text=True)


def test_every_failed_login_is_audited_with_the_name_as_typed(client, demo, account, audit_log):
    with clock.frozen("2026-11-23T09:00:00"):
        post_login(client, "nobody-here", "wrong-password-2026")
        post_login(client, "editor-zjj", "wrong-password-2026")
    unknown, known = audit_log("login_failed")
    assert (unknown.username, unknown.user_id, unknown.address, unknown.detail) == (
        "nobody-here", None, "127.0.0.1", {"reason": "unknown_user"})
    assert (known.username, known.user_id, known.detail) == (
        "editor-zjj", account("editor-zjj").id, {"reason": "bad_password"})


def test_a_disabled_account_with_its_right_password_is_a_failed_login(app, client, demo, passwords, audit_log):
    from sqlalchemy import update

    from sunshine.site.db import db
    from sunshine.site.models import User

    with app.app_context():
        db.session.execute(update(User).where(User.username == "editor-mz").values(active=False))
        db.session.commit()
    response = post_login(client, "editor-mz", passwords["editor-mz"])
    assert "该账号已停用，请联系系统管理员。" in response.get_data(as_text=True)
    assert [e.detail for e in audit_log("login_failed")] == [{"reason": "disabled"}]


def test_login_and_logout_are_audited(browser, account, audit_log):
    client = browser("reviewer-zjj")
    client.post("/admin/logout")
    entries = [(e.action, e.username, e.user_id, e.target_type) for e in audit_log()
               if e.action in ("login", "logout")]
    reviewer = account("reviewer-zjj").id
    assert entries == [("login", "reviewer-zjj", reviewer, "user_account"),
                       ("logout", "reviewer-zjj", reviewer, "user_account")]
