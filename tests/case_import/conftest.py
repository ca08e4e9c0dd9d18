"""Fixtures of the case import and API tests: files built like a clerk's export, cases read back.

The clock is frozen on Friday 2026-10-16, after 国庆节 (10-01..10-07) and its
make-up working Saturday 2026-10-10, so every deadline below crosses both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from sqlalchemy import func, inspect, select

from sunshine.site import clock
from sunshine.site.cases.records import COLUMNS
from sunshine.site.db import db
from sunshine.site.models import ServiceCase

HEADERS = [c.header for c in COLUMNS]
TODAY = "2026-10-16T10:00:00+08:00"

#: Three cases as the approval system exports them (header order of the template).
ACCEPTED = {"办件编号": "ZJJ-2026-000101", "事项编码": "ZJJ-XK-002", "收件日期": "2026-09-28", "状态": "受理",
            "申请人": "杭州润泽置业有限公司", "联系电话": "0571-86012345", "证件号码": "91330110MA2H3K8Q7G",
            "收费明细": "城市基础设施配套费=12000.00;防空地下室易地建设费=3000.50"}
ON_THE_SPOT = {"办件编号": "SCJG-2026-000102", "事项编码": "SCJG-XK-002", "收件日期": "2026-09-29",
               "状态": "办结", "状态日期": "2026-09-29", "当场办结": "是", "申请人": "王秀英",
               "联系电话": "13905712468", "证件号码": "330106198507152422"}
EXTENDED = {"办件编号": "GTZY-2026-000103", "事项编码": "GTZY-QR-002", "收件日期": "2026-09-29", "状态": "延期",
            "状态日期": "2026-10-09", "说明": "需补充测绘成果核验", "延期工作日": "7", "申请人": "陈建国",
            "联系电话": "13757103321", "证件号码": "330102197203110012"}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY):
        yield


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8-sig", headers: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers = headers or HEADERS
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, headers: list[str] | None = None) -> bytes:
    """An .xlsx as Excel keeps it: dates as date cells, day counts as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    headers = headers or HEADERS
    sheet.append(headers)
    for row in rows:
        cells = []
        for header in headers:
            value = row.get(header)
            if header in ("收件日期", "状态日期") and isinstance(value, str) and value:
                value = dt.date.fromisoformat(value)
            elif header == "延期工作日" and isinstance(value, str) and value:
                value = int(value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def load_case(app):
    """A stored case as plain values (with its events and fees), or None."""

    def _load(case_no: str):
        with app.app_context():
            case = db.session.scalars(select(ServiceCase).where(ServiceCase.case_no == case_no)).first()
            if case is None:
                return None
            columns = {a.key: getattr(case, a.key) for a in inspect(case).mapper.column_attrs}
            return SimpleNamespace(**columns, item_code=case.item.code,
                                   events=[(e.on, e.status, e.note) for e in case.events],
                                   fees=[(f.name, f.amount_fen) for f in case.fees])

    return _load


@pytest.fixture
def case_count(app):
    def _count() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(ServiceCase))

    return _count


@pytest.fixture
def run_import(app, demo):
    """Import a file in the app (as the back office does), returning the report or the rejection."""
    from sunshine.site.cases.importing import import_file
    from sunshine.site.cases.records import ImportRejected

    def _run(filename: str, data: bytes, **kwargs):
        with app.app_context():
            try:
                return import_file(filename, data, **kwargs)
            except ImportRejected as rejected:
                return rejected

    return _run
