"""电子监察 in the back office: the supervisor's board, 催办 (urges), and 已阅 by the department.

``/admin/supervision`` (supervisor and admin only) lists the red (overdue) and
yellow (due within ``SUNSHINE_WARNING_DAYS`` working days) open cases and
complaints of every department, computed live from the deadlines with the same
rule as ``sunshine tick``, with counts per department and one 催办 form per row.
Every urge is stored as an ``Urge`` (a complaint's also as a "催办" history
event) and shown at the top of that department's work pages until one of its
staff marks it 已阅 (``pending_urges`` + ``templates/admin/_urges.html``).

It never shows an applicant's or complainant's name, phone or ID number (a
board row names the case or complaint, its item or subject and department), and
it never lets office staff urge or acknowledge another department's urges: every
refusal is decided here on the server (403).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField, TextAreaField

from sunshine.contract.codes import CASE_OPEN_STATUSES, CASE_RUNNING_STATUSES, WARNING_LEVELS

from .. import clock
from ..cases.lifecycle import current_warning
from ..db import db
from ..deadlines import add_working_days, working_days_between
from ..models import URGE_TARGETS, Complaint, Department, ServiceCase, Urge, User
from ..supervision import RED, YELLOW
from . import bp
from .complaint_handling import AWAITING_REPLY, ActionRefused, apply_action, light, warn_days
from .forms.common import AdminForm, Required, max_length, strip
from .permissions import CENTER_ROLES, OFFICE_ROLES, can_urge, department_scope, roles_required

#: Rows shown per list on the board (the per-department counts always cover everything).
BOARD_LIMIT = 500
#: Longest 催办 note.
NOTE_MAX = 500
LIGHT_FILTERS = {"": "红牌和黄牌", RED: "只看红牌（已超期）", YELLOW: "只看黄牌（即将到期）"}


class UrgeForm(AdminForm):
    """One 催办: what is urged (kind + id, hidden in each row) and the supervisor's note."""

    kind = HiddenField()
    target_id = HiddenField()
    note = TextAreaField("催办意见", filters=[strip], validators=[
        Required("请填写催办意见（例如：已超期2个工作日，请于今天内办结并说明原因）。"), max_length(NOTE_MAX)])


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


# ---------------------------------------------------------------- queries


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


def flagged_cases(today: dt.date, days: int, *, department_id: int | None = None, level: str | None = None,
                  limit: int = BOARD_LIMIT) -> list[Flagged]:
    """Running cases that are red or yellow today, most overdue first."""
    stmt = (select(ServiceCase).options(joinedload(ServiceCase.item), joinedload(ServiceCase.department))
            .where(ServiceCase.status.in_(CASE_RUNNING_STATUSES), ServiceCase.deadline.is_not(None),
                   *_deadline_window(ServiceCase.deadline, today, days, level))
            .order_by(ServiceCase.deadline, ServiceCase.case_no).limit(limit))
    if department_id is not None:
        stmt = stmt.where(ServiceCase.department_id == department_id)
    rows = []
    for case in db.session.scalars(stmt):
        found = current_warning(case, today, days)
        rows.append(Flagged(kind="case", id=case.id, number=case.case_no, title=case.item.name,
                            department=case.department, deadline=case.deadline, light=found,
                            days=_days(case.deadline, today, found), status_label=case.status_label,
                            url=case_url(case.id)))
    return rows


def flagged_complaints(today: dt.date, days: int, *, department_id: int | None = None,
                       level: str | None = None, limit: int = BOARD_LIMIT) -> list[Flagged]:
    """Complaints awaiting an answer that are red or yellow today, most overdue first."""
    stmt = (select(Complaint).options(joinedload(Complaint.department))
            .where(Complaint.status.in_(AWAITING_REPLY), *_deadline_window(Complaint.deadline, today, days, level))
            .order_by(Complaint.deadline, Complaint.tracking_no).limit(limit))
    if department_id is not None:
        stmt = stmt.where(Complaint.department_id == department_id)
    rows = []
    for complaint in db.session.scalars(stmt):
        found = light(complaint, today, days)
        rows.append(Flagged(kind="complaint", id=complaint.id, number=complaint.tracking_no,
                            title=complaint.subject, department=complaint.department,
                            deadline=complaint.deadline, light=found, days=_days(complaint.deadline, today, found),
                            status_label=complaint.status_label,
                            url=url_for("admin.complaint", id=complaint.id)))
    return rows


def _grouped(model, statuses, today: dt.date, days: int, level: str) -> dict[int, int]:
    column = model.deadline
    return dict(db.session.execute(
        select(model.department_id, func.count())
        .where(model.status.in_(statuses), column.is_not(None), *_deadline_window(column, today, days, level))
        .group_by(model.department_id)).all())


def counts_by_department(today: dt.date, days: int) -> list[dict]:
    """Per department: red and yellow cases and complaints; the slowest windows first."""
    columns = {
        "cases_red": _grouped(ServiceCase, CASE_RUNNING_STATUSES, today, days, RED),
        "cases_yellow": _grouped(ServiceCase, CASE_RUNNING_STATUSES, today, days, YELLOW),
        "complaints_red": _grouped(Complaint, AWAITING_REPLY, today, days, RED),
        "complaints_yellow": _grouped(Complaint, AWAITING_REPLY, today, days, YELLOW),
    }
    ids = set().union(*columns.values())
    if not ids:
        return []
    departments = {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(ids)))}
    rows = []
    for department_id in ids:
        row = {"department": departments[department_id],
               **{name: counts.get(department_id, 0) for name, counts in columns.items()}}
        row["red"] = row["cases_red"] + row["complaints_red"]
        row["total"] = row["red"] + row["cases_yellow"] + row["complaints_yellow"]
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


