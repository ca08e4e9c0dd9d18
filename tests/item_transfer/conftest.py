"""Fixtures of the item import/export tests: files built as a clerk's Excel saves them, items read back.

The clock is frozen on Friday 2026-10-16. ``NEW_ITEM`` is a 住建局 item the demo
data does not have, with its rows in the three row tables.
"""

from __future__ import annotations

import csv
import io
import zipfile
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.item_transfer.columns import TABLE_BY_NAME
from sunshine.site.models import AuditEntry, Department, Revision, ServiceItem

TODAY = "2026-10-16T10:00:00+08:00"

#: A new item as typed in Excel: headers as the template has them.
NEW_ITEM = {
    "事项编码": "ZJJ-XK-010", "事项名称": "城镇污水排入排水管网许可", "事项类型": "行政许可", "服务对象": "法人",
    "设定依据": "- 《城镇排水与污水处理条例》第二十一条：排水户向城镇排水设施排放污水的，应当申请领取污水排入排水管网许可证。",
    "受理条件": "- 已按规定建设预处理设施和检测设施；\n- 排放的污水符合国家或者地方排放标准。",
    "法定办结时限（工作日）": 20, "承诺办结时限（工作日）": 10, "承诺时限说明": "材料齐全的10个工作日内作出决定",
    "办件类型": "承诺件", "到办事现场次数": 1, "是否网办": "是", "是否进驻政务服务大厅": "是",
    "办理地点": "清川县政务服务中心二楼东区16号窗口", "办理时间": "周一至周五 上午9:00-12:00 下午13:30-17:30",
    "咨询电话": "0827-5220116", "监督投诉电话": "0827-5234011", "审批结果类型": "证照",
    "检索关键词": "排水许可证\n污水排放手续", "生效日期": "2026-11-02",
}
NEW_MATERIALS = [
    {"事项编码": "ZJJ-XK-010", "序号": 2, "材料名称": "排水水质、水量检测报告", "材料形式": "原件", "份数": 1,
     "是否必须提交": "是", "备注": "由有资质的检测机构出具"},
    {"事项编码": "ZJJ-XK-010", "序号": 1, "材料名称": "城镇污水排入排水管网许可申请表", "材料形式": "原件", "份数": 1,
     "是否必须提交": "是", "备注": "窗口领取或网上下载"},
]
NEW_STEPS = [
    {"事项编码": "ZJJ-XK-010", "序号": 1, "环节名称": "受理", "办理机构或岗位": "住建局窗口", "时限（工作日）": 0,
     "说明": "核对材料，齐全的当场受理。"},
    {"事项编码": "ZJJ-XK-010", "序号": 2, "环节名称": "现场核查", "办理机构或岗位": "城建股", "时限（工作日）": 5,
     "说明": "核查排水设施。"},
]
NEW_FEES: list[dict] = []


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY):
        yield


def headers(table: str) -> list[str]:
    return [c.header for c in TABLE_BY_NAME[table].columns if c.field != "state"]


def xlsx_bytes(tables: dict[str, list[dict]], *, extra_sheets: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with one sheet per given table (headers of the template), cells as given."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        columns = headers(name) if name in TABLE_BY_NAME else list(rows[0]) if rows else []
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(h) for h in columns])
    for name in extra_sheets:
        book.create_sheet(name).append(["草稿"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: str, rows: list[dict], *, encoding: str = "utf-8-sig",
              columns: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = columns or headers(table)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in columns])
    return buffer.getvalue().encode(encoding)


def zip_bytes(files: dict[str, bytes], *, gbk_names: bool = False) -> bytes:
    """A .zip of CSVs; ``gbk_names`` writes the names as Windows' own zip tool does (GBK, no UTF-8 flag)."""
    buffer = io.BytesIO()
    placeholders: dict[bytes, bytes] = {}
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, data) in enumerate(files.items()):
            if gbk_names:  # an ASCII stand-in of the same length, swapped for the GBK bytes below
                raw = name.encode("gbk")
                stand_in = f"{number:02d}".encode().ljust(len(raw), b"_")
                placeholders[stand_in] = raw
                name = stand_in.decode()
            archive.writestr(name, data)
    data = buffer.getvalue()
    for stand_in, raw in placeholders.items():
        data = data.replace(stand_in, raw)
    return data


def new_item_tables() -> dict[str, list[dict]]:
    return {"事项": [NEW_ITEM], "申请材料": NEW_MATERIALS, "办理流程": NEW_STEPS, "收费项目": NEW_FEES}


@pytest.fixture
def department(app, demo):
    """A department of the demo data, by code."""

    def _department(code: str) -> Department:
        return db.session.scalars(select(Department).where(Department.code == code)).one()

    return _department


@pytest.fixture
def run_import(app, demo, department):
    """Import a file for a department (as the back office does), returning the report or the rejection."""
    from sunshine.site.item_transfer import TransferRejected, import_items

    def _run(filename: str, data: bytes, department_code: str = "zjj"):
        with app.app_context():
            try:
                return import_items(filename, data, department=department(department_code), user=None)
            except TransferRejected as rejected:
                return rejected
            finally:
                db.session.remove()

    return _run


@pytest.fixture
def stored(app):
    """An item as stored now: its columns, department code, rows and revisions, or None."""

    def _stored(code: str):
        with app.app_context():
            item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == code)).first()
            if item is None:
                return None
            revisions = db.session.scalars(select(Revision).where(
                Revision.record_type == "service_item", Revision.record_id == item.id).order_by(Revision.number)).all()
            return SimpleNamespace(
                name=item.name, state=item.state, review_state=item.review_state, revision=item.revision,
                published_data=item.published_data, has_unpublished_changes=item.has_unpublished_changes,
                department=item.department.code, edit_version=item.edit_version, updated_at=item.updated_at,
                online=item.online, statutory_days=item.statutory_days, effective_date=item.effective_date,
                keywords=item.keywords, case_type=item.case_type,
                materials=[(m.name, m.form, m.copies, m.required, m.notes) for m in item.materials],
                steps=[(s.name, s.office, s.days) for s in item.steps],
                fees=[(f.name, f.standard, f.category) for f in item.fees],
                revisions=[(r.number, r.note, r.major, r.author_id) for r in revisions])

    return _stored


@pytest.fixture
def counts(app):
    """How many items, revisions and audit entries of ``action`` there are now."""

    def _counts(action: str = "import") -> tuple[int, int, int]:
        with app.app_context():
            return (db.session.scalar(select(func.count()).select_from(ServiceItem)),
                    db.session.scalar(select(func.count()).select_from(Revision)),
                    db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)))

    return _counts


@pytest.fixture
def audit_entries(app):
    def _entries(action: str) -> list[SimpleNamespace]:
        with app.app_context():
            return [SimpleNamespace(username=e.username, department_id=e.department_id, summary=e.summary,
                                    detail=e.detail, user_id=e.user_id)
                    for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                                .order_by(AuditEntry.id))]

    return _entries


@pytest.fixture
def user_id(app):
    def _user_id(username: str) -> int:
        from sunshine.site.models import User

        with app.app_context():
            return db.session.scalars(select(User.id).where(User.username == username)).one()

    return _user_id
