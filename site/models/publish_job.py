"""A request to publish the public site, and what became of it.

Every save that publishes or withdraws a record, and the administrator's 重新生成网站, records one
row; the queue's worker builds the site for all rows queued at that moment in one build (requests
that arrive while a build runs are coalesced into the next one), so the row is also the history of
who asked for which build and how it ended.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime, db
from .user import User

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED)
JOB_STATE_LABELS = {QUEUED: "排队中", RUNNING: "生成中", DONE: "已上线", FAILED: "失败"}


class PublishJob(db.Model):
    __tablename__ = "publish_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(8), default=QUEUED, index=True)
    #: What asked for it, for people: "已发布第3版：燃气经营许可证核发", "重新生成网站".
    reason: Mapped[str] = mapped_column(String(200), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: The run that claimed it: every job built together shares it (the coalesced requests).
    run_token: Mapped[str] = mapped_column(String(32), default="", index=True)
    #: The live build it ended in (web_root/builds/<build_id>), once done.
    build_id: Mapped[str] = mapped_column(String(64), default="")
    seconds: Mapped[float | None] = mapped_column()
    items: Mapped[int | None] = mapped_column(Integer)
    #: One line, Chinese first, when it failed.
    error: Mapped[str] = mapped_column(String(500), default="")

    requested_by: Mapped[User | None] = relationship()

    @property
    def state_label(self) -> str:
        return JOB_STATE_LABELS.get(self.state, self.state)
