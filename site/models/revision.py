"""Every saved version of a disclosure record (修订历史), kept for good.

A revision stores the working copy as ``public_fields`` gives it (the same dict the
snapshot would carry), so any two can be compared field by field, any one restored as a
new draft, and the public page can show the major change notes of what was published.
``number`` counts saves of one record from 1; the record's ``edit_version`` is the number
of its latest revision, which is what a form submits back to detect a lost update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db
from .user import User


class Revision(db.Model):
    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("record_type", "record_id", "number", name="uq_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The record's table: "service_item", "department", "notice", "channel".
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: 修改说明 as the author wrote it ("" = none).
    note: Mapped[str] = mapped_column(String(500), default="")
    #: A major change is listed in the public page's change history; a minor one is not.
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The public revision number (record.revision) this version became when it was published.
    published_as: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: An administrator's correction of a published change note: the reason, kept beside it.
    note_correction_reason: Mapped[str] = mapped_column(String(300), default="")

    author: Mapped[User | None] = relationship()
