"""Performance figures (办件统计): counts per department and month, and for the centre.

Computed here, from cases, ratings, rectifications and complaints, and handed
to the snapshot as aggregates only — never a person's data. The rates are not
computed here but by ``sunshine.contract.figures`` from these very counts, so
the published numbers can be re-checked from the open data.

Counting rules (documented on the public figures page too):
- received cases count in the month of their 收件日期; completions, on-time,
  early and on-the-spot completions and rejections in the month of the decision;
- 按时 = decided on or before the promised deadline (extension included);
  提前 = strictly before it; 现场办结 = decided at the window on the day of acceptance;
- ratings count in the month they were given; voided ratings (申诉成立) never count;
  a bad rating is rectified when its work order is closed;
- complaints count in the month received; answered (on time) = answered at all
  (by the deadline), as of the day the figures are computed; due = answered, or
  past the deadline unanswered (the denominator of the on-time rate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, or_, select

from sunshine.contract.figures import DEFAULT_VETO_PERCENT, empty_tally

from . import clock
from .complaints.lifecycle import ACTIONS
from .db import db
from .models import Complaint, ComplaintEvent, Department, Rating, Rectification, ServiceCase

#: The history actions that answer a complaint (see complaints.lifecycle.ACTIONS): a reasoned
#: 不予受理 is an answer too.
ANSWER_ACTIONS = (ACTIONS["reply"].label, ACTIONS["decline"].label)

Tally = dict[str, Any]


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_ending(as_of: dt.date, count: int = 12) -> list[str]:
    """The ``count`` calendar months up to and including the month of ``as_of``, oldest first."""
    year, month = as_of.year, as_of.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:]), 1)


class _Tallies:
    """Tallies by (department id, month); the centre and totals are sums of these."""

    def __init__(self, departments: Iterable[int], months: list[str]) -> None:
        self.months = months
        self.cells: dict[tuple[int, str], Tally] = {
            (d, m): empty_tally() for d in departments for m in months}

    def add(self, department_id: int, day: dt.date, key: str, n: int = 1) -> None:
        cell = self.cells.get((department_id, month_of(day)))
        if cell is not None:  # outside the period or not a public department
            cell[key] += n

    def add_rating(self, department_id: int, day: dt.date, level: int) -> None:
        cell = self.cells.get((department_id, month_of(day)))
        if cell is not None:
            cell["ratings"][str(level)] += 1


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = empty_tally()
    for tally in tallies:
        for key, value in tally.items():
            if isinstance(value, dict):
                for level, n in value.items():
                    total[key][level] += n
            else:
                total[key] += value
    return total


def compute_figures(department_codes: dict[int, str], *, as_of: dt.date | None = None,
                    months: int = 12, veto_percent: int = DEFAULT_VETO_PERCENT) -> dict[str, Any]:
    """The snapshot's ``figures`` section for these departments (id → code), up to ``as_of``."""
    as_of = as_of or clock.today()
    period = months_ending(as_of, months)
    start = _first_day(period[0])
    ids = list(department_codes)
    tallies = _Tallies(ids, period)
    if ids:
        _count_cases(tallies, ids, start, as_of)
        _count_ratings(tallies, ids, start, as_of)
        _count_complaints(tallies, ids, start, as_of)
    departments = []
    for dept_id, code in sorted(department_codes.items(), key=lambda kv: kv[1]):
        rows = [{"month": m, **tallies.cells[(dept_id, m)]} for m in period]
        departments.append({"department": code, "total": _sum(_strip(rows)), "months": rows})
    centre_months = [{"month": m, **_sum(tallies.cells[(d, m)] for d in ids)} for m in period]
    return {
        "as_of": as_of.isoformat(),
        "months": period,
        "veto_percent": veto_percent,
        "centre": {"total": _sum(_strip(centre_months)), "months": centre_months},
        "departments": departments,
    }


def _strip(rows: list[dict]) -> list[Tally]:
    return [{k: v for k, v in row.items() if k != "month"} for row in rows]


