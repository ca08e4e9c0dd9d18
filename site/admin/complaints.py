"""Complaint handling (投诉处理): the list, one complaint, and the staff actions on it.

Every action goes through ``complaints.lifecycle.apply_action`` (the one set of status rules) and
every "who may" question through ``permissions``; this module only translates HTTP. After an
action is stored the complainant is told of the progress (``notify``) with a message that never
carries the query code, a contact detail or an internal note.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from sunshine.contract.codes import COMPLAINT_DECLINE_REASONS, COMPLAINT_OUTCOMES, NOTIFY_CHANNELS
from sunshine.contract.urls import lookup_url

from .. import clock
from ..complaints.lifecycle import (
    ACTIONS,
    OPEN,
    STAFF_ACTIONS,
    WARNING_LABELS,
    ActionRefused,
    allowed,
    apply_action,
    light,
    reopen_until,
    warning,
)
from ..complaints.outcomes import public_outcome
from ..db import db, within
from ..deadlines import working_days_between
from ..models import COMPLAINT_STATUSES, PUBLISHED, Complaint, Department, Rating, User
from ..notify import notify
from ..search_docs import index_record
from . import bp
from .forms.complaints import FORMS, AdminForm
from .permissions import (
    assignable_department_ids,
    can_see_contact,
    can_take_complaint_action,
    can_view_complaint,
    department_scope,
)

STATUS_FILTERS = {"open": _l("未办结"), "all": _l("全部"), **COMPLAINT_STATUSES}
ACTOR_LABELS = {"citizen": _l("投诉人"), "system": _l("系统")}


def today() -> dt.date:
    return clock.today()


def scoped_complaints(user: User, *, statuses=None) -> list[Complaint]:
    """The complaints the user may see, the most urgent stage deadline first (none owed last)."""
    stmt = select(Complaint).order_by(Complaint.due_on.is_(None), Complaint.due_on, Complaint.tracking_no)
    scope = department_scope(user)
    if scope is not None:
        stmt = stmt.where(within(Complaint.department_id, scope))
    if statuses is not None:
        stmt = stmt.where(Complaint.status.in_(statuses))
    return list(db.session.scalars(stmt))


@bp.get("/complaints")
def complaints():
    status = request.args.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    statuses = OPEN if status == "open" else None if status == "all" else (status,)
    rows = scoped_complaints(current_user, statuses=statuses)
    day = today()
    return render_template("admin/complaints/list.html", complaints=rows, status=status,
                           filters=STATUS_FILTERS, warnings={c.id: warning(c, day) for c in rows},
                           warning_labels=WARNING_LABELS)


# ---------------------------------------------------------------- one complaint


def _may(complaint: Complaint, action: str) -> bool:
    return (can_take_complaint_action(current_user, complaint, ACTIONS[action].by)
            and allowed(complaint, action))


def _department_choices(complaint: Complaint, action: str) -> list[tuple[str, str]]:
    """交办: a clerk's own department, the administrator's any published one; 改派: any other published."""
    stmt = select(Department).order_by(Department.code)
    ids = assignable_department_ids(current_user) if action == "assign" else None
    if ids is not None:
        stmt = stmt.where(Department.id.in_(ids))
    else:
        stmt = stmt.where(Department.state == PUBLISHED)
    if action == "reassign":
        stmt = stmt.where(Department.id != complaint.department_id)
    return [(str(d.id), d.name) for d in db.session.scalars(stmt)]


def _form(complaint: Complaint, action: str, *, posted: bool) -> AdminForm:
    form = FORMS[action](prefix=action, **({} if posted else {"formdata": None}))
    if "department" in form:
        form.department.choices = [("", _("请选择")), *_department_choices(complaint, action)]
        if not posted and action == "assign":  # preselect the complaint's department when offered
            offered = {value for value, _label in form.department.choices}
            form.department.data = str(complaint.department_id) if str(complaint.department_id) in offered else ""
    return form


def _history(complaint: Complaint) -> list[dict]:
    ids = {e.user_id for e in complaint.events if e.user_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    rows = []
    for event in complaint.events:
        user = users.get(event.user_id) if event.user_id else None
        who = (user.display_name or user.username) if user else str(ACTOR_LABELS.get(event.actor, _("工作人员")))
        rows.append({"event": event, "who": who})
    return rows


def _preview(complaint: Complaint) -> dict | None:
    """What the public outcome list will show of this complaint (masked), when the complainant consented."""
    if not complaint.publish_consent:
        return None
    item = complaint.item
    item_codes = {item.code} if item is not None and item.state == PUBLISHED else set()
    return public_outcome(complaint, complaint.department.code, item_codes)


def _deadlines(complaint: Complaint, day: dt.date) -> dict:
    due = complaint.due_on
    return {
        "light": light(complaint, day), "warning": warning(complaint, day),
        "days_left": working_days_between(day, due) if due else None,
        "days_over": working_days_between(due, day) if due else None,
        "reopen_until": reopen_until(complaint),
    }


def _render(complaint: Complaint, forms: dict | None = None, refused: str | None = None) -> str:
    forms = dict(forms or {})
    for name in STAFF_ACTIONS:
        if name not in forms and _may(complaint, name):
            forms[name] = _form(complaint, name, posted=False)
    ordered = {name: forms[name] for name in STAFF_ACTIONS if name in forms}
    rating = db.session.scalars(select(Rating).where(Rating.complaint_id == complaint.id)).first()
    return render_template(
        "admin/complaints/detail.html", complaint=complaint, forms=ordered, actions=ACTIONS,
        refused=refused, history=_history(complaint), warning_labels=WARNING_LABELS,
        deadlines=_deadlines(complaint, today()), rating=rating,
        show_contact=can_see_contact(current_user, complaint), notify_labels=NOTIFY_CHANNELS,
        preview=_preview(complaint), outcome_labels=COMPLAINT_OUTCOMES,
    )


def _visible(id: int) -> Complaint:
    complaint = db.get_or_404(Complaint, id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    return complaint


@bp.get("/complaints/<int:id>")
def complaint(id: int):
    return _render(_visible(id))


@bp.post("/complaints/<int:id>/<action>")
def complaint_action(id: int, action: str):
    if action not in STAFF_ACTIONS:
        abort(404)
    complaint = _visible(id)
    spec = ACTIONS[action]
    if not can_take_complaint_action(current_user, complaint, spec.by):
        abort(403)
    if not allowed(complaint, action):
        return _render(complaint, refused=_("该投诉当前为“%(status)s”，不能%(action)s。",
                                                     status=complaint.status_label, action=_(spec.label))), 400
    form = _form(complaint, action, posted=True)
    if not form.validate_on_submit():
        return _render(complaint, {action: form}, refused=_("%(action)s未完成，请按提示修改。", action=_(spec.label))), 400
    data = {name: form[name].data for name in ("note", "public_note", "reply") if name in form}
    department = db.session.get(Department, int(form.department.data)) if "department" in form else None
    try:
        apply_action(complaint, action, user_id=current_user.id, note=data.get("note", ""),
                     public_note=data.get("public_note", ""), reply=data.get("reply"),
                     outcome=form.outcome.data if "outcome" in form else None,
                     reason=form.reason.data if "reason" in form else None, department=department)
    except ActionRefused as exc:
        db.session.rollback()
        return _render(complaint, {action: form}, refused=str(exc)), 400
    db.session.commit()
    index_record(complaint)
    notify(complaint, *progress_message(complaint, action))
    flash(_("已%(action)s：%(number)s", action=_(spec.label), number=complaint.tracking_no), "success")
    return redirect(url_for("admin.complaint", id=complaint.id))


# ---------------------------------------------------------------- telling the complainant


def _day(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def progress_message(complaint: Complaint, action: str) -> tuple[str, str]:
    """(subject, body) of the progress notice after a staff action: the status, what happens next and
    where to look it up. Never the query code, a contact detail or an internal note."""
    number = complaint.tracking_no
    department = complaint.department.name
    due = _day(complaint.due_on)
    if action == "accept":
        text = f"您的投诉{number}已受理，将于{due}前答复。"
    elif action == "decline":
        reason = COMPLAINT_DECLINE_REASONS.get(complaint.decline_reason, "")
        text = f"您的投诉{number}不予受理（{reason}），理由说明请查询。"
    elif action == "assign":
        text = f"您的投诉{number}已交{department}办理，将于{due}前答复。"
    elif action == "reassign":
        then = f"将于{due}前{'受理' if complaint.status == 'received' else '答复'}" if due else "正在办理"
        text = f"您的投诉{number}已改由{department}办理，{then}。"
    elif action == "reply":
        text = f"您的投诉{number}已答复，请查询答复意见。"
    elif action == "close":
        until = reopen_until(complaint)
        text = f"您的投诉{number}已办结（{complaint.outcome_label}）。"
        if until:
            text += f"如对处理结果不满意，可在{_day(until)}前申请重新办理一次；也请告诉我们问题是否解决。"
    else:  # urge
        text = f"效能监察部门已督促办理您的投诉{number}。"
    where = lookup_url(current_app.config.get("SUNSHINE_INTAKE_URL", ""))
    return f"投诉{number}{ACTIONS[action].label}", f"{text}凭投诉编号和查询码在 {where} 查询办理进度。"
