"""效能投诉: a citizen's complaint, its private contact and its handling history.

``contact_name`` and ``contact_phone`` are private: they never leave the back
office (the snapshot has no complaint fields at all in schema version 1).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import COMPLAINT_STATUSES

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
    #: Answer due by this date (working days from receipt, official calendar).
    deadline: Mapped[dt.date] = mapped_column(Date)
    reply: Mapped[str] = mapped_column(Text, default="")
    #: Random key of the form rendering that filed it: a repeated post finds this complaint again.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    department: Mapped[Department] = relationship()
    item: Mapped[ServiceItem | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(
        order_by="ComplaintEvent.at", cascade="all, delete-orphan", back_populates="complaint"
    )

    @property
    def status_label(self) -> str:
        return COMPLAINT_STATUSES.get(self.status, self.status)


class ComplaintEvent(db.Model):
    """One step of the handling history (受理, 交办, 催办, 答复, 办结)."""

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="events")
