"""Back-office search: turn records into documents for ``sunshine.search``.

Drafts are indexed too (staff search their own work); each document carries
its department so that the view can restrict hits to what the user may see.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sunshine.search.index import SearchDoc, SearchIndex

from .db import db
from .models import Channel, Complaint, Department, Notice, ServiceItem
from .privacy.masking import mask


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def item_doc(item: ServiceItem) -> SearchDoc:
    body = _join(
        item.code, item.item_type, item.legal_basis, item.conditions, item.keywords,
        *(m.name for m in item.materials), *(s.name + " " + s.office for s in item.steps),
        *(f.name for f in item.fees),
    )
    return SearchDoc(id=f"item:{item.id}", kind="item", department=item.department.code,
                     state=item.state, title=item.name, body=body, url=f"/admin/items/{item.id}/edit")


def department_doc(dept: Department) -> SearchDoc:
    body = _join(dept.short_name, dept.window, dept.address, dept.duties, dept.chief_name, dept.backup_name)
    return SearchDoc(id=f"department:{dept.id}", kind="department", department=dept.code,
                     state=dept.state, title=dept.name, body=body, url=f"/admin/departments/{dept.id}/edit")


def notice_doc(notice: Notice) -> SearchDoc:
    return SearchDoc(id=f"notice:{notice.id}", kind="notice",
                     department=notice.department.code if notice.department else "",
                     state=notice.state, title=notice.title, body=notice.body,
                     url=f"/admin/notices/{notice.id}/edit")


def channel_doc(channel: Channel) -> SearchDoc:
    return SearchDoc(id=f"channel:{channel.id}", kind="channel", department="", state=channel.state,
                     title=channel.name, body=_join(channel.contact, channel.office, channel.notes),
                     url=f"/admin/channels/{channel.id}/edit")


def complaint_doc(complaint: Complaint) -> SearchDoc:
    # The contact fields are left out of the index, and the free text is masked: complainants often
    # type their name and phone into the complaint itself, and an index file is not a place for them.
    names = [complaint.contact_name]
    return SearchDoc(id=f"complaint:{complaint.id}", kind="complaint", department=complaint.department.code,
                     state=complaint.status, title=f"{complaint.tracking_no} {mask(complaint.subject, names)}",
                     body=_join(complaint.category, mask(complaint.content, names), mask(complaint.reply, names)),
                     url=f"/admin/complaints/{complaint.id}")


DOC_BUILDERS = {
    ServiceItem: item_doc,
    Department: department_doc,
    Notice: notice_doc,
    Channel: channel_doc,
    Complaint: complaint_doc,
}


#: What each document reads besides its own row, loaded with all records in a few queries
#: (one query per record and relationship took a minute at 10,000 items: bench/bench_backoffice.py).
DOC_LOADS = {ServiceItem: ("department", "materials", "steps", "fees"), Notice: ("department",),
             Complaint: ("department",)}


def all_docs() -> Iterator[SearchDoc]:
    for model, build in DOC_BUILDERS.items():
        loads = [selectinload(getattr(model, name)) for name in DOC_LOADS.get(model, ())]
        for record in db.session.scalars(select(model).options(*loads)):
            yield build(record)


def search_index() -> SearchIndex:
    index = SearchIndex(Path(current_app.config["SUNSHINE_SEARCH_INDEX"]))
    index.create_or_open()
    return index


def reindex_all() -> int:
    docs = list(all_docs())
    search_index().rebuild(docs)
    return len(docs)


def index_record(record) -> None:
    """Keep the index in step after a save; search is never worth losing a save over."""
    try:
        search_index().upsert(DOC_BUILDERS[type(record)](record))
    except Exception:  # pragma: no cover - logged, the record itself is saved
        current_app.logger.exception("search index update failed for %r", record)
