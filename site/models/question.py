"""网上咨询: a citizen's question about an item or a department, and the department's answer.

Looked up like a complaint (a random number and a secret query code stored as a
hash). ``contact_*`` are private, exactly as for complaints. With the asker's
``publish_consent`` and the department's ``public`` choice, an answered question is
published anonymized (``sunshine.site.questions.publication``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import QUESTION_DECLINE_REASONS, QUESTION_STATUSES

from ..db import UTCDateTime, db
from .department import Department
from .item import ServiceItem

#: Private columns of a question.
QUESTION_PRIVATE_FIELDS = ("contact_name", "contact_phone", "contact_email")


class Question(db.Model):
    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(32), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(256))
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_item.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    notify_by: Mapped[str] = mapped_column(String(8), default="")
    #: The asker agreed that question and answer are published, anonymized.
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: Answer due by this date (SUNSHINE_QUESTION_DAYS working days from receipt).
    deadline: Mapped[dt.date] = mapped_column(Date)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: QUESTION_DECLINE_REASONS code when declined, with a note to the asker.
    decline_reason: Mapped[str] = mapped_column(String(16), default="")
    decline_note: Mapped[str] = mapped_column(Text, default="")
    #: The department's choice to publish (only counts with the asker's consent).
    public: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship()
    item: Mapped[ServiceItem | None] = relationship()

    @property
    def status_label(self) -> str:
        return QUESTION_STATUSES.get(self.status, self.status)

    @property
    def decline_label(self) -> str:
        return QUESTION_DECLINE_REASONS.get(self.decline_reason, self.decline_reason)

    @property
    def publishable(self) -> bool:
        return self.status == "answered" and self.publish_consent and self.public
