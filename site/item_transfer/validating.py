"""Checking a whole item file before anything is stored: every problem, by table, row and column.

Each item of the file (its 事项 row and its rows of 申请材料, 办理流程, 收费项目)
is posted to the back office's own item form, as a browser would post the edit
page, so an imported item obeys exactly the rules of a typed one (and any rule
the form gains). This module adds only what a file has and a page has not:
duplicate codes and 序号, rows of an item missing from 事项, and items of
another department. A row table absent from the file keeps the stored rows.

It reads the database (which codes exist, and whose) but never writes to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form

from ..cases.records import plain_text
from ..db import db
from ..models import Department, ServiceItem
from .cells import cell_value, form_value
from .columns import ITEMS, ROW_TABLES, VERSION, Table, form_fields
from .problems import Problem, TransferRejected
from .reading import Tables

if TYPE_CHECKING:
    from ..admin.forms.items import ItemForm

#: Item codes per bulk SELECT.
SELECT_CHUNK = 500


@dataclass
class RowRef:
    """Where one form row came from: its row in the file (None: kept from the stored item)."""

    row: int | None
    position: int


@dataclass
class CheckedItem:
    """One item of the file that passed every check, with the validated form to apply."""

    code: str
    row: int
    #: The stored working copy (None: a new item).
    item: ServiceItem | None
    form: ItemForm
    rows: dict[str, list[RowRef]] = field(default_factory=dict)


def check_tables(tables: Tables, department: Department) -> list[CheckedItem]:
    """The items of ``tables`` for ``department``, each checked in full; TransferRejected lists every problem."""
    fields = form_fields()
    problems: list[Problem] = []
    main = _main_rows(tables[ITEMS.name], problems)
    stored = stored_items(main)
    nested = {table.name: _nested_rows(table, tables[table.name], main, problems)
              for table in ROW_TABLES if table.name in tables}
    checked: list[CheckedItem] = []
    for code, (row, values) in main.items():
        item = stored.get(code) if code else None
        if item is not None and item.department_id != department.id:
            owner = item.department.short_name or item.department.name
            here = department.short_name or department.name
            problems.append(Problem(ITEMS.name, row, ITEMS.column("code").header,
                                    f"事项 {code} 属于{owner}，不能导入到{here}。"))
            continue
        if item is not None and _changed_since_export(item, values.get(VERSION.field)):
            problems.append(Problem(ITEMS.name, row, VERSION.header,
                                    f"事项 {code} 在导出后已被修改（导出时第{plain_text(values.get(VERSION.field))}稿，"
                                    f"现在第{item.edit_version}稿）：请重新导出，在新文件中修改后再导入。"))
            continue
        result = _check_item(code, row, values, item, nested, fields, problems)
        if result is not None:
            checked.append(result)
    if problems:
        raise TransferRejected(problems)
    return checked


def _changed_since_export(item: ServiceItem, exported: object) -> bool:
    """Whether someone saved the item after the file was exported (a blank cell: a file not from an export)."""
    text = plain_text(exported)
    if not text:
        return False
    try:
        return int(float(text)) < (item.edit_version or 0)
    except ValueError:
        return False


def _main_rows(rows: list[tuple[int, dict[str, object]]],
               problems: list[Problem]) -> dict[str, tuple[int, dict[str, object]]]:
    """The 事项 rows by code (a row without a code gets a key of its own: the form will say so)."""
    main: dict[str, tuple[int, dict[str, object]]] = {}
    for row, values in rows:
        code = plain_text(values.get("code"))
        if code and code in main:
            problems.append(Problem(ITEMS.name, row, ITEMS.column("code").header,
                                    f"事项编码 {code} 与第{main[code][0]}行重复。"))
            continue
        main[code or f"\0{row}"] = (row, values)
    return main


def _nested_rows(table: Table, rows: list[tuple[int, dict[str, object]]], main: dict,
                 problems: list[Problem]) -> dict[str, list[tuple[RowRef, dict[str, object]]]]:
    """A row table's rows by item code, in 序号 order."""
    code_header, position_header = table.column("code").header, table.column("position").header
    by_code: dict[str, list[tuple[RowRef, dict[str, object]]]] = {}
    seen: dict[tuple[str, int], int] = {}
    for row, values in rows:
        code = plain_text(values.get("code"))
        if not code:
            problems.append(Problem(table.name, row, code_header, "请填写事项编码。"))
            continue
        if code not in main:
            problems.append(Problem(table.name, row, code_header,
                                    f"事项编码 {code} 不在「{ITEMS.name}」表中：请在「{ITEMS.name}」表中加入该事项，或删除此行。"))
            continue
        text = plain_text(values.get("position"))
        if not text.isdigit() or int(text) < 1:
            problems.append(Problem(table.name, row, position_header,
                                    "请填写1、2、3……这样的正整数。" if not text else f"“{text}”不是正整数，请填写1、2、3……"))
            continue
        position = int(text)
        if (code, position) in seen:
            problems.append(Problem(table.name, row, position_header,
                                    f"事项 {code} 的序号 {position} 与第{seen[code, position]}行重复。"))
            continue
        seen[code, position] = row
        by_code.setdefault(code, []).append((RowRef(row, position), values))
    for entries in by_code.values():
        entries.sort(key=lambda entry: entry[0].position)
    return by_code


def stored_items(main: Iterable[str]) -> dict[str, ServiceItem]:
    """The stored items of these codes, with their rows and department, in a few bulk SELECTs."""
    found: dict[str, ServiceItem] = {}
    ordered = sorted(code for code in main if code and not code.startswith("\0"))
    for start in range(0, len(ordered), SELECT_CHUNK):
        stmt = (select(ServiceItem).where(ServiceItem.code.in_(ordered[start:start + SELECT_CHUNK]))
                .options(joinedload(ServiceItem.department), selectinload(ServiceItem.materials),
                         selectinload(ServiceItem.steps), selectinload(ServiceItem.fees)))
        found.update((item.code, item) for item in db.session.scalars(stmt))
    return found


