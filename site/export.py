"""Export: published records → the snapshot (ARCHITECTURE rules 1–3).

Only ``published_data`` of records in state *published* (and whose effective
date has come) is read; drafts, complaints, ratings and accounts never are.
The result is validated against the schema the publisher reads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .db import db
from .models import PUBLISHED, Channel, Department, Notice, ServiceItem, SiteProfile
from .templating import CN_TZ

SCHEMA = "sunshine-snapshot"
SCHEMA_VERSION = 1


def _published(model) -> list:
    rows = db.session.scalars(select(model).where(model.state == PUBLISHED)).all()
    return sorted((r for r in rows if r.published_data), key=lambda r: r.code)


def _with_revision(record) -> dict[str, Any]:
    published_at = record.published_at
    if published_at is not None and published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=dt.UTC)
    return {
        **record.published_data,
        "revision": record.revision,
        "published_at": published_at.astimezone(CN_TZ).isoformat(timespec="seconds")
        if published_at
        else "",
    }


def site_fields(intake_url: str) -> dict[str, Any]:
    profile = db.session.scalars(select(SiteProfile)).first() or SiteProfile()
    return {
        "name": profile.name or "政务服务中心",
        "region": profile.region or "",
        "address": profile.address or "",
        "hours": profile.hours or "",
        "phone": profile.phone or "",
        "complaint_phone": profile.complaint_phone or "",
        "intake_url": intake_url.rstrip("/"),
        "intro": profile.intro or "",
    }


def build_snapshot(*, intake_url: str = "", today: dt.date | None = None,
                   generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The snapshot as a dict: public fields of published records only."""
    today = today or dt.datetime.now(CN_TZ).date()
    departments = [_with_revision(d) for d in _published(Department)]
    dept_codes = {d["code"] for d in departments}
    items = []
    for item in _published(ServiceItem):
        data = _with_revision(item)
        effective = data.get("effective_date")
        if effective and dt.date.fromisoformat(effective) > today:
            continue  # scheduled: not yet in force
        if data["department"] not in dept_codes:
            continue  # its department is not public (withdrawn): never a dangling link
        items.append(data)
    notices = []
    for notice in _published(Notice):
        data = _with_revision(notice)
        if data["department"] is not None and data["department"] not in dept_codes:
            data["department"] = None
        notices.append(data)
    generated_at = generated_at or dt.datetime.now(CN_TZ)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.astimezone(CN_TZ).isoformat(timespec="seconds"),
        "site": site_fields(intake_url),
        "departments": departments,
        "items": items,
        "channels": [_with_revision(c) for c in _published(Channel)],
        "notices": notices,
    }


def write_snapshot(path: Path, snapshot: dict[str, Any]) -> Path:
    """Write atomically (temp file + rename) with stable formatting."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path
