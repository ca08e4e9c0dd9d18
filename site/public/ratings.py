"""Public rating pages (好差评): rate a decided case, or a published item or department.

Plain HTML forms that work without JavaScript, at the addresses of
``sunshine.contract.urls.INTAKE``. Bad input gets 400 with Chinese messages and
the form as typed, and nothing is stored. The rater's contact is never shown
back: the thank-you page says only what happens next.
"""

from __future__ import annotations

from flask import current_app, render_template, request

from sunshine.contract.urls import INTAKE, ROUTES

from ..ratings.submission import RatingRefused, find_target, rate_case, rate_target
from ..ratings.work_orders import DEFAULT_DAYS
from . import bp
from .errors import reshows
from .form_base import prefill
from .limits import filing_limit
from .rating_forms import CaseRatingForm, RatingForm

PREFIX = bp.url_prefix or ""
#: HTTP status of each refusal of a case rating.
REFUSAL_STATUS = {"not_found": 404, "undecided": 409, "already_rated": 409}


def _intake_path(purpose: str) -> str:
    return INTAKE[purpose].removeprefix(PREFIX)


def _days() -> dict[str, int]:
    return {**DEFAULT_DAYS, **(current_app.config.get("SUNSHINE_RECTIFICATION_DAYS") or {})}


def _target_from_args() -> tuple[str, str]:
    for kind in ("item", "department"):
        code = prefill(request.args.get(kind), 40)
        if code:
            return kind, code
    return "", ""


def _target_name(target) -> str:
    data = target.published_data or {}
    return data.get("name") or target.name


def _thanks(rated, target_name: str):
    return render_template("public/rated.html", rating=rated.rating, work_order=rated.work_order,
                           target_name=target_name, days=_days(),
                           rectifications_url=_static_url(ROUTES["rectifications"])), 201


def _static_url(path: str) -> str:
    return (current_app.config.get("SUNSHINE_STATIC_URL") or "").rstrip("/") + path


def _contact(form: RatingForm) -> dict[str, str]:
    return {"contact_name": form.contact_name.data or "", "contact_phone": form.contact_phone.data or ""}


def _rate_page(kind: str, target, form: RatingForm) -> dict:
    department_name = _target_name(target.department) if kind == "item" else None
    return {"form": form, "kind": kind, "target": target, "target_name": _target_name(target),
            "department_name": department_name}


@bp.route(_intake_path("rate"), methods=["GET", "POST"])
@filing_limit
def rate():
    kind, code = _target_from_args()
    target = find_target(kind, code) if kind else None
    if target is None:
        return render_template("public/rate_unknown.html", kind=kind, code=code), 404
    form = RatingForm()
    page = _rate_page(kind, target, form)
    name = page["target_name"]
    if request.method != "POST":  # GET, and HEAD like GET
        return render_template("public/rate.html", **page)
    if not form.validate_on_submit():
        return render_template("public/rate.html", **page), 400
    rated = rate_target(target, level=form.level_value, comment=form.comment.data or "", days=_days(),
                        **_contact(form))
    return _thanks(rated, name)


@bp.route(_intake_path("case_rate"), methods=["GET", "POST"])
@filing_limit
def case_rate():
    form = CaseRatingForm()
    if request.method != "POST":  # GET, and HEAD like GET
        if request.args.get("no"):
            form.case_no.data = prefill(request.args["no"], 40)
        return render_template("public/rate_case.html", form=form, refused=None)
    if not form.validate_on_submit():
        return render_template("public/rate_case.html", form=form, refused=None), 400
    try:
        rated = rate_case(form.case_no.data, form.query_code.data, level=form.level_value,
                          comment=form.comment.data or "", days=_days(), **_contact(form))
    except RatingRefused as refused:
        return render_template("public/rate_case.html", form=form, refused=str(refused)), \
            REFUSAL_STATUS[refused.reason]
    rating = rated.rating
    item = rating.item
    name = _target_name(item) if item is not None else _target_name(rating.department)
    return _thanks(rated, name)


@reshows("public.rate")
def rate_again(formdata, notice: dict[str, str]):
    """The rating form of an item or department as it was sent; None when the address names no target."""
    kind, code = _target_from_args()
    target = find_target(kind, code) if kind else None
    if target is None:
        return None
    return render_template("public/rate.html", **_rate_page(kind, target, RatingForm(formdata=formdata)),
                           notice=notice)


@reshows("public.case_rate")
def case_rate_again(formdata, notice: dict[str, str]):
    return render_template("public/rate_case.html", form=CaseRatingForm(formdata=formdata), refused=None,
                           notice=notice)
