"""Server-side, revocable back-office sessions: the cookie carries a random token, a ``UserSession`` row decides.

Flask's session cookie is only signed, so on its own a copy of it stays valid after logout.
Here the cookie also holds a random token whose SHA-256 names a row; the user loader accepts
the cookie only while that row is not ended and neither the idle nor the absolute timeout
has passed. Logout, a password change or reset and an administrator's disabling of the
account end rows, so a replayed cookie is refused on its next request. A login always
starts a new token (no session fixation); "remember me" is not offered and a remember
cookie alone never logs anyone in (no token, no session).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import Flask, current_app, flash, g, redirect, request, session
from flask_login import current_user, login_url
from sqlalchemy import select, update

from . import clock
from .db import commit_keeping_loaded, db
from .models import User, UserSession

#: The Flask session key holding the token (the cookie never holds the row id).
TOKEN_KEY = "sunshine_session"
#: ``last_seen_at`` is written at most this often (a request a second must not mean a write a second).
TOUCH_EVERY = dt.timedelta(minutes=1)

#: Why a session ended (``UserSession.end_reason``), with the message shown at the next request.
END_MESSAGES = {
    "logout": "您已退出，请重新登录。",
    "idle": "长时间未操作，登录已超时，请重新登录。",
    "expired": "登录时间已达上限，请重新登录。",
    "disabled": "该账号已停用，请联系系统管理员。",
    "password_changed": "账号密码已在别处修改，请用新密码重新登录。",
    "password_reset": "系统管理员已重置您的密码，请用新密码重新登录。",
    "replaced": "您已在此浏览器重新登录。",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(user: User, *, address: str = "", user_agent: str = "") -> UserSession:
    """Begin a session for ``user``: a new row, and its token in the (cleared) Flask session.

    The caller commits (together with the login's audit entry).
    """
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = UserSession(token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                      address=address[:64], user_agent=user_agent[:200], end_reason="")
    db.session.add(row)
    session.clear()
    session[TOKEN_KEY] = token
    g.user_session = row
    return row


def current() -> UserSession | None:
    """The row of this request's token (ended or not), None without a token."""
    if "user_session" in g:
        return g.user_session
    token = session.get(TOKEN_KEY)
    row = None
    if isinstance(token, str) and token:
        row = db.session.scalars(select(UserSession).where(UserSession.token_hash == _hash(token))).first()
    g.user_session = row
    return row


def end_current(reason: str) -> None:
    """End this request's session (logout, a new login in the same browser); the caller commits."""
    row = current()
    if row is not None and row.ended_at is None:
        _end(row, reason)
    session.pop(TOKEN_KEY, None)


def end_all(user: User, reason: str, *, keep: UserSession | None = None) -> int:
    """End every open session of ``user`` but ``keep``; the caller commits. Returns how many ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(query.values(ended_at=clock.now(), end_reason=reason),
                                execution_options={"synchronize_session": "fetch"})
    return result.rowcount or 0


def _end(row: UserSession, reason: str) -> None:
    row.ended_at = clock.now()
    row.end_reason = reason


def refusal(row: UserSession, user: User | None, now: dt.datetime, *, idle: dt.timedelta,
            lifetime: dt.timedelta) -> str | None:
    """Why ``row`` no longer admits ``user`` at ``now`` (an ``END_MESSAGES`` key), or None while valid."""
    if row.ended_at is not None:
        return row.end_reason or "logout"
    if user is None or not user.active:
        return "disabled"
    if now - row.created_at >= lifetime:
        return "expired"
    if now - row.last_seen_at >= idle:
        return "idle"
    return None


def load_user(user_id: str) -> User | None:
    """flask-login's user loader: the user only if this request carries a valid session of theirs."""
    row = current()
    if row is None or str(row.user_id) != str(user_id):
        return None
    user = db.session.get(User, row.user_id)
    config = current_app.config
    now = clock.now()
    reason = refusal(row, user, now, idle=dt.timedelta(minutes=config["SUNSHINE_SESSION_IDLE_MINUTES"]),
                     lifetime=dt.timedelta(hours=config["SUNSHINE_SESSION_HOURS"]))
    if reason is not None:
        if row.ended_at is None:
            _end(row, reason)
            commit_keeping_loaded()
        session.pop(TOKEN_KEY, None)
        g.session_refusal = END_MESSAGES.get(reason, END_MESSAGES["logout"])
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        commit_keeping_loaded()
    return user


def unauthorized():
    """Send an anonymous visitor to the login page, saying why when a session has just ended."""
    manager = current_app.login_manager
    flash(g.pop("session_refusal", None) or manager.login_message, manager.login_message_category)
    return redirect(login_url(manager.login_view, next_url=request.url))


def _resolve_early() -> None:
    """Check a carried session before any view runs, so the loader's commit never meets a view's changes."""
    if TOKEN_KEY in session:
        current_user._get_current_object()


def register(app: Flask) -> None:
    app.before_request(_resolve_early)
