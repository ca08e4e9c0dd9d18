"""After a complaint is looked up: its progress page, and the complainant's reopen and satisfaction.

The progress page shows every stage's deadline with how it was counted and its e-supervision
state, the history as the complainant may see it (step, who — 工作人员 or 投诉人 — and the note
meant for them; never an internal note or a clerk's name), the answer and the outcome. Once the
complaint is closed it offers, while allowed, to reopen it once within the window
(``lifecycle.may_reopen``) and to confirm the closing with a satisfaction rating, which opens a
rectification work order when bad (``ratings.submission.rate_complaint``). Both posts carry the
number and code in hidden fields and are checked again like a lookup; a refusal says why.
"""

from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from sunshine.contract.urls import INTAKE

from .. import clock
from ..complaints import lookup, progress
from ..complaints.lifecycle import ActionRefused, Rules, apply_action, may_reopen, reopen_until
from ..db import db
from ..models import Complaint, Rating
from ..ratings.submission import RatingRefused, rate_complaint
from ..ratings.work_orders import DEFAULT_DAYS
from . import bp
from .errors import reshows
from .followup_forms import ReopenForm, SatisfactionForm
from .forms import LookupForm
from .limits import filing_limit

NOT_FOUND = "投诉编号或查询码不正确，请核对后再试。"
#: ComplaintEvent.actor → how the complainant is told who took a step.
ACTORS = {"staff": "工作人员", "citizen": "投诉人", "system": "系统"}
REOPENED = "您的重新办理申请已提交，部门将重新办理并在新的期限内答复。"
CONFIRMED = "感谢您的评价。您已确认办结，本投诉办理完毕。"


def _path(key: str) -> str:
    return INTAKE[key].removeprefix(bp.url_prefix or "")


def _rating_of(complaint: Complaint) -> Rating | None:
    if complaint.status != "closed":
        return None
    return db.session.scalars(select(Rating).where(Rating.complaint_id == complaint.id)).first()


def _decline_note(complaint: Complaint) -> str:
    notes = [e.public_note for e in complaint.events if e.action == "不予受理" and e.public_note]
    return notes[-1] if notes else ""


def result_page(complaint: Complaint, query_code: str, *, reopen_form: ReopenForm | None = None,
                satisfaction_form: SatisfactionForm | None = None, done: str = "", refused: str = "",
                notice: dict[str, str] | None = None, status: int = 200):
    """The progress page of a complaint whose number and code were just checked."""
    today = clock.today()
    rules = Rules.from_app()
    rating = _rating_of(complaint)
    may_confirm = complaint.status == "closed" and complaint.confirmed_at is None and rating is None
    identity = {"tracking_no": complaint.tracking_no, "query_code": query_code}
    if may_reopen(complaint, today, rules):
        reopen_form = reopen_form or ReopenForm(formdata=None, data=identity)
    else:
        reopen_form = None
    if may_confirm:
        satisfaction_form = satisfaction_form or SatisfactionForm(formdata=None, data=identity)
    else:
        satisfaction_form = None
    page = render_template(
        "public/lookup_result.html", complaint=complaint, stages=progress.complaint_stages(complaint, today, rules),
        history=[(e, ACTORS.get(e.actor, "工作人员")) for e in complaint.events],
        decline_note=_decline_note(complaint), rating=rating, reopen_form=reopen_form,
        satisfaction_form=satisfaction_form, done=done, refused=refused, cn_date=progress.cn_date,
        reopen_last=reopen_until(complaint, rules), notice=notice)
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"  # the page carries the query code in its forms
    return response


def _not_found(form):
    """The lookup form, with what is wrong with the number or code: 400 for a malformed one (its
    field's message), else 404 with the one message of a failed lookup."""
    lookup_form = LookupForm(formdata=None, data={"tracking_no": form.tracking_no.data or ""})
    malformed = bool(form.tracking_no.errors or form.query_code.errors)
    lookup_form.tracking_no.errors = list(form.tracking_no.errors)
    lookup_form.query_code.errors = list(form.query_code.errors) if malformed else [NOT_FOUND]
    return render_template("public/lookup.html", form=lookup_form), 400 if malformed else 404


