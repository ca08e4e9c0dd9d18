"""Account management (账号管理) for the administrator: list, create, reset a password, disable and enable.

Every change goes through ``sunshine.site.accounts`` (the rules, the audit entry, ending the
user's sessions); this module only turns requests into those calls.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from .. import accounts
from ..db import db
from ..models import ROLES, AuditEntry, Department, User
from . import bp
from .forms.auth import PasswordResetForm, UserCreateForm
from .permissions import Action, requires


def _last_logins() -> dict[int, object]:
    """When each account last logged in, from the audit log."""
    rows = db.session.execute(select(AuditEntry.user_id, func.max(AuditEntry.at))
                              .where(AuditEntry.action == "login", AuditEntry.user_id.is_not(None))
                              .group_by(AuditEntry.user_id))
    return dict(rows.all())


@bp.get("/users")
@requires(Action.MANAGE_USERS)
def users():
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.role, User.username)).all()
    return render_template("admin/users/list.html", users=rows, last_logins=_last_logins())


def _department_choices() -> list[tuple[str, str]]:
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    return [("", _("（无，系统管理员和效能监督员）"))] + [(d.code, d.name) for d in departments]


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def user_new():
    form = UserCreateForm()
    form.department.choices = _department_choices()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.username.data, form.new_password.data, role=form.role.data,
                                        department_code=form.department.data or None,
                                        display_name=form.display_name.data or "", actor=current_user)
        except accounts.AccountError as refused:
            db.session.rollback()
            field = form[refused.field] if refused.field in form else form.new_password
            field.errors = [*field.errors, str(refused)]
        else:
            flash(_("已创建账号 %(username)s（%(role)s）。请把初始密码当面交给本人，并请其登录后修改。",
                    username=user.username, role=_(user.role_label)), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users/new.html", form=form,
                           min_length=accounts.MIN_PASSWORD), 400 if form.errors else 200


def _user_or_404(id: int) -> User:
    user = db.session.get(User, id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:id>/password", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def user_password(id: int):
    user = _user_or_404(id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(user, form.new_password.data, actor=current_user)
        except accounts.AccountError as refused:
            form.new_password.errors = [*form.new_password.errors, str(refused)]
        else:
            flash(_("已重置 %(username)s 的密码，其所有登录已退出。请把新密码当面交给本人，并请其登录后修改。",
                    username=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users/password.html", form=form, user=user,
                           min_length=accounts.MIN_PASSWORD), 400 if form.errors else 200


@bp.post("/users/<int:id>/active")
@requires(Action.MANAGE_USERS)
def user_active(id: int):
    user = _user_or_404(id)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(user, active, actor=current_user)
    except accounts.AccountError as refused:
        flash(str(refused), "error")
    else:
        flash(_("已启用账号 %(username)s。", username=user.username) if active
              else _("已停用账号 %(username)s，其所有登录已退出。", username=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:id>/roles", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def user_roles(id: int):
    """An account's role and department, and further roles in other departments (兼职)."""
    user = _user_or_404(id)
    if request.method == "POST":
        step = request.form.get("step")
        role, department = request.form.get("role", ""), request.form.get("department") or None
        try:
            if step == "set":
                accounts.set_role(user, role, department, actor=current_user)
            elif step == "add":
                accounts.add_grant(user, role, department, actor=current_user)
            elif step == "remove":
                accounts.remove_grant(user, request.form.get("grant", type=int) or 0, actor=current_user)
            else:
                abort(400)
        except accounts.AccountError as refused:
            db.session.rollback()
            flash(str(refused), "error")
        else:
            flash(_("已更新 %(username)s 的角色。", username=user.username), "success")
        return redirect(url_for("admin.user_roles", id=id))
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    return render_template("admin/users/roles.html", user=user, roles=ROLES, departments=departments,
                           department_names={d.id: d.name for d in departments})
