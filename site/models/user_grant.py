"""Further roles a user holds in other departments (兼职): beyond the role and department on the account.

The account's own ``role`` and ``department_id`` are its first grant; each row here adds one
more (e.g. a reviewer of 住建局 who also edits for 自然资源局). ``policy.grants`` reads both.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class UserGrant(db.Model):
    __tablename__ = "user_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "department_id", name="uq_user_grant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
