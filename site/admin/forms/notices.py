"""The notice form (通知公告)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ...models import NOTICE_CATEGORIES, Notice
from .common import AdminForm, Code, Required, max_length, strip

#: Value of the department select meaning "the center itself".
CENTER = "_center"


class NoticeForm(AdminForm):
    code = StringField(_l("公告编码"), filters=[strip], validators=[
        DataRequired(message=_l("请填写公告编码。")), max_length(64), Code(Notice)])
    title = StringField(_l("标题"), filters=[strip], validators=[
        DataRequired(message=_l("请填写标题。")), max_length(300)])
    category = SelectField(_l("栏目"), choices=[(c, c) for c in NOTICE_CATEGORIES], default=NOTICE_CATEGORIES[0])
    department = SelectField(_l("发布单位"), validators=[DataRequired(message=_l("请选择发布单位。"))])
    date = DateField(_l("发布日期"), validators=[Required(_l("请填写发布日期，如 2026-03-01。"))])
    body = TextAreaField(_l("正文"), filters=[strip])

    def apply_to(self, notice: Notice) -> None:
        notice.title = self.title.data
        notice.category = self.category.data
        notice.date = self.date.data
        notice.body = self.body.data
