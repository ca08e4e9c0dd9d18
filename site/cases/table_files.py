"""Import files in and out: a CSV (UTF-8 or GB18030) or .xlsx read into keyed rows; the template and code CSVs.

``read_table`` matches the header row against a column set (``records.COLUMNS``
by default) and returns each data row's raw values keyed by field name, with
its row number as the clerk sees it in Excel (header = row 1). An unreadable
file, a bad header row or too many rows raise ``records.ImportRejected``.
The pieces (``file_kind``, ``csv_rows``, ``xlsx_sheets``, ``keyed_rows``) also
serve files of several tables (the item import reads one sheet or CSV per table).

This module never checks field values (that is ``records``'), never touches
the database, never keeps an uploaded file and never logs cell contents.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Protocol

from .records import COLUMNS, ImportRejected, Problem, plain_text

#: Rows one file may hold (the upload size limit comes first in practice).
MAX_ROWS = 50_000

#: A row as read: its number as Excel shows it, and its cells.
RawRow = tuple[int, list[object]]


class ColumnLike(Protocol):
    """What ``keyed_rows`` needs of a column: its field name, its header and whether the header must be there."""

    field: str
    header: str
    required: bool


def read_table(filename: str, data: bytes,
               columns: Sequence[ColumnLike] = COLUMNS) -> list[tuple[int, dict[str, object]]]:
    """The data rows of a CSV or .xlsx file (its first sheet), keyed by field name, with their row numbers.

    Entirely blank rows are skipped (their numbers are kept for the others).
    Raises ImportRejected for an unreadable file or a bad header row.
    """
    raw_rows = _xlsx_rows(data) if file_kind(filename, data) == "xlsx" else csv_rows(data)
    return keyed_rows(raw_rows, columns)


def file_kind(filename: str, data: bytes, *, zip_of_csv: bool = False) -> str:
    """"xlsx", "csv" or (when ``zip_of_csv``) "zip", from the name and the first bytes; ImportRejected otherwise."""
    name = (filename or "").lower()
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRejected([Problem(None, "", "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入。")])
    if zip_of_csv and name.endswith(".zip"):
        return "zip"
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return "xlsx"
    if name.endswith((".csv", ".txt")) or not name:
        return "csv"
    if zip_of_csv:
        raise ImportRejected([Problem(None, "", "只能导入 Excel（.xlsx）、CSV（.csv）或 CSV 压缩包（.zip）文件。")])
    raise ImportRejected([Problem(None, "", "只能导入 CSV（.csv）或 Excel（.xlsx）文件。")])


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Excel in China saves as "CSV")."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportRejected([Problem(None, "", "无法识别文件编码，请保存为 UTF-8 或 GB18030（GBK）编码的 CSV。")]) from None


def csv_rows(data: bytes) -> Iterable[RawRow]:
    """The rows of a CSV (comma or tab separated, UTF-8 or GB18030) with their line numbers."""
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:  # numbered as Excel shows them: a cell with line breaks is still one row
        for number, row in enumerate(reader, start=1):
            yield number, list(row)
    except csv.Error as exc:
        raise ImportRejected([Problem(reader.line_num, "", f"CSV 格式错误（{exc}），请检查引号是否配对。")]) from None


def _open_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportRejected([Problem(None, "", "无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。")]) from exc


def _xlsx_rows(data: bytes) -> Iterable[RawRow]:
    book = _open_xlsx(data)
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        book.close()


def xlsx_sheets(data: bytes) -> list[tuple[str, list[RawRow]]]:
    """Every worksheet of an .xlsx file, in order: (sheet name, its rows with their numbers)."""
    book = _open_xlsx(data)
    try:
        return [(sheet.title, [(number, list(row)) for number, row in
                               enumerate(sheet.iter_rows(values_only=True), start=1)])
                for sheet in book.worksheets]
    finally:
        book.close()


def keyed_rows(raw_rows: Iterable[RawRow],
               columns: Sequence[ColumnLike] = COLUMNS) -> list[tuple[int, dict[str, object]]]:
    """Match the first non-blank row against ``columns`` (their headers, or field names) and key the others.

    Unknown, repeated or missing required headers, and cells under no header, raise ImportRejected.
    """
    by_field = {c.field: c for c in columns}
    field_by_header = {**{c.header: c.field for c in columns}, **{c.field: c.field for c in columns}}
    rows = iter(raw_rows)
    header_no, header = next(((n, r) for n, r in rows if not _blank_row(r)), (1, []))
    fields: list[str | None] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for cell in header:
        text = plain_text(cell).replace("\ufeff", "")
        if not text:
            fields.append(None)
            continue
        key = field_by_header.get(text)
        if key is None:
            problems.append(Problem(header_no, "", f"未知的列「{text}」，请使用导入模板中的列名。"))
        elif key in seen:
            problems.append(Problem(header_no, "", f"列「{by_field[key].header}」重复出现。"))
        else:
            seen.add(key)
        fields.append(key)
    missing = [c.header for c in columns if c.required and c.field not in seen]
    if missing:
        problems.append(Problem(header_no, "", "缺少必填列：" + "、".join(f"「{h}」" for h in missing) + "。"))
    if problems:
        raise ImportRejected(problems)
    result: list[tuple[int, dict[str, object]]] = []
    for number, row in rows:
        if _blank_row(row):
            continue
        if len(result) >= MAX_ROWS:
            raise ImportRejected([Problem(None, "", f"一个文件最多导入{MAX_ROWS}行，请分成几个文件。")])
        values = {key: row[i] for i, key in enumerate(fields) if key is not None and i < len(row)}
        extra = [cell for i, cell in enumerate(row) if (i >= len(fields) or fields[i] is None) and plain_text(cell)]
        if extra:
            problems.append(Problem(number, "", "该行在没有列名的列中有内容，请检查是否错列。"))
        result.append((number, values))
    if problems:
        raise ImportRejected(problems)
    return result


def _blank_row(row: list[object]) -> bool:
    return all(plain_text(cell) == "" for cell in row)


# ---------------------------------------------------------------- the template


def template_csv() -> bytes:
    """The import template: the header row and one example row, UTF-8 with BOM (Excel opens it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def codes_csv(new_codes: list[tuple[str, str]]) -> bytes:
    """The query codes of newly created cases, to hand out (generated from a result, never stored)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["办件编号", "查询码"])
    writer.writerows(new_codes)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
