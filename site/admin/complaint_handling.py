"""How a complaint moves: 受理 → 交办 → 答复 → 办结, with 催办 at any open step.

Pure rules over the model (no request, no commit): which action is allowed
from which status, and the 电子监察 light of its answer deadline — the same
rule as for cases (``sunshine.site.supervision.warning_level``, with the
app's ``SUNSHINE_WARNING_DAYS``). It never commits and never reads the wall
clock directly (``sunshine.site.clock``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy.orm import object_session

from .. import clock
from ..models import Complaint, ComplaintEvent, Urge
from ..supervision import GREEN, RED, YELLOW, warning_level

#: Statuses in which the department still owes an answer.
AWAITING_REPLY = ("received", "accepted", "assigned")
OPEN = (*AWAITING_REPLY, "replied")


class ActionRefused(Exception):
    """An action not allowed in the complaint's status (message in Chinese)."""


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    #: Statuses the action may start from.
    sources: tuple[str, ...]
    #: Status after the action (None = unchanged, as for 催办).
    target: str | None


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("accept", "受理", ("received",), "accepted"),
        Action("assign", "交办", ("accepted",), "assigned"),
        Action("reply", "答复", ("accepted", "assigned"), "replied"),
        Action("close", "办结", ("replied",), "closed"),
        Action("urge", "催办", OPEN, None),
    )
}


def allowed(complaint: Complaint, action: str) -> bool:
    return complaint.status in ACTIONS[action].sources


def apply_action(complaint: Complaint, action: str, *, user_id: int, note: str = "",
                 reply: str | None = None, at: dt.datetime | None = None) -> ComplaintEvent:
    """Move the complaint and append the history event; raises ActionRefused."""
    spec = ACTIONS[action]
    if not allowed(complaint, action):
        raise ActionRefused(
            f"该投诉当前为“{complaint.status_label}”，不能{spec.label}。")
    if action == "reply":
        if not (reply or "").strip():
            raise ActionRefused("答复时请填写答复意见。")
        complaint.reply = reply.strip()
    if spec.target:
        complaint.status = spec.target
    moment = at or clock.now()
    event = ComplaintEvent(at=moment, action=spec.label, note=note, user_id=user_id)
    complaint.events.append(event)
    if action == "urge":
        # Every 催办 is also an Urge: shown at the top of the department's 工作台 until read.
        session = object_session(complaint)
        urge = Urge(target_kind="complaint", complaint=complaint, department_id=complaint.department_id,
                    note=note, at=moment, user_id=user_id)
        if session is not None:
            session.add(urge)
    return event


def warn_days() -> int:
    """Working days before a deadline that count as "due soon" (the app's SUNSHINE_WARNING_DAYS)."""
    if has_app_context():
        return int(current_app.config.get("SUNSHINE_WARNING_DAYS", 1))
    return 1


def light(complaint: Complaint, today: dt.date, days: int | None = None) -> str:
    """green, yellow or red: the 电子监察 light of a complaint still awaiting its answer."""
    if complaint.status not in AWAITING_REPLY:
        return GREEN
    return warning_level(complaint.deadline, today, warn_days() if days is None else days)


#: Light → the word the complaint pages have always used (None = nothing to mark).
LIGHT_WARNINGS = {RED: "overdue", YELLOW: "due_soon", GREEN: None}


def warning(complaint: Complaint, today: dt.date, days: int | None = None) -> str | None:
    """"overdue" (red: past the deadline without an answer), "due_soon" (yellow: within the
    configured working days, today included), or None."""
    return LIGHT_WARNINGS[light(complaint, today, days)]


WARNING_LABELS = {"overdue": "已超期", "due_soon": "即将到期"}
