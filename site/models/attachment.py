"""Attachments (附件): application-form templates and notice attachments, stored by content hash.

The bytes live in the attachment store (``SUNSHINE_ATTACHMENTS_DIR``) under their SHA-256, so
the same file uploaded twice is stored once and a published link never changes meaning; the
row keeps what people need (the original name, type, size, who uploaded it and when).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db
from .user import User


class Attachment(db.Model):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    #: The name as uploaded (cleaned), used for the download's file name.
    filename: Mapped[str] = mapped_column(String(200))
    #: The department whose staff uploaded it (None: the centre).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User | None] = relationship()
