"""通知公告: notices published by the center or a department."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .department import Department
from .workflow import Disclosure


class Notice(Disclosure, db.Model):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32), default="通知公告")
    #: Issuing department; None for the center itself.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)

    department: Mapped[Department | None] = relationship()
