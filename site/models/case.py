"""办件: a service case received from the approval system, with its timeline and fees.

The applicant's name, phone and ID number are private: they never leave the
back office (not the snapshot, not the open data, not the search index, not
the logs). The public sees a case only through the lookup, by case number plus
the secret query code, and then without those fields.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import CASE_STATUSES, WARNING_LEVELS

from ..db import UTCDateTime, db
from .department import Department
from .item import ServiceItem

#: Private columns of a case, for the privacy tests and the log filter.
CASE_PRIVATE_FIELDS = ("applicant_name", "applicant_phone", "applicant_id_no")


class ServiceCase(db.Model):
    __tablename__ = "service_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The approval system's case number (办件编号); stable, used for lookup and re-import.
    case_no: Mapped[str] = mapped_column(String(40), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(256))
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(100), default="")
    applicant_phone: Mapped[str] = mapped_column(String(50), default="")
    applicant_id_no: Mapped[str] = mapped_column(String(40), default="")
    #: 收件日期: the day the application arrived.
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: 受理日期: the deadline clock starts here; None while 补正 is awaited.
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Time limits copied from the item when the case arrived (an item edit later changes nothing).
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    statutory_days: Mapped[int] = mapped_column(Integer, default=0)
    #: 延期: working days added, and why (延期办结告知制).
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    #: Promised deadline (extension included); None until accepted.
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    statutory_deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="accepted", index=True)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    #: 现场办结: decided at the window on the day of acceptance.
    on_the_spot: Mapped[bool] = mapped_column(Boolean, default=False)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    #: 电子监察 light as last computed by ``sunshine tick`` (green / yellow / red).
    warning: Mapped[str] = mapped_column(String(8), default="green", index=True)
    #: Where the case came from: admin, import, api, demo.
    source: Mapped[str] = mapped_column(String(16), default="admin")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    item: Mapped[ServiceItem] = relationship()
    department: Mapped[Department] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        order_by="(CaseEvent.on, CaseEvent.id)", cascade="all, delete-orphan", back_populates="case"
    )
    fees: Mapped[list[CaseFee]] = relationship(
        order_by="CaseFee.position", cascade="all, delete-orphan", back_populates="case"
    )

    @property
    def status_label(self) -> str:
        return CASE_STATUSES.get(self.status, self.status)

    @property
    def warning_label(self) -> str:
        return WARNING_LEVELS.get(self.warning, self.warning)

    @property
    def fees_total_fen(self) -> int:
        """一单收费 total in fen (cents)."""
        return sum(f.amount_fen for f in self.fees)

    def __repr__(self) -> str:
        return f"<ServiceCase {self.case_no}>"


class CaseEvent(db.Model):
    """One dated step of a case's timeline; ``note`` is public (e.g. the reason of a 延期)."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[ServiceCase] = relationship(back_populates="events")

    @property
    def status_label(self) -> str:
        return CASE_STATUSES.get(self.status, self.status)


class CaseFee(db.Model):
    """One fee line charged on a case (一单收费: several lines, one bill)."""

    __tablename__ = "case_fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    #: Amount in fen (1 yuan = 100 fen): money is never a float.
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    case: Mapped[ServiceCase] = relationship(back_populates="fees")
