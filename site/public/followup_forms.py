"""The complainant's forms after closing: reopen (申请重新办理) and satisfaction (确认办结并评价).

Both are shown on the lookup page and carry the tracking number and query code in hidden fields;
the views check that pair again on every post, exactly like a lookup, before doing anything.
"""

from __future__ import annotations

from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from .form_base import IntakeForm
from .rating_forms import RatingForm

MAX_REASON = 1000
SOLVED_CHOICES = [("yes", "是，问题已解决"), ("no", "否，问题没有解决")]


class _Identified(IntakeForm):
    tracking_no = HiddenField("投诉编号", validators=[DataRequired(message="请填写投诉编号。"),
                                          Length(max=32, message="投诉编号格式不对。")])
    query_code = HiddenField("查询码", validators=[DataRequired(message="请填写查询码。"),
                                         Length(max=16, message="查询码格式不对。")])


class ReopenForm(_Identified):
    reason = TextAreaField(
        "申请重新办理的理由",
        validators=[DataRequired(message="请写明申请重新办理的理由。"),
                    Length(max=MAX_REASON, message=f"理由不能超过{MAX_REASON}个字。")],
    )


class SatisfactionForm(_Identified, RatingForm):
    """问题是否解决 + the five levels and a comment of every rating; the complaint's contact is reused."""

    contact_name = None  # the complaint already holds the complainant's contact
    contact_phone = None
    solved = RadioField(
        "您反映的问题是否已经解决？",
        choices=SOLVED_CHOICES, validate_choice=False,
        validators=[InputRequired(message="请选择问题是否已经解决。"),
                    AnyOf([value for value, _ in SOLVED_CHOICES], message="请选择问题是否已经解决。")],
    )

    @property
    def solved_value(self) -> bool:
        return self.solved.data == "yes"
