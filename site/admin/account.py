"""The user's own account page: changing one's password (so a demo or reset password need not stay in use)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import accounts, sessions
from . import bp
from .forms.auth import PasswordChangeForm
from .permissions import Action, may


@bp.context_processor
def account_links() -> dict:
    """``manages_users()`` for the header's 账号管理 link."""
    return {"manages_users": lambda: may(current_user, Action.MANAGE_USERS)}


@bp.route("/account/password", methods=["GET", "POST"])
def account_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(current_user, form.current_password.data, form.new_password.data,
                                         keep=sessions.current())
        except accounts.AccountError as refused:
            field = form[refused.field] if refused.field in form else form.new_password
            field.errors = [*field.errors, str(refused)]
        else:
            flash(_("密码已修改。您在其他设备或浏览器上的登录已全部退出。"), "success")
            return redirect(url_for("admin.dashboard"))
    status = 400 if form.errors else 200
    return render_template("admin/account/password.html", form=form,
                           min_length=accounts.MIN_PASSWORD), status
