"""Logging in and out of the back office."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import db
from ..models import User
from . import bp
from .forms.auth import LoginForm

BAD_LOGIN = "用户名或密码不正确"
#: Checked against when the user is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


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
    if current_user.is_authenticated and current_user.is_active:
        return redirect(next_url or url_for("admin.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/login.html", form=form, next_url=next_url), status
    user = db.session.scalars(select(User).where(User.username == form.username.data)).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, form.password.data)
        return _refuse(form, next_url, BAD_LOGIN)
    if not user.check_password(form.password.data):
        return _refuse(form, next_url, BAD_LOGIN)
    if not user.active:
        return _refuse(form, next_url, "该账号已停用，请联系系统管理员。")
    login_user(user)
    flash(f"欢迎，{user.display_name or user.username}。", "success")
    return redirect(next_url or url_for("admin.dashboard"))


def _refuse(form: LoginForm, next_url: str | None, message: str):
    form.password.data = ""
    return render_template("admin/login.html", form=form, next_url=next_url, login_error=message), 200


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        return render_template("admin/logout.html")
    logout_user()
    flash("您已安全退出。", "success")
    return redirect(url_for("admin.login"))
