"""Opening a rectification work order (整改) for a bad rating, with its stage deadlines.

Pure rules over the models (no request, no commit). Each stage is due a
configurable number of working days after the rating (app setting
``SUNSHINE_RECTIFICATION_DAYS``). A rater who left no phone cannot be called
back, so the 回访 stage of such an order is recorded as not needed the moment
it opens. This module never touches a rating's level, comment or target.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from sunshine.contract.codes import BAD_RATING_MAX

from .. import clock
from ..db import db
from ..deadlines import add_working_days
from ..models import Rating, Rectification

DEFAULT_DAYS = {"contact": 1, "finding": 3, "rectify": 5, "answer": 5}
#: What the 回访 stage says when the rater left no way to reach them.
NO_CONTACT_NOTE = "评价人未留联系方式，无需回访"


def next_code(day: dt.date) -> str:
    """ZG<year>-<4 digits>: numbered per year, one more than the highest number so far."""
    prefix = f"ZG{day.year}-"
    last = db.session.scalar(
        select(Rectification.code).where(Rectification.code.like(prefix + "%"))
        .order_by(func.length(Rectification.code).desc(), Rectification.code.desc()).limit(1))
    number = int(last.removeprefix(prefix)) if last and last.removeprefix(prefix).isdigit() else 0
    return f"{prefix}{number + 1:04d}"


def open_work_order(rating: Rating, days: dict[str, int] | None = None, *, code: str | None = None) -> Rectification:
    """The work order of a bad rating (added to the session); None-safe callers check ``is_bad``.

    Without a contact phone the order starts at 核实 ("contacted"), its 回访 dated the
    day it opened with ``NO_CONTACT_NOTE``.
    """
    if rating.level > BAD_RATING_MAX:
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
        contact_note="", finding="", action="", answer="", appeal_status="", appeal_reason="",
        decision_note="",
    )
    if not (rating.contact_phone or "").strip():  # defaults are not applied before a flush
        work_order.status = "contacted"
        work_order.contact_note = NO_CONTACT_NOTE
        work_order.contacted_on = opened
    db.session.add(work_order)
    return work_order
