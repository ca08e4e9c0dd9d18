"""What every back-office form shares: Chinese messages, trimming, codes, row tables.

Nested lists (materials, steps, fees) are tables of ``RowForm`` rows that work
without JavaScript: a blank row is ignored, a row ticked "删除" is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, Field, FieldList, Form
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, StopValidation, ValidationError

from ...db import db

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
#: Blank rows offered under the filled ones of a row table.
BLANK_ROWS = 2


def strip(value):
    return value.strip() if isinstance(value, str) else value


class AdminForm(FlaskForm):
    """A FlaskForm whose built-in WTForms messages are Chinese."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)


class RowForm(Form):
    """One row of a table (no CSRF of its own: the enclosing form has it)."""

    #: The free-text columns; a row with all of them empty is a blank row.
    TEXT_FIELDS: tuple[str, ...] = ()

    class Meta:
        csrf = False
        locales = ("zh",)

    delete = BooleanField("删除")

    def is_blank(self) -> bool:
        return not any((self[name].data or "").strip() for name in self.TEXT_FIELDS)

    def is_kept(self) -> bool:
        return not self.is_blank() and not self.delete.data

    def validate(self, extra_validators=None) -> bool:
        if not self.is_kept():
            return True  # ignored rows are never an error
        return super().validate(extra_validators)


def kept_rows(rows: FieldList) -> list[RowForm]:
    return [entry.form for entry in rows.entries if entry.form.is_kept()]


def add_blank_rows(rows: FieldList, count: int = BLANK_ROWS) -> None:
    """Make sure the table ends with ``count`` blank rows to type into."""
    trailing = 0
    for entry in reversed(rows.entries):
        if not entry.form.is_blank():
            break
        trailing += 1
    for _ in range(count - trailing):
        rows.append_entry()


def max_length(limit: int) -> Length:
    return Length(max=limit, message=f"不能超过{limit}个字。")


def _blank(field: Field) -> bool:
    raw = field.raw_data[0] if field.raw_data else None
    return (raw is None and field.data in (None, "")) or (isinstance(raw, str) and not raw.strip())


class Required:
    """Like DataRequired, but one clear Chinese message even when the input could not be parsed."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field: Field) -> None:
        if _blank(field):
            field.errors[:] = []
            raise StopValidation(self.message)


class WholeNumber:
    """A whole number between ``low`` and ``high``, with one Chinese message for any bad input.

    Blank is an error only when ``required`` (a message) is given; otherwise it is allowed.
    """

    def __init__(self, low: int, high: int, *, required: str | None = None) -> None:
        self.low, self.high, self.required = low, high, required
        self.field_flags = {"min": low, "max": high, **({"required": True} if required else {})}

    def __call__(self, form, field: Field) -> None:
        field.errors[:] = []  # replaces WTForms' own parse message
        if _blank(field):
            if self.required:
                raise StopValidation(self.required)
            raise StopValidation()
        if field.process_errors or field.data is None or not self.low <= field.data <= self.high:
            raise StopValidation(f"请填写{self.low}到{self.high}之间的整数。")


class Code:
    """A stable public code: letters, digits, "-" and "_", unique among ``model`` rows."""

    def __init__(self, model) -> None:
        self.model = model

    def __call__(self, form, field: Field) -> None:
        if not CODE_PATTERN.match(field.data or ""):
            raise ValidationError("编码只能用英文字母、数字、“-”和“_”，并以字母或数字开头。")
        taken = db.session.scalar(select(self.model.id).where(self.model.code == field.data))
        if taken is not None:
            raise ValidationError(f"编码 {field.data} 已被使用，请换一个。")


def error_list(form: Form) -> Iterator[tuple[str, str, str]]:
    """(field id, label, message) for every error, nested rows included, in form order."""
    for field in form:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                for sub in entry.form:
                    for message in sub.errors:
                        yield sub.id, f"{field.label.text}第{number}行 {sub.label.text}", message
        else:
            for message in field.errors:
                if isinstance(message, str):
                    yield field.id, field.label.text, message
