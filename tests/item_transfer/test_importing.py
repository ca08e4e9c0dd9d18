"""Importing a department's items: new drafts, updated working copies, nothing published, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.site.item_transfer import ImportReport, TransferRejected

from .conftest import (
    NEW_ITEM,
    NEW_MATERIALS,
    NEW_STEPS,
    csv_bytes,
    new_item_tables,
    xlsx_bytes,
    zip_bytes,
)


def messages(result) -> list[str]:
    assert isinstance(result, TransferRejected), result
    return [str(p) for p in result.problems]


def test_a_new_code_becomes_a_draft_of_the_department_with_its_rows_in_order(run_import, stored):
    report = run_import("住建局事项.xlsx", xlsx_bytes(new_item_tables()))
    assert isinstance(report, ImportReport)
    assert (report.created, report.updated, report.unchanged) == (["ZJJ-XK-010"], [], [])
    item = stored("ZJJ-XK-010")
    assert (item.department, item.state, item.revision, item.published_data) == ("zjj", "draft", 0, None)
    assert item.materials == [("城镇污水排入排水管网许可申请表", "原件", 1, True, "窗口领取或网上下载"),
                              ("排水水质、水量检测报告", "原件", 1, True, "由有资质的检测机构出具")]
    assert item.steps == [("受理", "住建局窗口", 0), ("现场核查", "城建股", 5)]
    assert (item.online, item.statutory_days, item.case_type) == (True, 20, "promised")
    assert item.effective_date == dt.date(2026, 11, 2)
    assert item.keywords == "排水许可证\n污水排放手续"
    assert item.revisions == [(1, "批量导入：住建局事项.xlsx", False, None)]


def test_an_existing_code_updates_the_working_copy_and_the_public_version_stays(run_import, stored):
    before = stored("ZJJ-XK-001")
    rows = {"事项": [{**_exported_row("ZJJ-XK-001", before), "事项名称": "建筑工程施工许可证核发（含变更）"}]}
    report = run_import("事项.xlsx", xlsx_bytes(rows))
    assert (report.created, report.updated) == ([], ["ZJJ-XK-001"])
    after = stored("ZJJ-XK-001")
    assert after.name == "建筑工程施工许可证核发（含变更）"
    assert (after.state, after.revision, after.has_unpublished_changes) == ("published", before.revision, True)
    assert after.published_data == before.published_data
    assert after.published_data["name"] == "建筑工程施工许可证核发"
    assert after.revisions[-1][1:] == ("批量导入：事项.xlsx", False, None)
    assert after.materials == before.materials  # the file had no 申请材料 sheet: the rows stay


def test_an_import_never_reaches_the_snapshot(app, run_import):
    from sunshine.site.export import build_snapshot

    run_import("事项.xlsx", xlsx_bytes(new_item_tables()))
    with app.app_context():
        codes = {item["code"] for item in build_snapshot()["items"]}
    assert "ZJJ-XK-010" not in codes and "ZJJ-XK-001" in codes


def test_a_code_of_another_department_is_refused(run_import, stored, counts):
    before = counts()
    scjg = stored("SCJG-XK-001")
    result = run_import("事项.xlsx", xlsx_bytes({"事项": [
        NEW_ITEM, {**NEW_ITEM, "事项编码": "SCJG-XK-001", "事项名称": "食品经营许可"}]}))
    assert messages(result) == ["「事项」表第3行「事项编码」：事项 SCJG-XK-001 属于市场监管局，不能导入到住建局。"]
    assert counts() == before
    assert stored("SCJG-XK-001").name == scjg.name


def test_every_problem_is_reported_by_table_row_and_column(run_import):
    bad_item = {**NEW_ITEM, "事项类型": "行政审批", "法定办结时限（工作日）": "二十", "是否网办": "可以",
                "事项名称": "许" * 201, "生效日期": "11月2日"}
    materials = [NEW_MATERIALS[0], {**NEW_MATERIALS[1], "份数": -1, "材料形式": "扫描件"},
                 {"事项编码": "ZJJ-XK-099", "序号": 1, "材料名称": "申请书"}]
    steps = [NEW_STEPS[0], {**NEW_STEPS[1], "序号": 1}]
    fees = [{"事项编码": "ZJJ-XK-010", "序号": 1, "收费项目名称": "排水设施有偿使用费", "收费标准": "",
             "收费类别": "行政事业性收费"}]
    result = run_import("事项.xlsx", xlsx_bytes({"事项": [bad_item], "申请材料": materials, "办理流程": steps,
                                               "收费项目": fees}))
    assert messages(result) == [
        "「事项」表第2行「事项名称」：不能超过200个字。",
        "「事项」表第2行「事项类型」：“行政审批”不是可选的值，应为：行政许可、行政给付、行政确认、行政征收、行政奖励、行政裁决、其他行政权力、公共服务。",
        "「事项」表第2行「法定办结时限（工作日）」：请填写0到3650之间的整数。",
        "「事项」表第2行「是否网办」：“可以”无法识别，请填写“是”或“否”。",
        "「事项」表第2行「生效日期」：“11月2日”不是日期，请写成 2026-09-28 的形式。",
        "「申请材料」表第3行「材料形式」：“扫描件”不是可选的值，应为：原件、复印件、原件和复印件、电子材料。",
        "「申请材料」表第3行「份数」：请填写0到999之间的整数。",
        "「申请材料」表第4行「事项编码」：事项编码 ZJJ-XK-099 不在「事项」表中：请在「事项」表中加入该事项，或删除此行。",
        "「办理流程」表第3行「序号」：事项 ZJJ-XK-010 的序号 1 与第2行重复。",
        "「收费项目」表第2行「收费标准」：请填写收费标准。",
    ]


def test_a_failed_import_changes_nothing(run_import, stored, counts):
    before, item = counts(), stored("ZJJ-XK-001")
    good_update = {**_exported_row("ZJJ-XK-001", item), "事项名称": "建筑工程施工许可证核发（含变更）"}
    bad_new = {**NEW_ITEM, "事项名称": ""}
    result = run_import("事项.xlsx", xlsx_bytes({"事项": [good_update, bad_new]}))
    assert messages(result) == ["「事项」表第3行「事项名称」：请填写事项名称。"]
    assert counts() == before
    assert stored("ZJJ-XK-001").name == item.name and stored("ZJJ-XK-010") is None


def test_the_item_forms_text_rule_applies_to_a_file(run_import, counts):
    before = counts()
    result = run_import("事项.csv", csv_bytes("事项", [{**NEW_ITEM, "办理地点": "二楼\x07东区"}]))
    assert messages(result) == ["「事项」表第2行「办理地点」：含有不可见的控制字符，已将其去掉，请核对后重新提交。"]
    assert counts() == before


def test_a_new_code_follows_the_forms_code_rule(run_import):
    result = run_import("事项.xlsx", xlsx_bytes({"事项": [{**NEW_ITEM, "事项编码": "ZJJ XK/010"}]}))
    assert messages(result) == ["「事项」表第2行「事项编码」：编码只能用英文字母、数字、“-”和“_”，并以字母或数字开头。"]


def test_a_code_twice_in_the_items_table_is_refused(run_import):
    result = run_import("事项.xlsx", xlsx_bytes({"事项": [NEW_ITEM, {**NEW_ITEM, "事项名称": "另一个"}]}))
    assert messages(result) == ["「事项」表第3行「事项编码」：事项编码 ZJJ-XK-010 与第2行重复。"]


def test_a_row_with_only_its_key_is_an_error_not_skipped(run_import):
    materials = [*NEW_MATERIALS, {"事项编码": "ZJJ-XK-010", "序号": 3}]
    result = run_import("事项.xlsx", xlsx_bytes({"事项": [NEW_ITEM], "申请材料": materials}))
    assert messages(result) == ["「申请材料」表第4行「材料名称」：请填写材料名称。"]


def test_a_missing_column_or_an_unknown_sheet_is_refused_before_any_row(run_import):
    without_basis = [{k: v for k, v in NEW_ITEM.items() if k != "设定依据"}]
    columns = [h for h in NEW_ITEM if h != "设定依据"]
    result = run_import("事项.csv", csv_bytes("事项", without_basis, columns=columns))
    assert messages(result) == ["「事项」表第1行：缺少必填列：「设定依据」。"]
    result = run_import("事项.xlsx", xlsx_bytes(new_item_tables(), extra_sheets=("Sheet2",)))
    assert messages(result) == ["未知的工作表「Sheet2」，只能包含「事项」、「申请材料」、「办理流程」、「收费项目」（以及「填写说明」）。"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_single_items_csv_in_utf8_with_bom_or_gb18030(run_import, stored, encoding):
    report = run_import("事项.csv", csv_bytes("事项", [NEW_ITEM], encoding=encoding))
    assert report.created == ["ZJJ-XK-010"]
    item = stored("ZJJ-XK-010")
    assert (item.name, item.materials, item.steps) == ("城镇污水排入排水管网许可", [], [])


def test_a_zip_of_csvs_made_by_windows_with_gbk_names(run_import, stored):
    files = {f"住建局事项/{name}.csv": csv_bytes(name, rows, encoding="gb18030")
             for name, rows in new_item_tables().items()}
    report = run_import("住建局事项.zip", zip_bytes(files, gbk_names=True))
    assert report.created == ["ZJJ-XK-010"]
    assert [m[0] for m in stored("ZJJ-XK-010").materials] == ["城镇污水排入排水管网许可申请表", "排水水质、水量检测报告"]


def test_old_excel_files_are_refused_with_a_way_out(run_import):
    result = run_import("事项.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert messages(result) == ["不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入。"]


def test_updating_a_submitted_item_takes_it_out_of_review(app, run_import, stored):
    from sqlalchemy import select

    from sunshine.site.db import db
    from sunshine.site.models import ServiceItem

    with app.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-002")).one()
        item.review_state = "submitted"
        db.session.commit()
    row = {**_exported_row("ZJJ-XK-002", stored("ZJJ-XK-002")), "承诺时限说明": "材料齐全的5个工作日内办结"}
    run_import("事项.xlsx", xlsx_bytes({"事项": [row]}))
    assert (stored("ZJJ-XK-002").review_state, stored("ZJJ-XK-002").state) == ("", "published")


def _exported_row(code: str, item) -> dict:
    """The item's 事项 row as an export writes it (the public fields say everything the row needs)."""
    data = item.published_data
    labels = {"immediate": "即办件", "promised": "承诺件", "joint": "联办件", "escalated": "上报件"}
    return {
        "事项编码": code, "事项名称": item.name, "事项类型": data["item_type"],
        "服务对象": data["service_object"], "设定依据": data["legal_basis"], "受理条件": data["conditions"],
        "法定办结时限（工作日）": data["statutory_days"], "承诺办结时限（工作日）": data["promised_days"],
        "承诺时限说明": data["promised_note"], "办件类型": labels[data["case_type"]],
        "到办事现场次数": data["visits_required"], "是否网办": "是" if data["online"] else "否",
        "是否进驻政务服务大厅": "是" if data["in_hall"] else "否", "办理地点": data["location"],
        "办理时间": data["hours"], "咨询电话": data["consult_phone"], "监督投诉电话": data["complaint_phone"],
        "审批结果类型": data["result_type"], "检索关键词": "\n".join(data["keywords"]),
        "生效日期": data["effective_date"],
    }


