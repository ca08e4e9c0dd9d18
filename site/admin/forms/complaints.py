"""Forms of the complaint actions (受理, 交办, 答复, 办结, 催办); each has its own prefix.

Notes go into the handling history, which the complainant sees when looking the
complaint up: the templates say so next to every note field.
"""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Optional

from .common import AdminForm, max_length, strip


class NoteForm(AdminForm):
    """受理, 办结, 催办: an optional note."""

    note = TextAreaField("备注（可不填）", filters=[strip], validators=[Optional(), max_length(2000)])


class AssignForm(AdminForm):
    note = TextAreaField("交办说明（交给谁、办什么）", filters=[strip], validators=[
        DataRequired(message="交办时请写明交办说明。"), max_length(2000)])


class ReplyForm(AdminForm):
    reply = TextAreaField("答复意见", filters=[strip], validators=[
        DataRequired(message="答复时请填写答复意见。"), max_length(5000)])