def can_acknowledge(user: User, urge: Urge) -> bool:
    """已阅: the urged department's own staff, or the administrator."""
    if user.role == "admin":
        return True
    return user.role in OFFICE_ROLES and user.department_id == urge.department_id


def pending_urges(user: User, kind: str | None = None, limit: int = 50) -> list[PendingUrge]:
    """Unacknowledged urges the user should see (own department; all for centre roles), newest first."""
    if not user.is_authenticated or (user.role not in CENTER_ROLES and user.role not in OFFICE_ROLES):
        return []
    stmt = (select(Urge).options(joinedload(Urge.case).joinedload(ServiceCase.item),
                                 joinedload(Urge.complaint), joinedload(Urge.department))
            .where(Urge.acknowledged_at.is_(None)).order_by(Urge.at.desc(), Urge.id.desc()).limit(limit))
    scope = department_scope(user)
    if scope is not None:
        stmt = stmt.where(Urge.department_id == scope)
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
            who=names.get(urge.user_id, "监督员"), can_acknowledge=can_acknowledge(user, urge)))
    return found


@bp.context_processor
def urge_helpers() -> dict:
    """``pending_urges(kind=None)`` for ``admin/_urges.html`` on any back-office page."""
    return {"pending_urges": lambda kind=None: pending_urges(current_user, kind)}


# ---------------------------------------------------------------- the board


def _filters() -> tuple[Department | None, str]:
    code = request.values.get("department", "")
    department = db.session.scalars(select(Department).where(Department.code == code)).first() if code else None
    level = request.values.get("light", "")
    return department, level if level in LIGHT_FILTERS else ""


def _board(status: int = 200, failed: dict | None = None):
    today = clock.today()
    days = warn_days()
    department, level = _filters()
    department_id = department.id if department else None
    cases = flagged_cases(today, days, department_id=department_id, level=level or None)
    complaints = flagged_complaints(today, days, department_id=department_id, level=level or None)
    attach_last_urges(cases + complaints)
    departments = list(db.session.scalars(select(Department).order_by(Department.code)))
    html = render_template(
        "admin/supervision/board.html", today=today, warn_days=days, cases=cases, complaints=complaints,
        counts=counts_by_department(today, days), departments=departments, department=department,
        light=level, light_filters=LIGHT_FILTERS, limit=BOARD_LIMIT, failed=failed, note_max=NOTE_MAX,
    )
    return html, status


@bp.get("/supervision")
@roles_required(*CENTER_ROLES)
def supervision():
    return _board()


def _back_to_board():
    department, level = _filters()
    args = {k: v for k, v in (("department", department.code if department else ""), ("light", level)) if v}
    return redirect(url_for("admin.supervision", **args))


@bp.post("/supervision/urge")
@roles_required(*CENTER_ROLES)
def supervision_urge():
    if not can_urge(current_user):  # pragma: no cover - same roles as the decorator, kept as the policy
        abort(403)
    form = UrgeForm()
    kind, raw_id = form.kind.data or "", (form.target_id.data or "").strip()
    if kind not in URGE_TARGETS or not raw_id.isdigit():
        return _board(400, {"kind": kind, "id": None, "note": form.note.data or "",
                            "message": "催办对象不正确，请从列表中选择要催办的办件或投诉。"})
    model = ServiceCase if kind == "case" else Complaint
    target = db.get_or_404(model, int(raw_id))
    failed = {"kind": kind, "id": target.id, "note": form.note.data or ""}
    if not form.validate_on_submit():
        return _board(400, {**failed, "message": "催办未完成：" + "；".join(form.note.errors or ["请按提示修改。"])})
    moment = clock.now()
    if kind == "case":
        if target.status not in CASE_OPEN_STATUSES:
            return _board(400, {**failed, "message": f"办件 {target.case_no} 已“{target.status_label}”，无需催办。"})
        db.session.add(Urge(target_kind="case", case=target, department_id=target.department_id,
                            note=form.note.data, at=moment, user_id=current_user.id))
        number = target.case_no
    else:
        try:
            apply_action(target, "urge", user_id=current_user.id, note=form.note.data, at=moment)
        except ActionRefused as exc:
            db.session.rollback()
            return _board(400, {**failed, "message": str(exc)})
        number = target.tracking_no
    db.session.commit()
    department = target.department.short_name or target.department.name
    flash(f"已催办{URGE_TARGETS[kind]} {number}（{department}），该部门登录后将在工作台顶部看到。", "success")
    return _back_to_board()


# ---------------------------------------------------------------- the department's side


def _safe_next(value: str | None) -> str:
    """Only a back-office path of this site (never another host) is followed after 已阅."""
    if value:
        parts = urlsplit(value)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/admin/") and "\\" not in value:
            return value
    return url_for("admin.dashboard")


@bp.post("/urges/<int:id>/acknowledge")
def urge_acknowledge(id: int):
    urge = db.get_or_404(Urge, id)
    if not can_acknowledge(current_user, urge):
        abort(403)
    target = _safe_next(request.form.get("next"))
    if urge.acknowledged_at is not None:
        flash("这条催办已经标记为已阅。", "info")
        return redirect(target)
    urge.acknowledged_at = clock.now()
    urge.acknowledged_by = current_user.id
    db.session.commit()
    flash("已阅：这条催办不再显示在工作台顶部，请按催办意见抓紧办理。", "success")
    return redirect(target)
