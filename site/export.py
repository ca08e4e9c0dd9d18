"""Export: published records and aggregate figures → the snapshot (ARCHITECTURE rules 1–3).

Only ``published_data`` of records in state *published* (and whose effective
date has come) is read; drafts, complaints, questions, cases, ratings and
accounts never are, except as counts (``figures``), as the public part of
rectification work orders, and as the consented, anonymized outcomes of
complaints and answers to questions (``complaints.outcomes``,
``questions.publication``). Records withdrawn after publication enter as a name (or
title), a department where they have one, a date and the reason staff wrote for
publication (``withdrawn_items``, ``withdrawn_departments``, ``withdrawn_notices``,
``withdrawn_channels``), so their pages can say so; the items of a withdrawn
department enter as withdrawn with it. The synonym groups offices added for search (``search_synonyms``) are
public words and enter whole. The result is validated against the contract before it is written.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import chain, compress, count, islice, repeat
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from flask import current_app
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import aliased

from sunshine.contract.schema import (
    COLLECTIONS,
    SCHEMA,
    SCHEMA_VERSION,
    WITHDRAWN_REASON_MAX_LENGTH,
    validate_snapshot,
)

from . import clock
from .attachments import published_attachments
from .clock import CN_TZ
from .complaints.outcomes import public_outcomes
from .db import db
from .figures import compute_figures
from .models import (
    PUBLISHED,
    WITHDRAWN,
    Channel,
    Department,
    Notice,
    Rating,
    Rectification,
    ServiceCase,
    ServiceItem,
    SiteProfile,
)
from .questions.publication import public_questions
from .revisions import public_changes
from .search_synonyms import snapshot_lines


class _Published(NamedTuple):
    """A published record as the export reads it: its id and code, its published version and the
    workflow's fields (never the working copy)."""

    id: int
    code: str
    published_data: dict[str, Any]
    revision: int
    #: ``published_at`` as the snapshot writes it (China time, seconds), "" when unknown.
    published_at: str
    #: Whether ``published_data`` may hold a file link (``/files/``), which the attachments need.
    may_link: bool
    #: From ``published_data``, read once when decoded (the export reads them for every record):
    #: ``effective_date`` (None or "" when none), ``department`` and ``code``.
    effective: str | None = None
    department: Any = None
    data_code: Any = None


class _Read(NamedTuple):
    """One table's rows as the last export read them, by id, and what it made of them."""

    #: (id, code, stored JSON text, revision, stored publishing time as SQL text) of each row. A row
    #: read again equal to one of these is dropped and this one kept: one copy of a city's 30 MB text.
    rows: list[tuple]
    #: Each row's record (None for a row without published data).
    records: list[_Published | None]
    #: The records with published data, by code (what ``_published`` returned).
    ordered: list[_Published]


#: The published records as read at the last export, per table. A worker exports every published
#: record for every publish, and after one edit all but that record are as they were. A record serves
#: only a row equal to the one it was read from (the same id, code, stored JSON text and time and
#: revision: equal text decodes to equal values, whatever the row or the database), so a record
#: published again, or changed by any other means, is read anew: this never serves a stale record.
#: Replaced whole at each export, it holds one snapshot's records at most (140 MB at 10,000 items,
#: about what the export itself needs while it runs). The snapshot's records share these values: a
#: caller may replace a record's fields, but must not change what they hold in place.
_decoded: dict[str, _Read] = {}


