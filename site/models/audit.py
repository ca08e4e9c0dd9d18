"""The audit log (审计日志): one append-only row per login, change, transition, export and account change.

Rows are written by ``sunshine.site.audit`` and never changed: the mapper refuses an
UPDATE or DELETE of an entry (see ``sunshine.site.audit``), no route edits or deletes
one, and the only readers are the supervisor's and the administrator's audit views.
``username`` is copied at the time, so an entry still names who acted after the
account is renamed or disabled; a failed login names the account that was tried.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_action_at", "action", "at"),
        Index("ix_audit_entry_username_at", "username", "at"),
        Index("ix_audit_entry_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    #: Who acted (None: the system, e.g. ``sunshine tick``, or an unknown account's failed login).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: The account name as it was at the time (or as typed, for a failed login).
    username: Mapped[str] = mapped_column(String(64), default="")
    #: The department the target belongs to (filters "what happened in 住建局").
    department_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: A code of ``sunshine.site.audit.ACTIONS``.
    action: Mapped[str] = mapped_column(String(32))
    #: What it was done to: a table name ("service_item", "user_account") and the row's id.
    target_type: Mapped[str] = mapped_column(String(32), default="")
    target_id: Mapped[int | None] = mapped_column(Integer)
    #: One line for people: "燃气经营许可证核发：提交审核".
    summary: Mapped[str] = mapped_column(String(300), default="")
    #: The client address (the last proxy hop's view, see SUNSHINE_PROXY_HOPS).
    address: Mapped[str] = mapped_column(String(64), default="")
    #: Structured detail: changed field names, a reason, a count. Never a password or a citizen's contact.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
