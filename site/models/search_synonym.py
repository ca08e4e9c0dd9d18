"""Synonym groups offices add for search (检索同义词), on top of ``search/data/synonyms.txt``.

A group is one line of space-separated equivalent words, the official name first (the same form
as the repository's file). They are public: they reach the static site through the snapshot, and
both search engines index a record containing one word of a group with all of them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class SearchSynonym(db.Model):
    __tablename__ = "search_synonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Space-separated words, the official name first (e.g. "市场监督管理局 工商局 市监局").
    words: Mapped[str] = mapped_column(String(500))
    #: The office that added it (None: the centre); shown in the list, not a restriction on search.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
