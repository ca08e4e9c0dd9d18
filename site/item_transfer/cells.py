"""A value between the item form and a spreadsheet cell, both ways, by the form field's type.

A clerk reads and types 是/否 for a check box, a code list's Chinese label for a
select (the stored code is accepted too), a date cell or 2026-03-01 for a date,
and plain numbers and text. ``form_value`` turns a cell into what a browser would
post for that field, so the form's own validators then judge it; ``cell_value``
is the inverse, for exports. ``rule_text`` says in Chinese what a column takes,
read off the field's validators and choices (the template's notes).
"""

from __future__ import annotations

import datetime as dt
import re

from wtforms import BooleanField, DateField, Field, IntegerField, SelectField, TextAreaField
from wtforms.validators import Length

from ..cases.records import parse_date, parse_yes_no, plain_text

#: Separators a clerk may write between two words of one choice (服务对象 "自然人、法人").
CHOICE_SEPARATORS = re.compile(r"\s*[、，,/]\s*")


def choices(field: SelectField) -> list[tuple[str, str]]:
    """A select's (value, label) pairs, without the "请选择" placeholder."""
    return [(str(value), str(label)) for value, label in field.choices or () if value != ""]


def _norm(text: str) -> str:
    return CHOICE_SEPARATORS.sub(",", text.strip())


def form_value(field: Field, cell: object) -> str | None:
    """The cell as posted form data for ``field`` (None: leave it out, as an unticked box is);
    ValueError with a Chinese message when the cell cannot mean a value of that field."""
    if isinstance(field, BooleanField):
        return "y" if parse_yes_no(cell) else None
    if isinstance(field, DateField):
        day = parse_date(cell, required=False)
        return day.isoformat() if day else ""
    if isinstance(field, SelectField):
        return _choice(field, plain_text(cell))
    if isinstance(cell, str):
        return cell.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date().isoformat()
    return plain_text(cell)


def _choice(field: SelectField, text: str) -> str:
    pairs = choices(field)
    labels = "、".join(label for _, label in pairs)
    if not text:  # what a browser posts for an untouched select: its default (the form judges a blank one)
        return "" if field.default is None else str(field.default)
    wanted = _norm(text)
    for value, label in pairs:
        if wanted in (_norm(value), _norm(label)):
            return value
    raise ValueError(f"“{text}”不是可选的值，应为：{labels}。")


def cell_value(field: Field, value: object) -> object:
    """A stored value as the file shows it: 是/否, a choice's label, a date, a number or text."""
    if isinstance(field, BooleanField):
        return "是" if value else "否"
    if isinstance(field, DateField):
        return value if isinstance(value, dt.date) else None
    if isinstance(field, SelectField):
        return dict(choices(field)).get(str(value), value if value is not None else "")
    if isinstance(field, IntegerField):
        return value if isinstance(value, int) else None
    return "" if value is None else str(value)


def is_required(field: Field) -> bool:
    """Must a cell of this column hold a value? Not when the form has a default for it."""
    if isinstance(field, SelectField) and field.default not in (None, ""):
        return False
    return bool(getattr(field.flags, "required", False))


def rule_text(field: Field) -> str:
    """What the column takes, in Chinese, from the field's type, choices and validators."""
    if isinstance(field, BooleanField):
        return "填“是”或“否”，空白视为“否”"
    if isinstance(field, DateField):
        return "日期，写成 2026-03-01（Excel 的日期单元格亦可）" + ("" if is_required(field) else "；可空")
    if isinstance(field, SelectField):
        pairs = choices(field)
        text = "可选：" + "、".join(label for _, label in pairs)
        default = dict(pairs).get(str(field.default)) if field.default not in (None, "") else None
        return text + (f"；空白按“{default}”" if default else "")
    if isinstance(field, IntegerField):
        for validator in field.validators:
            if hasattr(validator, "low") and hasattr(validator, "high"):
                return f"{validator.low}至{validator.high}的整数"
        return "整数"
    parts = []
    limit = next((v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0), None)
    if limit:
        parts.append(f"最多{limit}字")
    if isinstance(field, TextAreaField):
        parts.append("可换行")
    return "，".join(parts) or "文字"
