"""Open data: the snapshot byte for byte, CSVs Excel can open and never takes for formulas,
a manifest that checks out."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import openpyxl
import pytest

from sunshine.contract.schema import schema_bytes
from sunshine.publisher.opendata import Column, csv_bytes, escape_cell, unescape_cell


def _rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_snapshot_is_published_byte_for_byte(site_dir, snapshot_file):
    assert (site_dir / "data/snapshot.json").read_bytes() == snapshot_file.read_bytes()


def test_schema_is_published_with_the_data(site_dir):
    assert (site_dir / "data/snapshot.schema.json").read_bytes() == schema_bytes()


def test_manifest_lists_every_data_file_with_matching_hash_and_size(site_dir):
    manifest = json.loads((site_dir / "data/manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    # The site manifest (site-manifest.json, SHA256SUMS) lists the whole site: see test_manifest.py.
    on_disk = {p.name for p in (site_dir / "data").iterdir()} - {
        "manifest.json", "index.html", "site-manifest.json", "SHA256SUMS"
    }  # fmt: skip
    assert set(listed) == on_disk == {
        "snapshot.json", "snapshot.schema.json", "items.csv", "departments.csv",
        "fees.csv", "channels.csv", "notices.csv", "figures.csv", "rectifications.csv",
        "complaint_outcomes.csv", "questions.csv",
    }  # fmt: skip
    for name, entry in listed.items():
        content = (site_dir / "data" / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), name
        assert entry["bytes"] == len(content), name
        assert entry["url"] == f"/data/{name}"
    assert manifest["snapshot_generated_at"] == "2024-07-08T09:30:00+08:00"


def test_data_page_shows_the_hashes(site_dir, page):
    manifest = json.loads((site_dir / "data/manifest.json").read_text(encoding="utf-8"))
    html = page("/data/")
    for entry in manifest["files"]:
        assert entry["sha256"] in html
    assert '<a href="/data/snapshot.schema.json">' in html


def test_items_csv_has_chinese_headers_and_rows_in_code_order(site_dir):
    header, *rows = _rows(site_dir / "data/items.csv")
    assert header[:3] == ["事项编码", "事项名称", "事项类型"]
    codes = [row[0] for row in rows]
    assert codes == sorted(codes) and len(codes) == 5
    building = dict(zip(header, rows[codes.index("511623-ZJ-0001")], strict=True))
    assert building["承诺办结时限（工作日）"] == "3"
    assert building["办件类型"] == "承诺件" and building["是否网办"] == "是"
    assert building["网页地址"] == "/items/511623-ZJ-0001/"


def test_fees_csv_has_one_row_per_fee_with_its_bill(site_dir):
    header, *rows = _rows(site_dir / "data/fees.csv")
    assert len(rows) == 8
    bill = header.index("一单收费")
    assert sum(1 for row in rows if row[bill] == "建设项目一单收费") == 7


def test_departments_csv_carries_chief_and_backup(site_dir):
    header, *rows = _rows(site_dir / "data/departments.csv")
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_code["zjj"]["首席代表"] == "王建国" and by_code["zjj"]["B角"] == "李秀梅"
    assert by_code["mzj"]["B角"] == ""


def test_channels_and_notices_csv_are_written(site_dir):
    assert len(_rows(site_dir / "data/channels.csv")) == 3
    header, *rows = _rows(site_dir / "data/notices.csv")
    assert [row[0] for row in rows] == ["N2024-003", "N2024-001", "N2024-002"]
    assert b"\r\n" in (site_dir / "data/notices.csv").read_bytes()


# --- cells never formulas, values read back exactly -------------------------------------------

#: (value, cell text as written): every formula trigger of OWASP/ASVS, and the escape itself.
ESCAPED = [
    ("- 身份证原件", "'- 身份证原件"),
    ('=HYPERLINK("https://evil.example","点击查看补贴")', '\'=HYPERLINK("https://evil.example","点击查看补贴")'),
    ("+86 0817-2223344", "'+86 0817-2223344"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\x00=1+1", "'\x00=1+1"),
    ("'A座3楼", "''A座3楼"),
    ("''", "'" * 3),
]  # fmt: skip
UNCHANGED = ["身份证原件", "", "1-2 个工作日", "A=B", "（-）", " - 前有空格", "＝全角等号"]


@pytest.mark.parametrize(("value", "written"), ESCAPED)
def test_a_cell_that_could_be_a_formula_is_written_with_one_quote_in_front(value, written):
    assert escape_cell(value) == written


@pytest.mark.parametrize("value", UNCHANGED)
def test_an_ordinary_cell_is_written_as_it_is(value):
    assert escape_cell(value) == value


@pytest.mark.parametrize("value", [value for value, _ in ESCAPED] + UNCHANGED)
def test_unescaping_a_written_cell_gives_the_value_back(value):
    assert unescape_cell(escape_cell(value)) == value


def test_numbers_are_written_as_numbers_even_when_negative():
    columns = [Column("差值", lambda r: r[0]), Column("比率（%）", lambda r: r[1])]
    assert csv_bytes(columns, [(-3, -12.5), (0, None)]).decode("utf-8-sig") == (
        "差值,比率（%）\r\n-3,-12.5\r\n0,\r\n"
    )


def _hostile_table() -> tuple[list[Column], list[tuple[str, str]]]:
    columns = [Column("材料名称", lambda r: r[0]), Column("受理条件", lambda r: r[1])]
    rows = [
        ("- 身份证原件", "- 已经取得建设工程规划许可证\n- 有满足施工需要的资金安排"),
        ('=HYPERLINK("https://evil.example","补贴")', "@SUM(1+1)"),
        ("'A座3楼", "+86 0817-2223344"),
        ("营业执照副本", "\t=1+1"),
    ]
    return columns, rows


def _read_csv(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_cells_that_could_be_formulas_begin_with_the_quote():
    columns, rows = _hostile_table()
    assert _read_csv(csv_bytes(columns, rows))[1:] == [
        ["'- 身份证原件", "'- 已经取得建设工程规划许可证\n- 有满足施工需要的资金安排"],
        ['\'=HYPERLINK("https://evil.example","补贴")', "'@SUM(1+1)"],
        ["''A座3楼", "'+86 0817-2223344"],
        ["营业执照副本", "'\t=1+1"],
    ]


def test_csv_reader_and_unescape_give_every_value_back():
    columns, rows = _hostile_table()
    header, *read = _read_csv(csv_bytes(columns, rows))
    assert header == ["材料名称", "受理条件"]
    assert [tuple(unescape_cell(cell) for cell in row) for row in read] == rows


def _through_a_workbook(rows: list[list[str]]):
    """Put cells into a spreadsheet as a program importing the CSV would, save, load again."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    return openpyxl.load_workbook(io.BytesIO(saved.getvalue())).active


