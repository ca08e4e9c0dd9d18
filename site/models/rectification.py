"""整改: the work order a bad rating opens for its department.

Stages 回访 → 核实 → 整改 → 反馈, each due within configurable working days of
the rating. ``finding`` and ``action`` are written for publication; the
follow-up note and the answer to the rater stay in the back office.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import APPEAL_STATUSES, RECTIFICATION_STATUSES

from ..db import UTCDateTime, db
from .department import Department
from .rating import Rating


class Rectification(db.Model):
    __tablename__ = "rectification"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Public work-order number, e.g. ZG2026-0042.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    contact_due: Mapped[dt.date] = mapped_column(Date)
    finding_due: Mapped[dt.date] = mapped_column(Date)
    rectify_due: Mapped[dt.date] = mapped_column(Date)
    answer_due: Mapped[dt.date] = mapped_column(Date)
    #: 回访 (private: what the rater said).
    contact_note: Mapped[str] = mapped_column(Text, default="")
    contacted_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 核实情况 (public).
    finding: Mapped[str] = mapped_column(Text, default="")
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 整改措施 (public).
    action: Mapped[str] = mapped_column(Text, default="")
    rectified_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 反馈: the answer given to the rater (private).
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 申诉复核: "" | pending | upheld | rejected
    appeal_status: Mapped[str] = mapped_column(String(16), default="")
    appeal_reason: Mapped[str] = mapped_column(Text, default="")
    appeal_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    appeal_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    rating: Mapped[Rating] = relationship()
    department: Mapped[Department] = relationship()

    @property
    def status_label(self) -> str:
        return RECTIFICATION_STATUSES.get(self.status, self.status)

    @property
    def appeal_label(self) -> str:
        return APPEAL_STATUSES.get(self.appeal_status, self.appeal_status)
