"""好差评: a citizen's rating of an item or a department (five levels)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db
from .department import Department
from .item import ServiceItem

#: Level 5 is best. 不满意 and 非常不满意 are 差评 (国办发〔2019〕51号).
RATING_LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


class Rating(db.Model):
    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # item | department
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_item.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    department: Mapped[Department] = relationship()
    item: Mapped[ServiceItem | None] = relationship()

    @property
    def level_label(self) -> str:
        return RATING_LEVELS.get(self.level, str(self.level))

    @property
    def is_bad(self) -> bool:
        return self.level <= 2