def test_a_spreadsheet_takes_an_unescaped_cell_for_a_formula():
    sheet = _through_a_workbook([['=HYPERLINK("https://evil.example","补贴")']])
    assert sheet["A1"].data_type == "f"


def test_escaped_csv_cells_stay_text_in_a_spreadsheet_and_read_back_exactly():
    columns, rows = _hostile_table()
    sheet = _through_a_workbook(_read_csv(csv_bytes(columns, rows))[1:])
    assert [cell.data_type for row in sheet.iter_rows() for cell in row] == ["s"] * 8
    values = [tuple(unescape_cell(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    assert values == rows


def test_published_items_csv_escapes_the_markdown_list_of_conditions(site_dir):
    header, *rows = _rows(site_dir / "data/items.csv")
    building = dict(zip(header, next(r for r in rows if r[0] == "511623-ZJ-0001"), strict=True))
    assert building["受理条件"] == (
        "'- 已经办理该建筑工程用地批准手续\n- 已经取得建设工程规划许可证\n- 施工场地已经基本具备施工条件"
        "\n- 已经确定施工企业\n- 有满足施工需要的资金安排、施工图纸及技术资料"
    )


def test_data_page_states_the_quote_rule(page):
    html = page("/data/")
    assert "凡以英文单引号开头的单元格，去掉最前面的一个单引号，即得原值" in html
