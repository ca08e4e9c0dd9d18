"""A city-sized back-office database for ``bench_backoffice.py``: the demo grown to 10,000 items.

The demo is seeded through the real seeder (accounts, departments, items published through the
workflow); ``city_data.city_snapshot`` then gives the text of the added departments and items, which
are written in bulk (SQLAlchemy Core, ``insertmanyvalues``) as published records exactly as the
workflow leaves them: ``published_data`` the public fields, one published ``Revision`` each. Finally a
number of one department's items get an edited, submitted working copy through the real workflow
functions, so the reviewer's queue is full. Run inside an app context; never used by the suite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from city_data import city_snapshot
from sqlalchemy import func, insert, select

from sunshine.site import clock, workflow
from sunshine.site.db import db
from sunshine.site.models import (
    Department,
    Fee,
    Material,
    Notice,
    Revision,
    ServiceItem,
    Step,
    User,
)
from sunshine.site.revisions import record_revision
from sunshine.site.seed import ITEM_SCALARS

#: Public fields of a department as ``disclosure.department_fields`` gives them (the people are nested).
_PEOPLE = ("chief", "backup")
#: Keys of a snapshot record that the snapshot adds beside the published fields.
_SNAPSHOT_ONLY = ("revision", "changes", "published_at")
#: Rows inserted per statement: large enough to be quick, small enough for PostgreSQL's parameter limit.
_BATCH = 1000


@dataclass
class CityReport:
    departments: int
    items: int
    materials: int
    steps: int
    fees: int
    submitted: int


def _published_data(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _SNAPSHOT_ONLY}


def _workflow_columns(data: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    """What ``workflow.publish`` leaves on a record published once (revision 1 = edit_version 1)."""
    return {"state": "published", "revision": 1, "published_at": at, "published_data": data,
            "has_unpublished_changes": False, "withdrawn_reason": "", "review_state": "", "review_note": "",
            "edit_version": 1}


def _revision_row(table: str, record_id: int, data: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    return {"record_type": table, "record_id": record_id, "number": 1, "data": data, "author_id": None,
            "created_at": at, "note": "", "major": False, "published_as": 1, "published_at": at,
            "note_correction_reason": ""}


def _insert_returning_ids(model: type, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start:start + _BATCH]
        ids += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), chunk).all()
    return ids


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        db.session.execute(insert(model), rows[start:start + _BATCH])


def _add_departments(city: dict[str, Any], at: dt.datetime) -> dict[str, int]:
    """The city's departments the demo lacks; returns every department's id by code."""
    existing = dict(db.session.execute(select(Department.code, Department.id)).all())
    rows, added = [], []
    for dept in city["departments"]:
        if dept["code"] in existing:
            continue
        data = _published_data(dept)
        person = {f"{who}_{part}": (dept.get(who) or {}).get(part, "") for who in _PEOPLE
                  for part in ("name", "post", "phone")}
        rows.append({**{k: dept[k] for k in ("code", "name", "short_name", "window", "address", "hours",
                                             "consult_phone", "complaint_phone", "duties")},
                     **person, **_workflow_columns(data, at)})
        added.append(data)
    ids = _insert_returning_ids(Department, rows)
    _insert(Revision, [_revision_row("department", i, data, at) for i, data in zip(ids, added, strict=True)])
    return existing | {data["code"]: i for i, data in zip(ids, added, strict=True)}


def _item_row(item: dict[str, Any], department_id: int, at: dt.datetime) -> dict[str, Any]:
    effective = item.get("effective_date")
    return {**{k: item[k] for k in ITEM_SCALARS}, "department_id": department_id,
            "keywords": "\n".join(item.get("keywords") or []),
            "effective_date": dt.date.fromisoformat(effective) if effective else None,
            **_workflow_columns(_published_data(item), at)}


def _add_items(city: dict[str, Any], department_ids: dict[str, int], at: dt.datetime) -> CityReport:
    existing = set(db.session.scalars(select(ServiceItem.code)))
    new = [item for item in city["items"] if item["code"] not in existing]
    ids = _insert_returning_ids(ServiceItem, [_item_row(it, department_ids[it["department"]], at) for it in new])
    children: dict[type, list[dict[str, Any]]] = {Material: [], Step: [], Fee: []}
    for item_id, item in zip(ids, new, strict=True):
        for model, key in ((Material, "materials"), (Step, "steps"), (Fee, "fees")):
            children[model] += [{**row, "item_id": item_id, "position": n} for n, row in enumerate(item[key])]
    for model, rows in children.items():
        _insert(model, rows)
    _insert(Revision, [_revision_row("service_item", i, _published_data(it), at)
                       for i, it in zip(ids, new, strict=True)])
    return CityReport(0, len(new), len(children[Material]), len(children[Step]), len(children[Fee]), 0)


def submit_for_review(department_code: str, count: int, editor: str, *, skip: set[int]) -> list[int]:
    """``count`` published items of one department edited by ``editor`` and submitted, one an hour apart
    (the oldest waits longest), through the workflow's own functions; returns their ids."""
    author = db.session.scalars(select(User).where(User.username == editor)).one()
    items = db.session.scalars(
        select(ServiceItem).join(Department).where(Department.code == department_code,
                                                   ServiceItem.state == "published", ServiceItem.id.not_in(skip))
        .order_by(ServiceItem.code.desc()).limit(count)).all()
    if len(items) < count:
        raise RuntimeError(f"only {len(items)} published items in {department_code}, {count} wanted")
    now = clock.now()
    for hours, item in enumerate(items, start=1):
        item.promised_note = f"{item.promised_note}（{now.year}年起材料齐全的当场办结）"[:300]
        workflow.mark_edited(item)
        record_revision(item, author=author, note="更新承诺时限说明", major=True)
        workflow.submit(item, at=now - dt.timedelta(hours=hours))
    db.session.commit()
    return [item.id for item in items]


def _published_base() -> dict[str, Any]:
    """The demo's published records as ``city_snapshot`` reads them (its ``departments``, ``items``,
    ``notices``), straight from ``published_data``: the snapshot's other parts are not needed here."""
    def published(model: type) -> list[dict[str, Any]]:
        rows = db.session.scalars(select(model.published_data).where(model.state == "published")
                                  .order_by(model.code))
        return [dict(row) for row in rows]

    return {"departments": published(Department), "items": published(ServiceItem), "notices": published(Notice)}


def grow_to_city(n_items: int, n_departments: int) -> CityReport:
    """Add departments and items (published) until the database holds ``n_items`` items in
    ``n_departments`` departments; commits. The demo must be seeded first."""
    drafts = db.session.scalar(select(func.count()).select_from(ServiceItem).where(ServiceItem.state != "published"))
    city = city_snapshot(_published_base(), n_items - drafts, n_departments)
    at = clock.now()
    before = db.session.scalar(select(func.count()).select_from(Department))
    department_ids = _add_departments(city, at)
    report = _add_items(city, department_ids, at)
    db.session.commit()
    report.departments = len(department_ids) - before
    return report