class _Record(dict):
    """A snapshot record as the worker's export made it (``build_snapshot(remember=True)``), which the
    next export hands again, and the next write takes the encoding of, while it did not change.

    A caller may replace its fields (the preview does): any change through its methods marks it
    ``changed`` — checking that costs nothing, where comparing ten thousand records with a copy of
    each took 15 ms. What its fields hold must not be changed in place (they are the decoded record's,
    ``_decoded``), as for any snapshot record.
    """

    __slots__ = ("changed",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changed = False

    def __setitem__(self, key: Any, value: Any) -> None:
        self.changed = True
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self.changed = True
        super().__delitem__(key)

    def __ior__(self, other: Any) -> _Record:
        self.changed = True
        return super().__ior__(other)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.changed = True
        super().update(*args, **kwargs)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self.changed = True
        return super().setdefault(key, default)

    def pop(self, *args: Any) -> Any:
        self.changed = True
        return super().pop(*args)

    def popitem(self) -> tuple[Any, Any]:
        self.changed = True
        return super().popitem()

    def clear(self) -> None:
        self.changed = True
        super().clear()


class _Exported(NamedTuple):
    """A snapshot record as the last export made it (``record``) and what it was made of: the record
    as read, its change notes and the fields the export set itself."""

    source: _Published
    changes: list[dict] | None
    fields: dict[str, Any] | None
    record: _Record


#: The snapshot records of the last export that passed the contract, per table, by id. The next
#: export hands the very same dict again for a record read from the same row (``_decoded``: the same
#: stored text and time, revision and code) with equal change notes and export-set fields, that
#: nobody changed since (``_Record.changed``); any other record is made anew. A record handed
#: again is one the contract accepted in the same list, unchanged: only those made anew are validated
#: (the schema relates no two records), and the worker's ``write_snapshot`` reuses the bytes of those
#: handed again (``_written``): a one-item edit checks and encodes one item, not ten thousand.
_exported: dict[str, dict[int, _Exported]] = {}


def _decode(record_id: int, code: str, text: str, revision: int, published_at: dt.datetime | None) -> _Published:
    data = orjson.loads(text)
    fields = data if type(data) is dict else {}
    # orjson writes "/" and letters as they are: no "/files/" in its bytes, no link in any string.
    return _Published(record_id, code, data, revision,
                      published_at.astimezone(CN_TZ).isoformat(timespec="seconds") if published_at else "",
                      bool(data) and b"/files/" in orjson.dumps(data),
                      fields.get("effective_date"), fields.get("department"), fields.get("code"))


#: Beyond this many records to decode, their publishing times are read for the whole table at once.
_FEW = 500


def _published(model, remember: bool = False) -> list[_Published]:
    """The table's records in state *published* that have published data, by code.

    Only the columns the snapshot needs are read, as plain rows (no ORM objects, no conversion: a
    third of the time at a city's ten thousand items), and each JSON text is decoded once per process
    while it stays published (``_decoded``; comparing two equal texts costs a tenth of decoding one).
    The text and the publishing time are read as SQL text (``CAST``: a PostgreSQL driver would decode
    JSON itself); the time as a date-time only for the records decoded anew, in a second query. The
    rows, read by id, are compared with the last export's in place, in C; only where ids no longer
    line up (a record added or gone) are they matched by id in Python.
    """
    stmt = (select(model.id, model.code, cast(model.published_data, Text), model.revision,
                   cast(model.published_at, Text)).where(model.state == PUBLISHED).order_by(model.id))
    rows = list(map(tuple, db.session.connection().execute(stmt).fetchall()))
    last = _decoded.get(model.__tablename__) if remember else None
    changed: list[int] | None = None  # the positions of the rows not as last read
    if last is not None and len(last.rows) == len(rows):
        changed = list(compress(count(), map(operator.ne, rows, last.rows)))
        if any(rows[n][0] != last.rows[n][0] for n in changed):
            changed = None  # not the same records: matched by id below
    if changed is not None:
        records, kept = list(last.records), list(last.rows)
        for n in changed:
            kept[n] = rows[n]
    else:
        known = dict(zip(map(operator.itemgetter(0), last.rows), zip(last.rows, last.records, strict=True),
                         strict=True)) if last is not None else {}
        records, kept, changed = [], [], []
        for row in rows:
            found = known.get(row[0])
            if found is not None and found[0] == row:
                records.append(found[1])
                kept.append(found[0])
            else:
                changed.append(len(records))
                records.append(None)
                kept.append(row)
    anew = [n for n in changed if rows[n][2] is not None]
    if anew:
        times = select(model.id, model.published_at).where(model.state == PUBLISHED)
        if len(anew) <= _FEW:
            times = times.where(model.id.in_([rows[n][0] for n in anew]))
        published_at = {record_id: moment for record_id, moment in db.session.execute(times)}
    for n in changed:
        record_id, code, text, revision, _ = rows[n]
        records[n] = None if text is None else _decode(record_id, code, text, revision, published_at.get(record_id))
    ordered = _ordered(records, last, changed) if last is not None and len(last.records) == len(records) else None
    if ordered is None:
        ordered = sorted((record for record in records if record is not None and record.published_data), key=_by_code)
    if remember:
        _decoded[model.__tablename__] = _Read(kept, records, ordered)
    return ordered


def _ordered(records: list[_Published | None], last: _Read, changed: list[int]) -> list[_Published] | None:
    """The records by code from the last export's order, when only records with data that kept their
    code changed in place (an edit); None when they must be sorted again."""
    if len(changed) > _FEW:
        return None
    ordered = list(last.ordered)
    for n in changed:
        before, now = last.records[n], records[n]
        if before is None or now is None or not before.published_data or not now.published_data or (
                before.code != now.code):
            return None
        ordered[ordered.index(before)] = now
    return ordered


def _by_code(record: _Published) -> str:
    return record.code


class _Maker:
    """Makes one table's snapshot records for one export: the published fields plus the workflow's
    (revision, time, the major change notes, 变更记录). Remembering, it hands the last export's record
    again where nothing it was made of changed (``_exported``); ``made`` collects this export's."""

    def __init__(self, model, changes: dict[int, list[dict]], remember: bool) -> None:
        self.table = model.__tablename__
        self.changes = changes
        self.previous = _exported.get(self.table, {}) if remember else None
        self.made: dict[int, _Exported] = {}
        #: The records this export made anew (not handed again), which the contract has not seen.
        self.new: list[dict[str, Any]] = []

    def record(self, record: _Published, linking: list[dict[str, Any]], fields: dict[str, Any] | None = None
               ) -> dict[str, Any]:
        """``record`` as the snapshot holds it, ``fields`` (set by the export) replacing its own.

        The record is added to ``linking`` when it may hold a file link (its data, or a change note).
        """
        record_changes = self.changes.get(record.id)  # a list of one note or more, or None
        kept = self.previous.get(record.id) if self.previous is not None else None
        if (kept is not None and kept.source is record and kept.changes == record_changes and kept.fields == fields
                and not kept.record.changed):
            data = kept.record
        else:
            data = {**record.published_data, "revision": record.revision, "published_at": record.published_at,
                    "changes": record_changes or []}
            if fields:
                data.update(fields)
            if self.previous is not None:
                data = _Record(data)
                kept = _Exported(record, record_changes, fields, data)
                self.new.append(data)
        if self.previous is not None:
            self.made[record.id] = kept
        if record.may_link or record_changes:
            linking.append(data)
        return data


def site_fields(intake_url: str, site_url: str = "") -> dict[str, Any]:
    """The centre's public facts; ``site_url`` is the static site's public base URL (may be "")."""
    profile = db.session.scalars(select(SiteProfile)).first() or SiteProfile()
    return {
        "name": profile.name or "政务服务中心",
        "region": profile.region or "",
        "address": profile.address or "",
        "hours": profile.hours or "",
        "phone": profile.phone or "",
        "complaint_phone": profile.complaint_phone or "",
        "intake_url": intake_url.rstrip("/"),
        "site_url": site_url.rstrip("/"),
        "intro": profile.intro or "",
    }


def build_snapshot(*, intake_url: str = "", today: dt.date | None = None, remember: bool = False,
                   generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The snapshot as a dict: public fields of published records only, validated.

    The figures cover ``SUNSHINE_FIGURE_MONTHS`` months and flag ``SUNSHINE_VETO_PERCENT`` (app settings);
    ``site.site_url`` is ``SUNSHINE_STATIC_URL``, the static site's public address, so the
    canonical links and the sitemap built from the published snapshot are the same anywhere.

    ``remember``: keep the records read and made for this process's next export (the worker, which
    exports for every publish: a record whose row did not change is not decoded, made or validated
    again, and is the same ``_Record`` object as in the last snapshot, whose encoding
    ``write_snapshot(remember=True)`` keeps); a web process previewing a page does not hold a city's
    records (140 MB). The snapshot's records then share values with that cache (``_decoded``):
    replace a record's fields if needed (it is then made anew), never change what they hold in place.
    """
    with _collector_paused():
        return _build_snapshot(intake_url, today or clock.today(), generated_at, remember)


#: ``_collector_paused`` is re-entrant and may run in several threads (previews): the collector
#: is paused by the first export to start and resumed (if it ran) by the last to finish.
_pause_lock = threading.Lock()
_pauses = 0
_resume = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an export runs.

    An export allocates a record, a row and a list per published record, and lets them all go
    once the snapshot is written: the collector's young-generation passes would promote those tens
    of thousands of objects to the oldest generation, whose full collections (the whole process,
    its long-lived caches and dictionaries included) took 0.3 s at 10,000 items, one every few
    exports. The export makes no reference cycles the collector is needed for; reference counting
    frees what it drops, and a cycle made meanwhile is collected when the collector resumes.
    """
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def _build_snapshot(intake_url: str, today: dt.date, generated_at: dt.datetime | None,
                    remember: bool) -> dict[str, Any]:
    public_departments = _published(Department, remember)
    makers = {model: _Maker(model, public_changes(model.__tablename__), remember)
              for model in (Department, ServiceItem, Channel, Notice)}
    # The records that may hold a file link, by collection (for ``attachments``).
    linking: dict[str, list[dict[str, Any]]] = {name: [] for name in ("departments", "items", "channels", "notices")}
    departments = [makers[Department].record(d, linking["departments"]) for d in public_departments]
    dept_codes = {d["code"] for d in departments}
    items = []
    orphaned: list[_Published] = []  # published items whose department is withdrawn
    item_codes = set()
    for item in _published(ServiceItem, remember):
        if item.effective and dt.date.fromisoformat(item.effective) > today:
            continue  # scheduled: not yet in force
        if item.department not in dept_codes:
            orphaned.append(item)  # its department is not public (withdrawn): never a dangling link
            continue
        items.append(makers[ServiceItem].record(item, linking["items"]))
        item_codes.add(item.data_code)
    notices = []
    for notice in _published(Notice, remember):
        department = notice.department
        gone = department is not None and department not in dept_codes
        notices.append(makers[Notice].record(notice, linking["notices"], {"department": None} if gone else None))
    departments_withdrawn = withdrawn_departments()
    generated_at = generated_at or clock.now()
    public_ids = {d.id: d.code for d in public_departments}
    config = current_app.config
    snapshot = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.astimezone(CN_TZ).isoformat(timespec="seconds"),
        "site": site_fields(intake_url, config.get("SUNSHINE_STATIC_URL") or ""),
        "departments": departments,
        "items": items,
        "channels": [makers[Channel].record(c, linking["channels"]) for c in _published(Channel, remember)],
        "notices": notices,
        "figures": compute_figures(public_ids, as_of=today, months=config["SUNSHINE_FIGURE_MONTHS"],
                                   veto_percent=config["SUNSHINE_VETO_PERCENT"]),
        "rectifications": public_rectifications(public_ids, item_codes),
        "complaint_outcomes": public_outcomes(public_ids, item_codes),
        "questions": public_questions(public_ids, item_codes),
        "withdrawn_items": withdrawn_items(dept_codes, departments_withdrawn, orphaned),
        "withdrawn_departments": departments_withdrawn,
        "withdrawn_notices": withdrawn_notices(dept_codes),
        "withdrawn_channels": withdrawn_channels(),
        # Public words, not records: the public site's search indexes them like the repository's groups.
        "search_synonyms": snapshot_lines(),
    }
    # Files the published records link to (/files/<sha256>/<name>); unlinked uploads stay private.
    # Only the records that may link are searched: those whose data has "/files/" in it or that
    # have change notes (a collection the contract adds to ``COLLECTIONS`` fails here, loudly).
    snapshot["attachments"] = published_attachments(linking[name] for name in COLLECTIONS)
    # Refuse here, with the reason, what the publisher would refuse. Remembering, the records the
    # last export validated, handed again unchanged in the same list, are not checked again.
    if remember:
        new = {"departments": makers[Department].new, "items": makers[ServiceItem].new,
               "channels": makers[Channel].new, "notices": makers[Notice].new}
        validate_snapshot(snapshot, to_check=lambda name, records: new.get(name, records))
        _exported.clear()
        _exported.update((maker.table, maker.made) for maker in makers.values())
    else:
        validate_snapshot(snapshot)
    return snapshot


