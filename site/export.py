"""Export: published records and aggregate figures → the snapshot (ARCHITECTURE rules 1–3).

Only ``published_data`` of records in state *published* (and whose effective
date has come) is read; drafts, complaints, questions, cases, ratings and
accounts never are, except as counts (``figures``), as the public part of
rectification work orders, and as the consented, anonymized outcomes of
complaints and answers to questions (``complaints.outcomes``,
``questions.publication``). Items withdrawn after publication enter as a name, a
department, a date and the reason staff wrote for publication (``withdrawn_items``),
so their pages can say so. The synonym groups offices added for search (``search_synonyms``) are
public words and enter whole. The result is validated against the contract before it is written.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from flask import current_app
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import aliased

from sunshine.contract.schema import COLLECTIONS, SCHEMA, SCHEMA_VERSION, validate_snapshot

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
    """The columns of a published record the export reads (never the working copy)."""

    id: int
    code: str
    published_data: dict[str, Any]
    revision: int
    published_at: dt.datetime | None


#: ``published_data`` as decoded at the last export, per table, by its stored JSON text. A worker
#: exports every record for every publish; after one edit all but one text are the same as last
#: time, and a text decodes to the same value whatever row or database it comes from, so this can
#: never serve a stale record (an edited record has a new text). Replaced whole at each export,
#: it holds one snapshot's records at most. The snapshot shares these values: treat it as read-only.
_decoded: dict[str, dict[str, Any]] = {}
_NOT_DECODED = object()


def _published(model) -> list[_Published]:
    """The table's records in state *published* that have published data, by code.

    Only the columns the snapshot needs are read, as rows rather than ORM objects (a city's ten
    thousand items: a third of the time), and the JSON text is decoded here, through ``_decoded``.
    The text is read as SQL text (``CAST``) because a PostgreSQL driver would decode JSON itself.
    """
    stmt = select(model.id, model.code, cast(model.published_data, Text), model.revision, model.published_at
                  ).where(model.state == PUBLISHED)
    previous = _decoded.get(model.__tablename__, {})
    decoded: dict[str, Any] = {}
    records = []
    for record_id, code, text, revision, published_at in db.session.execute(stmt):
        if text is None:
            continue
        data = previous.get(text, _NOT_DECODED)
        if data is _NOT_DECODED:
            data = orjson.loads(text)
        decoded[text] = data
        if data:
            records.append(_Published(record_id, code, data, revision, published_at))
    _decoded[model.__tablename__] = decoded
    return sorted(records, key=lambda r: r.code)


def _with_revision(record: _Published, changes: dict[int, list[dict]] | None = None) -> dict[str, Any]:
    """The published fields plus the workflow's: revision, time, and the major change notes (变更记录)."""
    published_at = record.published_at
    if published_at is not None and published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=dt.UTC)
    return {
        **record.published_data,
        "revision": record.revision,
        "published_at": published_at.astimezone(CN_TZ).isoformat(timespec="seconds")
        if published_at
        else "",
        "changes": (changes or {}).get(record.id, []),
    }


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


def build_snapshot(*, intake_url: str = "", today: dt.date | None = None,
                   generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The snapshot as a dict: public fields of published records only, validated.

    The figures cover ``SUNSHINE_FIGURE_MONTHS`` months and flag ``SUNSHINE_VETO_PERCENT`` (app settings);
    ``site.site_url`` is ``SUNSHINE_STATIC_URL``, the static site's public address, so the
    canonical links and the sitemap built from the published snapshot are the same anywhere.
    """
    today = today or clock.today()
    public_departments = _published(Department)
    changes = {model: public_changes(model.__tablename__) for model in (Department, ServiceItem, Channel, Notice)}
    departments = [_with_revision(d, changes[Department]) for d in public_departments]
    dept_codes = {d["code"] for d in departments}
    items = []
    for item in _published(ServiceItem):
        data = _with_revision(item, changes[ServiceItem])
        effective = data.get("effective_date")
        if effective and dt.date.fromisoformat(effective) > today:
            continue  # scheduled: not yet in force
        if data["department"] not in dept_codes:
            continue  # its department is not public (withdrawn): never a dangling link
        items.append(data)
    notices = []
    for notice in _published(Notice):
        data = _with_revision(notice, changes[Notice])
        if data["department"] is not None and data["department"] not in dept_codes:
            data["department"] = None
        notices.append(data)
    generated_at = generated_at or clock.now()
    public_ids = {d.id: d.code for d in public_departments}
    config = current_app.config
    item_codes = {i["code"] for i in items}
    snapshot = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.astimezone(CN_TZ).isoformat(timespec="seconds"),
        "site": site_fields(intake_url, config.get("SUNSHINE_STATIC_URL") or ""),
        "departments": departments,
        "items": items,
        "channels": [_with_revision(c, changes[Channel]) for c in _published(Channel)],
        "notices": notices,
        "figures": compute_figures(public_ids, as_of=today, months=config["SUNSHINE_FIGURE_MONTHS"],
                                   veto_percent=config["SUNSHINE_VETO_PERCENT"]),
        "rectifications": public_rectifications(public_ids, item_codes),
        "complaint_outcomes": public_outcomes(public_ids, item_codes),
        "questions": public_questions(public_ids, item_codes),
        "withdrawn_items": withdrawn_items(dept_codes),
        # Public words, not records: the public site's search indexes them like the repository's groups.
        "search_synonyms": snapshot_lines(),
    }
    # Files the published records link to (/files/<sha256>/<name>); unlinked uploads stay private.
    snapshot["attachments"] = published_attachments(snapshot[name] for name in COLLECTIONS)
    validate_snapshot(snapshot)  # refuse here, with the reason, what the publisher would refuse
    return snapshot


def withdrawn_items(public_departments: set[str]) -> list[dict[str, Any]]:
    """Items withdrawn after they were public, by code: the name and department they were last
    published under, when and why they were withdrawn.

    Only what the withdrawal notice needs leaves the back office (never the working copy, which
    may hold unpublished edits). An item that was withdrawn before its effective date never had
    a public page, so it gets none now; a department no longer public is not named.
    """
    stmt = select(ServiceItem).where(ServiceItem.state == WITHDRAWN, ServiceItem.revision > 0)
    rows = []
    for item in db.session.scalars(stmt):
        data = item.published_data or {}
        withdrawn_at = item.withdrawn_at or item.updated_at
        if withdrawn_at.tzinfo is None:
            withdrawn_at = withdrawn_at.replace(tzinfo=dt.UTC)
        withdrawn_at = withdrawn_at.astimezone(CN_TZ)
        effective = data.get("effective_date")
        if not data or (effective and dt.date.fromisoformat(effective) > withdrawn_at.date()):
            continue
        department = data.get("department")
        rows.append({
            "code": item.code,
            "name": data.get("name") or item.name,
            "department": department if department in public_departments else None,
            "withdrawn_at": withdrawn_at.isoformat(timespec="seconds"),
            "reason": item.withdrawn_reason or "",
        })
    return sorted(rows, key=lambda row: row["code"])


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


def write_snapshot(path: Path, snapshot: dict[str, Any]) -> Path:
    """Write atomically (temp file + rename) with stable formatting: sorted keys, two-space indent,
    UTF-8 — the bytes of ``json.dumps(…, ensure_ascii=False, indent=2, sort_keys=True)``, made by
    orjson (a tenth of the time for a city's snapshot)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = orjson.dumps(snapshot, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-", suffix=".json")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return path
