"""Forms of 网上咨询 on the intake: asking, and looking a question up by number and code."""

from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .form_base import ChoiceField, IntakeForm
from .forms import NotifiedForm

MAX_QUESTION = 2000


class QuestionForm(NotifiedForm):
    department = ChoiceField("咨询部门", validators=[DataRequired(message="请选择要咨询的部门。")])
    item = ChoiceField("涉及事项（可不选）")
    subject = StringField(
        "咨询标题",
        validators=[DataRequired(message="请填写咨询标题。"), Length(max=100, message="标题不能超过100个字。")],
    )
    content = TextAreaField(
        "咨询内容",
        validators=[DataRequired(message="请填写咨询内容。"),
                    Length(min=5, max=MAX_QUESTION, message=f"咨询内容请写5至{MAX_QUESTION}个字。")],
    )
    publish_consent = BooleanField(
        "同意答复后在网站上匿名公开我的咨询和答复，供其他群众参考（姓名、电话等个人信息不会公开）")


class QuestionLookupForm(IntakeForm):
    question_no = StringField(
        "咨询编号",
        validators=[DataRequired(message="请填写咨询编号。"), Length(max=32, message="咨询编号格式不对。")],
    )
    query_code = StringField(
        "查询码",
        validators=[DataRequired(message="请填写查询码。"), Length(max=16, message="查询码格式不对。")],
    )
