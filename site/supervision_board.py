"""电子监察 board data: the red and yellow rows, counts per department, and pending 催办.

Built from the database with the same light rule as ``sunshine tick``
(``supervision.warning_level``): red once a running case's, awaiting
complaint's or unanswered online question's (网上咨询) deadline has passed,
yellow within the warning window. Used by the
back office's supervisor board, its dashboard, and the pending-urge banner
(``admin.supervision``). It never handles a request, never decides who may see
what (the caller passes the department scope and the 已阅 rule from
``admin.permissions``), and never puts an applicant's or complainant's name,
phone or ID number in a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sunshine.contract.codes import CASE_RUNNING_STATUSES, WARNING_LEVELS

from .cases.lifecycle import current_warning
from .complaints.lifecycle import AWAITING_REPLY, light
from .db import Scope, db, within
from .deadlines import add_working_days, working_days_between
from .models import URGE_TARGETS, Complaint, Department, Question, ServiceCase, Urge, User
from .questions import answering
from .supervision import RED, YELLOW

#: Rows shown per list on the board (the per-department counts always cover everything).
BOARD_LIMIT = 500


@dataclass
class Flagged:
    """One red or yellow row of the board (no private fields)."""

    kind: str
    id: int
    number: str
    title: str
    department: Department
    deadline: dt.date
    light: str
    #: Working days overdue (red) or left (yellow; 0 = due today).
    days: int
    status_label: str
    url: str | None = None
    last_urge: Urge | None = None
    urged_by: str = ""

    @property
    def light_label(self) -> str:
        return WARNING_LEVELS[self.light]


@dataclass
class PendingUrge:
    """An unacknowledged urge as the department sees it."""

    urge: Urge
    kind_label: str
    number: str
    title: str
    department_name: str
    url: str | None
    who: str
    can_acknowledge: bool


def _days(deadline: dt.date, today: dt.date, level: str) -> int:
    return working_days_between(deadline, today) if level == RED else working_days_between(today, deadline)


def _deadline_window(column, today: dt.date, days: int, level: str | None):
    """Conditions on a deadline column selecting red, yellow, or both (None)."""
    if level == RED:
        return (column < today,)
    threshold = add_working_days(today, days)
    if level == YELLOW:
        return (column >= today, column <= threshold)
    return (column <= threshold,)


def case_url(case_id: int) -> str | None:
    """The back-office page of a case, if that page exists in this build."""
    if "admin.case" not in current_app.view_functions:
        return None
    return url_for("admin.case", id=case_id)


def flagged_cases(today: dt.date, days: int, *, department_id: Scope = None, level: str | None = None,
                  limit: int = BOARD_LIMIT) -> list[Flagged]:
    """Running cases that are red or yellow today, most overdue first."""
    stmt = (select(ServiceCase).options(joinedload(ServiceCase.item), joinedload(ServiceCase.department))
            .where(ServiceCase.status.in_(CASE_RUNNING_STATUSES), ServiceCase.deadline.is_not(None),
                   *_deadline_window(ServiceCase.deadline, today, days, level))
            .order_by(ServiceCase.deadline, ServiceCase.case_no).limit(limit))
    if department_id is not None:
        stmt = stmt.where(within(ServiceCase.department_id, department_id))
    rows = []
    for case in db.session.scalars(stmt):
        found = current_warning(case, today, days)
        rows.append(Flagged(kind="case", id=case.id, number=case.case_no, title=case.item.name,
                            department=case.department, deadline=case.deadline, light=found,
                            days=_days(case.deadline, today, found), status_label=case.status_label,
                            url=case_url(case.id)))
    return rows


def flagged_complaints(today: dt.date, days: int, *, department_id: Scope = None,
                       level: str | None = None, limit: int = BOARD_LIMIT) -> list[Flagged]:
    """Complaints awaiting an answer that are red or yellow today, most overdue first."""
    stmt = (select(Complaint).options(joinedload(Complaint.department))
            .where(Complaint.status.in_(AWAITING_REPLY), Complaint.due_on.is_not(None),
                   *_deadline_window(Complaint.due_on, today, days, level))
            .order_by(Complaint.due_on, Complaint.tracking_no).limit(limit))
    if department_id is not None:
        stmt = stmt.where(within(Complaint.department_id, department_id))
    rows = []
    for complaint in db.session.scalars(stmt):
        found = light(complaint, today, days)
        rows.append(Flagged(kind="complaint", id=complaint.id, number=complaint.tracking_no,
                            title=complaint.subject, department=complaint.department,
                            deadline=complaint.due_on, light=found, days=_days(complaint.due_on, today, found),
                            status_label=complaint.status_label,
                            url=url_for("admin.complaint", id=complaint.id)))
    return rows


def question_url(question_id: int) -> str | None:
    """The back-office page of a question, if that page exists in this build."""
    if "admin.question" not in current_app.view_functions:
        return None
    return url_for("admin.question", id=question_id)


def flagged_questions(today: dt.date, days: int, *, department_id: Scope = None,
                      level: str | None = None, limit: int = BOARD_LIMIT) -> list[Flagged]:
    """Online questions awaiting an answer that are red or yellow today, most overdue first."""
    stmt = (select(Question).options(joinedload(Question.department))
            .where(Question.status == "received", *_deadline_window(Question.deadline, today, days, level))
            .order_by(Question.deadline, Question.tracking_no).limit(limit))
    if department_id is not None:
        stmt = stmt.where(within(Question.department_id, department_id))
    rows = []
    for question in db.session.scalars(stmt):
        found = answering.light(question, today, days)
        rows.append(Flagged(kind="question", id=question.id, number=question.tracking_no,
                            title=question.subject, department=question.department,
                            deadline=question.deadline, light=found, days=_days(question.deadline, today, found),
                            status_label=question.status_label, url=question_url(question.id)))
    return rows


def _grouped(model, statuses, today: dt.date, days: int, level: str,
             department_id: Scope = None) -> dict[int, int]:
    column = model.due_on if model is Complaint else model.deadline
    stmt = (select(model.department_id, func.count())
            .where(model.status.in_(statuses), column.is_not(None), *_deadline_window(column, today, days, level))
            .group_by(model.department_id))
    if department_id is not None:
        stmt = stmt.where(within(model.department_id, department_id))
    return dict(db.session.execute(stmt).all())


def question_counts(today: dt.date, days: int, department_id: Scope = None) -> dict[str, int]:
    """Questions awaiting an answer (of one department, or all): how many, how many red and yellow."""
    waiting = select(func.count()).select_from(Question).where(Question.status == "received")
    if department_id is not None:
        waiting = waiting.where(within(Question.department_id, department_id))
    return {"waiting": db.session.scalar(waiting) or 0,
            **{name: sum(_grouped(Question, ("received",), today, days, level, department_id).values())
               for name, level in (("red", RED), ("yellow", YELLOW))}}


def counts_by_department(today: dt.date, days: int) -> list[dict]:
    """Per department: red and yellow cases, complaints and questions; the slowest windows first."""
    kinds = {"cases": (ServiceCase, CASE_RUNNING_STATUSES), "complaints": (Complaint, AWAITING_REPLY),
             "questions": (Question, ("received",))}
    columns = {f"{kind}_{name}": _grouped(model, statuses, today, days, level)
               for kind, (model, statuses) in kinds.items() for name, level in (("red", RED), ("yellow", YELLOW))}
    ids = set().union(*columns.values())
    if not ids:
        return []
    departments = {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(ids)))}
    rows = []
    for department_id in ids:
        row = {"department": departments[department_id],
               **{name: counts.get(department_id, 0) for name, counts in columns.items()}}
        row["red"] = row["cases_red"] + row["complaints_red"] + row["questions_red"]
        row["total"] = row["red"] + row["cases_yellow"] + row["complaints_yellow"] + row["questions_yellow"]
        rows.append(row)
    rows.sort(key=lambda r: (-r["red"], -r["total"], r["department"].code))
    return rows


def _user_names(ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u.display_name or u.username for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def attach_last_urges(rows: list[Flagged]) -> None:
    """Fill ``last_urge`` (and who sent it) for every row, two queries in all."""
    for kind, column in (("case", Urge.case_id), ("complaint", Urge.complaint_id)):
        ids = [r.id for r in rows if r.kind == kind]
        if not ids:
            continue
        latest: dict[int, Urge] = {}
        for urge in db.session.scalars(select(Urge).where(column.in_(ids)).order_by(Urge.at.desc(), Urge.id.desc())):
            latest.setdefault(urge.case_id if kind == "case" else urge.complaint_id, urge)
        for row in rows:
            if row.kind == kind:
                row.last_urge = latest.get(row.id)
    names = _user_names({r.last_urge.user_id for r in rows if r.last_urge})
    for row in rows:
        if row.last_urge:
            row.urged_by = names.get(row.last_urge.user_id, "")


def pending_urges(department_id: Scope, can_acknowledge: Callable[[Urge], bool], kind: str | None = None,
                  limit: int = 50) -> list[PendingUrge]:
    """Unacknowledged urges of one department (None = all), newest first.

    ``can_acknowledge`` is the reader's 已阅 rule, applied to each urge.
    """
    stmt = (select(Urge).options(joinedload(Urge.case).joinedload(ServiceCase.item),
                                 joinedload(Urge.complaint), joinedload(Urge.department))
            .where(Urge.acknowledged_at.is_(None)).order_by(Urge.at.desc(), Urge.id.desc()).limit(limit))
    if department_id is not None:
        stmt = stmt.where(within(Urge.department_id, department_id))
    if kind is not None:
        stmt = stmt.where(Urge.target_kind == kind)
    urges = list(db.session.scalars(stmt))
    names = _user_names({u.user_id for u in urges})
    found = []
    for urge in urges:
        if urge.target_kind == "case" and urge.case is not None:
            number, title, url = urge.case.case_no, urge.case.item.name, case_url(urge.case.id)
        elif urge.complaint is not None:
            number, title = urge.complaint.tracking_no, urge.complaint.subject
            url = url_for("admin.complaint", id=urge.complaint.id)
        else:  # pragma: no cover - targets are deleted with their urges (ON DELETE CASCADE)
            continue
        found.append(PendingUrge(
            urge=urge, kind_label=URGE_TARGETS.get(urge.target_kind, urge.target_kind), number=number,
            title=title, department_name=urge.department.short_name or urge.department.name, url=url,
            who=names.get(urge.user_id, "监督员"), can_acknowledge=can_acknowledge(urge)))
    return found
