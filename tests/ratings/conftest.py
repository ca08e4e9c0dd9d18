"""Fixtures of the rating tests: decided cases on demo items, ratings and work orders by id.

Cases are made through the real case lifecycle (``new_case`` + ``change_status``)
at fixed moments of the clock; records are read back in short app contexts of
their own and returned as plain values.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import change_status, new_case
from sunshine.site.db import db
from sunshine.site.models import Rating, Rectification, ServiceItem

#: Stage deadlines used by every rating test (working days after the rating).
DAYS = {"contact": 1, "finding": 3, "rectify": 5, "answer": 8}
#: The day before 国庆节 (10-01..10-07 off; Saturday 10-10 is a make-up working day).
RATED_AT = "2026-09-30T10:00:00+08:00"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SUNSHINE_RECTIFICATION_DAYS": dict(DAYS)}


def _columns(record) -> dict:
    return {attr.key: getattr(record, attr.key) for attr in inspect(record).mapper.column_attrs}


@pytest.fixture
def make_case(demo):
    """A case of a demo item received 2026-09-21, decided on 2026-09-25 (or left open); returns its code."""

    def _make(case_no: str, item_code: str = "ZJJ-XK-001", status: str = "completed") -> str:
        with demo.app_context(), clock.frozen("2026-09-25T16:00:00+08:00"):
            item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == item_code)).one()
            case, code = new_case(item, case_no, dt.date(2026, 9, 21), applicant_name="赵建华",
                                  applicant_phone="13700001111", applicant_id_no="511623198805061234")
            change_status(case, "processing", dt.date(2026, 9, 22))
            if status == "completed":
                change_status(case, "completed", dt.date(2026, 9, 25))
            elif status == "rejected":
                change_status(case, "rejected", dt.date(2026, 9, 25), note="申请材料不符合法定形式。")
            db.session.add(case)
            db.session.commit()
        return code

    return _make


@pytest.fixture
def ratings(demo):
    """Every rating stored whose comment or contact is one of the test's (not the demo's), as values."""

    def _ratings(**where) -> list[SimpleNamespace]:
        with demo.app_context():
            stmt = select(Rating).order_by(Rating.id)
            for key, value in where.items():
                stmt = stmt.where(getattr(Rating, key) == value)
            return [SimpleNamespace(**_columns(r), case_no=r.case.case_no if r.case else None,
                                    item_code=r.item.code if r.item else None, department_code=r.department.code)
                    for r in db.session.scalars(stmt)]

    return _ratings


@pytest.fixture
def work_order(demo):
    """The work order of a rating, as values (None when it has none)."""

    def _load(rating_id: int):
        with demo.app_context():
            found = db.session.scalars(select(Rectification).where(Rectification.rating_id == rating_id)).first()
            return SimpleNamespace(**_columns(found)) if found else None

    return _load


@pytest.fixture
def count_ratings(demo):
    def _count() -> int:
        with demo.app_context():
            return db.session.scalar(select(db.func.count()).select_from(Rating))

    return _count


@pytest.fixture
def count_work_orders(demo):
    def _count() -> int:
        with demo.app_context():
            return db.session.scalar(select(db.func.count()).select_from(Rectification))

    return _count


@pytest.fixture
def public(demo):
    """A citizen's browser: the public intake, no login."""
    return demo.test_client()


@pytest.fixture
def rate_item(public):
    """Rate an item through the public form at RATED_AT; returns the response."""

    def _rate(item_code: str = "ZJJ-XK-001", *, at: str = RATED_AT, **fields):
        data = {"level": "2", "comment": "窗口让我补交了三次营业执照复印件，每次说法都不一样。",
                "contact_name": "陈美玲", "contact_phone": "13912345678", **fields}
        with clock.frozen(at):
            return public.post(f"/intake/rate?item={item_code}", data=data)

    return _rate
