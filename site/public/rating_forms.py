"""Forms of the public rating pages (好差评): every message Chinese, every field keeps what was typed.

The contact fields are validated exactly as on the complaint form; they are
used only for 回访 and never shown back on a public page after the rating.
"""

from __future__ import annotations

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from sunshine.contract.codes import RATING_LEVELS

from ..ratings.submission import MAX_COMMENT
from .form_base import IntakeForm, Phone, PhoneField

LEVEL_VALUES = [str(level) for level in RATING_LEVELS]


class RatingForm(IntakeForm):
    """Level, optional comment, optional private contact: the part every rating form shares."""

    level = RadioField(
        "满意程度",
        choices=[(str(level), text) for level, text in RATING_LEVELS.items()],
        validate_choice=False,
        validators=[InputRequired(message="请选择满意程度（五个等级选一个）。"),
                    AnyOf(LEVEL_VALUES, message="请从五个等级中选择一个。")],
    )
    comment = TextAreaField(
        "评价内容（选填）",
        validators=[Optional(), Length(max=MAX_COMMENT, message=f"评价内容不能超过{MAX_COMMENT}个字。")],
    )
    contact_name = StringField("您的姓名（仅用于回访，不公开）",
                               validators=[Optional(), Length(max=50, message="姓名不能超过50个字。")])
    contact_phone = PhoneField("联系电话（仅用于回访，不公开）", validators=[Optional(), Phone()])

    @property
    def level_value(self) -> int:
        return int(self.level.data)


class CaseRatingForm(RatingForm):
    """一事一评: the case is named by its number and its query code."""

    case_no = StringField(
        "办件编号",
        validators=[DataRequired(message="请填写办件编号。"), Length(max=40, message="办件编号格式不对。")],
    )
    query_code = StringField(
        "查询码",
        validators=[DataRequired(message="请填写查询码。"), Length(max=16, message="查询码格式不对。")],
    )
