"""Keeping every saved version of a disclosure record (修订历史).

``record_revision`` is called by every path that changes a working copy (the edit
form, a restore, a bulk import) after the change is applied and before the commit, so
the revision and the change are stored together or not at all.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from . import clock
from .db import db
from .disclosure import public_fields
from .models import Revision, User
from .workflow import Record


def record_revision(record: Record, *, author: User | None, note: str = "", major: bool = False) -> Revision:
    """Store the working copy as the record's next revision and make it the record's ``edit_version``."""
    session = object_session(record) or db.session
    if record.id is None:
        session.add(record)
        session.flush()  # the revision needs the record's id
    number = (record.edit_version or 0) + 1
    revision = Revision(record_type=record.__tablename__, record_id=record.id, number=number,
                        data=public_fields(record), author_id=author.id if author is not None else None,
                        created_at=clock.now(), note=note, major=major)
    record.edit_version = number
    session.add(revision)
    return revision


def revisions_of(record: Record) -> list[Revision]:
    """All revisions of ``record``, newest first."""
    return list(db.session.scalars(
        select(Revision).where(Revision.record_type == record.__tablename__, Revision.record_id == record.id)
        .order_by(Revision.number.desc())))


def revision(record: Record, number: int) -> Revision | None:
    return db.session.scalars(
        select(Revision).where(Revision.record_type == record.__tablename__, Revision.record_id == record.id,
                               Revision.number == number)).first()


def latest_revision(record: Record) -> Revision | None:
    if record.id is None or not record.edit_version:
        return None
    return revision(record, record.edit_version)


def public_changes(record_type: str) -> dict[int, list[dict]]:
    """The change history public pages show, for every record of one table in one query:
    record id -> major notes of its published revisions, newest first."""
    rows = db.session.execute(
        select(Revision.record_id, Revision.published_as, Revision.published_at, Revision.note)
        .where(Revision.record_type == record_type, Revision.published_as.is_not(None),
               Revision.major.is_(True), Revision.note != "")
        .order_by(Revision.record_id, Revision.published_as.desc()))
    changes: dict[int, list[dict]] = {}
    for record_id, number, published_at, note in rows:
        changes.setdefault(record_id, []).append(
            {"revision": number, "date": clock.to_cn_date(published_at).isoformat(), "note": note})
    return changes
