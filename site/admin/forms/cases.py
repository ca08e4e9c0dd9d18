"""Forms of the case pages: 登记办件 (with its fee table) and the status change (办理环节).

The applicant's name, phone and ID number are private; the form checks their
shape only. Notes of a status change are public (the applicant's lookup shows
them), which the templates say next to the field. The domain rules themselves
(allowed transitions, reasons, dates) are ``sunshine.site.cases.lifecycle``'s.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, StopValidation, ValidationError

from sunshine.contract.codes import CASE_STATUSES

from ... import clock
from ...cases.lifecycle import CASE_NO_MAX_LENGTH, INITIAL_STATUSES, MAX_EXTENSION_DAYS, FeeLine
from ...contacts import ID_MESSAGE, PHONE_MESSAGE, normalise_phone, valid_id_no, valid_phone
from .common import AdminForm, RowForm, WholeNumber, kept_rows, max_length, strip

CASE_NO_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
AMOUNT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
#: Blank fee rows offered on the registration form.
FEE_ROWS = 3


def upper_strip(value):
    return value.strip().upper() if isinstance(value, str) else value


def compact(value):
    """Drop spaces and the thousands commas a clerk may type into an amount."""
    return re.sub(r"[\s,，]", "", value) if isinstance(value, str) else value


def yuan_to_fen(text: str) -> int:
    """"1234.5" → 123450 (exact: money is never a float)."""
    return int(Decimal(text) * 100)


class PastDate:
    """A date (2026-09-28) not after today; one clear message for any bad input."""

    field_flags = {"required": True}

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, form, field: Field) -> None:
        field.errors[:] = []
        raw = (field.raw_data[0] if field.raw_data else "") or ""
        if not str(raw).strip() and field.data is None:
            raise StopValidation(_("请填写%(label)s。", label=self.label))
        if field.data is None:
            raise StopValidation(_("%(label)s请按“2026-09-28”的格式填写。", label=self.label))
        if field.data > clock.today():
            raise StopValidation(_("%(label)s不能晚于今天（%(today)s）。", label=self.label,
                                   today=clock.today().isoformat()))


class FeeLineRow(RowForm):
    TEXT_FIELDS = ("name", "amount")

    name = StringField(_l("收费项目"), filters=[strip],
                       validators=[DataRequired(message=_l("请填写收费项目名称。")), max_length(200)])
    amount = StringField(_l("金额（元）"), filters=[compact],
                         validators=[DataRequired(message=_l("请填写金额。"))])

    def validate_amount(self, field: Field) -> None:
        try:
            ok = bool(AMOUNT.match(field.data or "")) and Decimal(field.data) >= 0
        except InvalidOperation:
            ok = False
        if not ok:
            raise ValidationError(_("金额请填写以“元”为单位的数字，最多两位小数，如 1234.50。"))


class CaseForm(AdminForm):
    """登记办件: a case entered at the window."""

    item = SelectField(_l("办理事项"), validators=[DataRequired(message=_l("请选择办理事项。"))])
    case_no = StringField(_l("办件编号"), filters=[upper_strip], validators=[
        DataRequired(message=_l("请填写办件编号。")), max_length(CASE_NO_MAX_LENGTH)])
    received_on = DateField(_l("收件日期"), validators=[PastDate(_l("收件日期"))])
    status = SelectField(_l("登记状态"), choices=[(s, CASE_STATUSES[s]) for s in INITIAL_STATUSES],
                         default="accepted")
    note = TextAreaField(_l("环节说明（公开，可不填）"), filters=[strip], validators=[Optional(), max_length(2000)])
    applicant_name = StringField(_l("申请人姓名或单位名称"), filters=[strip], validators=[
        DataRequired(message=_l("请填写申请人姓名或单位名称。")), max_length(100)])
    applicant_phone = StringField(_l("联系电话"), filters=[strip, normalise_phone], validators=[
        DataRequired(message=_l("请填写申请人的联系电话。")), max_length(50)])
    applicant_id_no = StringField(_l("证件号码：身份证号或统一社会信用代码（可不填）"), filters=[upper_strip], validators=[Optional()])
    on_the_spot = BooleanField(_l("现场办结（受理当日当场办结）"))
    fees = FieldList(FormField(FeeLineRow), label=_l("收费明细"))

    def validate_case_no(self, field: Field) -> None:
        if not CASE_NO_PATTERN.match(field.data or ""):
            raise ValidationError(_("办件编号只能用英文字母、数字、“-”和“_”，如 QC2026-ZJJ-000123。"))

    def validate_applicant_phone(self, field: Field) -> None:
        if not valid_phone(field.data or ""):
            raise ValidationError(PHONE_MESSAGE)

    def validate_applicant_id_no(self, field: Field) -> None:
        if field.data and not valid_id_no(field.data):
            raise ValidationError(ID_MESSAGE)

    def validate_on_the_spot(self, field: Field) -> None:
        if field.data and self.status.data != "accepted":
            raise ValidationError(_("现场办结的办件须当场受理，登记状态请选“受理”。"))

    def fee_lines(self) -> list[FeeLine]:
        return [FeeLine(r.name.data, yuan_to_fen(r.amount.data)) for r in kept_rows(self.fees)]


class StatusForm(AdminForm):
    """办理环节: move a case on (受理, 办理中, 延期, 办结, 不予受理)."""

    status = SelectField(_l("办理环节"), validators=[DataRequired(message=_l("请选择办理环节。"))])
    on = DateField(_l("日期"), default=clock.today, validators=[PastDate(_l("日期"))])
    note = TextAreaField(_l("说明（公开，申请人查询时可以看到；延期、不予受理须写明理由）"), filters=[strip],
                         validators=[Optional(), max_length(2000)])
    extension_days = IntegerField(_l("延长工作日数（仅延期时填写）"),
                                  validators=[WholeNumber(1, MAX_EXTENSION_DAYS)])

    def __init__(self, *args, next_statuses: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("请选择"))] + [(s, CASE_STATUSES[s]) for s in next_statuses]