def _stored_rows(item: ServiceItem | None, table: Table,
                 fields: dict[str, Field]) -> list[tuple[RowRef, dict[str, object]]]:
    """The stored rows of a table the file does not carry, as cells (they are posted back unchanged)."""
    if item is None:
        return []
    return [(RowRef(None, n), {name: cell_value(f, getattr(record, name)) for name, f in fields.items()})
            for n, record in enumerate(getattr(item, table.rows), start=1)]


def _post(data: MultiDict, table: Table, fields: dict[str, Field], cells: dict[str, object], prefix: str,
          *, with_code: bool) -> list[tuple[str, str]]:
    """Add one row's cells to ``data`` as a browser would post them; (field, message) of cells that cannot."""
    errors: list[tuple[str, str]] = []
    for name, bound in fields.items():
        if name == "code" and not with_code:
            continue
        try:
            value = form_value(bound, cells.get(name))
        except ValueError as exc:
            errors.append((name, str(exc)))
            continue
        if value is not None:
            data.add(prefix + name, value)
    return errors


def _item_form(data: MultiDict, *, new: bool) -> ItemForm:
    from ..admin.forms.items import (
        ItemForm,  # imported late: the admin blueprint imports this package
    )

    form = ItemForm(formdata=data, meta={"csrf": False})
    del form.department  # the file's department is chosen on the page, never in the file
    if not new:
        del form.code  # the stable public code of a stored item never changes
    return form


def stored_form(item: ServiceItem, fields: dict[str, dict[str, Field]]) -> ItemForm:
    """The stored item as the item form reads it back from an export of it (not validated).

    An item is unchanged when the file says what this form says: text the form would
    trim or normalise anyway is no change worth a revision.
    """
    data: MultiDict = MultiDict()
    main = {name: cell_value(f, getattr(item, name)) for name, f in fields[ITEMS.name].items()}
    _post(data, ITEMS, fields[ITEMS.name], main, "", with_code=False)
    for table in ROW_TABLES:
        for index, (_, cells) in enumerate(_stored_rows(item, table, fields[table.name])):
            _post(data, table, fields[table.name], cells, f"{table.rows}-{index}-", with_code=False)
    return _item_form(data, new=False)


def _check_item(code: str, row: int, values: dict[str, object], item: ServiceItem | None, nested: dict,
                fields: dict[str, dict[str, Field]], problems: list[Problem]) -> CheckedItem | None:
    """Post one item to the item form; its problems are added to ``problems``; the item if none."""
    before = len(problems)
    data: MultiDict = MultiDict()
    reported: set[tuple[str, int | None, str]] = set()

    def post(table: Table, ref_row: int | None, cells: dict[str, object], prefix: str) -> None:
        for name, message in _post(data, table, fields[table.name], cells, prefix, with_code=item is None):
            problems.append(_problem(table, ref_row, table.column(name).header, message, kept=ref_row is None))
            reported.add((table.name, ref_row, name))

    post(ITEMS, row, values, "")
    refs: dict[str, list[RowRef]] = {}
    for table in ROW_TABLES:
        entries = nested[table.name].get(code, []) if table.name in nested else _stored_rows(
            item, table, fields[table.name])
        refs[table.rows] = [ref for ref, _ in entries]
        for index, (ref, cells) in enumerate(entries):
            post(table, ref.row, cells, f"{table.rows}-{index}-")

    form = _item_form(data, new=item is None)
    form.validate()
    _collect(form, row, refs, reported, problems)
    if len(problems) > before:
        return None
    return CheckedItem(code=code, row=row, item=item, form=form, rows=refs)


def _problem(table: Table, row: int | None, header: str, message: str, *, kept: bool = False) -> Problem:
    if kept:  # a stored row the file left alone, broken by a rule newer than the row
        return Problem(table.name, None, header, f"（已保存的内容）{message}")
    return Problem(table.name, row, header, message)


def _collect(form: ItemForm, row: int, refs: dict[str, list[RowRef]],
             reported: set[tuple[str, int | None, str]], problems: list[Problem]) -> None:
    """The form's errors, each placed at its table, row and column."""
    tables = {t.rows: t for t in ROW_TABLES}
    for bound in form:
        if bound.short_name in tables:
            table = tables[bound.short_name]
            for ref, entry in zip(refs[bound.short_name], bound.entries, strict=False):
                row_form = entry.form
                if hasattr(row_form, "is_blank") and row_form.is_blank():
                    Form.validate(row_form)  # the form ignores a blank row; a blank line in a file is an error
                for sub in row_form:
                    for message in _messages(sub):
                        if (table.name, ref.row, sub.short_name) in reported:
                            continue
                        header = next((c.header for c in table.columns if c.field == sub.short_name), "")
                        text = message if header else f"{sub.label.text}：{message}"
                        problems.append(_problem(table, ref.row, header, text, kept=ref.row is None))
            continue
        for message in _messages(bound):
            if (ITEMS.name, row, bound.short_name) in reported:
                continue
            header = next((c.header for c in ITEMS.columns if c.field == bound.short_name), "")
            problems.append(Problem(ITEMS.name, row, header, message if header else f"{bound.label.text}：{message}"))


def _messages(bound: Field) -> list[str]:
    return [str(m) for m in bound.errors if isinstance(m, str | LazyString)]  # form messages may be lazy (_l)
