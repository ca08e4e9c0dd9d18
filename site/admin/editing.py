"""The save-draft / publish / withdraw steps every disclosure record goes through.

Views build the form and check permissions; this module turns a valid form
into a saved draft or a new public revision, keeps the search index in step
and rebuilds the public site after anything public changed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from sqlalchemy.exc import IntegrityError

from sunshine.contract.schema import WITHDRAWN_REASON_MAX_LENGTH

from .. import workflow
from ..db import db
from ..search_docs import index_record
from ..text_input import BadText, clean_text
from ..workflow import Record, WorkflowError
from . import bp
from .site_build import rebuild_site

#: Renders the edit page: (form, workflow_error) -> HTML.
Render = Callable[..., str]


def save_from_form(record: Record, form, render: Render, *, edit_endpoint: str,
                   apply: Callable[[], None] | None = None):
    """Handle a valid or invalid POST of an edit form; returns the response.

    ``apply`` copies the form onto the record (default ``form.apply_to(record)``).
    Button ``action=publish`` publishes; anything else saves a draft.
    """
    if not form.validate_on_submit():
        return render(form), 400
    publishing = request.form.get("action") == "publish"
    creating = record.id is None
    (apply or (lambda: form.apply_to(record)))()
    db.session.add(record)
    workflow.mark_edited(record)
    if publishing:
        try:
            workflow.publish(record)
        except WorkflowError as exc:
            _discard(record, creating)  # nothing saved, nothing published; the form keeps it all
            return render(form, workflow_error=str(exc)), 400
    try:
        db.session.commit()
    except IntegrityError:  # a code taken meanwhile by someone else
        _discard(record, creating)
        return render(form, workflow_error="保存失败：编码已被使用，请换一个编码后重试。"), 400
    index_record(record)
    if publishing:
        rebuild_site(f"已发布第{record.revision}版", failed_prefix="内容已发布，但")
    else:
        flash("已保存草稿，公开网站暂不变化", "success")
    return redirect(url_for(edit_endpoint, id=record.id))


def _discard(record: Record, creating: bool) -> None:
    db.session.rollback()
    if creating:
        record.id = None  # a flush gave it an id; the row never was


@bp.context_processor
def withdraw_form_limits() -> dict:
    """The withdraw form's ``maxlength`` is the contract's, never a number of its own."""
    return {"reason_max": WITHDRAWN_REASON_MAX_LENGTH}


def withdraw_record(record: Record, *, edit_endpoint: str):
    """Take a published record off the public site and rebuild it.

    The optional 撤回原因 (``reason``, one line) is published on a withdrawn item's page, so it
    goes through the same text rule as every public form and the contract's length limit.
    """
    try:
        reason = clean_text(request.form.get("reason", ""))
    except BadText as exc:
        flash(f"撤回原因{exc.message}", "error")
        return redirect(url_for(edit_endpoint, id=record.id))
    try:
        workflow.withdraw(record, reason)
    except WorkflowError as exc:
        flash(str(exc), "error")
        return redirect(url_for(edit_endpoint, id=record.id))
    db.session.commit()
    index_record(record)
    rebuild_site("已撤回", failed_prefix="内容已撤回，但")
    return redirect(url_for(edit_endpoint, id=record.id))
