"""The publication workflow every disclosure record shares.

The row is the working copy; ``published_data`` is the public version frozen at
the last publish. The snapshot reads only ``published_data``, so a saved draft
never reaches the public site. Pure rules live in ``sunshine.site.workflow``.
A withdrawal keeps when it happened and why: a withdrawn item's page stays on the
public site with that notice (snapshot ``withdrawn_items``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.contract.schema import WITHDRAWN_REASON_MAX_LENGTH

from ..db import UTCDateTime

DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, PUBLISHED, WITHDRAWN)
STATE_LABELS = {DRAFT: "草稿", PUBLISHED: "已发布", WITHDRAWN: "已撤回"}


class Disclosure:
    """Columns of the workflow, mixed into each disclosure model."""

    state: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    #: Number of the last published revision (0 = never published).
    revision: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: The public fields as published; the snapshot's only source.
    published_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: True when the working copy differs from what is published.
    has_unpublished_changes: Mapped[bool] = mapped_column(default=True)
    #: When it was last withdrawn (clock time); cleared when it is published again.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: 撤回原因 as staff wrote it for the public page ("" = none given).
    withdrawn_reason: Mapped[str] = mapped_column(String(WITHDRAWN_REASON_MAX_LENGTH), default="",
                                                  server_default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), default=func.now(), onupdate=func.now()
    )

    @property
    def state_label(self) -> str:
        if self.state == PUBLISHED and self.has_unpublished_changes:
            return "已发布（有未发布的修改）"
        return STATE_LABELS.get(self.state, self.state)
