"""Putting a revision's data back onto a record: the inverse of ``disclosure.public_fields``.

A revision stores exactly what ``public_fields`` returns, so restoring an old version
(恢复旧版本) writes those fields back onto the working copy, rows (materials, steps, fees)
and all. The stable ``code`` never changes; a department code that no longer exists
leaves the record's department as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from .db import db
from .models import Channel, Department, Fee, Material, Notice, ServiceItem, Step

_ITEM_SCALARS = ("name", "item_type", "legal_basis", "conditions", "service_object", "statutory_days",
                 "promised_days", "promised_note", "case_type", "visits_required", "online", "in_hall", "location",
                 "hours", "consult_phone", "complaint_phone", "result_type")
_DEPARTMENT_SCALARS = ("name", "short_name", "window", "address", "hours", "consult_phone", "complaint_phone",
                       "duties")
_CHANNEL_SCALARS = ("kind", "name", "contact", "hours", "office", "response_days", "notes")
_NOTICE_SCALARS = ("title", "body", "category")


def _department(code: str | None) -> Department | None:
    if not code:
        return None
    return db.session.scalars(select(Department).where(Department.code == code)).first()


def _set(record: Any, data: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in data:
            setattr(record, name, data[name])


def apply_data(record: Department | ServiceItem | Channel | Notice, data: dict[str, Any]) -> None:
    """Write ``data`` (as ``public_fields`` gave it) onto ``record``'s working copy."""
    if isinstance(record, ServiceItem):
        _set(record, data, _ITEM_SCALARS)
        department = _department(data.get("department"))
        if department is not None:
            record.department = department
        record.keywords = "\n".join(data.get("keywords") or [])
        effective = data.get("effective_date")
        record.effective_date = dt.date.fromisoformat(effective) if effective else None
        record.materials = [Material(position=n, **row) for n, row in enumerate(data.get("materials") or [])]
        record.steps = [Step(position=n, **row) for n, row in enumerate(data.get("steps") or [])]
        record.fees = [Fee(position=n, **row) for n, row in enumerate(data.get("fees") or [])]
    elif isinstance(record, Department):
        _set(record, data, _DEPARTMENT_SCALARS)
        for role in ("chief", "backup"):
            person = data.get(role) or {}
            for part in ("name", "post", "phone"):
                setattr(record, f"{role}_{part}", person.get(part, ""))
    elif isinstance(record, Channel):
        _set(record, data, _CHANNEL_SCALARS)
    elif isinstance(record, Notice):
        _set(record, data, _NOTICE_SCALARS)
        if "department" in data:
            record.department = _department(data["department"]) if data["department"] else None
        if data.get("date"):
            record.date = dt.date.fromisoformat(data["date"])
    else:  # pragma: no cover - a new record type must be added here
        raise TypeError(type(record).__name__)