class _Withdrawn(NamedTuple):
    """A record withdrawn after it was public: its code, the version it was last published as,
    when (China time, seconds) and why."""

    code: str
    data: dict[str, Any]
    withdrawn_at: dt.datetime
    reason: str


def _withdrawn(model) -> list[_Withdrawn]:
    """The table's records that were public and were then withdrawn, by code.

    The one rule for every withdrawal notice: published once (``revision`` > 0, its published
    version read, never the working copy, which may hold unpublished edits), now withdrawn, and
    withdrawn on or after its effective date: a record withdrawn before it came into force never
    had a public page, so it gets no notice now.
    """
    stmt = select(model).where(model.state == WITHDRAWN, model.revision > 0)
    rows = []
    for record in db.session.scalars(stmt):
        data = record.published_data or {}
        withdrawn_at = _cn_time(record.withdrawn_at or record.updated_at)
        effective = data.get("effective_date")
        if not data or (effective and dt.date.fromisoformat(effective) > withdrawn_at.date()):
            continue
        rows.append(_Withdrawn(record.code, data, withdrawn_at, record.withdrawn_reason or ""))
    return sorted(rows, key=lambda row: row.code)


def _cn_time(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CN_TZ)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def withdrawn_departments() -> list[dict[str, Any]]:
    """Departments withdrawn after they were public, by code: the name they were last published
    under, when and why (their page keeps the withdrawal notice)."""
    return [{"code": row.code, "name": row.data["name"], "withdrawn_at": _stamp(row.withdrawn_at),
             "reason": row.reason} for row in _withdrawn(Department)]


