"""How a rectification work order (整改) moves, and how an appeal (申诉复核) is decided.

Pure rules over the models (no request, no commit), in the manner of
``complaints.lifecycle``: 回访 → 核实 → 整改 → 反馈, each stage dated with
the clock, refused out of order with a Chinese message; overdue marks per
stage. Who may do what is ``admin.permissions``' business (checked by the
views), never decided here. An appeal filed by the department is decided by the
centre's administrator; an upheld appeal (or the administrator's direct
decision) voids the rating. Nothing here ever changes a rating's level,
comment, target or creation time: voiding sets only its status and the
void fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.contract.codes import RECTIFICATION_STAGES

from .. import clock
from ..models import Rating, Rectification
from .work_orders import NO_CONTACT_NOTE

#: Statuses in which the department still owes a stage.
OPEN_STATUSES = ("open", "contacted", "verified", "rectified")


class HandlingRefused(Exception):
    """A step not allowed now (message in Chinese, for the clerk)."""


@dataclass(frozen=True)
class Stage:
    name: str
    #: Status the stage starts from, and the status it leads to.
    source: str
    target: str
    #: Columns of the work order: its text, its date, its due date.
    text_field: str
    date_field: str
    due_field: str
    #: Whether the text is published with the work order (核实情况, 整改措施).
    public: bool

    @property
    def label(self) -> str:
        return RECTIFICATION_STAGES[self.name]


STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage("contact", "open", "contacted", "contact_note", "contacted_on", "contact_due", False),
        Stage("finding", "contacted", "verified", "finding", "verified_on", "finding_due", True),
        Stage("rectify", "verified", "rectified", "action", "rectified_on", "rectify_due", True),
        Stage("answer", "rectified", "closed", "answer", "answered_on", "answer_due", False),
    )
}
STAGE_ORDER = tuple(STAGES)


def current_stage(order: Rectification) -> Stage | None:
    """The stage the department owes now (None once closed or voided)."""
    return next((s for s in STAGES.values() if s.source == order.status), None)


def allowed_stage(order: Rectification, stage: str) -> bool:
    return order.appeal_status != "pending" and STAGES[stage].source == order.status


def record_stage(order: Rectification, stage: str, text: str, *, on: dt.date | None = None) -> None:
    """Record one stage with its text, dated today (China time); raises HandlingRefused."""
    spec = STAGES[stage]
    if order.status == "voided":
        raise HandlingRefused("该工单已因申诉成立撤销，不能再办理。")
    if order.status == "closed":
        raise HandlingRefused("该工单已办结，不能再修改。")
    if order.appeal_status == "pending":
        raise HandlingRefused("该工单正在申诉复核，复核结果出来前暂停办理。")
    done_on = getattr(order, spec.date_field)
    if done_on is not None:
        if stage == "contact" and order.contact_note == NO_CONTACT_NOTE:
            raise HandlingRefused(f"评价人未留联系方式，无需回访（{done_on:%Y-%m-%d} 已自动登记）。")
        raise HandlingRefused(f"“{spec.label}”已于 {done_on:%Y-%m-%d} 登记，不能重复办理。")
    if spec.source != order.status:
        owed = current_stage(order)
        raise HandlingRefused(f"请先完成“{owed.label}”，再办理“{spec.label}”。" if owed else
                              f"该工单当前为“{order.status_label}”，不能办理“{spec.label}”。")
    text = (text or "").strip()
    if not text:
        raise HandlingRefused(f"请填写{spec.label}情况。")
    setattr(order, spec.text_field, text)
    setattr(order, spec.date_field, on or clock.today())
    order.status = spec.target


@dataclass(frozen=True)
class StageMark:
    """One row of the stage table: due date, when done, and the mark."""

    stage: Stage
    due: dt.date
    done_on: dt.date | None
    text: str
    #: done | late (done after its due date) | overdue (not done, past due) | waiting | skipped | cancelled
    mark: str

    @property
    def mark_label(self) -> str:
        return MARK_LABELS[self.mark]


MARK_LABELS = {
    "done": "按时完成", "late": "超期完成", "overdue": "已超期", "waiting": "待办理",
    "skipped": "无需回访", "cancelled": "已撤销",
}


def stage_marks(order: Rectification, today: dt.date) -> list[StageMark]:
    """Every stage with its due date and overdue mark as of ``today``."""
    marks = []
    for spec in STAGES.values():
        due = getattr(order, spec.due_field)
        done_on = getattr(order, spec.date_field)
        text = getattr(order, spec.text_field) or ""
        if spec.name == "contact" and done_on is not None and text == NO_CONTACT_NOTE:
            mark = "skipped"
        elif done_on is not None:
            mark = "late" if done_on > due else "done"
        elif order.status == "voided":
            mark = "cancelled"
        else:
            mark = "overdue" if today > due else "waiting"
        marks.append(StageMark(spec, due, done_on, text, mark))
    return marks


def is_overdue(order: Rectification, today: dt.date) -> bool:
    """An open order whose owed stage is past its due date."""
    stage = current_stage(order)
    return stage is not None and today > getattr(order, stage.due_field)


def overdue_stages(order: Rectification, today: dt.date) -> list[str]:
    """Labels of the stages not done by their due date (late or still overdue)."""
    return [m.stage.label for m in stage_marks(order, today) if m.mark in ("late", "overdue")]


# --- 申诉复核 -------------------------------------------------------------------------------


def file_appeal(order: Rectification, reason: str, *, user_id: int, at: dt.datetime | None = None) -> None:
    """The department appeals a mistaken or malicious rating (once per work order)."""
    if order.status == "voided":
        raise HandlingRefused("该工单已撤销，无需申诉。")
    if order.appeal_status == "pending":
        raise HandlingRefused("该工单已提出申诉，正在等待复核。")
    if order.appeal_status:
        raise HandlingRefused(f"该工单的申诉已复核（{order.appeal_label}），不能重复申诉。")
    reason = (reason or "").strip()
    if not reason:
        raise HandlingRefused("申诉须写明理由。")
    order.appeal_status = "pending"
    order.appeal_reason = reason
    order.appeal_by = user_id
    order.appeal_at = at or clock.now()


def decide_appeal(order: Rectification, upheld: bool, note: str, *, user_id: int,
                  at: dt.datetime | None = None) -> None:
    """The administrator's decision: upheld voids the rating and the order; rejected lets it go on."""
    if order.appeal_status != "pending":
        raise HandlingRefused("该工单没有待复核的申诉。")
    note = (note or "").strip()
    if not note:
        raise HandlingRefused("复核须写明复核意见。")
    at = at or clock.now()
    order.decision_note = note
    order.decided_by = user_id
    order.decided_at = at
    if upheld:
        order.appeal_status = "upheld"
        _void(order.rating, note, user_id=user_id, at=at)
        order.status = "voided"
    else:
        order.appeal_status = "rejected"


def void_rating(rating: Rating, reason: str, *, user_id: int, order: Rectification | None = None,
                at: dt.datetime | None = None) -> None:
    """The administrator voids a rating directly (申诉复核 on the centre's own finding).

    Its work order, if any, is voided with it; a pending appeal counts as upheld.
    """
    if rating.status == "voided":
        raise HandlingRefused("该评价已作废。")
    reason = (reason or "").strip()
    if not reason:
        raise HandlingRefused("作废评价须写明理由。")
    at = at or clock.now()
    _void(rating, reason, user_id=user_id, at=at)
    if order is not None:
        if order.appeal_status == "pending":
            order.appeal_status = "upheld"
        order.decision_note = reason
        order.decided_by = user_id
        order.decided_at = at
        order.status = "voided"


def _void(rating: Rating, reason: str, *, user_id: int, at: dt.datetime) -> None:
    rating.status = "voided"
    rating.void_reason = reason
    rating.voided_at = at
    rating.voided_by = user_id