def test_an_item_changed_since_its_export_is_refused_and_nothing_is_stored(run_import, stored, counts):
    before = stored("ZJJ-XK-001")
    exported_at = before.edit_version - 1  # someone saved the item once after this file was exported
    rows = {"事项": [{**_exported_row("ZJJ-XK-001", before), "事项名称": "建筑工程施工许可证核发（旧文件）",
                      "导出时稿次": exported_at}]}
    before_counts = counts()
    result = run_import("事项.xlsx", xlsx_bytes(rows))
    assert messages(result) == [
        f"「事项」表第2行「导出时稿次」：事项 ZJJ-XK-001 在导出后已被修改（导出时第{exported_at}稿，"
        f"现在第{before.edit_version}稿）：请重新导出，在新文件中修改后再导入。"]
    assert stored("ZJJ-XK-001").name == before.name
    assert counts() == before_counts


def test_an_item_exported_at_its_current_revision_is_updated(run_import, stored):
    before = stored("ZJJ-XK-001")
    rows = {"事项": [{**_exported_row("ZJJ-XK-001", before), "事项名称": "建筑工程施工许可证核发（含变更）",
                      "导出时稿次": before.edit_version}]}
    assert run_import("事项.xlsx", xlsx_bytes(rows)).updated == ["ZJJ-XK-001"]
