"""工作台: 催办 awaiting 已阅 first, then who I am, my records by state, unpublished changes,
red/yellow cases, complaints with warnings, and online questions awaiting an answer (红黄牌 counts
and list) — all scoped to the user's department.

It only reads; it never shows an applicant's or complainant's private contact.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from .. import supervision_board
from ..complaints.lifecycle import OPEN, WARNING_LABELS, warn_days, warning
from ..db import db, within
from ..jobs import live_build, recent_jobs
from ..models import STATES, Department, Notice, ServiceItem
from . import bp
from .complaints import scoped_complaints, today
from .permissions import department_scope

#: (model, name (translated when shown), column holding the department, edit endpoint, title attribute)
KINDS = (
    (ServiceItem, _l("服务事项"), ServiceItem.department_id, "admin.item_edit", "name"),
    (Notice, _l("通知公告"), Notice.department_id, "admin.notice_edit", "title"),
    (Department, _l("部门信息"), Department.id, "admin.department_edit", "name"),
)


#: Red/yellow cases listed on the 工作台 (the 电子监察 board lists more).
FLAGGED_LIMIT = 100


def _scoped(stmt, column):
    scope = department_scope(current_user)
    return stmt.where(within(column, scope))


def state_counts() -> list[dict]:
    rows = []
    for model, label, column, _endpoint, _title in KINDS:
        counts = dict(db.session.execute(
            _scoped(select(model.state, func.count()).group_by(model.state), column)).all())
        changed = db.session.scalar(_scoped(
            select(func.count()).select_from(model).where(model.has_unpublished_changes.is_(True)), column))
        rows.append({"label": label, "counts": {s: counts.get(s, 0) for s in STATES},
                     "total": sum(counts.values()), "changed": changed})
    return rows


def unpublished_changes(limit: int = 30) -> list[dict]:
    found = []
    for model, label, column, endpoint, title in KINDS:
        stmt = _scoped(select(model).where(model.has_unpublished_changes.is_(True)), column)
        for record in db.session.scalars(stmt.order_by(model.updated_at.desc()).limit(limit)):
            found.append({"kind": label, "title": getattr(record, title), "record": record,
                          "endpoint": endpoint})
    found.sort(key=lambda r: r["record"].updated_at, reverse=True)
    return found[:limit]


@bp.get("/")
def dashboard():
    complaints = scoped_complaints(current_user, statuses=OPEN)
    day = today()
    days = warn_days()
    return render_template(
        "admin/dashboard.html", counts=state_counts(), changes=unpublished_changes(),
        publish_jobs=recent_jobs(), live=live_build(current_app),
        complaints=complaints, warnings={c.id: warning(c, day, days) for c in complaints},
        warning_labels=WARNING_LABELS, warn_days=days, flagged_limit=FLAGGED_LIMIT,
        flagged_cases=supervision_board.flagged_cases(day, days, department_id=department_scope(current_user),
                                                      limit=FLAGGED_LIMIT),
        question_counts=supervision_board.question_counts(day, days, department_scope(current_user)),
        flagged_questions=supervision_board.flagged_questions(
            day, days, department_id=department_scope(current_user), limit=FLAGGED_LIMIT),
    )
