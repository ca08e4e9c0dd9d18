"""Login limits under concurrent requests: attempts sent at the same moment get no more password answers than the limit.

Every attempt runs in a thread of its own with its own test client (its own app context and
database session), as requests in separate workers do. The password check is held at a
barrier until every attempt has reached it, so all of them have passed the first limit check
before any records its failure: the race the limits must survive, made certain.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import yaml
from sqlalchemy import select

from sunshine.site import accounts, clock
from sunshine.site.db import db
from sunshine.site.models import AuditEntry
from tests.conftest import DEMO_DIR

ATTEMPTS = 10
LIMIT = 3
MONDAY_9 = "2026-11-23T09:00:00"
BAD_LOGIN = "用户名或密码不正确"
ACCOUNT_LOCKED = "该账号登录失败次数过多，已暂时锁定。请在 09:15（约 15 分钟后）再试；忘记密码请联系系统管理员重置。"
ADDRESS_LOCKED = "本机登录失败次数过多，已暂时禁止登录。请在 09:15（约 15 分钟后）再试。"


def _password(username: str) -> str:
    users = yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))
    return next(u["password"] for u in users if u["username"] == username)


def _hold_password_checks(monkeypatch, parties: int) -> None:
    """Every password check waits until ``parties`` attempts have checked theirs."""
    barrier = threading.Barrier(parties, timeout=30)
    real = accounts.authenticate

    def authenticate(user, password):
        result = real(user, password)
        barrier.wait()
        return result

    monkeypatch.setattr(accounts, "authenticate", authenticate)


def _post_login(app, username: str, password: str, address: str) -> tuple[int, str]:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/admin/login", data={"username": username, "password": password})
    return response.status_code, response.get_data(as_text=True)


def _at_once(app, attempts: list[tuple[str, str, str]]) -> list[tuple[int, str]]:
    with clock.frozen(MONDAY_9), ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(lambda attempt: _post_login(app, *attempt), attempts))


def _outcomes(responses: list[tuple[int, str]], refusal: str) -> list[str]:
    """Each response as "wrong password", "refused" or what else it was, in a stable order."""
    names = []
    for status, body in responses:
        if status == 200 and BAD_LOGIN in body:
            names.append("wrong password")
        elif status == 429 and refusal in body:
            names.append("refused")
        else:
            names.append(f"unexpected {status}")
    return sorted(names, reverse=True)


def _actions(app, action: str) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.username, e.address) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def test_concurrent_wrong_passwords_for_one_account_get_only_the_limit_of_answers(app, demo, monkeypatch):
    app.config.update(SUNSHINE_LOGIN_ACCOUNT_FAILURES=LIMIT)
    _hold_password_checks(monkeypatch, ATTEMPTS)
    responses = _at_once(app, [("editor-zjj", f"wrong-password-{n}", f"10.3.0.{n + 1}") for n in range(ATTEMPTS)])
    assert _outcomes(responses, ACCOUNT_LOCKED) == ["wrong password"] * LIMIT + ["refused"] * (ATTEMPTS - LIMIT)
    assert [name for name, _ in _actions(app, "login_failed")] == ["editor-zjj"] * LIMIT
    assert [name for name, _ in _actions(app, "login_refused")] == ["editor-zjj"] * (ATTEMPTS - LIMIT)


def test_concurrent_wrong_passwords_from_one_address_get_only_the_limit_of_answers(app, demo, monkeypatch):
    app.config.update(SUNSHINE_LOGIN_ADDRESS_FAILURES=LIMIT)
    _hold_password_checks(monkeypatch, ATTEMPTS)
    responses = _at_once(app, [(f"guess-{n}", "wrong-password-2026", "10.3.0.7") for n in range(ATTEMPTS)])
    assert _outcomes(responses, ADDRESS_LOCKED) == ["wrong password"] * LIMIT + ["refused"] * (ATTEMPTS - LIMIT)
    assert [address for _, address in _actions(app, "login_failed")] == ["10.3.0.7"] * LIMIT
    assert len(_actions(app, "login_refused")) == ATTEMPTS - LIMIT


def test_concurrent_unknown_accounts_are_limited_like_known_ones(app, demo, monkeypatch):
    app.config.update(SUNSHINE_LOGIN_ACCOUNT_FAILURES=LIMIT)
    _hold_password_checks(monkeypatch, ATTEMPTS)
    responses = _at_once(app, [("nobody-here", f"wrong-password-{n}", f"10.3.0.{n + 1}") for n in range(ATTEMPTS)])
    assert _outcomes(responses, ACCOUNT_LOCKED) == ["wrong password"] * LIMIT + ["refused"] * (ATTEMPTS - LIMIT)
    assert len(_actions(app, "login_failed")) == LIMIT


def test_the_right_password_checked_while_the_lock_was_reached_is_refused(app, demo, monkeypatch):
    """It passed the first check before the failures were recorded; it finishes after the limit is reached."""
    app.config.update(SUNSHINE_LOGIN_ACCOUNT_FAILURES=LIMIT)
    right = _password("editor-zjj")
    checking, go_on = threading.Event(), threading.Event()
    real = accounts.authenticate

    def authenticate(user, password):
        result = real(user, password)
        if password == right:
            checking.set()
            assert go_on.wait(30)
        return result

    monkeypatch.setattr(accounts, "authenticate", authenticate)
    with clock.frozen(MONDAY_9), ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_post_login, app, "editor-zjj", right, "10.3.0.1")
        assert checking.wait(30)
        wrong = [_post_login(app, "editor-zjj", f"wrong-password-{n}", "10.3.0.2") for n in range(LIMIT)]
        go_on.set()
        status, body = pending.result(timeout=30)
    assert [s for s, _ in wrong] == [200] * LIMIT
    assert status == 429
    assert ACCOUNT_LOCKED in body
    assert _actions(app, "login") == []
    assert _actions(app, "login_refused") == [("editor-zjj", "10.3.0.1")]


def test_concurrent_right_passwords_all_log_in(app, demo, monkeypatch):
    """The lock makes attempts wait their turn; it refuses nobody below the limits."""
    app.config.update(SUNSHINE_LOGIN_ACCOUNT_FAILURES=LIMIT, SUNSHINE_LOGIN_ADDRESS_FAILURES=LIMIT)
    _hold_password_checks(monkeypatch, ATTEMPTS)
    responses = _at_once(app, [("editor-zjj", _password("editor-zjj"), "10.3.0.7")] * ATTEMPTS)
    assert [status for status, _ in responses] == [302] * ATTEMPTS
    assert len(_actions(app, "login")) == ATTEMPTS
