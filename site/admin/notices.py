"""Notices (通知公告): a department's by its own staff, the center's by the administrator.

The editing itself is ``records``; here only who issues a notice and its starting date.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..db import db
from ..models import Department, Notice
from ..policy import chooses_department, is_centre
from .forms.items import MARKDOWN_HINT
from .forms.notices import CENTER, NoticeForm
from .records import RecordType, creatable_departments, register


def _setup_form(form: NoticeForm, notice: Notice, creating: bool) -> None:
    """Admins pick the issuer (the center or a department); office staff issue as their own."""
    if chooses_department(current_user):
        centre = [(CENTER, _("政务服务中心（本中心）"))] if is_centre(current_user) else []
        form.department.choices = [("", _("请选择发布单位")), *centre] + [
            (d.code, d.name) for d in creatable_departments()]
        if not form.department.raw_data and notice.id is not None:  # not submitted: the record's
            form.department.data = notice.department.code if notice.department else CENTER
    else:
        del form.department


def _apply(form: NoticeForm, notice: Notice, creating: bool) -> None:
    if creating:
        notice.code = form.code.data
    if "department" in form:
        code = form.department.data
        notice.department = None if code == CENTER else db.session.scalars(
            select(Department).where(Department.code == code)).one()
    elif creating:
        notice.department = db.session.get(Department, current_user.department_id)
    form.apply_to(notice)


def _prefill(form: NoticeForm) -> None:
    form.date.data = clock.today()
    if "code" in form:
        form.code.data = propose_code(current_user.department, form.date.data.year)


#: Prefix of the centre's own notices in proposed codes (中心).
CENTER_PREFIX = "ZX"


def propose_code(department: Department | None, year: int) -> str:
    """The next free code of the issuer's notices in ``year``: ``MZ-2026-004`` (the centre: ``ZX-2026-…``).

    A proposal only: staff may type another, and the form's uniqueness check still decides.
    """
    prefix = f"{(department.code if department is not None else CENTER_PREFIX).upper()}-{year}-"
    taken = set(db.session.scalars(select(Notice.code).where(Notice.code.like(f"{prefix}%"))))
    number = len(taken) + 1
    while f"{prefix}{number:03d}" in taken:
        number += 1
    return f"{prefix}{number:03d}"


NOTICES = register(RecordType(
    model=Notice, name="notice", plural="notices", label=_l("通知公告"), form=NoticeForm, templates="admin/notices",
    public_path=lambda notice: f"/notices/{notice.code}/", title=lambda notice: notice.title,
    title_column=Notice.title, list_query=lambda: select(Notice).order_by(Notice.date.desc(), Notice.code),
    department_column=Notice.department_id, setup_form=_setup_form, apply=_apply, prefill=_prefill,
    extra={"markdown_hint": MARKDOWN_HINT},
))
