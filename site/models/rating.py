"""好差评: a citizen's rating of a case, an item or a department (five levels).

A rating is the citizen's: no back-office route creates or changes its level or
comment. The centre's administrator may only void it after an appeal
(申诉复核), with a recorded reason; a voided rating no longer counts.
The rater's contact details are private (used only for 回访).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import BAD_RATING_MAX, RATING_LEVELS, RATING_TARGETS

from ..db import UTCDateTime, db
from .case import ServiceCase
from .complaint import Complaint
from .department import Department
from .item import ServiceItem

#: Private columns of a rating.
RATING_PRIVATE_FIELDS = ("contact_name", "contact_phone")


class Rating(db.Model):
    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # RATING_TARGETS: case | item | department | complaint
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_item.id"), index=True)
    #: A case is rated once (一事一评).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("service_case.id"), unique=True)
    #: A closed complaint is rated once, by its complainant (满意度回访).
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), unique=True)
    level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    #: valid | voided (申诉复核 upheld an appeal)
    status: Mapped[str] = mapped_column(String(16), default="valid", index=True)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    department: Mapped[Department] = relationship()
    item: Mapped[ServiceItem | None] = relationship()
    case: Mapped[ServiceCase | None] = relationship()
    complaint: Mapped[Complaint | None] = relationship()

    @property
    def level_label(self) -> str:
        return RATING_LEVELS.get(self.level, str(self.level))

    @property
    def target_label(self) -> str:
        return RATING_TARGETS.get(self.target_kind, self.target_kind)

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_RATING_MAX

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_phone.strip())
