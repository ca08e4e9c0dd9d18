"""Complaint channels (投诉渠道): the center's own, edited by the administrator only."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..db import db
from ..models import Channel
from ..workflow import can_edit
from . import bp
from .editing import save_from_form, withdraw_record
from .forms.channels import ChannelForm
from .permissions import check_edit, roles_required

EDIT = "admin.channel_edit"


@bp.get("/channels")
@roles_required("admin", "supervisor")
def channels():
    rows = db.session.scalars(select(Channel).order_by(Channel.code)).all()
    return render_template("admin/channels/list.html", channels=rows,
                           can_create=current_user.role == "admin")


def _renderer(channel: Channel, editable: bool):
    def render(form: ChannelForm, workflow_error: str | None = None) -> str:
        return render_template("admin/channels/edit.html", form=form, channel=channel,
                               readonly=not editable, workflow_error=workflow_error)

    return render


@bp.route("/channels/new", methods=["GET", "POST"])
@roles_required("admin")
def channel_new():
    channel = Channel()
    form = ChannelForm()
    render = _renderer(channel, editable=True)
    if request.method == "GET":
        return render(form)

    def apply() -> None:
        channel.code = form.code.data
        form.apply_to(channel)

    return save_from_form(channel, form, render, edit_endpoint=EDIT, apply=apply)


@bp.route("/channels/<int:id>/edit", methods=["GET", "POST"])
@roles_required("admin", "supervisor")
def channel_edit(id: int):
    channel = db.get_or_404(Channel, id)
    if request.method == "GET":
        form = ChannelForm(obj=channel)
    else:
        check_edit(channel)
        form = ChannelForm()
    del form.code
    render = _renderer(channel, can_edit(current_user, channel))
    if request.method == "GET":
        return render(form)
    return save_from_form(channel, form, render, edit_endpoint=EDIT)


@bp.post("/channels/<int:id>/withdraw")
def channel_withdraw(id: int):
    channel = db.get_or_404(Channel, id)
    check_edit(channel)
    return withdraw_record(channel, edit_endpoint=EDIT)
