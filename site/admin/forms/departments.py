"""The department form (部门 / 窗口单位 with 首席代表 and AB角)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from ...models import Department
from .common import AdminForm, Code, max_length, strip

SCALARS = (
    "name", "short_name", "window", "address", "hours", "consult_phone", "complaint_phone",
    "chief_name", "chief_post", "chief_phone", "backup_name", "backup_post", "backup_phone", "duties",
)


def _text(label: str, limit: int) -> StringField:
    return StringField(label, filters=[strip], validators=[max_length(limit)])


class DepartmentForm(AdminForm):
    code = StringField(_l("部门编码"), filters=[strip], validators=[
        DataRequired(message=_l("请填写部门编码。")), max_length(64), Code(Department)])
    name = StringField(_l("部门名称"), filters=[strip], validators=[
        DataRequired(message=_l("请填写部门名称。")), max_length(200)])
    short_name = _text(_l("简称"), 100)
    window = _text(_l("窗口号"), 100)
    address = _text(_l("办公地址"), 300)
    hours = _text(_l("办公时间"), 300)
    consult_phone = _text(_l("咨询电话"), 100)
    complaint_phone = _text(_l("投诉电话"), 100)
    chief_name = _text(_l("首席代表姓名"), 100)
    chief_post = _text(_l("首席代表职务"), 100)
    chief_phone = _text(_l("首席代表电话"), 100)
    backup_name = _text(_l("AB角（后备）姓名"), 100)
    backup_post = _text(_l("AB角（后备）职务"), 100)
    backup_phone = _text(_l("AB角（后备）电话"), 100)
    duties = TextAreaField(_l("窗口职责"), filters=[strip])

    def apply_to(self, department: Department) -> None:
        for name in SCALARS:
            setattr(department, name, self[name].data)
