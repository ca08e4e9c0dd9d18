"""Writing item files: a department's items (working copies, every state) or the template.

Two formats with the same tables and columns, so a clerk can move between them:
an .xlsx with one sheet per table (事项, 申请材料, 办理流程, 收费项目) and a notes
sheet, and a .zip of one CSV per table (UTF-8 with BOM, which Excel opens
right) plus 填写说明.csv. CSV is kept to the sheets' columns rather than packing
materials, steps and fees into cells of the item's row: a list inside a cell
needs invented separators a clerk would have to type exactly, and Excel edits
a CSV of plain rows well. The import takes the .zip back (Windows' "压缩文件夹"
is fine), or one 事项.csv alone, which leaves the other tables as stored.

Values are written as the import reads them (``cells``), so an unchanged export
imports as "unchanged". Never writes anything but the public fields and the
workflow state of the items.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, Field, SelectField

from ..db import db
from ..models import Department, ServiceItem
from .cells import cell_value, choices, is_required, rule_text
from .columns import (
    EXAMPLE,
    GUIDE,
    ITEMS,
    NOTES_NAME,
    ROW_TABLES,
    STATE,
    TABLES,
    VERSION,
    form_fields,
)

#: Rows of a table, each as field -> cell value.
Rows = dict[str, list[dict[str, object]]]
#: Rows below the data that still get a drop-down list in the .xlsx (room to add items).
SPARE_ROWS = 500
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def department_items(department: Department) -> list[ServiceItem]:
    """The department's items, working copies in every state, by code, with their rows."""
    return list(db.session.scalars(
        select(ServiceItem).where(ServiceItem.department_id == department.id).order_by(ServiceItem.code)
        .options(selectinload(ServiceItem.materials), selectinload(ServiceItem.steps),
                 selectinload(ServiceItem.fees))))


def item_rows(items: Iterable[ServiceItem], fields: dict[str, dict[str, Field]]) -> Rows:
    """Each table's rows for ``items``, cells as the import reads them."""
    rows: Rows = {table.name: [] for table in TABLES}
    for item in items:
        main = {name: cell_value(f, getattr(item, name)) for name, f in fields[ITEMS.name].items()}
        main[STATE.field] = item.state_label + (f"；{item.review_label}" if item.review_state else "")
        main[VERSION.field] = item.edit_version or 0
        rows[ITEMS.name].append(main)
        for table in ROW_TABLES:
            for position, record in enumerate(getattr(item, table.rows), start=1):
                rows[table.name].append({"code": item.code, "position": position, **{
                    name: cell_value(f, getattr(record, name)) for name, f in fields[table.name].items()}})
    return rows


def notes_rows(fields: dict[str, dict[str, Field]]) -> list[list[str]]:
    """The notes sheet: how the file works, then every column with its rule (read off the item form)."""
    rows: list[list[str]] = [[f"{n}. {line}"] for n, line in enumerate(GUIDE, start=1)]
    rows += [[], ["表", "列名", "必填", "填写要求"]]
    for table in TABLES:
        for column in table.columns:
            bound = fields[table.name].get(column.field)
            if bound is not None:
                required, rule = is_required(bound), rule_text(bound)
            else:
                required, rule = column.field in ("code", "position"), ""
            rows.append([table.name, column.header, "是" if required else "否",
                         "；".join(part for part in (rule, column.hint) if part)])
    return rows


def export_xlsx(items: Iterable[ServiceItem]) -> bytes:
    fields = form_fields()
    return _xlsx(item_rows(items, fields), fields)


def export_zip(items: Iterable[ServiceItem]) -> bytes:
    fields = form_fields()
    return _zip(item_rows(items, fields), fields)


def template_xlsx() -> bytes:
    """The template: the columns, one example item as a 自然资源局 would fill it, and the notes."""
    return _xlsx(EXAMPLE, form_fields())


def template_zip() -> bytes:
    return _zip(EXAMPLE, form_fields())


# ---------------------------------------------------------------- the two formats


def _xlsx(rows: Rows, fields: dict[str, dict[str, Field]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in TABLES:
        sheet = book.create_sheet(table.name)
        sheet.append([c.header for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows.get(table.name, []):
            sheet.append([_xlsx_cell(row.get(c.field)) for c in table.columns])
        sheet.freeze_panes = "A2"
        last = sheet.max_row + SPARE_ROWS
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(10, min(40, 2 * len(column.header) + 4))
            bound = fields[table.name].get(column.field)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    cell.number_format = "@"  # a phone number or code stays text when edited
                    if "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
            listed = _listed(bound)
            if listed:
                check = DataValidation(type="list", formula1='"' + ",".join(listed) + '"', allow_blank=True,
                                       showErrorMessage=True, errorTitle="不是可选的值",
                                       error="请从下拉列表中选择：" + "、".join(listed))
                check.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(check)
    notes = book.create_sheet(NOTES_NAME)
    for row in notes_rows(fields):
        notes.append(row)
    for letter, width in zip("ABCD", (12, 24, 8, 80), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: object) -> object:
    """A cell an .xlsx can hold: control characters stored before the text rule existed are left out."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _listed(bound: Field | None) -> list[str]:
    """A column's drop-down values in Excel (the form's choices), when it has a short list."""
    if isinstance(bound, BooleanField):
        return ["是", "否"]
    if isinstance(bound, SelectField):
        labels = [label for _, label in choices(bound)]
        return labels if len(",".join(labels)) < 250 and not any("," in label for label in labels) else []
    return []


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _zip(rows: Rows, fields: dict[str, dict[str, Field]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            lines = [[c.header for c in table.columns],
                     *([row.get(c.field) for c in table.columns] for row in rows.get(table.name, []))]
            archive.writestr(f"{table.name}.csv", _csv(lines))
        archive.writestr(f"{NOTES_NAME}.csv", _csv(notes_rows(fields)))
    return buffer.getvalue()