def _identified(form) -> Complaint | None:
    """The complaint behind the hidden number and code, checked like a lookup (None: not found)."""
    if form.tracking_no.errors or form.query_code.errors or not form.tracking_no.data or not form.query_code.data:
        return None
    return lookup(form.tracking_no.data, form.query_code.data)


def reopen_refusal(complaint: Complaint) -> str:
    """Why the complainant may not reopen now, or ""."""
    today = clock.today()
    if complaint.confirmed_at is not None:
        return "您已确认办结，不能再申请重新办理。"
    if complaint.reopen_count >= 1:
        return "每件投诉只能申请重新办理一次，您已申请过。"
    if complaint.status != "closed":
        return f"该投诉当前为“{complaint.status_label}”，办结后才能申请重新办理。"
    if not may_reopen(complaint, today):
        last = reopen_until(complaint)
        until = f"（{progress.cn_date(last)}前）" if last else ""
        return f"已超过可申请重新办理的期限{until}，不能再申请。"
    return ""


def confirm_refusal(complaint: Complaint) -> str:
    """Why the complainant may not confirm and rate now, or ""."""
    if complaint.status != "closed":
        return f"该投诉当前为“{complaint.status_label}”，办结后才能确认和评价。"
    if complaint.confirmed_at is not None or _rating_of(complaint) is not None:
        return "您已确认办结并提交了评价，不能重复提交。"
    return ""


def _identified_for_update(form) -> Complaint | None:
    """``_identified``, with the row locked until the commit (two posts at once act once)."""
    complaint = _identified(form)
    if complaint is not None:
        db.session.refresh(complaint, with_for_update=True)
    return complaint


@bp.route(_path("complaint_reopen"), methods=["GET", "POST"])
@filing_limit
def complaint_reopen():
    if request.method != "POST":  # a bookmark or a reload of the page: the number and code are asked again
        return redirect(url_for("public.lookup_view"))
    form = ReopenForm()
    valid = form.validate_on_submit()
    complaint = _identified_for_update(form)
    if complaint is None:
        return _not_found(form)
    code = form.query_code.data
    refusal = reopen_refusal(complaint)
    if refusal:
        db.session.rollback()
        return result_page(complaint, code, refused=refusal, status=409)
    if not valid:
        db.session.rollback()
        return result_page(complaint, code, reopen_form=form, status=400)
    try:
        apply_action(complaint, "reopen", user_id=None, public_note=form.reason.data)
    except ActionRefused as refused:
        db.session.rollback()
        return result_page(complaint, code, refused=str(refused), status=409)
    db.session.commit()
    return result_page(complaint, code, done=REOPENED)


@bp.route(_path("complaint_confirm"), methods=["GET", "POST"])
@filing_limit
def complaint_confirm():
    if request.method != "POST":
        return redirect(url_for("public.lookup_view"))
    form = SatisfactionForm()
    valid = form.validate_on_submit()
    complaint = _identified_for_update(form)
    if complaint is None:
        return _not_found(form)
    code = form.query_code.data
    refusal = confirm_refusal(complaint)
    if refusal:
        db.session.rollback()
        return result_page(complaint, code, refused=refusal, status=409)
    if not valid:
        db.session.rollback()
        return result_page(complaint, code, satisfaction_form=form, status=400)

    def confirm() -> None:
        apply_action(complaint, "confirm", user_id=None,
                     public_note="问题已解决" if form.solved_value else "问题未解决")
        complaint.solved = form.solved_value

    days = {**DEFAULT_DAYS, **(current_app.config.get("SUNSHINE_RECTIFICATION_DAYS") or {})}
    try:
        rate_complaint(complaint, level=form.level_value, comment=form.comment.data or "", days=days,
                       prepare=confirm)
    except (RatingRefused, ActionRefused) as refused:
        db.session.rollback()
        return result_page(complaint, code, refused=str(refused), status=409)
    return result_page(complaint, code, done=CONFIRMED)


def _again(form_class, key: str):
    def again(formdata, notice: dict[str, str]):
        form = form_class(formdata=formdata)
        complaint = _identified(form)
        if complaint is None:
            return None
        return result_page(complaint, form.query_code.data, notice=notice, **{key: form})
    return again


reshows("public.complaint_reopen")(_again(ReopenForm, "reopen_form"))
reshows("public.complaint_confirm")(_again(SatisfactionForm, "satisfaction_form"))