def withdrawn_notices(public_departments: set[str]) -> list[dict[str, Any]]:
    """Notices withdrawn after they were public, by code: the title and issuing department they were
    last published under (null when that department is no longer public), when and why."""
    rows = []
    for row in _withdrawn(Notice):
        department = row.data.get("department")
        rows.append({"code": row.code, "title": row.data["title"],
                     "department": department if department in public_departments else None,
                     "withdrawn_at": _stamp(row.withdrawn_at), "reason": row.reason})
    return rows


def withdrawn_channels() -> list[dict[str, Any]]:
    """Complaint channels withdrawn after they were public, by code: kind and name as last published,
    when and why (the channels page lists them as closed, so a citizen knows it was on purpose)."""
    return [{"code": row.code, "kind": row.data["kind"], "name": row.data["name"],
             "withdrawn_at": _stamp(row.withdrawn_at), "reason": row.reason} for row in _withdrawn(Channel)]


def department_withdrawn_reason(name: str) -> str:
    """The 撤回原因 of an item that left the public site with its department (within the contract's
    limit: a department name too long for the sentence is left out of it)."""
    reason = f"所属部门“{name}”已撤回，本事项随之停止公开。"
    return reason if len(reason) <= WITHDRAWN_REASON_MAX_LENGTH else "所属部门已撤回，本事项随之停止公开。"


