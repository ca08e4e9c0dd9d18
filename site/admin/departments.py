"""Departments (部门 / 窗口单位): office staff edit their own, the administrator all and new ones."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..db import db
from ..models import Department
from ..workflow import can_edit
from . import bp
from .editing import save_from_form, withdraw_record
from .forms.departments import DepartmentForm
from .forms.items import MARKDOWN_HINT
from .permissions import check_edit, check_view, department_scope, roles_required

EDIT = "admin.department_edit"


@bp.get("/departments")
def departments():
    stmt = select(Department).order_by(Department.code)
    scope = department_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Department.id == scope)
    return render_template("admin/departments/list.html", departments=db.session.scalars(stmt).all(),
                           can_create=current_user.role == "admin")


def _renderer(department: Department, editable: bool):
    def render(form: DepartmentForm, workflow_error: str | None = None) -> str:
        return render_template("admin/departments/edit.html", form=form, department=department,
                               readonly=not editable, workflow_error=workflow_error,
                               markdown_hint=MARKDOWN_HINT)

    return render


@bp.route("/departments/new", methods=["GET", "POST"])
@roles_required("admin")
def department_new():
    department = Department()
    form = DepartmentForm()
    render = _renderer(department, editable=True)
    if request.method == "GET":
        return render(form)

    def apply() -> None:
        department.code = form.code.data
        form.apply_to(department)

    return save_from_form(department, form, render, edit_endpoint=EDIT, apply=apply)


@bp.route("/departments/<int:id>/edit", methods=["GET", "POST"])
def department_edit(id: int):
    department = db.get_or_404(Department, id)
    check_view(department)
    if request.method == "GET":
        form = DepartmentForm(obj=department)
    else:
        check_edit(department)
        form = DepartmentForm()
    del form.code
    render = _renderer(department, can_edit(current_user, department))
    if request.method == "GET":
        return render(form)
    return save_from_form(department, form, render, edit_endpoint=EDIT)


@bp.post("/departments/<int:id>/withdraw")
def department_withdraw(id: int):
    department = db.get_or_404(Department, id)
    check_edit(department)
    return withdraw_record(department, edit_endpoint=EDIT)
