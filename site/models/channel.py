"""投诉渠道: where and how citizens complain."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.contract.codes import CHANNEL_KINDS

from ..db import db
from .workflow import Disclosure


class Channel(Disclosure, db.Model):
    __tablename__ = "channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")
    office: Mapped[str] = mapped_column(String(200), default="")
    response_days: Mapped[int] = mapped_column(Integer, default=13)
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def kind_label(self) -> str:
        return CHANNEL_KINDS.get(self.kind, self.kind)