def withdrawn_items(public_departments: set[str], departments_withdrawn: Sequence[dict[str, Any]] = (),
                    orphaned: Iterable[_Published] = ()) -> list[dict[str, Any]]:
    """Items withdrawn after they were public, by code: the name and department they were last
    published under, when and why they were withdrawn.

    ``orphaned``: items still published whose department is not public, which the export leaves
    out (it never links a department that is gone). Those whose department is among
    ``departments_withdrawn`` get the notice too, dated the department's withdrawal, with a reason
    saying so, when they were in force by then. A department no longer public is not named.
    """
    rows = {}
    for row in _withdrawn(ServiceItem):
        department = row.data.get("department")
        rows[row.code] = {
            "code": row.code,
            "name": row.data.get("name") or row.code,
            "department": department if department in public_departments else None,
            "withdrawn_at": _stamp(row.withdrawn_at),
            "reason": row.reason,
        }
    gone = {department["code"]: department for department in departments_withdrawn}
    for item in orphaned:
        department = gone.get(item.published_data["department"])
        if department is None or item.code in rows:
            continue
        effective = item.published_data.get("effective_date")
        if effective and dt.date.fromisoformat(effective) > dt.date.fromisoformat(department["withdrawn_at"][:10]):
            continue  # not yet in force when its department went: never public
        rows[item.code] = {
            "code": item.code,
            "name": item.published_data["name"],
            "department": None,
            "withdrawn_at": department["withdrawn_at"],
            "reason": department_withdrawn_reason(department["name"]),
        }
    return [rows[code] for code in sorted(rows)]


