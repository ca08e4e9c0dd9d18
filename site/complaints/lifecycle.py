"""How a complaint moves, and who may move it: the one set of rules for every screen.

    收到 ─受理→ 已受理 ─交办→ 已交办 ─答复→ 已答复 ─办结→ 已办结
      └─不予受理 (with a reason)          ↑                 │ the complainant, once, within
                                         └── 重新办理中 ←────┘ SUNSHINE_COMPLAINT_REOPEN_DAYS

催办 is allowed at any open step; 改派 (another department) by the administrator while the
complaint is open. Every step appends a ``ComplaintEvent`` with who took it, when, an internal
note and a note the complainant sees. ``due_on`` always holds the deadline of the current stage
(accept within SUNSHINE_COMPLAINT_ACCEPT_DAYS, answer within SUNSHINE_COMPLAINT_DAYS working
days) so that the back office, the supervision board and the citizen's lookup read one column.

Pure rules over the model: no request, no commit, no wall clock (``sunshine.site.clock``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy.orm import object_session

from sunshine.contract.codes import (
    COMPLAINT_AWAITING_ANSWER,
    COMPLAINT_DECLINE_REASONS,
    COMPLAINT_OPEN_STATUSES,
    COMPLAINT_OUTCOMES,
)

from .. import clock
from ..deadlines import add_working_days
from ..models import Complaint, ComplaintEvent, Department, Urge
from ..supervision import GREEN, RED, YELLOW, warning_level

#: Statuses in which the office owes a response: acceptance (received) or an answer.
AWAITING_REPLY: tuple[str, ...] = ("received", *COMPLAINT_AWAITING_ANSWER)
OPEN: tuple[str, ...] = COMPLAINT_OPEN_STATUSES
#: Outcomes whose reasons must be written out for the complainant.
OUTCOMES_NEEDING_REASONS = ("partly", "not_upheld", "referred")


class ActionRefused(Exception):
    """An action not allowed in the complaint's status, or missing what it needs (message in Chinese)."""


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    #: Statuses the action may start from.
    sources: tuple[str, ...]
    #: Status after the action (None = unchanged, as for 催办 and 改派).
    target: str | None
    #: Who takes it: "office" (the department or the administrator), "admin", "supervisor", "citizen".
    by: str = "office"


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("accept", "受理", ("received",), "accepted"),
        Action("decline", "不予受理", ("received",), "declined"),
        Action("assign", "交办", ("accepted",), "assigned"),
        Action("reassign", "改派", ("received", *COMPLAINT_AWAITING_ANSWER), None, by="admin"),
        Action("reply", "答复", COMPLAINT_AWAITING_ANSWER, "replied"),
        Action("close", "办结", ("replied",), "closed"),
        Action("urge", "催办", OPEN, None, by="supervisor"),
        Action("confirm", "确认办结", ("closed",), None, by="citizen"),
        Action("reopen", "申请重新办理", ("closed",), "reopened", by="citizen"),
    )
}
#: The actions a clerk or the administrator takes in the back office.
STAFF_ACTIONS = tuple(name for name, a in ACTIONS.items() if a.by != "citizen")


@dataclass(frozen=True)
class Rules:
    """The working-day settings of complaint handling (from the app's config)."""

    accept_days: int = 1
    answer_days: int = 13
    reopen_days: int = 5
    warn_days: int = 1

    @classmethod
    def from_app(cls) -> Rules:
        if not has_app_context():
            return cls()
        c = current_app.config
        return cls(accept_days=int(c.get("SUNSHINE_COMPLAINT_ACCEPT_DAYS", 1)),
                   answer_days=int(c.get("SUNSHINE_COMPLAINT_DAYS", 13)),
                   reopen_days=int(c.get("SUNSHINE_COMPLAINT_REOPEN_DAYS", 5)),
                   warn_days=int(c.get("SUNSHINE_WARNING_DAYS", 1)))


def allowed(complaint: Complaint, action: str) -> bool:
    """The status allows the action (who may take it is ``admin.permissions``' question)."""
    if complaint.status not in ACTIONS[action].sources:
        return False
    if action in ("confirm", "reopen") and complaint.confirmed_at is not None:
        return False
    return True


def reopen_until(complaint: Complaint, rules: Rules | None = None) -> dt.date | None:
    """Last day the complainant may ask to reopen, or None when they no longer may."""
    rules = rules or Rules.from_app()
    if complaint.status != "closed" or complaint.closed_at is None or complaint.reopen_count >= 1:
        return None
    if complaint.confirmed_at is not None:
        return None
    return add_working_days(clock.to_cn_date(complaint.closed_at), rules.reopen_days)


def may_reopen(complaint: Complaint, today: dt.date, rules: Rules | None = None) -> bool:
    last = reopen_until(complaint, rules)
    return last is not None and today <= last


