"""效能投诉 on the intake: the form (with the deadlines to expect), the receipt, the lookup.

The POST of the form is the intake's hot path (SCALE-NOTES: hundreds of filings a second): it
reads the two records it names (``pick.offer_chosen``), stores the complaint in one transaction,
and renders the receipt from what it has just written, the cached site facts and pure deadline
arithmetic, with no further query; the notification is queued after the commit.
"""

from __future__ import annotations

import secrets

from flask import render_template, request, url_for

from .. import clock
from ..complaints import file_complaint, lookup, progress
from ..notify import notify
from . import bp
from .complaint_followup import NOT_FOUND, result_page
from .errors import reshows
from .form_base import prefill
from .forms import HONEYPOT_MESSAGE, ComplaintForm, LookupForm
from .limits import filing_limit, lookup_limit
from .pick import ITEM_OUTSIDE, item_outside, offer_all, offer_chosen, prefill_from_address

#: A receipt shows the query code: no cache (shared or the browser's) may keep it.
NO_STORE = {"Cache-Control": "no-store"}


def _form_page(form: ComplaintForm, status: int = 200, notice: dict[str, str] | None = None):
    page = render_template("public/complaint_form.html", form=form, notice=notice,
                           stages=progress.complaint_preview(clock.today()))
    return page, status


def _refused(form: ComplaintForm):
    """The form again with its errors and every choice (the error path may load the lists)."""
    offer_all(form)
    return _form_page(form, 400)


@bp.route("/complaint", methods=["GET", "POST"])
@filing_limit
def complaint():
    form = ComplaintForm()
    if request.method != "POST":  # GET, and HEAD like GET
        prefill_from_address(form, offer_all(form))
        form.submission.data = secrets.token_urlsafe(24)
        return _form_page(form)

    department, item = offer_chosen(form)
    if not form.validate_on_submit():
        return _refused(form)
    if form.website.data:  # the honeypot: a person never sees this field
        form.website.errors.append(HONEYPOT_MESSAGE)
        return _refused(form)
    if item_outside(department, item):
        form.item.errors.append(ITEM_OUTSIDE)
        return _refused(form)
    filed = file_complaint(
        department=department, item=item, category=form.category.data, subject=form.subject.data,
        content=form.content.data, publish_consent=bool(form.publish_consent.data),
        submission_key=form.submission.data or None, **form.contact,
    )
    stored = filed.complaint
    page = render_template(
        "public/complaint_filed.html", complaint=stored, query_code=filed.query_code,
        department_name=department.name,
        stages=progress.complaint_stages(stored, clock.today()),
    )
    if filed.new:
        _tell_filed(stored, filed.query_code)
    return page, 201 if filed.new else 200, NO_STORE


def _tell_filed(complaint, query_code: str) -> None:
    """The number and code by the channel the complainant chose (never blocks: see ``notify``)."""
    lookup_at = url_for("public.lookup_view", _external=True)
    notify(complaint, "投诉已收到",
           f"您的投诉已收到。投诉编号：{complaint.tracking_no}，查询码：{query_code}（请妥善保存）。"
           f"部门将于{progress.cn_date(complaint.accept_deadline)}前决定是否受理，"
           f"{progress.cn_date(complaint.deadline)}前答复。查询办理进度：{lookup_at}")


@bp.route("/lookup", methods=["GET", "POST"])
@lookup_limit
def lookup_view():
    form = LookupForm()
    if request.method != "POST":
        if request.args.get("no"):
            form.tracking_no.data = prefill(request.args["no"], 32)
        return render_template("public/lookup.html", form=form)
    if not form.validate_on_submit():
        return render_template("public/lookup.html", form=form), 400
    found = lookup(form.tracking_no.data, form.query_code.data)
    if found is None:
        form.query_code.errors.append(NOT_FOUND)
        return render_template("public/lookup.html", form=form), 404
    return result_page(found, form.query_code.data)


@reshows("public.complaint")
def complaint_again(formdata, notice: dict[str, str]):
    """The complaint form as it was sent (a refused post), with a fresh token and ``notice`` on top."""
    form = ComplaintForm(formdata=formdata)
    offer_all(form)
    return _form_page(form, notice=notice)


@reshows("public.lookup_view")
def lookup_again(formdata, notice: dict[str, str]):
    return render_template("public/lookup.html", form=LookupForm(formdata=formdata), notice=notice)