def public_rectifications(departments: dict[int, str], item_codes: set[str]) -> list[dict[str, Any]]:
    """The public face of every rectification work order that is not voided, by number.

    Only the department, the item (when it is public), the level, dates, the status and
    the texts written for publication (核实情况, 整改措施): never the rater, the comment,
    the follow-up note or the answer to the rater.
    """
    # The rated item, or the item of the rated case, joined here: one query, not two per work order.
    item = aliased(ServiceItem)
    stmt = (select(Rectification, Rating, item.code).join(Rating, Rectification.rating_id == Rating.id)
            .outerjoin(ServiceCase, Rating.case_id == ServiceCase.id)
            .outerjoin(item, item.id == func.coalesce(Rating.item_id, ServiceCase.item_id))
            .where(Rectification.department_id.in_(list(departments)),
                   Rectification.status != "voided", Rating.status == "valid")
            .order_by(Rectification.code))
    rows = []
    for work_order, rating, item_code in db.session.execute(stmt):
        closed = work_order.status == "closed"
        rows.append({
            "code": work_order.code,
            "department": departments[work_order.department_id],
            "item": item_code if item_code in item_codes else None,
            "level": rating.level,
            "rated_on": clock.to_cn_date(rating.created_at).isoformat(),
            "deadline": work_order.answer_due.isoformat(),
            "status": work_order.status,
            "finding": work_order.finding,
            "action": work_order.action,
            "closed_on": work_order.answered_on.isoformat() if closed and work_order.answered_on else None,
        })
    return rows


_FORMAT = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


class _Written(NamedTuple):
    """A top-level list as the last snapshot written held it: its elements (the objects) and each
    one's encoding (every line after the first four spaces further in, as orjson indents an element
    of a top-level list)."""

    elements: list[Any]
    parts: list[bytes]


#: The worker's last snapshot written, list by list. An element that is the same export record
#: (``_Record``) as the last one written in its place, not changed since, is not encoded again: the
#: export hands the same record for one that did not change (``_exported``), so after a one-item edit
#: one record is encoded and the others are checked in place, in C, not walked in Python. Any other
#: element is encoded every time. About the size of the file (30 MB at 10,000 items).
_written: dict[str, _Written] = {}


