"""What every form of the public intake shares: Chinese messages, clean text, normalised phones.

``IntakeForm`` runs ``text_input.clean_text`` over every text field as the
request is read (NFC, trimmed; NUL, control and bidi characters or a wrong
encoding refused with a Chinese message next to the field, the rest of what was
typed kept), and ``contacts.normalise_phone`` over every ``PhoneField``. The
built-in WTForms messages are Chinese, and a select whose value is not one of
its options says so in Chinese. A form of the intake must never let a value it
has refused reach the database.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.meta import DefaultMeta
from wtforms.validators import ValidationError

from ..contacts import PHONE_MESSAGE, normalise_phone, valid_phone
from ..text_input import BadText, clean_text


def short_label(field: Field) -> str:
    """The field's label without its parenthesised note: "联系电话（仅用于回访，不公开）" → "联系电话"."""
    return field.label.text.split("（", 1)[0].strip()


class PhoneField(StringField):
    """A phone number, normalised ("+86 139 8123 4567" → "13981234567") when the form reads it."""


class ChoiceField(SelectField):
    """A select whose tampered value gets a clear Chinese message."""

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as refused:
            raise ValidationError(f"请从列表中选择{short_label(self)}。") from refused


class Phone:
    """The one phone rule of ``contacts.valid_phone``, on the normalised number."""

    def __call__(self, form, field: Field) -> None:
        if not valid_phone(field.data or ""):
            raise ValidationError(PHONE_MESSAGE)


class IntakeForm(FlaskForm):
    """A FlaskForm of the public intake: Chinese messages, every text field cleaned as it is read."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        for field in self:
            if isinstance(field, StringField) and isinstance(field.data, str):
                _clean(field)


def _clean(field: StringField) -> None:
    try:
        field.data = clean_text(field.data, multiline=isinstance(field, TextAreaField))
    except BadText as bad:
        field.data = bad.cleaned  # shown back without the characters that were refused
        field.process_errors.append(f"{short_label(field)}{bad.message}")
        return
    if isinstance(field, PhoneField):
        field.data = normalise_phone(field.data)


def prefill(value: str | None, limit: int) -> str:
    """A value from the address (``?no=…``) to show in a field: cleaned, cut to ``limit`` characters."""
    try:
        text = clean_text(value)
    except BadText as bad:
        text = bad.cleaned
    return text[:limit]
