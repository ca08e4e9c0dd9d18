"""Back-office search: turn records into documents for ``sunshine.search``.

Drafts are indexed too (staff search their own work); each document carries
its department so that the view can restrict hits to what the user may see,
and the address of its page on the public site (once it has one).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sunshine.contract.urls import url_for as public_url_for
from sunshine.search.analysis import Synonyms
from sunshine.search.index import SearchDoc, SearchIndex
from sunshine.search.public_index import fee_text, time_limit_text
from sunshine.search.terms import CHANNEL_WORDS, DEPARTMENT_QUESTIONS

from .db import db
from .models import Channel, Complaint, Department, Notice, ServiceItem
from .privacy.masking import mask
from .search_synonyms import current_synonyms


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _public(record: Any, kind: str) -> str:
    """The record's page on the public site; "" for a record never published (it has none)."""
    if not record.published_data:
        return ""
    if kind == "channel":
        return f"{public_url_for('channels')}#channel-{record.code}"
    return public_url_for(kind, record.code)


def _department_names(dept: Department | None) -> str:
    return _join(dept.name, dept.short_name) if dept is not None else ""


def item_doc(item: ServiceItem) -> SearchDoc:
    dept = item.department
    body = _join(
        item.code, item.item_type, item.legal_basis, item.conditions,
        *(m.name for m in item.materials), *(s.name + " " + s.office for s in item.steps),
        *(f.name for f in item.fees), item.location, item.consult_phone,
    )
    summary = {"case_type": item.case_type, "promised_days": item.promised_days,
               "statutory_days": item.statutory_days, "fee_required": bool(item.fees),
               "fees": [{"name": f.name} for f in item.fees]}
    return SearchDoc(id=f"item:{item.id}", kind="item", department=dept.code,
                     state=item.state, title=item.name, body=body, url=f"/admin/items/{item.id}/edit",
                     keywords="\n".join(item.keyword_list), department_names=_department_names(dept),
                     item_type=item.item_type, public_url=_public(item, "item"), department_name=dept.name,
                     time_limit=time_limit_text(summary), fee=fee_text(summary),
                     names=(item.name, *(f.name for f in item.fees)))


def department_doc(dept: Department) -> SearchDoc:
    phones = [
        f"咨询电话 {dept.consult_phone}" if dept.consult_phone else "",
        f"投诉电话 {dept.complaint_phone}" if dept.complaint_phone else "",
        _join(dept.chief_name, dept.chief_phone), _join(dept.backup_name, dept.backup_phone),
    ]
    body = _join(dept.short_name, dept.window, dept.address, *phones, dept.duties)
    return SearchDoc(id=f"department:{dept.id}", kind="department", department=dept.code,
                     state=dept.state, title=dept.name, body=body, url=f"/admin/departments/{dept.id}/edit",
                     department_names=_department_names(dept), public_url=_public(dept, "department"),
                     department_name=dept.name, names=tuple(n for n in (dept.name, dept.short_name) if n),
                     keywords=" ".join(DEPARTMENT_QUESTIONS))


def notice_doc(notice: Notice) -> SearchDoc:
    dept = notice.department
    return SearchDoc(id=f"notice:{notice.id}", kind="notice",
                     department=dept.code if dept else "",
                     state=notice.state, title=notice.title, body=notice.body,
                     url=f"/admin/notices/{notice.id}/edit", department_names=_department_names(dept),
                     public_url=_public(notice, "notice"), department_name=dept.name if dept else "")


def channel_doc(channel: Channel) -> SearchDoc:
    return SearchDoc(id=f"channel:{channel.id}", kind="channel", department="", state=channel.state,
                     title=channel.name, body=_join(channel.contact, channel.hours, channel.office, channel.notes),
                     url=f"/admin/channels/{channel.id}/edit", public_url=_public(channel, "channel"),
                     keywords=" ".join(CHANNEL_WORDS))


def complaint_doc(complaint: Complaint) -> SearchDoc:
    # The contact fields are left out of the index, and the free text is masked: complainants often
    # type their name and phone into the complaint itself, and an index file is not a place for them.
    names = [complaint.contact_name]
    dept = complaint.department
    return SearchDoc(id=f"complaint:{complaint.id}", kind="complaint", department=dept.code,
                     state=complaint.status, title=f"{complaint.tracking_no} {mask(complaint.subject, names)}",
                     body=_join(complaint.category, mask(complaint.content, names), mask(complaint.reply, names)),
                     url=f"/admin/complaints/{complaint.id}", department_names=_department_names(dept),
                     department_name=dept.name)


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


_indexes: dict[tuple[str, Synonyms], SearchIndex] = {}


def open_index(path: Path | str) -> SearchIndex:
    """The index at path with the current synonyms (one object per path and synonym set: an open
    index reads the newest committed generation on every search)."""
    synonyms = current_synonyms()
    key = (str(Path(path).resolve()), synonyms)
    index = _indexes.get(key)
    if index is None:
        for old in [k for k in _indexes if k[0] == key[0]]:
            del _indexes[old]
        index = _indexes[key] = SearchIndex(Path(path), synonyms=synonyms)
    index.create_or_open()
    return index


def search_index() -> SearchIndex:
    """The back-office index."""
    return open_index(current_app.config["SUNSHINE_SEARCH_INDEX"])


def reindex_all() -> int:
    """Rebuild the back-office index from every record; returns how many were indexed."""
    docs = list(all_docs())
    search_index().rebuild(docs)
    return len(docs)


def index_record(record) -> None:
    """Keep the index in step after a save; search is never worth losing a save over."""
    try:
        search_index().upsert(DOC_BUILDERS[type(record)](record))
    except Exception:  # pragma: no cover - logged, the record itself is saved
        current_app.logger.exception("search index update failed for %r", record)
