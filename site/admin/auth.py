"""Logging in and out of the back office: rate-limited, audited, one new server-side session per login.

The order of a login matters: the limits (``login_limits``) are checked before the password,
so a locked account is refused even with the right one; the password is checked in the same
time whether the account exists or not; then the limits are checked again under
``login_limits.serialize`` (concurrent attempts all passed the first check), and the outcome is
recorded before that lock is let go; only then is an inactive account named as such.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from .. import accounts, audit, clock, login_limits, sessions
from ..db import db
from ..models import User
from ..roles import N_
from . import bp
from .forms.auth import LoginForm

#: Refusals of a login, translated when shown (``_refuse``).
BAD_LOGIN = N_("用户名或密码不正确")
DISABLED = N_("该账号已停用，请联系系统管理员。")


def safe_next(target: str | None) -> str | None:
    """Only a local path (``/admin/items``), never another site or a scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_url or url_for("admin.dashboard"))  # a POST logs in anew (maybe as someone else)
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/login.html", form=form, next_url=next_url), status
    username, password = form.username.data, form.password.data
    address = audit.client_address()
    refused = login_limits.check(username, address)
    if refused is not None:
        return _refuse_limited(form, next_url, username, refused)
    user = db.session.scalars(select(User).where(User.username == username)).first()
    authentic = accounts.authenticate(user, password)
    if authentic and not user.active:
        db.session.rollback()  # a rehash of a disabled account's hash is not worth keeping
    # Attempts sent at the same moment all passed the check above before any recorded its
    # failure: check again holding the account's and the address's lock until this attempt's
    # outcome is committed, so only as many as the limits allow learn what their password was.
    with db.session.no_autoflush:  # a rehash is written under the lock, not before it
        login_limits.serialize(username, address)
        refused = login_limits.check(username, address)
    if refused is not None:
        db.session.rollback()  # nothing of this attempt is kept (a rehash), and the lock is let go
        return _refuse_limited(form, next_url, username, refused)
    if not authentic:
        _record_failure(user, username, "unknown_user" if user is None else "bad_password")
        return _refuse(form, next_url, _(BAD_LOGIN))
    if not user.active:
        _record_failure(user, username, "disabled")
        return _refuse(form, next_url, _(DISABLED))
    sessions.end_current("replaced")
    sessions.start(user, address=address, user_agent=request.user_agent.string)
    login_user(user)
    audit.record("login", user=user, target=user, summary=f"{user.username} 登录")
    db.session.commit()
    flash(_("欢迎，%(name)s。", name=user.display_name or user.username), "success")
    return redirect(next_url or url_for("admin.dashboard"))


def _refuse_limited(form: LoginForm, next_url: str | None, username: str, refused: login_limits.Refusal):
    audit.record("login_refused", username=username, summary=f"登录被限制：{username}",
                 detail={"limit": refused.scope, "retry_at": refused.retry_at.isoformat()}, commit=True)
    return _refuse(form, next_url, refused.message(clock.now()), status=429)


def _record_failure(user: User | None, username: str, reason: str) -> None:
    audit.record("login_failed", user=user, username=username, summary=f"登录失败：{username}",
                 detail={"reason": reason}, commit=True)


def _refuse(form: LoginForm, next_url: str | None, message: str, status: int = 200):
    form.password.data = ""
    return render_template("admin/login.html", form=form, next_url=next_url, login_error=message), status


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        return render_template("admin/logout.html")
    user = current_user._get_current_object()
    sessions.end_current("logout")
    if user.is_authenticated:
        audit.record("logout", user=user, target=user, summary=f"{user.username} 退出")
    db.session.commit()
    logout_user()
    flash(_("您已安全退出。"), "success")
    return redirect(url_for("admin.login"))
