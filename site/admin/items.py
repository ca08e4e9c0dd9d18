"""Service items (政务服务事项): the item form's specifics; the editing itself is ``records``.

Admins choose an item's department; office staff never do (it is theirs, server side).
A new item starts with its department's window, hours and phones.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..db import db
from ..models import Department, ServiceItem
from ..policy import chooses_department
from .forms.items import MARKDOWN_HINT, ItemForm
from .records import RecordType, creatable_departments, register


def _setup_form(form: ItemForm, item: ServiceItem, creating: bool) -> None:
    if chooses_department(current_user):
        form.department.choices = [("", _("请选择部门"))] + [(d.code, d.name) for d in creatable_departments()]
        if not form.department.raw_data and item.department is not None:  # not submitted: the record's
            form.department.data = item.department.code
    else:
        del form.department


def _apply(form: ItemForm, item: ServiceItem, creating: bool) -> None:
    if creating:
        item.code = form.code.data
    if "department" in form:
        item.department = db.session.scalars(select(Department).where(Department.code == form.department.data)).one()
    elif creating:
        item.department = db.session.get(Department, current_user.department_id)
    form.apply_to(item)


def _prefill(form: ItemForm) -> None:
    """A new item is handled at its department's window: offer those facts to start from."""
    department = current_user.department
    if department is None:
        return
    form.location.data = department.address or department.window
    form.hours.data = department.hours
    form.consult_phone.data = department.consult_phone
    form.complaint_phone.data = department.complaint_phone


ITEMS = register(RecordType(
    model=ServiceItem, name="item", plural="items", label=_l("服务事项"), form=ItemForm, templates="admin/items",
    public_path=lambda item: f"/items/{item.code}/", title=lambda item: item.name,
    title_column=ServiceItem.name, list_query=lambda: select(ServiceItem).order_by(ServiceItem.code), department_column=ServiceItem.department_id,
    setup_form=_setup_form, apply=_apply, prefill=_prefill, row_tables=ItemForm.ROW_TABLES,
    extra={"markdown_hint": MARKDOWN_HINT},
))
