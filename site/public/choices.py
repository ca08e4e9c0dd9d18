"""The departments and items a public form offers, cheaply: the intake's hot path.

Rendering a form needs every published department and item (the select boxes); a filing only
needs the one department and item it names. ``options()`` keeps the lists per app for
``SUNSHINE_CHOICES_SECONDS`` and reloads them sooner when a cheap version query (count and last
publication time) says something was published or withdrawn; ``chosen()`` loads just the two
named records in one query. Loading every item with its JSON on each post was ~40% of a filing's
CPU (bench/bench_intake_load.py --profile-posts).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..db import db
from ..models import PUBLISHED, Department, ServiceItem


@dataclass(frozen=True)
class Option:
    id: int
    code: str
    name: str
    #: Code of the item's department ("" for a department).
    department: str = ""


@dataclass(frozen=True)
class Options:
    departments: tuple[Option, ...]
    items: tuple[Option, ...]

    def department_choices(self) -> list[tuple[str, str]]:
        return [("", "请选择")] + [(d.code, d.name) for d in self.departments]

    def item_choices(self, empty: str = "不涉及具体事项") -> list[tuple[str, str]]:
        return [("", empty)] + [(i.code, f"{i.name}（{i.code}）") for i in self.items]

    def item(self, code: str | None) -> Option | None:
        return next((i for i in self.items if i.code == code), None) if code else None


_lock = threading.Lock()


def _version() -> tuple:
    rows = []
    for model in (Department, ServiceItem):
        rows.append(tuple(db.session.execute(
            select(func.count(model.id), func.max(model.published_at)).where(model.state == PUBLISHED)).one()))
    return tuple(rows)


def _load() -> Options:
    departments = db.session.execute(
        select(Department.id, Department.code, Department.published_data)
        .where(Department.state == PUBLISHED).order_by(Department.code)).all()
    public = {d.id: d.code for d in departments}
    items = db.session.execute(
        select(ServiceItem.id, ServiceItem.code, ServiceItem.published_data, ServiceItem.department_id)
        .where(ServiceItem.state == PUBLISHED).order_by(ServiceItem.code)).all()
    return Options(
        departments=tuple(Option(d.id, d.code, (d.published_data or {}).get("name", d.code)) for d in departments),
        items=tuple(Option(i.id, i.code, (i.published_data or {}).get("name", i.code), public[i.department_id])
                    for i in items if i.department_id in public),
    )


def options() -> Options:
    """Published departments and the items of published departments, by code (cached per app).

    Within ``SUNSHINE_CHOICES_SECONDS`` of the last check the lists are served as they are; after
    it, a version query decides whether to reload. 0 checks on every call (tests).
    """
    cache = current_app.extensions.setdefault("sunshine_choices", {})
    ttl = float(current_app.config.get("SUNSHINE_CHOICES_SECONDS", 60))
    now = time.monotonic()
    entry = cache.get("options")
    if entry is not None and now - entry[0] < ttl:
        return entry[2]
    version = _version()
    loaded = entry[2] if entry is not None and entry[1] == version else _load()
    with _lock:
        cache["options"] = (now, version, loaded)
    return loaded


def chosen(department_code: str | None, item_code: str | None) -> tuple[Option | None, Option | None]:
    """The published department and item a post names (either None when not public), from the cached
    lists: a filing reads no department or item row. Within ``SUNSHINE_CHOICES_SECONDS`` of a
    withdrawal the old lists may still accept it, which is harmless for a complaint or a question."""
    listed = options()
    department = next((d for d in listed.departments if d.code == department_code), None) if department_code else None
    return department, listed.item(item_code)
