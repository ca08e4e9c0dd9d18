"""部门 / 窗口单位: a department with its window and chief representatives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .workflow import Disclosure

if TYPE_CHECKING:
    from .item import ServiceItem


class Department(Disclosure, db.Model):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable public identifier, used in URLs; never changes after creation.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    window: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")
    consult_phone: Mapped[str] = mapped_column(String(100), default="")
    complaint_phone: Mapped[str] = mapped_column(String(100), default="")
    # 首席代表 and the AB角 backup: published with name, post and phone.
    chief_name: Mapped[str] = mapped_column(String(100), default="")
    chief_post: Mapped[str] = mapped_column(String(100), default="")
    chief_phone: Mapped[str] = mapped_column(String(100), default="")
    backup_name: Mapped[str] = mapped_column(String(100), default="")
    backup_post: Mapped[str] = mapped_column(String(100), default="")
    backup_phone: Mapped[str] = mapped_column(String(100), default="")
    duties: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[ServiceItem]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.code}>"
