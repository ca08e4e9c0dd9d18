"""Service items (政务服务事项): list, create, edit, publish, withdraw."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..db import db
from ..models import Department, ServiceItem
from ..workflow import can_edit
from . import bp
from .editing import save_from_form, withdraw_record
from .forms.common import add_blank_rows
from .forms.items import MARKDOWN_HINT, ItemForm
from .permissions import check_edit, check_view, department_scope

EDIT = "admin.item_edit"


@bp.get("/items")
def items():
    stmt = select(ServiceItem).order_by(ServiceItem.code)
    scope = department_scope(current_user)
    if scope is not None:
        stmt = stmt.where(ServiceItem.department_id == scope)
    return render_template("admin/items/list.html", items=db.session.scalars(stmt).all(),
                           can_create=_can_create())


def _can_create() -> bool:
    return current_user.role == "admin" or can_edit(current_user, department_id=current_user.department_id)


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.code)))


def _setup_department(form: ItemForm, item: ServiceItem) -> None:
    """Admins choose the department; office staff never do (it is theirs, server side)."""
    if current_user.role == "admin":
        form.department.choices = [("", "请选择部门")] + [(d.code, d.name) for d in _departments()]
        if request.method == "GET" and item.department is not None:
            form.department.data = item.department.code
    else:
        del form.department


def _apply(form: ItemForm, item: ServiceItem, *, creating: bool):
    def apply() -> None:
        if creating:
            item.code = form.code.data
        if "department" in form:
            item.department = db.session.scalars(
                select(Department).where(Department.code == form.department.data)).one()
        elif creating:
            item.department = db.session.get(Department, current_user.department_id)
        form.apply_to(item)

    return apply


def _renderer(item: ServiceItem, editable: bool):
    def render(form: ItemForm, workflow_error: str | None = None) -> str:
        if editable:
            for name in ItemForm.ROW_TABLES:
                add_blank_rows(form[name])
        return render_template("admin/items/edit.html", form=form, item=item, readonly=not editable,
                               workflow_error=workflow_error, markdown_hint=MARKDOWN_HINT)

    return render


@bp.route("/items/new", methods=["GET", "POST"])
def item_new():
    if not _can_create():
        abort(403)
    item = ServiceItem()
    form = ItemForm()
    _setup_department(form, item)
    render = _renderer(item, editable=True)
    if request.method == "GET":
        _prefill_from_department(form, current_user.department)
        return render(form)
    return save_from_form(item, form, render, edit_endpoint=EDIT,
                          apply=_apply(form, item, creating=True))


def _prefill_from_department(form: ItemForm, department: Department | None) -> None:
    """A new item is handled at its department's window: offer those facts to start from."""
    if department is None:
        return
    form.location.data = department.address or department.window
    form.hours.data = department.hours
    form.consult_phone.data = department.consult_phone
    form.complaint_phone.data = department.complaint_phone


@bp.route("/items/<int:id>/edit", methods=["GET", "POST"])
def item_edit(id: int):
    item = db.get_or_404(ServiceItem, id)
    check_view(item)
    editable = can_edit(current_user, item)
    if request.method == "GET":
        form = ItemForm(obj=item)
    else:
        check_edit(item)
        form = ItemForm()
    del form.code  # the stable public id never changes after creation
    _setup_department(form, item)
    render = _renderer(item, editable)
    if request.method == "GET":
        return render(form)
    return save_from_form(item, form, render, edit_endpoint=EDIT,
                          apply=_apply(form, item, creating=False))


@bp.post("/items/<int:id>/withdraw")
def item_withdraw(id: int):
    item = db.get_or_404(ServiceItem, id)
    check_edit(item)
    return withdraw_record(item, edit_endpoint=EDIT)
