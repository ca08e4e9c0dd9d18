"""Exports and the template: the sheets, the columns, the rules read off the form, and the round trip."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from sunshine.contract.codes import ITEM_TYPES, MATERIAL_FORMS
from sunshine.site.item_transfer import (
    department_items,
    export_xlsx,
    export_zip,
    template_xlsx,
    template_zip,
)

SHEETS = ["事项", "申请材料", "办理流程", "收费项目", "填写说明"]
ITEM_HEADERS = ["事项编码", "事项名称", "事项类型", "服务对象", "设定依据", "受理条件", "法定办结时限（工作日）",
                "承诺办结时限（工作日）", "承诺时限说明", "办件类型", "到办事现场次数", "是否网办", "是否进驻政务服务大厅",
                "办理地点", "办理时间", "咨询电话", "监督投诉电话", "审批结果类型", "检索关键词", "生效日期", "发布状态", "导出时稿次"]


@pytest.fixture
def export(app, department):
    def _export(kind: str, code: str = "zjj") -> bytes:
        with app.app_context():
            items = department_items(department(code))
            return export_xlsx(items) if kind == "xlsx" else export_zip(items)

    return _export


def sheet_rows(data: bytes, name: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in book[name].iter_rows(values_only=True)]


def test_the_xlsx_export_has_one_sheet_per_table_with_chinese_headers(export):
    data = export("xlsx")
    assert load_workbook(io.BytesIO(data)).sheetnames == SHEETS
    items = sheet_rows(data, "事项")
    assert list(items[0]) == ITEM_HEADERS
    assert [row[0] for row in items[1:]] == ["ZJJ-QT-001", "ZJJ-XK-001", "ZJJ-XK-002", "ZJJ-XK-003"]
    permit = dict(zip(ITEM_HEADERS, items[2], strict=True))
    assert (permit["事项名称"], permit["事项类型"], permit["服务对象"], permit["办件类型"]) == (
        "建筑工程施工许可证核发", "行政许可", "法人", "联办件")
    assert (permit["法定办结时限（工作日）"], permit["是否网办"], permit["发布状态"]) == (7, "是", "已发布")
    materials = sheet_rows(data, "申请材料")
    assert materials[0] == ("事项编码", "序号", "材料名称", "材料形式", "份数", "是否必须提交", "备注", "空白表格或样表链接")
    permit_materials = [row for row in materials[1:] if row[0] == "ZJJ-XK-001"]
    assert permit_materials[0][:6] == ("ZJJ-XK-001", 1, "建筑工程施工许可证申请表", "原件", 1, "是")
    assert [row[1] for row in permit_materials] == [1, 2, 3, 4, 5, 6]


def test_the_csv_export_is_a_zip_of_the_same_tables_in_utf8_with_bom(export):
    with zipfile.ZipFile(io.BytesIO(export("zip"))) as archive:
        assert archive.namelist() == [f"{name}.csv" for name in SHEETS]
        items = archive.read("事项.csv")
    assert items.startswith(b"\xef\xbb\xbf")
    lines = items.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ",".join(ITEM_HEADERS)
    assert lines[1].startswith("ZJJ-QT-001,")


@pytest.mark.parametrize("kind", ["xlsx", "zip"])
def test_importing_an_unchanged_export_changes_nothing(export, run_import, stored, counts, audit_entries, kind):
    data = export(kind)
    before_items = {code: stored(code) for code in ("ZJJ-QT-001", "ZJJ-XK-001", "ZJJ-XK-002", "ZJJ-XK-003")}
    before = counts()
    report = run_import(f"住建局服务事项.{kind}", data)
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 4)
    assert counts() == (before[0], before[1], before[2] + 1)  # no revision; the import itself is audited
    for code, item in before_items.items():
        assert stored(code) == item
    assert audit_entries("import")[-1].detail == {
        "file": f"住建局服务事项.{kind}", "department": "zjj", "created": 0, "updated": 0, "unchanged": 4,
        "created_codes": [], "updated_codes": []}


def test_an_edited_export_updates_only_the_edited_item(export, run_import, stored):
    from openpyxl import load_workbook as load

    book = load(io.BytesIO(export("xlsx")))
    book["办理流程"].append(["ZJJ-XK-003", 9, "发证", "住建局窗口", 1, "通知申请人领取许可证。"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run_import("住建局服务事项.xlsx", buffer.getvalue())
    assert (report.updated, len(report.unchanged)) == (["ZJJ-XK-003"], 3)
    assert stored("ZJJ-XK-003").steps[-1] == ("发证", "住建局窗口", 1)
    assert stored("ZJJ-XK-003").revisions[-1][1] == "批量导入：住建局服务事项.xlsx"


def test_the_template_lists_each_columns_rule_from_the_forms_code_lists(app):
    with app.app_context():
        data = template_xlsx()
    notes = {(row[0], row[1]): row[2:] for row in sheet_rows(data, "填写说明") if row[0] in SHEETS}
    assert notes["事项", "事项类型"] == ("是", "可选：" + "、".join(ITEM_TYPES))
    assert notes["事项", "事项名称"] == ("是", "最多200字")
    assert notes["事项", "办件类型"] == ("否", "可选：即办件、承诺件、联办件、上报件；空白按“承诺件”")
    assert notes["申请材料", "材料形式"] == ("否", "可选：" + "、".join(MATERIAL_FORMS) + "；空白按“原件”")
    assert notes["申请材料", "份数"] == ("否", "0至999的整数")
    assert notes["事项", "法定办结时限（工作日）"] == ("是", "0至3650的整数")
    assert notes["事项", "是否网办"] == ("否", "填“是”或“否”，空白视为“否”")
    assert notes["事项", "设定依据"] == ("否", "可换行；可使用 Markdown，“- ”开头为列表")
    assert notes["事项", "发布状态"] == ("否", "仅供查看，导入时不读取")
    example = sheet_rows(data, "事项")[1]
    assert example[:3] == ("GTZY-DJ-011", "国有建设用地使用权及房屋所有权转移登记", "行政确认")


@pytest.mark.parametrize("kind", ["xlsx", "zip"])
def test_the_template_itself_imports_as_one_new_draft(app, run_import, stored, kind):
    with app.app_context():
        data = template_xlsx() if kind == "xlsx" else template_zip()
    report = run_import(f"服务事项导入模板.{kind}", data, "gtzy")
    assert report.created == ["GTZY-DJ-011"]
    item = stored("GTZY-DJ-011")
    assert (item.state, item.department, len(item.materials), len(item.steps)) == ("draft", "gtzy", 4, 3)
    assert item.fees == [("不动产登记费", "住宅类每件80元；非住宅类每件550元", "行政事业性收费")]
