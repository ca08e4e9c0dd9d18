"""电子监察 records: a supervisor's 催办 (urge) of an overdue or late case or complaint."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db
from .case import ServiceCase
from .complaint import Complaint
from .department import Department

#: What can be urged.
URGE_TARGETS = {"case": "办件", "complaint": "投诉"}


class Urge(db.Model):
    """One 催办: shown at the top of the department's work list until acknowledged."""

    __tablename__ = "urge"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[ServiceCase | None] = relationship()
    complaint: Mapped[Complaint | None] = relationship()
    department: Mapped[Department] = relationship()
