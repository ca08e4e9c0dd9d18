"""Forms of an online question (网上咨询): 答复, 不予答复 and 转办, each with its own prefix."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField

from sunshine.contract.codes import QUESTION_DECLINE_REASONS

from .common import AdminForm, Required, max_length, strip
from .complaints import Chosen


class AnswerForm(AdminForm):
    answer = TextAreaField(_l("答复内容（提问人查询时可见；经同意可匿名公开）"), filters=[strip],
                           validators=[Required(_l("请填写答复内容。")), max_length(5000)])
    #: Offered (and honoured) only when the asker agreed to publication.
    public = BooleanField(_l("公开此问答（匿名后在网站“网上咨询”中公开，供其他群众查阅）"), default=True)


class DeclineForm(AdminForm):
    reason = SelectField(_l("不予答复的理由"), choices=[("", _l("请选择")), *QUESTION_DECLINE_REASONS.items()],
                         validate_choice=False, validators=[Chosen(_l("请选择不予答复的理由。"))])
    note = TextAreaField(_l("给提问人的说明（提问人查询时可见）"), filters=[strip],
                         validators=[Required(_l("请写明给提问人的说明（为什么不予答复，可向哪里咨询）。")),
                                     max_length(2000)])


class ReassignForm(AdminForm):
    """转办 (the administrator): the choices are every other published department, set by the view."""

    department = SelectField(_l("转办给"), validate_choice=False, validators=[Chosen(_l("请选择转办的部门。"))])


FORMS: dict[str, type[AdminForm]] = {"answer": AnswerForm, "decline": DeclineForm, "reassign": ReassignForm}
