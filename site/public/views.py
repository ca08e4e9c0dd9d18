"""Views of the public intake."""

from __future__ import annotations

import secrets

from flask import current_app, render_template, request
from sqlalchemy import select

from ..complaints import file_complaint, lookup
from ..db import db
from ..models import PUBLISHED, Department, ServiceItem
from . import bp
from .errors import reshows
from .form_base import prefill
from .forms import ComplaintForm, LookupForm
from .limits import filing_limit, lookup_limit


def _public_departments() -> list[Department]:
    return list(db.session.scalars(
        select(Department).where(Department.state == PUBLISHED).order_by(Department.code)
    ))


def _public_items() -> list[ServiceItem]:
    return list(db.session.scalars(
        select(ServiceItem).where(ServiceItem.state == PUBLISHED).order_by(ServiceItem.code)
    ))


def _fill_choices(form: ComplaintForm, departments, items) -> None:
    form.department.choices = [("", "请选择")] + [(d.code, d.published_data["name"]) for d in departments]
    form.item.choices = [("", "不涉及具体事项")] + [
        (i.code, f"{i.published_data['name']}（{i.code}）") for i in items
    ]


@bp.route("/complaint", methods=["GET", "POST"])
@filing_limit
def complaint():
    departments = _public_departments()
    items = _public_items()
    form = ComplaintForm()
    _fill_choices(form, departments, items)
    if request.method != "POST":  # GET, and HEAD like GET
        item_code = request.args.get("item", "")
        item = next((i for i in items if i.code == item_code), None)
        if item is not None:
            form.item.data = item.code
            form.department.data = item.department.code
        elif request.args.get("department"):
            form.department.data = prefill(request.args["department"], 40)
        form.submission.data = secrets.token_urlsafe(24)
        return render_template("public/complaint_form.html", form=form, item=item)

    if not form.validate_on_submit():
        return render_template("public/complaint_form.html", form=form, item=None), 400
    if form.website.data:  # the honeypot: a person never sees this field
        form.website.errors.append("提交未成功，请刷新页面后重新填写。")
        return render_template("public/complaint_form.html", form=form, item=None), 400
    department = next(d for d in departments if d.code == form.department.data)
    item = next((i for i in items if i.code == form.item.data), None)
    if item is not None and item.department_id != department.id:
        form.item.errors.append("所选事项不属于所选部门，请重新选择。")
        return render_template("public/complaint_form.html", form=form, item=None), 400
    filed = file_complaint(
        department=department,
        item=item,
        category=form.category.data,
        subject=form.subject.data,
        content=form.content.data,
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        days_to_answer=current_app.config["SUNSHINE_COMPLAINT_DAYS"],
        submission_key=form.submission.data or None,
    )
    return render_template("public/complaint_filed.html", complaint=filed.complaint,
                           query_code=filed.query_code), 201 if filed.new else 200


@bp.route("/lookup", methods=["GET", "POST"])
@lookup_limit
def lookup_view():
    form = LookupForm()
    if request.method != "POST" and request.args.get("no"):
        form.tracking_no.data = prefill(request.args["no"], 32)
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("public/lookup.html", form=form), 400
        found = lookup(form.tracking_no.data, form.query_code.data)
        if found is None:
            form.query_code.errors.append("投诉编号或查询码不正确，请核对后再试。")
            return render_template("public/lookup.html", form=form), 404
        return render_template("public/lookup_result.html", complaint=found)
    return render_template("public/lookup.html", form=form)


@reshows("public.complaint")
def complaint_again(formdata, notice: dict[str, str]):
    """The complaint form as it was sent (a refused post), with a fresh token and ``notice`` on top."""
    form = ComplaintForm(formdata=formdata)
    _fill_choices(form, _public_departments(), _public_items())
    return render_template("public/complaint_form.html", form=form, item=None, notice=notice)


@reshows("public.lookup_view")
def lookup_again(formdata, notice: dict[str, str]):
    return render_template("public/lookup.html", form=LookupForm(formdata=formdata), notice=notice)
