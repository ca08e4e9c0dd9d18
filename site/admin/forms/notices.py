"""The notice form (通知公告)."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ...models import NOTICE_CATEGORIES, Notice
from .common import AdminForm, Code, Required, max_length, strip

#: Value of the department select meaning "the center itself".
CENTER = "_center"


class NoticeForm(AdminForm):
    code = StringField("公告编码", filters=[strip], validators=[
        DataRequired(message="请填写公告编码。"), max_length(64), Code(Notice)])
    title = StringField("标题", filters=[strip], validators=[
        DataRequired(message="请填写标题。"), max_length(300)])
    category = SelectField("栏目", choices=[(c, c) for c in NOTICE_CATEGORIES], default=NOTICE_CATEGORIES[0])
    department = SelectField("发布单位", validators=[DataRequired(message="请选择发布单位。")])
    date = DateField("发布日期", validators=[Required("请填写发布日期，如 2026-03-01。")])
    body = TextAreaField("正文", filters=[strip])

    def apply_to(self, notice: Notice) -> None:
        notice.title = self.title.data
        notice.category = self.category.data
        notice.date = self.date.data
        notice.body = self.body.data
