"""Bulk import of cases: reading CSV/xlsx, checking every row, all or nothing, re-import updates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from sunshine.site.cases.importing import ImportReport
from sunshine.site.cases.records import ImportRejected
from sunshine.site.cases.table_files import template_csv
from sunshine.site.db import db
from sunshine.site.models import Department, ServiceCase
from sunshine.site.query_codes import check_code

from .conftest import ACCEPTED, EXTENDED, ON_THE_SPOT, csv_bytes, xlsx_bytes

D = dt.date


def problems_of(result) -> list[str]:
    assert isinstance(result, ImportRejected), result
    return [str(p) for p in result.problems]


def test_csv_creates_every_case_with_its_deadline(run_import, load_case):
    report = run_import("cases.csv", csv_bytes([ACCEPTED, ON_THE_SPOT, EXTENDED]))
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    accepted = load_case("ZJJ-2026-000101")
    # 5 working days from 09-28: 09-29, 09-30, (国庆 10-01..10-07 skipped), 10-08, 10-09, 10-10 (make-up Saturday)
    assert (accepted.status, accepted.accepted_on, accepted.deadline) == ("accepted", D(2026, 9, 28), D(2026, 10, 10))
    assert accepted.statutory_deadline == D(2026, 10, 16)
    assert accepted.source == "import"


def test_csv_case_completed_on_the_spot(run_import, load_case):
    run_import("cases.csv", csv_bytes([ON_THE_SPOT]))
    case = load_case("SCJG-2026-000102")
    assert (case.status, case.completed_on, case.on_the_spot, case.deadline) == (
        "completed", D(2026, 9, 29), True, D(2026, 9, 29))
    assert [e[1] for e in case.events] == ["accepted", "completed"]


def test_csv_extended_case_adds_the_extension_to_the_deadline(run_import, load_case):
    run_import("cases.csv", csv_bytes([EXTENDED]))
    case = load_case("GTZY-2026-000103")
    # 3 promised + 7 extension working days from 09-29, across 国庆节 and the make-up 10-10.
    assert (case.extension_days, case.extension_reason, case.deadline) == (7, "需补充测绘成果核验", D(2026, 10, 19))
    assert case.events[-1] == (D(2026, 10, 9), "extended", "需补充测绘成果核验")


def test_fee_details_become_fee_lines_in_fen(run_import, load_case):
    run_import("cases.csv", csv_bytes([ACCEPTED]))
    assert load_case("ZJJ-2026-000101").fees == [("城市基础设施配套费", 1_200_000), ("防空地下室易地建设费", 300_050)]


def test_xlsx_with_date_cells_imports_the_same(run_import, load_case):
    report = run_import("办件.xlsx", xlsx_bytes([ACCEPTED, ON_THE_SPOT, EXTENDED]))
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert load_case("ZJJ-2026-000101").deadline == D(2026, 10, 10)
    assert load_case("GTZY-2026-000103").deadline == D(2026, 10, 19)


def test_gb18030_csv_as_excel_saves_it(run_import, load_case):
    report = run_import("cases.csv", csv_bytes([EXTENDED], encoding="gb18030"))
    assert report.created == 1
    assert load_case("GTZY-2026-000103").extension_reason == "需补充测绘成果核验"


def test_csv_without_bom_is_read_as_utf8(run_import, load_case):
    run_import("cases.csv", csv_bytes([ACCEPTED], encoding="utf-8"))
    assert load_case("ZJJ-2026-000101").applicant_name == "杭州润泽置业有限公司"


def test_every_problem_is_reported_by_row_and_column(run_import):
    rows = [
        {**ACCEPTED, "事项编码": "ZJJ-XK-999"},
        {**ON_THE_SPOT, "收件日期": "2026-02-30"},
        {**EXTENDED, "状态": "已审核"},
        {**ACCEPTED, "办件编号": "ZJJ-2026-000104", "收费明细": "城市基础设施配套费=12000.005"},
        {**EXTENDED, "办件编号": "GTZY-2026-000105", "延期工作日": "", "说明": ""},
        {**ACCEPTED, "办件编号": "ZJJ-2026-000106", "收件日期": "2026-10-19"},
    ]
    assert problems_of(run_import("cases.csv", csv_bytes(rows))) == [
        "第2行「事项编码」：未知的事项编码“ZJJ-XK-999”。",
        "第3行「收件日期」：“2026-02-30”不是有效的日期。",
        "第4行「状态」：未知的状态“已审核”，应为：补正告知、受理、办理中、延期、办结、不予受理。",
        "第5行「收费明细」：第1项“城市基础设施配套费”：金额“12000.005”无效：应为不小于0的数字，最多两位小数（单位：元）。",
        "第6行「说明」：延期须写明理由（延期办结告知制）。",
        "第6行「延期工作日」：延期须填写延长的工作日数（1至30）。",
        "第7行「收件日期」：收件日期 2026-10-19 晚于今天。",
    ]


def test_one_bad_row_stores_nothing(run_import, case_count):
    result = run_import("cases.csv", csv_bytes([ACCEPTED, ON_THE_SPOT, {**EXTENDED, "状态日期": "2026/13/01"}]))
    assert problems_of(result) == ["第4行「状态日期」：“2026/13/01”不是有效的日期。"]
    assert case_count() == 0


def test_duplicate_case_number_names_the_first_row(run_import, case_count):
    result = run_import("cases.csv", csv_bytes([ACCEPTED, ON_THE_SPOT, {**ACCEPTED, "状态": "办理中", "状态日期": "2026-10-08"}]))
    assert problems_of(result) == ["第4行「办件编号」：办件编号 ZJJ-2026-000101 与第2行重复。"]
    assert case_count() == 0


def test_blank_rows_are_skipped_but_keep_their_numbers(run_import):
    data = csv_bytes([ACCEPTED, {}, {**ON_THE_SPOT, "状态": "作废"}])
    assert problems_of(run_import("cases.csv", data)) == [
        "第4行「状态」：未知的状态“作废”，应为：补正告知、受理、办理中、延期、办结、不予受理。"]


def test_unknown_and_missing_columns_are_reported_on_row_1(run_import):
    headers = ["办件编号", "事项编码", "受理日期", "状态"]
    result = run_import("cases.csv", csv_bytes([ACCEPTED], headers=headers))
    assert problems_of(result) == ["第1行：未知的列「受理日期」，请使用导入模板中的列名。",
                                   "第1行：缺少必填列：「收件日期」。"]


def test_reimport_moves_the_status_on_and_adds_one_event(run_import, load_case):
    run_import("cases.csv", csv_bytes([ACCEPTED, ON_THE_SPOT]))
    moved = {**ACCEPTED, "状态": "办结", "状态日期": "2026-10-09", "说明": "已核发预售许可证"}
    report = run_import("cases.csv", csv_bytes([moved, ON_THE_SPOT]))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    case = load_case("ZJJ-2026-000101")
    assert (case.status, case.completed_on, case.on_the_spot) == ("completed", D(2026, 10, 9), False)
    assert case.events == [(D(2026, 9, 28), "accepted", ""), (D(2026, 10, 9), "completed", "已核发预售许可证")]


def test_reimport_of_the_same_file_changes_nothing(run_import, load_case, case_count):
    run_import("cases.csv", csv_bytes([ACCEPTED]))
    report = run_import("cases.csv", csv_bytes([ACCEPTED]))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert case_count() == 1
    assert len(load_case("ZJJ-2026-000101").events) == 1


def test_reimport_cannot_move_a_completed_case_back(run_import, load_case):
    run_import("cases.csv", csv_bytes([ON_THE_SPOT]))
    back = {**ON_THE_SPOT, "状态": "办理中", "状态日期": "2026-10-12"}
    assert problems_of(run_import("cases.csv", csv_bytes([ACCEPTED, back]))) == [
        "第3行「状态」：办件当前为“办结”，不能改为“办理中”。"]
    assert load_case("ZJJ-2026-000101") is None
    assert load_case("SCJG-2026-000102").status == "completed"


def test_reimport_cannot_change_the_item(run_import, load_case):
    run_import("cases.csv", csv_bytes([ACCEPTED]))
    result = run_import("cases.csv", csv_bytes([{**ACCEPTED, "事项编码": "ZJJ-XK-001"}]))
    assert problems_of(result) == [
        "第2行「事项编码」：办件 ZJJ-2026-000101 已登记为事项 ZJJ-XK-002，不能改为 ZJJ-XK-001（办件的事项不能更改）。"]
    assert load_case("ZJJ-2026-000101").item_code == "ZJJ-XK-002"


def test_failed_reimport_leaves_the_stored_case_untouched(run_import, load_case):
    run_import("cases.csv", csv_bytes([ACCEPTED]))
    moved = {**ACCEPTED, "状态": "办理中", "状态日期": "2026-10-08", "申请人": "杭州新名称置业有限公司"}
    result = run_import("cases.csv", csv_bytes([moved, {**ON_THE_SPOT, "事项编码": "NOPE-1"}]))
    assert isinstance(result, ImportRejected)
    case = load_case("ZJJ-2026-000101")
    assert (case.status, case.applicant_name, len(case.events)) == ("accepted", "杭州润泽置业有限公司", 1)


def test_given_query_code_is_kept_and_generated_ones_are_reported(app, run_import):
    report = run_import("cases.csv", csv_bytes([{**ACCEPTED, "查询码": "k7m2q9xp"}, ON_THE_SPOT]))
    assert [number for number, _code in report.new_codes] == ["SCJG-2026-000102"]
    generated = report.new_codes[0][1]
    with app.app_context():
        hashes = dict(db.session.execute(select(ServiceCase.case_no, ServiceCase.query_code_hash)).all())
        assert check_code(hashes["ZJJ-2026-000101"], "K7M2Q9XP")
        assert check_code(hashes["SCJG-2026-000102"], generated)


def test_department_staff_cannot_import_another_departments_item(app, run_import, case_count):
    with app.app_context():
        zjj = db.session.scalars(select(Department.id).where(Department.code == "zjj")).one()
    result = run_import("cases.csv", csv_bytes([ACCEPTED, ON_THE_SPOT]), department_id=zjj)
    assert problems_of(result) == ["第3行「事项编码」：事项 SCJG-XK-002 属于市场监管局，您只能导入本部门事项的办件。"]
    assert case_count() == 0


def test_new_case_accepted_after_checking_starts_its_clock_on_acceptance(run_import, load_case):
    run_import("cases.csv", csv_bytes([{**ACCEPTED, "状态日期": "2026-09-30"}]))
    case = load_case("ZJJ-2026-000101")
    # Received 09-28, accepted 09-30: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    assert (case.received_on, case.accepted_on, case.deadline) == (D(2026, 9, 28), D(2026, 9, 30), D(2026, 10, 13))
    assert case.events == [(D(2026, 9, 30), "accepted", "")]


def test_new_case_refused_at_receipt_has_only_its_refusal_in_the_timeline(run_import, load_case):
    refused = {**ACCEPTED, "状态": "不予受理", "状态日期": "2026-09-29", "说明": "申请事项不属于本机关职权范围"}
    run_import("cases.csv", csv_bytes([refused]))
    case = load_case("ZJJ-2026-000101")
    assert case.events == [(D(2026, 9, 29), "rejected", "申请事项不属于本机关职权范围")]
    assert (case.status, case.completed_on, case.deadline) == ("rejected", D(2026, 9, 29), None)


def test_correction_then_acceptance_by_reimport(run_import, load_case):
    waiting = {**ACCEPTED, "状态": "补正告知", "说明": "缺少预售资金监管协议"}
    run_import("cases.csv", csv_bytes([waiting]))
    assert load_case("ZJJ-2026-000101").deadline is None
    run_import("cases.csv", csv_bytes([{**ACCEPTED, "状态": "受理", "状态日期": "2026-09-30"}]))
    case = load_case("ZJJ-2026-000101")
    # The clock starts on acceptance (09-30): 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    assert (case.accepted_on, case.deadline) == (D(2026, 9, 30), D(2026, 10, 13))


def test_excel_number_id_is_refused_with_advice(run_import):
    import io

    from openpyxl import load_workbook

    data = xlsx_bytes([ON_THE_SPOT])
    book = load_workbook(io.BytesIO(data))
    book.active["K2"] = 3.30106198507152e17
    buffer = io.BytesIO()
    book.save(buffer)
    assert problems_of(run_import("cases.xlsx", buffer.getvalue())) == [
        "第2行「证件号码」：证件号码被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写。"]


def test_old_excel_and_other_files_are_refused(run_import):
    assert problems_of(run_import("cases.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")) == [
        "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入。"]
    assert problems_of(run_import("cases.pdf", b"%PDF-1.7")) == ["只能导入 CSV（.csv）或 Excel（.xlsx）文件。"]


def test_the_template_imports_its_example_row(run_import):
    report = run_import("case-import-template.csv", template_csv())
    assert isinstance(report, ImportReport)
    assert (report.created, len(report.new_codes)) == (1, 1)
