"""Server-side back-office sessions: the cookie carries a random token, the row decides.

A session is valid while its row is not ended and neither the idle nor the absolute
timeout has passed; logout, a password change and an administrator's disabling of the
account end rows at once, so a replayed cookie is refused. Only the token's SHA-256 is
stored (a database reader cannot take over a session).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db


class UserSession(db.Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: When it ended (logout, password change, account disabled, timeout); None while valid.
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
