"""Forms of the public intake; every message is Chinese, every field keeps what was typed."""

from __future__ import annotations

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..models import COMPLAINT_CATEGORIES
from .form_base import ChoiceField, IntakeForm, Phone, PhoneField


class ComplaintForm(IntakeForm):
    department = ChoiceField("被投诉部门", validators=[DataRequired(message="请选择被投诉的部门。")])
    item = ChoiceField("涉及事项（可不选）", validators=[Optional()])
    category = ChoiceField(
        "投诉类别",
        choices=[("", "请选择")] + [(c, c) for c in COMPLAINT_CATEGORIES],
        validators=[DataRequired(message="请选择投诉类别。")],
    )
    subject = StringField(
        "投诉标题",
        validators=[DataRequired(message="请填写投诉标题。"), Length(max=100, message="标题不能超过100个字。")],
    )
    content = TextAreaField(
        "投诉内容",
        validators=[
            DataRequired(message="请填写投诉内容。"),
            Length(min=10, max=3000, message="投诉内容请写10至3000个字，说清时间、地点和经过。"),
        ],
    )
    contact_name = StringField("您的姓名（仅用于回访，不公开）", validators=[Optional(), Length(max=50, message="姓名不能超过50个字。")])
    contact_phone = PhoneField("联系电话（仅用于回访，不公开）", validators=[Optional(), Phone()])
    #: One random key per rendering of the form: a refreshed or double-clicked post files once.
    submission = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{16,64}$", message="页面已失效，请刷新后重新提交。")])
    #: A honeypot: hidden from people (CSS, aria-hidden, no tab stop); only a robot fills it in.
    website = StringField("网址（请勿填写）", validators=[Optional()])


class LookupForm(IntakeForm):
    tracking_no = StringField(
        "投诉编号",
        validators=[DataRequired(message="请填写投诉编号。"), Length(max=32, message="投诉编号格式不对。")],
    )
    query_code = StringField(
        "查询码",
        validators=[DataRequired(message="请填写查询码。"), Length(max=16, message="查询码格式不对。")],
    )
