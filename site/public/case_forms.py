"""The case lookup form (办件查询) of the public intake; Chinese messages, keeps what was typed."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .form_base import IntakeForm


class CaseLookupForm(IntakeForm):
    case_no = StringField(
        "办件编号",
        validators=[DataRequired(message="请填写办件编号。"), Length(max=40, message="办件编号格式不对。")],
    )
    query_code = StringField(
        "查询码",
        validators=[DataRequired(message="请填写查询码。"), Length(max=16, message="查询码格式不对。")],
    )
