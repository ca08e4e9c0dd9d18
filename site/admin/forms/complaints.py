"""Forms of the staff actions on a complaint (受理, 不予受理, 交办, 改派, 答复, 办结, 催办).

Each form has its own prefix (the action's name) so that every form of the page can be shown
again with what was typed. Two notes go into the handling history: ``public_note`` (the
complainant sees it when looking the complaint up) and ``note`` (the back office only); the
labels say which is which, next to the field.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Optional, StopValidation

from sunshine.contract.codes import COMPLAINT_DECLINE_REASONS, COMPLAINT_OUTCOMES

from ...complaints.lifecycle import OUTCOMES_NEEDING_REASONS
from .common import AdminForm, Required, max_length, strip

PUBLIC_NOTE_LABEL = _l("给投诉人的说明（投诉人查询时可见）")
NOTE_LABEL = _l("内部备注（仅后台可见）")
NOTE_MAX = 2000


class Chosen:
    """One of the offered choices, with one Chinese message for blank and unknown values alike."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        offered = {str(value) for value, _label in field.choices or () if value not in ("", None)}
        if str(field.data or "") not in offered:
            field.errors[:] = []
            raise StopValidation(self.message)


def _text(label: str, required: str | None, limit: int = NOTE_MAX) -> TextAreaField:
    first = Required(required) if required else Optional()
    return TextAreaField(label, filters=[strip], validators=[first, max_length(limit)])


def _public_note(label: str = PUBLIC_NOTE_LABEL, required: str | None = None) -> TextAreaField:
    return _text(label, required)


def _note(label: str = NOTE_LABEL, required: str | None = None) -> TextAreaField:
    return _text(label, required)


def _select(label: str, choices: list[tuple[str, str]], message: str) -> SelectField:
    return SelectField(label, choices=[("", _l("请选择")), *choices], validate_choice=False,
                       validators=[Chosen(message)])


class AcceptForm(AdminForm):
    public_note = _public_note()
    note = _note()


class DeclineForm(AdminForm):
    reason = _select(_l("不予受理的理由"), list(COMPLAINT_DECLINE_REASONS.items()), _l("请选择不予受理的理由。"))
    public_note = _public_note(required=_l("请写明给投诉人的说明（为什么不予受理，可向哪里反映）。"))
    note = _note()


class AssignForm(AdminForm):
    """交办: the department's choices are set by the view (a clerk's own department only)."""

    department = SelectField(_l("承办部门"), validate_choice=False, validators=[Chosen(_l("请选择承办部门。"))])
    note = _note(_l("交办说明（交给谁、办什么；仅后台可见）"), required=_l("交办时请写明交办说明。"))
    public_note = _public_note()


class ReassignForm(AdminForm):
    """改派 (the administrator): the choices are every other published department."""

    department = SelectField(_l("改派给"), validate_choice=False, validators=[Chosen(_l("请选择改派的部门。"))])
    note = _note(_l("改派原因（仅后台可见）"), required=_l("改派时请写明原因。"))
    public_note = _public_note()


class ReplyForm(AdminForm):
    reply = _text(_l("答复意见（投诉人查询时可见，办结后经同意可匿名公开）"), _l("答复时请填写答复意见。"), 5000)
    note = _note()


class CloseForm(AdminForm):
    outcome = _select(_l("办结结果"), list(COMPLAINT_OUTCOMES.items()), _l("请选择办结结果。"))
    #: Required only for some outcomes: no Optional(), which would skip the check below.
    public_note = TextAreaField(_l("办结理由和说明（投诉人查询时可见，经同意可匿名公开）"), filters=[strip],
                                validators=[max_length(NOTE_MAX)])
    note = _note()

    def validate_public_note(self, field) -> None:
        if self.outcome.data in OUTCOMES_NEEDING_REASONS and not field.data:
            raise StopValidation(_("办结结果为“%(outcome)s”时请写明理由。", outcome=COMPLAINT_OUTCOMES[self.outcome.data]))


class UrgeForm(AdminForm):
    note = _note(_l("催办意见（被催办部门在工作台看到；仅后台可见）"), required=_l("请填写催办意见。"))
    public_note = _public_note()


FORMS: dict[str, type[AdminForm]] = {
    "accept": AcceptForm, "decline": DeclineForm, "assign": AssignForm, "reassign": ReassignForm,
    "reply": ReplyForm, "close": CloseForm, "urge": UrgeForm,
}
