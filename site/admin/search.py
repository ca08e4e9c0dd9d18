"""Back-office search over every record the user may see."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import COMPLAINT_STATUSES, STATE_LABELS
from ..search_docs import search_index
from . import bp
from .permissions import search_departments

KIND_LABELS = {"item": _l("服务事项"), "department": _l("部门信息"), "notice": _l("通知公告"),
               "channel": _l("投诉渠道"), "complaint": _l("投诉"), "question": _l("网上咨询")}
MAX_QUERY = 100


def state_label(kind: str, state: str) -> str:
    if kind == "complaint":
        return COMPLAINT_STATUSES.get(state, state)  # the contract's code list: stays as it is
    return _(STATE_LABELS[state]) if state in STATE_LABELS else state


@bp.get("/search")
def search():
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    hits, failed, suggestions, relaxed, total, corrected = [], False, (), False, 0, ""
    if query:
        try:
            found = search_index().find(query, departments=search_departments(current_user), limit=50)
        except Exception:  # a broken index must not break the back office
            current_app.logger.exception("back-office search failed for %r", query)
            failed = True
        else:
            hits, suggestions, relaxed, total = found.hits, found.suggestions, found.relaxed, found.total
            corrected = found.corrected
    return render_template("admin/search.html", query=query, hits=hits, failed=failed, total=total,
                           suggestions=suggestions, relaxed=relaxed, corrected=corrected, kind_labels=KIND_LABELS,
                           state_label=state_label)
