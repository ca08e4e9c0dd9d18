"""网上咨询 on the intake: ask a department (about one of its items, or in general), look the answer up.

The same defences and habits as the complaint form: the request guard, the honeypot, one random
submission key per rendering (a refreshed form asks once and shows the same receipt), the filing
and lookup rate limits, Chinese messages next to the fields, the deadline shown before asking,
the number and a secret code on the receipt, and a lookup that answers a wrong number and a
wrong code alike. ``?item=`` / ``?department=`` prefill the form from the published pages.
"""

from __future__ import annotations

import secrets

from flask import current_app, make_response, render_template, request, url_for

from sunshine.contract.urls import INTAKE

from .. import clock
from ..complaints import progress
from ..models import Question
from ..notify import notify
from ..questions.asking import answer_days, ask_question, lookup_question
from . import bp
from .chrome import static_url
from .errors import reshows
from .form_base import prefill
from .forms import HONEYPOT_MESSAGE
from .limits import filing_limit, lookup_limit
from .pick import ITEM_OUTSIDE, item_outside, offer_all, offer_chosen, prefill_from_address
from .question_forms import QuestionForm, QuestionLookupForm
from .views import NO_STORE

NOT_FOUND = "咨询编号或查询码不正确，请核对后再试。"
EMPTY_ITEM = "不涉及具体事项（一般咨询）"


def _path(key: str) -> str:
    return INTAKE[key].removeprefix(bp.url_prefix or "")


def _form_page(form: QuestionForm, status: int = 200, notice: dict[str, str] | None = None):
    return render_template("public/question_form.html", form=form,
                           stages=progress.question_preview(clock.today(), answer_days()), notice=notice), status


def _refused(form: QuestionForm):
    offer_all(form, EMPTY_ITEM)
    return _form_page(form, 400)


@bp.route(_path("question"), methods=["GET", "POST"])
@filing_limit
def question():
    form = QuestionForm()
    if request.method != "POST":  # GET, and HEAD like GET
        prefill_from_address(form, offer_all(form, EMPTY_ITEM))
        form.submission.data = secrets.token_urlsafe(24)
        return _form_page(form)

    department, item = offer_chosen(form)
    if not form.validate_on_submit():
        return _refused(form)
    if form.website.data:  # the honeypot
        form.website.errors.append(HONEYPOT_MESSAGE)
        return _refused(form)
    if item_outside(department, item):
        form.item.errors.append(ITEM_OUTSIDE)
        return _refused(form)
    asked = ask_question(department=department, item=item, subject=form.subject.data, content=form.content.data,
                         publish_consent=bool(form.publish_consent.data),
                         submission_key=form.submission.data or None, **form.contact)
    stored = asked.question
    page = render_template(
        "public/question_filed.html", question=stored, query_code=asked.query_code,
        department_name=department.name,
        stages=progress.question_stages(stored, clock.today(), _warn_days()),
        questions_url=static_url("questions"))
    if asked.new:
        _tell_asked(stored, asked.query_code)
    return page, 201 if asked.new else 200, NO_STORE


def _warn_days() -> int:
    return int(current_app.config.get("SUNSHINE_WARNING_DAYS", 1))


def _tell_asked(question: Question, query_code: str) -> None:
    lookup_at = url_for("public.question_lookup", _external=True)
    notify(question, "咨询已收到",
           f"您的咨询已收到。咨询编号：{question.tracking_no}，查询码：{query_code}（请妥善保存）。"
           f"部门将于{progress.cn_date(question.deadline)}前答复。查看答复：{lookup_at}")


@bp.route(_path("question_lookup"), methods=["GET", "POST"])
@lookup_limit
def question_lookup():
    form = QuestionLookupForm()
    if request.method != "POST":
        if request.args.get("no"):
            form.question_no.data = prefill(request.args["no"], 32)
        return render_template("public/question_lookup.html", form=form)
    if not form.validate_on_submit():
        return render_template("public/question_lookup.html", form=form), 400
    found = lookup_question(form.question_no.data, form.query_code.data)
    if found is None:
        form.query_code.errors.append(NOT_FOUND)
        return render_template("public/question_lookup.html", form=form), 404
    response = make_response(render_template(
        "public/question_result.html", question=found,
        stages=progress.question_stages(found, clock.today(), _warn_days()),
        questions_url=static_url("questions")))
    response.headers["Cache-Control"] = "no-store"
    return response


@reshows("public.question")
def question_again(formdata, notice: dict[str, str]):
    form = QuestionForm(formdata=formdata)
    offer_all(form, EMPTY_ITEM)
    return _form_page(form, notice=notice)


@reshows("public.question_lookup")
def question_lookup_again(formdata, notice: dict[str, str]):
    return render_template("public/question_lookup.html", form=QuestionLookupForm(formdata=formdata),
                           notice=notice)
