"""How a complaint moves: 受理 → 交办 → 答复 → 办结, with 催办 at any open step.

Pure rules over the model (no request, no commit): which action is allowed
from which status, and the yellow/red warning of a deadline in working days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..deadlines import add_working_days
from ..models import Complaint, ComplaintEvent

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
    event = ComplaintEvent(at=at or dt.datetime.now(dt.UTC), action=spec.label, note=note, user_id=user_id)
    complaint.events.append(event)
    return event


def warning(complaint: Complaint, today: dt.date) -> str | None:
    """"overdue" (red) past the deadline without an answer, "due_soon" (yellow) within 1 working day."""
    if complaint.status not in AWAITING_REPLY:
        return None
    if complaint.deadline < today:
        return "overdue"
    if complaint.deadline <= add_working_days(today, 1):
        return "due_soon"
    return None


WARNING_LABELS = {"overdue": "已超期", "due_soon": "即将到期"}
