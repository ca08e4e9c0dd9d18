"""Fixtures of the case tests: cases made in the demo data through ``lifecycle``, read back as values.

Every case is made and moved at a frozen moment of the clock; records are read
in a short app context of their own and returned as plain values, so no test
holds a session that a request could share.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import FeeLine, new_case
from sunshine.site.db import db
from sunshine.site.models import ServiceCase, ServiceItem

#: The query code the fixture's cases are given (what the approval system printed on the receipt).
CODE = "K7MP4QRT"
APPLICANT = {"applicant_name": "王建华", "applicant_phone": "13881234567",
             "applicant_id_no": "51162319790605302X"}
#: 一单收费 of a construction permit (two of the seven fees).
PERMIT_FEES = (FeeLine("城市基础设施配套费", 3600000), FeeLine("防空地下室易地建设费", 1250050))


def _columns(record) -> dict:
    return {attr.key: getattr(record, attr.key) for attr in inspect(record).mapper.column_attrs}


@pytest.fixture
def make_case(app, demo):
    """Register a case of a demo item as the approval system would; returns its id.

    Defaults: ZJJ-XK-002 (promised 5, statutory 10 working days), received and
    accepted on Monday 2026-09-28, just before 国庆节.
    """

    def _make(case_no: str = "ZJJ-2026-000128", item_code: str = "ZJJ-XK-002",
              received_on: str = "2026-09-28", *, status: str = "accepted", fees=(), note: str = "",
              query_code: str = CODE) -> int:
        with app.app_context(), clock.frozen(f"{received_on}T09:30:00"):
            item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == item_code)).one()
            case, _ = new_case(item, case_no, dt.date.fromisoformat(received_on), status=status,
                               fees=list(fees), note=note, query_code=query_code, source="api", **APPLICANT)
            db.session.add(case)
            db.session.commit()
            return case.id

    return _make


@pytest.fixture
def load_case(app):
    """A case as stored now: its columns, events as (date, status, note) and fees as (name, fen)."""

    def _load(case_id: int | None = None, case_no: str | None = None):
        with app.app_context():
            if case_no is not None:
                found = db.session.scalars(select(ServiceCase).where(ServiceCase.case_no == case_no)).first()
            else:
                found = db.session.get(ServiceCase, case_id)
            if found is None:
                return None
            return SimpleNamespace(
                **_columns(found), department_code=found.department.code, item_code=found.item.code,
                events=[(e.on.isoformat(), e.status, e.note) for e in found.events],
                fees=[(f.name, f.amount_fen) for f in found.fees])

    return _load


@pytest.fixture
def count_cases(app):
    def _count() -> int:
        with app.app_context():
            return len(db.session.scalars(select(ServiceCase.id)).all())

    return _count