def _event(complaint: Complaint, action: str, at: dt.datetime, *, user_id: int | None, note: str,
           public_note: str, actor: str) -> ComplaintEvent:
    event = ComplaintEvent(at=at, action=ACTIONS[action].label if action in ACTIONS else action,
                           note=note, public_note=public_note, user_id=user_id, actor=actor)
    complaint.events.append(event)
    return event


def apply_action(complaint: Complaint, action: str, *, user_id: int | None, note: str = "",
                 public_note: str = "", reply: str | None = None, outcome: str | None = None,
                 reason: str | None = None, department: Department | None = None,
                 at: dt.datetime | None = None, rules: Rules | None = None) -> ComplaintEvent:
    """Move the complaint and append its history event; raises ActionRefused (Chinese).

    ``reply`` for 答复, ``outcome`` (+ ``public_note`` as its reasons) for 办结, ``reason`` (+
    ``public_note``) for 不予受理, ``department`` for 交办 and 改派, ``public_note`` (the
    complainant's reasons) for 申请重新办理.
    """
    spec = ACTIONS[action]
    rules = rules or Rules.from_app()
    moment = at or clock.now()
    note, public_note = (note or "").strip(), (public_note or "").strip()
    if not allowed(complaint, action):
        raise ActionRefused(f"该投诉当前为“{complaint.status_label}”，不能{spec.label}。")
    actor = "citizen" if spec.by == "citizen" else "staff"

    if action == "decline":
        if reason not in COMPLAINT_DECLINE_REASONS:
            raise ActionRefused("不予受理时请选择理由。")
        if not public_note:
            raise ActionRefused("不予受理时请写明给投诉人的说明。")
        complaint.decline_reason = reason
    elif action in ("assign", "reassign"):
        if department is None:
            raise ActionRefused(f"{spec.label}时请选择承办部门。")
        if action == "reassign" and department.id == complaint.department_id:
            raise ActionRefused("改派时请选择另一个部门。")
        complaint.department = department
        complaint.department_id = department.id
    elif action == "reply":
        if not (reply or "").strip():
            raise ActionRefused("答复时请填写答复意见。")
        complaint.reply = reply.strip()
        if complaint.due_on is not None and clock.to_cn_date(moment) > complaint.due_on:
            complaint.late_answers += 1
        complaint.answered_at = moment
    elif action == "close":
        if outcome not in COMPLAINT_OUTCOMES:
            raise ActionRefused("办结时请选择办结结果。")
        if outcome in OUTCOMES_NEEDING_REASONS and not public_note:
            raise ActionRefused(f"办结结果为“{COMPLAINT_OUTCOMES[outcome]}”时请写明理由。")
        complaint.outcome = outcome
        complaint.outcome_note = public_note
        complaint.closed_at = moment
    elif action == "confirm":
        complaint.confirmed_at = moment
    elif action == "reopen":
        if not may_reopen(complaint, clock.to_cn_date(moment), rules):
            raise ActionRefused("已超过可申请重新办理的期限，或已申请过一次。")
        if not public_note:
            raise ActionRefused("请写明申请重新办理的理由。")
        complaint.reopen_count += 1
        complaint.deadline = add_working_days(clock.to_cn_date(moment), rules.answer_days)

    if spec.target:
        complaint.status = spec.target
    complaint.due_on = stage_deadline(complaint)
    event = _event(complaint, action, moment, user_id=user_id, note=note, public_note=public_note, actor=actor)
    if action == "urge":
        # Every 催办 is also an Urge: shown at the top of the department's 工作台 until read.
        session = object_session(complaint)
        urge = Urge(target_kind="complaint", complaint=complaint, department_id=complaint.department_id,
                    note=note, at=moment, user_id=user_id)
        if session is not None:
            session.add(urge)
    return event


def stage_deadline(complaint: Complaint) -> dt.date | None:
    """The deadline of the stage the complaint is in: acceptance, then the answer; None when nothing is owed."""
    if complaint.status == "received":
        return complaint.accept_deadline or complaint.deadline
    if complaint.status in COMPLAINT_AWAITING_ANSWER:
        return complaint.deadline
    return None


def warn_days() -> int:
    """Working days before a deadline that count as "due soon" (the app's SUNSHINE_WARNING_DAYS)."""
    return Rules.from_app().warn_days


def light(complaint: Complaint, today: dt.date, days: int | None = None) -> str:
    """green, yellow or red: the 电子监察 light of the current stage's deadline (the same rule as cases)."""
    if complaint.due_on is None or complaint.status not in AWAITING_REPLY:
        return GREEN
    return warning_level(complaint.due_on, today, warn_days() if days is None else days)


#: Light → the word the complaint pages have always used (None = nothing to mark).
LIGHT_WARNINGS = {RED: "overdue", YELLOW: "due_soon", GREEN: None}


def warning(complaint: Complaint, today: dt.date, days: int | None = None) -> str | None:
    """"overdue" (red: past the stage's deadline), "due_soon" (yellow: within the configured
    working days, today included), or None."""
    return LIGHT_WARNINGS[light(complaint, today, days)]


WARNING_LABELS = {"overdue": "已超期", "due_soon": "即将到期"}
