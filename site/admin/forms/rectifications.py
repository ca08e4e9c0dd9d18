"""Forms of the rectification work order (整改): one per stage, the appeal, the decision, voiding.

Every stage form has one text field named ``text`` so the view handles them
alike; the labels say which texts are published (核实情况, 整改措施) and which
stay in the back office (回访记录, 反馈). No form here carries a rating's
level, comment or target: they cannot be changed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired

from .common import AdminForm, max_length, strip


def _text(label: str, message: str, limit: int = 3000) -> TextAreaField:
    return TextAreaField(label, filters=[strip], validators=[DataRequired(message=message), max_length(limit)])


class ContactForm(AdminForm):
    text = _text(_l("回访记录（不公开：评价人反映的情况）"), _l("请填写回访情况。"))


class FindingForm(AdminForm):
    text = _text(_l("核实情况（将在网站公开，请勿写入个人信息）"), _l("请填写核实情况。"))


class RectifyForm(AdminForm):
    text = _text(_l("整改措施（将在网站公开，请勿写入个人信息）"), _l("请填写整改措施。"))


class AnswerForm(AdminForm):
    text = _text(_l("给评价人的反馈（不公开）"), _l("请填写给评价人的反馈。"))


STAGE_FORMS = {"contact": ContactForm, "finding": FindingForm, "rectify": RectifyForm, "answer": AnswerForm}


class AppealForm(AdminForm):
    reason = _text(_l("申诉理由（误评、恶意评价的依据）"), _l("申诉须写明理由。"), 2000)


DECISIONS = {"upheld": _l("申诉成立：作废该评价，撤销工单"), "rejected": _l("申诉不成立：工单继续办理")}


class DecisionForm(AdminForm):
    decision = RadioField(
        _l("复核结论"), choices=list(DECISIONS.items()), validate_choice=False,
        validators=[InputRequired(message=_l("请选择复核结论。")),
                    AnyOf(list(DECISIONS), message=_l("请选择复核结论。"))])
    note = _text(_l("复核意见（记录在案）"), _l("复核须写明复核意见。"), 2000)


class VoidForm(AdminForm):
    reason = _text(_l("作废理由（记录在案）"), _l("作废评价须写明理由。"), 2000)
