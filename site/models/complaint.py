"""效能投诉: a citizen's complaint, its private contact and its handling history.

``contact_name``, ``contact_phone`` and ``contact_email`` are private: only the
assigned department, the administrator and the supervisor see them; never the
snapshot, an export, a search index or a log line. What the public may see of a
complaint (with ``publish_consent``) is the anonymized outcome the export builds
(``sunshine.site.complaints.outcomes``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import (
    COMPLAINT_DECLINE_REASONS,
    COMPLAINT_OUTCOMES,
    COMPLAINT_STATUSES,
)

from ..db import UTCDateTime, db
from .department import Department
from .item import ServiceItem


class Complaint(db.Model):
    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(32), unique=True)
    #: Hash of the secret query code; the code itself is shown once to the citizen.
    query_code_hash: Mapped[str] = mapped_column(String(256))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_item.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    #: "" | sms | email: how the complainant asked to hear of progress (NOTIFY_CHANNELS).
    notify_by: Mapped[str] = mapped_column(String(8), default="")
    #: The complainant agreed that the handled complaint is published, anonymized.
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: To be accepted or declined by this date (SUNSHINE_COMPLAINT_ACCEPT_DAYS working days).
    accept_deadline: Mapped[dt.date | None] = mapped_column(Date)
    #: Answer due by this date (working days from receipt, or from reopening; official calendar).
    deadline: Mapped[dt.date] = mapped_column(Date)
    #: Deadline of the current stage (acceptance or answer); None when the office owes nothing.
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    #: Answers given after their stage's deadline (0 = every answer on time).
    late_answers: Mapped[int] = mapped_column(Integer, default=0)
    reply: Mapped[str] = mapped_column(Text, default="")
    #: Latest answer (答复), latest closing (办结).
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: COMPLAINT_DECLINE_REASONS code when declined.
    decline_reason: Mapped[str] = mapped_column(String(16), default="")
    #: COMPLAINT_OUTCOMES code when closed, with the reasons (e.g. why not upheld).
    outcome: Mapped[str] = mapped_column(String(16), default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    #: The complainant may reopen once, within SUNSHINE_COMPLAINT_REOPEN_DAYS working days of closing.
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    #: The complainant confirmed the closing (确认办结).
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: Asked after closing: was the problem solved? (None = not answered yet)
    solved: Mapped[bool | None] = mapped_column(Boolean)
    #: Random key of the form rendering that filed it: a repeated post finds this complaint again.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    department: Mapped[Department] = relationship()
    item: Mapped[ServiceItem | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(
        order_by=lambda: (ComplaintEvent.at, ComplaintEvent.id), cascade="all, delete-orphan", back_populates="complaint"
    )

    @property
    def status_label(self) -> str:
        return COMPLAINT_STATUSES.get(self.status, self.status)

    @property
    def outcome_label(self) -> str:
        return COMPLAINT_OUTCOMES.get(self.outcome, self.outcome)

    @property
    def decline_label(self) -> str:
        return COMPLAINT_DECLINE_REASONS.get(self.decline_reason, self.decline_reason)


class ComplaintEvent(db.Model):
    """One step of the handling history (收到, 受理, 不予受理, 交办, 改派, 催办, 答复, 办结, 确认, 重新办理).

    ``user_id`` is the clerk (None for the complainant's own steps and the system); ``public_note``
    is what the complainant sees when looking the complaint up; ``note`` stays in the back office.
    """

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    public_note: Mapped[str] = mapped_column(Text, default="")
    #: "staff" | "citizen" | "system": who took the step, as the complainant is told.
    actor: Mapped[str] = mapped_column(String(8), default="staff")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="events")
