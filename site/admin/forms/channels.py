"""The complaint channel form (投诉渠道)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ...models import CHANNEL_KINDS, Channel
from .common import AdminForm, Code, WholeNumber, max_length, strip


class ChannelForm(AdminForm):
    code = StringField(_l("渠道编码"), filters=[strip], validators=[
        DataRequired(message=_l("请填写渠道编码。")), max_length(64), Code(Channel)])
    kind = SelectField(_l("渠道类型"), choices=list(CHANNEL_KINDS.items()), default="hotline")
    name = StringField(_l("名称"), filters=[strip], validators=[
        DataRequired(message=_l("请填写名称。")), max_length(200)])
    contact = StringField(_l("联系方式"), filters=[strip], validators=[max_length(300)])
    hours = StringField(_l("受理时间"), filters=[strip], validators=[max_length(300)])
    office = StringField(_l("承办机构"), filters=[strip], validators=[max_length(200)])
    response_days = IntegerField(_l("承诺答复时限（工作日）"), default=13, validators=[
        WholeNumber(1, 365, required=_l("请填写承诺答复时限（工作日）。"))])
    notes = TextAreaField(_l("说明"), filters=[strip])

    def apply_to(self, channel: Channel) -> None:
        for name in ("kind", "name", "contact", "hours", "office", "response_days", "notes"):
            setattr(channel, name, self[name].data)