def write_snapshot(path: Path, snapshot: dict[str, Any], *, remember: bool = False) -> Path:
    """Write atomically (temp file + rename) with stable formatting: sorted keys, two-space indent,
    UTF-8 — the bytes of ``json.dumps(…, ensure_ascii=False, indent=2, sort_keys=True)``, made by
    orjson (a tenth of the time for a city's snapshot).

    ``remember``: keep each record's encoding for this process's next write (the worker's, after
    ``build_snapshot(remember=True)``), which reuses those of the records it is handed again
    unchanged: the same bytes, a fifth of the time after a one-item edit. A caller may replace a
    record's fields (the record is encoded again), but must not change what they hold in place.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if remember:  # what a worker killed before its removal thread ran left: second names of old snapshots
        for leftover in path.parent.glob(f".snapshot-*.json{REPLACED_SUFFIX}"):
            _remove(str(leftover))
    # Remembering, the parts are written as they are (joining 30 MB first takes as long again).
    parts = _spliced(snapshot) if remember and type(snapshot) is dict else [
        orjson.dumps(snapshot, option=_FORMAT), b"\n"]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-", suffix=".json")
    with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
        fh.writelines(parts)
    replaced = _set_aside(path, tmp) if remember else None
    os.replace(tmp, path)
    if replaced is not None:
        threading.Thread(target=_remove, args=(replaced,), name="snapshot-removal", daemon=True).start()
    return path


#: The second name of a snapshot about to be replaced, deleted by a thread (``_set_aside``).
REPLACED_SUFFIX = ".replaced"


def _set_aside(path: Path, tmp: str) -> str | None:
    """A second name for the snapshot ``path`` is about to replace (None when there is none, or no
    hard link can be made there): the file is then deleted by ``_remove`` in a thread, not by the
    rename, which would free a city's 30 MB while the publisher waits for the new one (20 ms)."""
    replaced = f"{tmp}{REPLACED_SUFFIX}"
    try:
        os.link(path, replaced)
    except OSError:
        return None
    return replaced


def _remove(path: str) -> None:
    with suppress(OSError):
        os.remove(path)


def _spliced(snapshot: dict[str, Any]) -> Iterable[bytes]:
    """The parts of ``orjson.dumps(snapshot, option=_FORMAT) + b"\\n"``, each element of a top-level
    list encoded on its own (or taken from ``_written``) and placed as orjson indents it: a list's
    element starts on its own line four spaces in, and each of its lines is four spaces further in
    (a JSON string holds no line break: every newline in an encoding is the indentation's).

    The rest of the document is encoded with ``NUL <number> NUL`` in each such list's place
    (``Fragment``: put as it is); orjson writes no NUL byte otherwise (it escapes control characters).
    """
    written = {}
    document = dict(snapshot)
    lists = []
    for name, value in snapshot.items():
        if type(value) is not list or not value:
            continue
        kept = written[name] = _list_written(value, _written.get(name))
        document[name] = orjson.Fragment(b"\0%d\0" % len(lists))
        lists.append(kept.parts)
    outline = orjson.dumps(document, option=_FORMAT).split(b"\0")
    _written.clear()
    _written.update(written)
    result: list[Iterable[bytes]] = [outline[:1]]
    for number, after in zip(outline[1::2], outline[2::2], strict=True):
        parts = lists[int(number)]
        result += [(b"[\n    ", parts[0]), chain.from_iterable(zip(repeat(b",\n    "), islice(parts, 1, None))),
                   (b"\n  ]", after)]
    result.append((b"\n",))
    return chain.from_iterable(result)


def _list_written(elements: list[Any], last: _Written | None) -> _Written:
    """``elements`` as written now, taking from ``last`` (the list as last written) the encoding of
    each export record that is the same object, unchanged (``_Record.changed``; anything else has no
    such attribute, and is encoded anew)."""
    unchanged = map(operator.not_, map(getattr, elements, repeat("changed"), repeat(True)))
    if last is not None and len(last.elements) == len(elements):
        # In place: checked in C, then the few that are not the same encoded in Python.
        kept = map(operator.and_, map(operator.is_, elements, last.elements), unchanged)
        parts = list(last.parts)
        for position in compress(count(), map(operator.not_, kept)):
            parts[position] = _encoded(elements[position])
        return _Written(list(elements), parts)
    # Elements added or removed: looked up by identity (the objects are kept: an id is theirs).
    known = dict(zip(map(id, last.elements), last.parts, strict=True)) if last is not None else {}
    parts = []
    for element, same in zip(elements, unchanged, strict=True):
        part = known.get(id(element)) if same else None
        parts.append(part if part is not None else _encoded(element))
    return _Written(list(elements), parts)


def _encoded(element: Any) -> bytes:
    return orjson.dumps(element, option=_FORMAT).replace(b"\n", b"\n    ")
