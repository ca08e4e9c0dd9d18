"""Complaint channels (投诉渠道): the center's own, edited by the administrator only.

The editing itself is ``records``; a channel belongs to no department, so only centre roles
(``policy``) see and change them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..models import Channel
from .forms.channels import ChannelForm
from .records import RecordType, register


def _apply(form: ChannelForm, channel: Channel, creating: bool) -> None:
    if creating:
        channel.code = form.code.data
    form.apply_to(channel)


CHANNELS = register(RecordType(
    model=Channel, name="channel", plural="channels", label=_l("投诉渠道"), form=ChannelForm, templates="admin/channels",
    public_path=lambda channel: "/channels/", title=lambda channel: channel.name,
    title_column=Channel.name, list_query=lambda: select(Channel).order_by(Channel.code), apply=_apply, office_creates=False,
))