def _count_cases(tallies: _Tallies, ids: list[int], start: dt.date, as_of: dt.date) -> None:
    c = ServiceCase
    stmt = select(c.department_id, c.received_on, c.completed_on, c.deadline, c.status, c.on_the_spot).where(
        c.department_id.in_(ids),
        or_(and_(c.received_on >= start, c.received_on <= as_of),
            and_(c.completed_on >= start, c.completed_on <= as_of)),
    )
    for dept_id, received_on, completed_on, deadline, status, on_the_spot in db.session.execute(stmt):
        if start <= received_on <= as_of:
            tallies.add(dept_id, received_on, "cases_received")
        if completed_on is None or not start <= completed_on <= as_of:
            continue
        if status == "rejected":
            tallies.add(dept_id, completed_on, "cases_rejected")
        elif status == "completed":
            tallies.add(dept_id, completed_on, "cases_completed")
            if deadline is not None and completed_on <= deadline:
                tallies.add(dept_id, completed_on, "completed_on_time")
                if completed_on < deadline:
                    tallies.add(dept_id, completed_on, "completed_early")
            if on_the_spot:
                tallies.add(dept_id, completed_on, "completed_on_the_spot")


def _moment_bounds(start: dt.date, as_of: dt.date) -> tuple[dt.datetime, dt.datetime]:
    low = dt.datetime.combine(start, dt.time(), clock.CN_TZ)
    high = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), clock.CN_TZ)
    return low, high


def _count_ratings(tallies: _Tallies, ids: list[int], start: dt.date, as_of: dt.date) -> None:
    low, high = _moment_bounds(start, as_of)
    stmt = (
        select(Rating.department_id, Rating.created_at, Rating.level, Rectification.status)
        .outerjoin(Rectification, Rectification.rating_id == Rating.id)
        .where(Rating.department_id.in_(ids), Rating.status == "valid",
               Rating.created_at >= low, Rating.created_at < high)
    )
    for dept_id, created_at, level, rectification_status in db.session.execute(stmt):
        day = clock.to_cn_date(created_at)
        tallies.add_rating(dept_id, day, level)
        if rectification_status == "closed":
            tallies.add(dept_id, day, "bad_rectified")


def _count_complaints(tallies: _Tallies, ids: list[int], start: dt.date, as_of: dt.date) -> None:
    low, high = _moment_bounds(start, as_of)
    answered = (
        select(ComplaintEvent.complaint_id, func.min(ComplaintEvent.at).label("answered_at"))
        .where(ComplaintEvent.action.in_(ANSWER_ACTIONS), ComplaintEvent.at < high)
        .group_by(ComplaintEvent.complaint_id)
        .subquery()
    )
    stmt = (
        select(Complaint.department_id, Complaint.received_at, Complaint.deadline, answered.c.answered_at)
        .outerjoin(answered, answered.c.complaint_id == Complaint.id)
        .where(Complaint.department_id.in_(ids), Complaint.received_at >= low, Complaint.received_at < high)
    )
    for dept_id, received_at, deadline, answered_at in db.session.execute(stmt):
        day = clock.to_cn_date(received_at)
        tallies.add(dept_id, day, "complaints_received")
        if answered_at is not None or deadline < as_of:
            tallies.add(dept_id, day, "complaints_due")
        if answered_at is not None:
            tallies.add(dept_id, day, "complaints_answered")
            if answered_at.tzinfo is None:
                answered_at = answered_at.replace(tzinfo=dt.UTC)
            if clock.to_cn_date(answered_at) <= deadline:
                tallies.add(dept_id, day, "complaints_answered_on_time")


def public_departments() -> dict[int, str]:
    """id → code of the departments whose figures may be published."""
    from .models import PUBLISHED

    rows = db.session.execute(select(Department.id, Department.code).where(Department.state == PUBLISHED))
    return {dept_id: code for dept_id, code in rows}
