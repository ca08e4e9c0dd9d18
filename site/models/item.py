"""政务服务事项 with its materials (申请材料), steps (办理流程) and fees (收费项目)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.contract.codes import (
    CASE_TYPES,
)

from ..db import db
from .department import Department
from .workflow import Disclosure


class ServiceItem(Disclosure, db.Model):
    __tablename__ = "service_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    item_type: Mapped[str] = mapped_column(String(32))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    service_object: Mapped[str] = mapped_column(String(32), default="自然人,法人")
    statutory_days: Mapped[int] = mapped_column(Integer, default=0)
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    promised_note: Mapped[str] = mapped_column(String(300), default="")
    case_type: Mapped[str] = mapped_column(String(16), default="promised")
    visits_required: Mapped[int] = mapped_column(Integer, default=1)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    in_hall: Mapped[bool] = mapped_column(Boolean, default=True)
    location: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")
    consult_phone: Mapped[str] = mapped_column(String(100), default="")
    complaint_phone: Mapped[str] = mapped_column(String(100), default="")
    result_type: Mapped[str] = mapped_column(String(100), default="")
    #: Colloquial words citizens search with, one per line.
    keywords: Mapped[str] = mapped_column(Text, default="")
    effective_date: Mapped[dt.date | None] = mapped_column(Date)

    department: Mapped[Department] = relationship(back_populates="items")
    materials: Mapped[list[Material]] = relationship(
        order_by="Material.position", cascade="all, delete-orphan", back_populates="item"
    )
    steps: Mapped[list[Step]] = relationship(
        order_by="Step.position", cascade="all, delete-orphan", back_populates="item"
    )
    fees: Mapped[list[Fee]] = relationship(
        order_by="Fee.position", cascade="all, delete-orphan", back_populates="item"
    )

    @property
    def keyword_list(self) -> list[str]:
        return [w.strip() for w in self.keywords.replace("，", "\n").replace(",", "\n").splitlines() if w.strip()]

    @property
    def case_type_label(self) -> str:
        return CASE_TYPES.get(self.case_type, self.case_type)

    def __repr__(self) -> str:
        return f"<ServiceItem {self.code}>"


class Material(db.Model):
    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(16), default="原件")
    copies: Mapped[int] = mapped_column(Integer, default=1)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(String(500), default="")
    template_url: Mapped[str] = mapped_column(String(500), default="")

    item: Mapped[ServiceItem] = relationship(back_populates="materials")


class Step(db.Model):
    __tablename__ = "step"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200), default="")
    days: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(String(500), default="")

    item: Mapped[ServiceItem] = relationship(back_populates="steps")


class Fee(db.Model):
    __tablename__ = "fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(500), default="")
    basis: Mapped[str] = mapped_column(String(500), default="")
    approving_doc: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str] = mapped_column(String(32), default="行政事业性收费")
    exemptions: Mapped[str] = mapped_column(String(500), default="")
    #: Name of the 一单收费 bill this fee is charged on ("" = billed alone).
    combined_bill: Mapped[str] = mapped_column(String(200), default="")

    item: Mapped[ServiceItem] = relationship(back_populates="fees")
