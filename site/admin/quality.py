"""Completeness and freshness of each department's items (事项质量): what a supervisor checks first.

An item is *incomplete* when it lacks something it must have before it may be published
(``workflow.missing_field_names``: the same rule the submit button applies), and *stale* when its
public version has not been reviewed (published again) for ``SUNSHINE_STALE_MONTHS`` months —
service guides go out of date when fees, forms or laws change. Office staff see their own
department, the centre every department.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..db import db
from ..models import PUBLISHED, Department, ServiceItem
from ..policy import Action, scope
from ..workflow import missing_field_names
from . import bp
from .permissions import authorize


@dataclass
class DepartmentQuality:
    department: Department
    items: int = 0
    incomplete: list[tuple[ServiceItem, list[str]]] = field(default_factory=list)
    stale: list[ServiceItem] = field(default_factory=list)


def stale_before(today: dt.date, months: int) -> dt.date:
    """Items last published before this day are stale: the same day ``months`` months ago (or that month's last)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


@bp.get("/quality")
def quality():
    authorize(Action.VIEW)
    months = int(current_app.config["SUNSHINE_STALE_MONTHS"])
    cutoff = stale_before(clock.today(), months)
    departments = scope(current_user)
    stmt = select(Department).order_by(Department.code)
    if departments is not None:
        stmt = stmt.where(Department.id.in_(departments or {-1}))
    chosen = request.args.get("department", "")
    rows: dict[int, DepartmentQuality] = {d.id: DepartmentQuality(d) for d in db.session.scalars(stmt)}
    items = db.session.scalars(
        select(ServiceItem).where(ServiceItem.department_id.in_(rows or {-1}))
        .options(selectinload(ServiceItem.materials), selectinload(ServiceItem.steps))
        .order_by(ServiceItem.code))
    for item in items:
        row = rows[item.department_id]
        row.items += 1
        missing = missing_field_names(item)
        if missing:
            row.incomplete.append((item, [message for _, message in missing]))
        if item.state == PUBLISHED and item.published_at is not None and clock.to_cn_date(item.published_at) < cutoff:
            row.stale.append(item)
    shown = [row for row in rows.values() if not chosen or row.department.code == chosen]
    return render_template("admin/quality.html", rows=list(rows.values()), shown=shown, chosen=chosen,
                           months=months, cutoff=cutoff)
