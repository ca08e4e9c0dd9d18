"""办件查询: a citizen looks a case up by its number and secret query code.

Same rules as the complaint lookup: both are needed, and a wrong number and a
wrong code get the same answer (404, one message). The page shows the case only
as ``cases.queries.PublicCase``, never the applicant's name, phone or ID number.
"""

from __future__ import annotations

from flask import current_app, make_response, render_template, request

from sunshine.contract.urls import INTAKE

from .. import clock
from ..cases.queries import lookup_case, public_case
from ..deadline_words import cn_date
from . import bp
from .case_forms import CaseLookupForm
from .errors import reshows
from .form_base import prefill
from .limits import lookup_limit

NOT_FOUND = "办件编号或查询码不正确，请核对后再试。"


def _path(key: str) -> str:
    """An INTAKE path relative to the blueprint's /intake prefix."""
    return INTAKE[key].removeprefix(bp.url_prefix or "")


@bp.route(_path("case_lookup"), methods=["GET", "POST"])
@lookup_limit
def case_lookup():
    form = CaseLookupForm()
    if request.method != "POST":  # GET, and HEAD like GET
        if request.args.get("no"):
            form.case_no.data = prefill(request.args["no"], 40)
        return render_template("public/case_lookup.html", form=form)
    if not form.validate_on_submit():
        return render_template("public/case_lookup.html", form=form), 400
    found = lookup_case(form.case_no.data, form.query_code.data)
    if found is None:
        form.query_code.errors.append(NOT_FOUND)
        return render_template("public/case_lookup.html", form=form), 404
    view = public_case(found, clock.today(), warn_days=int(current_app.config.get("SUNSHINE_WARNING_DAYS", 1)))
    response = make_response(render_template("public/case_result.html", case=view, cn_date=cn_date))
    response.headers["Cache-Control"] = "no-store"
    return response


@reshows("public.case_lookup")
def case_lookup_again(formdata, notice: dict[str, str]):
    return render_template("public/case_lookup.html", form=CaseLookupForm(formdata=formdata), notice=notice)
