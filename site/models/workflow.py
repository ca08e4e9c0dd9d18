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

from flask_babel import gettext
from sqlalchemy import JSON, Date, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.contract.schema import WITHDRAWN_REASON_MAX_LENGTH

from .. import clock
from ..db import UTCDateTime
from ..roles import N_

DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, PUBLISHED, WITHDRAWN)
#: Stored untranslated (``N_``); ``Disclosure.state_label`` translates at display time.
STATE_LABELS = {DRAFT: N_("草稿"), PUBLISHED: N_("已发布"), WITHDRAWN: N_("已撤回")}

#: Where the working copy stands in review, beside the public ``state``: being edited,
#: waiting for a reviewer, sent back with a reason, or approved to go live on ``publish_on``.
EDITING, SUBMITTED, REJECTED, SCHEDULED = "", "submitted", "rejected", "scheduled"
REVIEW_STATES = (EDITING, SUBMITTED, REJECTED, SCHEDULED)
REVIEW_LABELS = {EDITING: N_("编辑中"), SUBMITTED: N_("待审核"), REJECTED: N_("已退回"), SCHEDULED: N_("已批准，待生效")}


def _clock_now() -> dt.datetime:
    return clock.now()


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
    #: Review of the working copy (``REVIEW_STATES``); "" while it is being edited.
    review_state: Mapped[str] = mapped_column(String(16), default=EDITING, server_default="", index=True)
    #: The reviewer's reason when rejected (shown to the editor), "" otherwise.
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: When the working copy was submitted (the reviewer's queue is oldest first).
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: Number of the latest ``Revision`` (0 = none yet): a form sends it back to refuse lost updates.
    edit_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: 生效日期 of scheduled publishing: an approved version waits until this day (``sunshine tick``).
    publish_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 失效日期: ``sunshine tick`` withdraws the record on this day.
    expire_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Last change of the working copy, by the app's clock (tests and pinned demos set it).
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), default=_clock_now, onupdate=_clock_now
    )

    @property
    def state_label(self) -> str:
        """The public state in the user's language (translated here, so templates need no ``_``)."""
        if self.state == PUBLISHED and self.has_unpublished_changes:
            return gettext("已发布（有未发布的修改）")
        return gettext(STATE_LABELS[self.state]) if self.state in STATE_LABELS else self.state

    @property
    def review_label(self) -> str:
        """Where the working copy stands in review, in the user's language."""
        if self.review_state in REVIEW_LABELS:
            return gettext(REVIEW_LABELS[self.review_state])
        return self.review_state
