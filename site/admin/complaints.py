"""Complaint handling (投诉处理): the list, one complaint with its private contact, and the actions."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..db import db
from ..deadlines import working_days_between
from ..models import COMPLAINT_STATUSES, Complaint, User
from ..search_docs import index_record
from . import bp
from ..complaints.lifecycle import (
    ACTIONS,
    OPEN,
    WARNING_LABELS,
    ActionRefused,
    allowed,
    apply_action,
    warning,
)
from .forms.complaints import AssignForm, NoteForm, ReplyForm
from .permissions import can_handle_complaint, can_urge, can_view_complaint, department_scope

FORMS = {"accept": NoteForm, "assign": AssignForm, "reply": ReplyForm, "close": NoteForm, "urge": NoteForm}
STATUS_FILTERS = {"open": "未办结", "all": "全部", **COMPLAINT_STATUSES}


def today() -> dt.date:
    return clock.today()


def scoped_complaints(user: User, *, statuses=None) -> list[Complaint]:
    stmt = select(Complaint).order_by(Complaint.deadline, Complaint.tracking_no)
    scope = department_scope(user)
    if scope is not None:
        stmt = stmt.where(Complaint.department_id == scope)
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


def _may(complaint: Complaint, action: str) -> bool:
    permitted = can_urge(current_user) if action == "urge" else can_handle_complaint(current_user, complaint)
    return permitted and allowed(complaint, action)


def _render(complaint: Complaint, forms: dict | None = None, refused: str | None = None) -> str:
    forms = forms or {}
    for name, form_class in FORMS.items():
        if name not in forms and _may(complaint, name):
            forms[name] = form_class(prefix=name, formdata=None)
    user_ids = {e.user_id for e in complaint.events if e.user_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    day = today()
    return render_template(
        "admin/complaints/detail.html", complaint=complaint, forms=forms, actions=ACTIONS,
        refused=refused, users=users, warning=warning(complaint, day), warning_labels=WARNING_LABELS,
        days_left=working_days_between(day, complaint.deadline),
        days_over=working_days_between(complaint.deadline, day),
    )


@bp.get("/complaints/<int:id>")
def complaint(id: int):
    complaint = db.get_or_404(Complaint, id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    return _render(complaint)


@bp.post("/complaints/<int:id>/<action>")
def complaint_action(id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    complaint = db.get_or_404(Complaint, id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    if action == "urge" and not can_urge(current_user):
        abort(403)
    if action != "urge" and not can_handle_complaint(current_user, complaint):
        abort(403)
    form = FORMS[action](prefix=action)
    if not form.validate_on_submit():
        return _render(complaint, {action: form}, refused="操作未完成，请按提示修改。"), 400
    try:
        apply_action(complaint, action, user_id=current_user.id, note=form.note.data if "note" in form else "",
                     reply=form.reply.data if "reply" in form else None)
    except ActionRefused as exc:
        db.session.rollback()
        return _render(complaint, {action: form}, refused=str(exc)), 400
    db.session.commit()
    index_record(complaint)
    flash(f"已{ACTIONS[action].label}：{complaint.tracking_no}", "success")
    return redirect(url_for("admin.complaint", id=complaint.id))
