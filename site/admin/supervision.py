"""电子监察 in the back office: the supervisor's board, 催办 (urges), and 已阅 by the department.

``/admin/supervision`` (supervisor and admin only) lists the red (overdue) and
yellow (due within ``SUNSHINE_WARNING_DAYS`` working days) open cases,
complaints and unanswered online questions (网上咨询) of every department, computed live from the deadlines with the same
rule as ``sunshine tick``, with counts per department and one 催办 form per case
or complaint row (an ``Urge`` has no question target, so questions are listed only).
Every urge is stored as an ``Urge`` (a complaint's also as a "催办" history
event) and shown at the top of that department's work pages until one of its
staff marks it 已阅 (``pending_urges`` + ``templates/admin/_urges.html``).

It never shows an applicant's or complainant's name, phone or ID number (a
board row names the case or complaint, its item or subject and department), and
it never lets office staff urge or acknowledge another department's urges: every
refusal is decided on the server (403) by ``permissions``. The rows, counts and
pending urges come from ``sunshine.site.supervision_board``; this module only
translates HTTP.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField

from sunshine.contract.codes import CASE_OPEN_STATUSES

from .. import clock
from .. import supervision_board as board
from ..complaints.lifecycle import ActionRefused, apply_action, warn_days
from ..db import db
from ..models import URGE_TARGETS, Complaint, Department, ServiceCase, Urge, User
from ..supervision import RED, YELLOW
from ..url_ids import whole_number
from . import bp
from .forms.common import AdminForm, Required, max_length, strip
from .permissions import (
    Action,
    can_acknowledge,
    can_see_urges,
    department_scope,
    fetch_authorized,
    requires,
)

#: Longest 催办 note.
NOTE_MAX = 500
LIGHT_FILTERS = {"": _l("红牌和黄牌"), RED: _l("只看红牌（已超期）"), YELLOW: _l("只看黄牌（即将到期）")}


class UrgeForm(AdminForm):
    """One 催办: what is urged (kind + id, hidden in each row) and the supervisor's note."""

    kind = HiddenField()
    target_id = HiddenField()
    note = TextAreaField(_l("催办意见"), filters=[strip], validators=[
        Required(_l("请填写催办意见（例如：已超期2个工作日，请于今天内办结并说明原因）。")), max_length(NOTE_MAX)])


def pending_urges(user: User, kind: str | None = None, limit: int = 50) -> list[board.PendingUrge]:
    """Unacknowledged urges the user should see (own department; all for centre roles), newest first."""
    if not can_see_urges(user):
        return []
    return board.pending_urges(department_scope(user), lambda urge: can_acknowledge(user, urge), kind, limit)


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
    cases = board.flagged_cases(today, days, department_id=department_id, level=level or None)
    complaints = board.flagged_complaints(today, days, department_id=department_id, level=level or None)
    questions = board.flagged_questions(today, days, department_id=department_id, level=level or None)
    board.attach_last_urges(cases + complaints)
    departments = list(db.session.scalars(select(Department).order_by(Department.code)))
    html = render_template(
        "admin/supervision/board.html", today=today, warn_days=days, cases=cases, complaints=complaints,
        questions=questions, urge_kinds=URGE_TARGETS,
        counts=board.counts_by_department(today, days), departments=departments, department=department,
        light=level, light_filters=LIGHT_FILTERS, limit=board.BOARD_LIMIT, failed=failed, note_max=NOTE_MAX,
    )
    return html, status


@bp.get("/supervision")
@requires(Action.URGE)
def supervision():
    return _board()


def _back_to_board():
    department, level = _filters()
    args = {k: v for k, v in (("department", department.code if department else ""), ("light", level)) if v}
    return redirect(url_for("admin.supervision", **args))


@bp.post("/supervision/urge")
@requires(Action.URGE)
def supervision_urge():
    form = UrgeForm()
    kind, target_id = form.kind.data or "", whole_number(form.target_id.data, low=1)
    if kind not in URGE_TARGETS or target_id is None:
        return _board(400, {"kind": kind, "id": None, "note": form.note.data or "",
                            "message": _("催办对象不正确，请从列表中选择要催办的办件或投诉。")})
    model = ServiceCase if kind == "case" else Complaint
    target = db.get_or_404(model, target_id)
    failed = {"kind": kind, "id": target.id, "note": form.note.data or ""}
    if not form.validate_on_submit():
        problems = _("；").join(str(error) for error in form.note.errors) or _("请按提示修改。")
        return _board(400, {**failed, "message": _("催办未完成：%(problems)s", problems=problems)})
    moment = clock.now()
    if kind == "case":
        if target.status not in CASE_OPEN_STATUSES:
            return _board(400, {**failed, "message": _("办件 %(number)s 已“%(status)s”，无需催办。",
                                                            number=target.case_no, status=target.status_label)})
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
    flash(_("已催办%(kind)s %(number)s（%(department)s），该部门登录后将在工作台顶部看到。",
            kind=_(URGE_TARGETS[kind]), number=number, department=department), "success")
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
    urge = fetch_authorized(Urge, id, Action.ACKNOWLEDGE_URGE)
    target = _safe_next(request.form.get("next"))
    if urge.acknowledged_at is not None:
        flash(_("这条催办已经标记为已阅。"), "info")
        return redirect(target)
    urge.acknowledged_at = clock.now()
    urge.acknowledged_by = current_user.id
    db.session.commit()
    flash(_("已阅：这条催办不再显示在工作台顶部，请按催办意见抓紧办理。"), "success")
    return redirect(target)
