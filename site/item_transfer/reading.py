"""Reading an item file: an .xlsx of sheets, a .zip of CSVs, or one CSV, into keyed rows per table.

The cell-level work (encodings, header matching, blank rows, row numbers as
Excel shows them) is ``cases.table_files``'; this module only finds the tables:
the sheets of a workbook, the CSVs of a .zip (names written by Windows' own zip
tool in GBK are understood), or a single CSV, which is the 事项 table alone.
A table absent from the file is absent from the result: its rows stay as stored.

It never checks values (that is ``validating``'s) and never touches the database.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from ..cases.records import ImportRejected
from ..cases.records import Problem as CellProblem
from ..cases.table_files import RawRow, csv_rows, file_kind, keyed_rows, xlsx_sheets
from .columns import ITEMS, NOTES_NAME, TABLE_BY_NAME, TABLES
from .problems import Problem, TransferRejected

#: Keyed rows of each table found in the file, by table name.
Tables = dict[str, list[tuple[int, dict[str, object]]]]

#: What the files inside an .xlsx or .zip may unpack to: a guard against zip bombs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: zipfile's flag for names encoded in UTF-8 (without it, names are in the creator's code page).
UTF8_NAME_FLAG = 0x800

TABLE_NAMES = "、".join(f"「{t.name}」" for t in TABLES)


def read_file(filename: str, data: bytes) -> Tables:
    """The tables of an item file, keyed by field; TransferRejected says every problem found."""
    try:
        kind = file_kind(filename, data, zip_of_csv=True)
    except ImportRejected as rejected:
        raise TransferRejected([_placed("", p) for p in rejected.problems]) from None
    if kind in ("xlsx", "zip"):
        _check_unpacked_size(data)
    if kind == "csv":
        named = [(ITEMS.name, _safe_rows(ITEMS.name, lambda: list(csv_rows(data))))]
    elif kind == "zip":
        named = _zip_tables(data)
    else:
        try:
            named = [(name.strip(), rows) for name, rows in xlsx_sheets(data)]
        except ImportRejected as rejected:
            raise TransferRejected([_placed("", p) for p in rejected.problems]) from None
    return _keyed_tables(named, zipped=kind == "zip")


def _keyed_tables(named: list[tuple[str, list[RawRow]]], *, zipped: bool) -> Tables:
    problems: list[Problem] = []
    tables: Tables = {}
    what = "文件" if zipped else "工作表"
    for name, rows in named:
        if name == NOTES_NAME:
            continue
        table = TABLE_BY_NAME.get(name)
        if table is None:
            problems.append(Problem("", None, "", f"未知的{what}「{name}」，只能包含{TABLE_NAMES}（以及「{NOTES_NAME}」）。"))
            continue
        if name in tables:
            problems.append(Problem("", None, "", f"{what}「{name}」出现了两次。"))
            continue
        try:
            tables[name] = keyed_rows(rows, table.columns)
        except ImportRejected as rejected:
            problems.extend(_placed(name, p) for p in rejected.problems)
    if ITEMS.name not in tables and not any(p.table == ITEMS.name for p in problems):
        problems.append(Problem("", None, "", f"缺少「{ITEMS.name}」{what}：请使用导入模板，不要删除或改名。"))
    if problems:
        raise TransferRejected(problems)
    return tables


def _placed(table: str, problem: CellProblem) -> Problem:
    """A problem of ``table_files`` (about a whole file, header or row) placed in its table."""
    return Problem(table, problem.row, "", problem.message)


def _safe_rows(table: str, read) -> list[RawRow]:
    try:
        return read()
    except ImportRejected as rejected:
        raise TransferRejected([_placed(table, p) for p in rejected.problems]) from None


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TransferRejected([Problem("", None, "", "无法打开该文件，请确认是未损坏的 .xlsx 或 .zip 文件。")]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise TransferRejected([Problem("", None, "", "文件解压后过大，请分成几个文件后再导入。")])


def _entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its creator meant it: Windows writes Chinese names in GBK without the UTF-8 flag."""
    if info.flag_bits & UTF8_NAME_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip_tables(data: bytes) -> list[tuple[str, list[RawRow]]]:
    named: list[tuple[str, list[RawRow]]] = []
    problems: list[Problem] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            path = PurePosixPath(_entry_name(info).replace("\\", "/"))
            if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            if path.suffix.lower() != ".csv":
                problems.append(Problem("", None, "", f"压缩包中的「{path.name}」不是 CSV 文件，请只放入{TABLE_NAMES}四个 CSV 文件。"))
                continue
            name = path.stem.strip()
            try:
                named.append((name, list(csv_rows(archive.read(info)))))
            except ImportRejected as rejected:
                problems.extend(_placed(name, p) for p in rejected.problems)
    if problems:
        raise TransferRejected(problems)
    return named
