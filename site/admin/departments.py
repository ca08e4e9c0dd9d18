"""Departments (部门 / 窗口单位): office staff edit their own, the administrator all and new ones.

The editing itself is ``records``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..models import Department
from .forms.departments import DepartmentForm
from .forms.items import MARKDOWN_HINT
from .records import RecordType, register


def _apply(form: DepartmentForm, department: Department, creating: bool) -> None:
    if creating:
        department.code = form.code.data
    form.apply_to(department)


DEPARTMENTS = register(RecordType(
    model=Department, name="department", plural="departments", label=_l("部门信息"), form=DepartmentForm,
    templates="admin/departments", public_path=lambda department: f"/departments/{department.code}/",
    title=lambda department: department.name, title_column=Department.name, list_query=lambda: select(Department).order_by(Department.code),
    department_column=Department.id, apply=_apply, office_creates=False, extra={"markdown_hint": MARKDOWN_HINT},
))
