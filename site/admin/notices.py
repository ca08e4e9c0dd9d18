"""Notices (通知公告): a department's by its own staff, the center's by the administrator."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..db import db
from ..models import Department, Notice
from ..workflow import can_edit
from . import bp
from .editing import save_from_form, withdraw_record
from .forms.items import MARKDOWN_HINT
from .forms.notices import CENTER, NoticeForm
from .permissions import check_edit, check_view, department_scope

EDIT = "admin.notice_edit"


@bp.get("/notices")
def notices():
    stmt = select(Notice).order_by(Notice.date.desc(), Notice.code)
    scope = department_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Notice.department_id == scope)
    return render_template("admin/notices/list.html", notices=db.session.scalars(stmt).all(),
                           can_create=_can_create())


def _can_create() -> bool:
    return current_user.role == "admin" or can_edit(current_user, department_id=current_user.department_id)


def _setup_department(form: NoticeForm, notice: Notice) -> None:
    """Admins pick the issuer (the center or a department); office staff issue as their own."""
    if current_user.role == "admin":
        departments = db.session.scalars(select(Department).order_by(Department.code))
        form.department.choices = [("", "请选择发布单位"), (CENTER, "政务服务中心（本中心）")] + [
            (d.code, d.name) for d in departments]
        if request.method == "GET" and notice.id is not None:
            form.department.data = notice.department.code if notice.department else CENTER
    else:
        del form.department


def _apply(form: NoticeForm, notice: Notice, *, creating: bool):
    def apply() -> None:
        if creating:
            notice.code = form.code.data
        if "department" in form:
            code = form.department.data
            notice.department = None if code == CENTER else db.session.scalars(
                select(Department).where(Department.code == code)).one()
        elif creating:
            notice.department = db.session.get(Department, current_user.department_id)
        form.apply_to(notice)

    return apply


def _renderer(notice: Notice, editable: bool):
    def render(form: NoticeForm, workflow_error: str | None = None) -> str:
        return render_template("admin/notices/edit.html", form=form, notice=notice, readonly=not editable,
                               workflow_error=workflow_error, markdown_hint=MARKDOWN_HINT)

    return render


@bp.route("/notices/new", methods=["GET", "POST"])
def notice_new():
    if not _can_create():
        abort(403)
    notice = Notice()
    form = NoticeForm()
    _setup_department(form, notice)
    render = _renderer(notice, editable=True)
    if request.method == "GET":
        form.date.data = clock.today()
        return render(form)
    return save_from_form(notice, form, render, edit_endpoint=EDIT,
                          apply=_apply(form, notice, creating=True))


@bp.route("/notices/<int:id>/edit", methods=["GET", "POST"])
def notice_edit(id: int):
    notice = db.get_or_404(Notice, id)
    check_view(notice)
    if request.method == "GET":
        form = NoticeForm(obj=notice)
    else:
        check_edit(notice)
        form = NoticeForm()
    del form.code
    _setup_department(form, notice)
    render = _renderer(notice, can_edit(current_user, notice))
    if request.method == "GET":
        return render(form)
    return save_from_form(notice, form, render, edit_endpoint=EDIT,
                          apply=_apply(form, notice, creating=False))


@bp.post("/notices/<int:id>/withdraw")
def notice_withdraw(id: int):
    notice = db.get_or_404(Notice, id)
    check_edit(notice)
    return withdraw_record(notice, edit_endpoint=EDIT)
