"""Scheduled publishing and expiry (定时发布、到期撤回), carried out by ``sunshine tick``.

A reviewer may approve a working copy to go live on a later date (``publish_on``: review
state *scheduled*), and any record may carry an expiry date (``expire_on``). Each tick
publishes what is due and withdraws what expired, records each step in the audit log as the
system's, and asks for one site build when anything changed. A scheduled version that can no
longer be published (its department was withdrawn meanwhile) is sent back for review with
the reason, instead of failing the tick.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from . import audit, clock, workflow
from .db import db
from .models import PUBLISHED, SCHEDULED, Channel, Department, Notice, ServiceItem
from .search_docs import index_record

MODELS = (Department, ServiceItem, Channel, Notice)


@dataclass
class ScheduleReport:
    published: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.published or self.expired)

    def summary(self) -> str:
        return (f"定时发布 {len(self.published)} 条，到期撤回 {len(self.expired)} 条"
                + (f"，无法发布退回 {len(self.returned)} 条" if self.returned else ""))


def _title(record) -> str:
    return getattr(record, "name", None) or getattr(record, "title", "") or record.code


def run_schedules(today: dt.date | None = None) -> ScheduleReport:
    """Publish approved versions whose date has come and withdraw expired records; commit once."""
    with audit.acting(None):  # the system acts: entries name no account
        return _run(today or clock.today())


def _run(today: dt.date) -> ScheduleReport:
    report = ScheduleReport()
    for model in MODELS:
        due = db.session.scalars(select(model).where(model.review_state == SCHEDULED, model.publish_on <= today)
                                 .order_by(model.id))
        for record in due:
            try:
                with db.session.begin_nested():
                    workflow.publish(record)
            except workflow.WorkflowError as exc:
                record.review_state = workflow.REJECTED
                record.review_note = f"定时发布未能完成：{exc}"
                record.publish_on = None
                report.returned.append(record.code)
                audit.record("reject", target=record, username="系统", summary=f"{_title(record)}：定时发布未能完成",
                             detail={"reason": str(exc)})
                continue
            report.published.append(record.code)
            audit.record("publish", target=record, username="系统",
                         summary=f"{_title(record)}：定时发布第{record.revision}版")
        expired = db.session.scalars(select(model).where(model.state == PUBLISHED, model.expire_on.is_not(None),
                                                         model.expire_on <= today).order_by(model.id))
        for record in expired:
            workflow.withdraw(record, "", at=clock.now())
            record.expire_on = None
            report.expired.append(record.code)
            audit.record("expire", target=record, username="系统", summary=f"{_title(record)}：到期撤回")
    db.session.commit()
    return report


def reindex(report: ScheduleReport) -> None:
    """Keep the back-office search in step with what a tick changed."""
    for model in MODELS:
        codes = set(report.published) | set(report.expired) | set(report.returned)
        if not codes:
            return
        for record in db.session.scalars(select(model).where(model.code.in_(codes))):
            index_record(record)
