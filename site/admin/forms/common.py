"""What every back-office form shares: Chinese messages, clean text, codes, row tables.

Every text field of a back-office form (``AdminForm`` and its ``RowForm`` rows) is
checked by the public forms' one text rule, ``text_input.clean_text``, before any
validator of its own: NFC-normalised, and refused with a Chinese message next to the
field when it holds a control character (a newline or tab only in a multi-line field),
a bidi override or a broken encoding, showing back what was typed without them. The
rule is bound by the forms' ``Meta``, so a new form gets it without asking.

Nested lists (materials, steps, fees) are tables of ``RowForm`` rows that work
without JavaScript: a blank row is ignored, a row ticked "删除" is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    Form,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import TextInput

from ...db import db
from ...text_input import BadText, clean_text

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
#: Blank rows offered under the filled ones of a row table.
BLANK_ROWS = 2


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CleanText:
    """The one text rule (``text_input.clean_text``) as the first validator of a text field.

    Stored text becomes NFC; text that cannot be stored stops the field's validation with
    the rule's message (after the field's label in the form's error list), and the field
    shows back what was typed without the offending characters.
    """

    def __init__(self, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, form, field: Field) -> None:
        if not isinstance(field.data, str):
            return
        try:
            field.data = clean_text(field.data, multiline=self.multiline)
        except BadText as bad:
            field.data = bad.cleaned
            raise StopValidation(bad.message) from None


def takes_typed_text(field: Field) -> bool:
    """Text a person types: every StringField but passwords (kept byte for byte) and the CSRF token."""
    return isinstance(field, StringField) and not isinstance(field, PasswordField | CSRFTokenField)


class ISODateInput(TextInput):
    """A date typed as 2026-03-01 everywhere: a browser's own date picker shows its locale's format
    (03/01/2026, 2026/3/1 …) beside hints written in ours, so dates are plain text with a pattern."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("placeholder", "2026-03-01")
        kwargs.setdefault("pattern", r"\d{4}-\d{2}-\d{2}")
        kwargs.setdefault("autocomplete", "off")
        return super().__call__(field, **kwargs)


class CleanTextMeta:
    """Form ``Meta`` mixin: every typed-text field gets ``CleanText`` before its own validators,
    and every date field is typed in the one format (``ISODateInput``).

    WTForms' own messages (a number it cannot read …) follow the user's language: Chinese from
    WTForms' catalog (``locales``), English as WTForms writes them.
    """

    def get_translations(self, form):
        locale = get_locale()
        if locale is not None and locale.language == "en":
            return None
        return DefaultMeta.get_translations(self, form)

    def bind_field(self, form, unbound_field, options) -> Field:
        field = super().bind_field(form, unbound_field, options)
        if takes_typed_text(field):
            field.validators = [CleanText(multiline=isinstance(field, TextAreaField)), *field.validators]
        if isinstance(field, DateField):
            field.widget = ISODateInput()
        return field


class AdminForm(FlaskForm):
    """A FlaskForm whose built-in WTForms messages are in the user's language and whose text is clean."""

    class Meta(CleanTextMeta):
        locales = ("zh",)


class RowForm(Form):
    """One row of a table (no CSRF of its own: the enclosing form has it)."""

    #: The free-text columns; a row with all of them empty is a blank row.
    TEXT_FIELDS: tuple[str, ...] = ()

    class Meta(CleanTextMeta):
        csrf = False
        locales = ("zh",)

    delete = BooleanField(_l("删除"))

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
    for _row in range(count - trailing):
        rows.append_entry()


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("不能超过%(limit)s个字。", limit=limit))


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
            raise StopValidation(_("请填写%(low)s到%(high)s之间的整数。", low=self.low, high=self.high))


class Code:
    """A stable public code: letters, digits, "-" and "_", unique among ``model`` rows."""

    def __init__(self, model) -> None:
        self.model = model

    def __call__(self, form, field: Field) -> None:
        if not CODE_PATTERN.match(field.data or ""):
            raise ValidationError(_("编码只能用英文字母、数字、“-”和“_”，并以字母或数字开头。"))
        taken = db.session.scalar(select(self.model.id).where(self.model.code == field.data))
        if taken is not None:
            raise ValidationError(_("编码 %(code)s 已被使用，请换一个。", code=field.data))


def error_list(form: Form) -> Iterator[tuple[str, str, str]]:
    """(field id, label, message) for every error, nested rows included, in form order.

    Labels and messages are made strings here, in the user's language (many are lazy ``_l`` texts).
    """
    for field in form:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                for sub in entry.form:
                    for message in sub.errors:
                        yield sub.id, _("%(table)s第%(number)s行 %(field)s", table=field.label.text, number=number,
                                          field=sub.label.text), str(message)
        else:
            for message in field.errors:
                if isinstance(message, str | LazyString):
                    yield field.id, str(field.label.text), str(message)
