"""Opening a rectification work order (整改) for a bad rating, with its stage deadlines.

Pure rules over the models (no request, no commit). Each stage is due a
configurable number of working days after the rating (app setting
``SUNSHINE_RECTIFICATION_DAYS``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from .. import clock
from ..db import db
from ..deadlines import add_working_days
from ..models import Rating, Rectification

DEFAULT_DAYS = {"contact": 1, "finding": 3, "rectify": 5, "answer": 5}


def next_code(day: dt.date) -> str:
    """ZG<year>-<4 digits>: numbered per year, in order of opening."""
    prefix = f"ZG{day.year}-"
    count = db.session.scalar(
        select(func.count()).select_from(Rectification).where(Rectification.code.like(prefix + "%")))
    return f"{prefix}{count + 1:04d}"


def open_work_order(rating: Rating, days: dict[str, int] | None = None, *, code: str | None = None) -> Rectification:
    """The work order of a bad rating (added to the session); None-safe callers check ``is_bad``."""
    if not rating.is_bad:
        raise ValueError("only a bad rating (不满意 / 非常不满意) opens a rectification work order")
    days = {**DEFAULT_DAYS, **(days or {})}
    opened = clock.to_cn_date(rating.created_at)
    work_order = Rectification(
        code=code or next_code(opened), rating=rating, department_id=rating.department_id,
        status="open", opened_on=opened,
        contact_due=add_working_days(opened, days["contact"]),
        finding_due=add_working_days(opened, days["finding"]),
        rectify_due=add_working_days(opened, days["rectify"]),
        answer_due=add_working_days(opened, days["answer"]),
    )
    db.session.add(work_order)
    return work_order
