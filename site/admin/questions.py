"""网上咨询 in the back office: the list, one question, 答复, 不予答复 and 转办.

The rules live in ``questions.answering`` (what a status allows, what each step needs) and who may
do what in ``permissions``; this module only translates HTTP. After an answer or a refusal is
stored the asker is told (``notify``), never with the query code, a contact detail or the text.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from sunshine.contract.codes import NOTIFY_CHANNELS, QUESTION_STATUSES
from sunshine.contract.urls import question_lookup_url

from .. import clock
from ..complaints.lifecycle import warn_days
from ..db import db, within
from ..deadlines import working_days_between
from ..models import PUBLISHED, Department, Question, User
from ..notify import notify
from ..questions import answering
from ..questions.publication import public_question
from ..supervision import RED, YELLOW
from . import bp
from .forms.common import AdminForm
from .forms.questions import FORMS
from .permissions import (
    can_answer_question,
    can_reassign_question,
    can_see_contact,
    can_view_question,
    department_scope,
)

STATUS_FILTERS = {"received": _l("待答复"), "answered": _l("已答复"), "declined": _l("不予答复"), "all": _l("全部")}
#: Light → the words and badge of the complaint pages.
LIGHT_WARNINGS = {RED: "overdue", YELLOW: "due_soon"}
WARNING_LABELS = {"overdue": _l("已超期"), "due_soon": _l("即将到期")}


def scoped_questions(user: User, status: str | None = None) -> list[Question]:
    """The questions the user may see (own department's for clerks), the earliest deadline first."""
    stmt = select(Question).order_by(Question.deadline, Question.tracking_no)
    scope = department_scope(user)
    if scope is not None:
        stmt = stmt.where(within(Question.department_id, scope))
    if status is not None:
        stmt = stmt.where(Question.status == status)
    return list(db.session.scalars(stmt))


def question_warning(question: Question, today: dt.date) -> str | None:
    """"overdue", "due_soon" or None, by the 电子监察 rule of ``answering.light``."""
    return LIGHT_WARNINGS.get(answering.light(question, today, warn_days()))


@bp.get("/questions")
def questions():
    status = request.args.get("status", "received")
    if status not in STATUS_FILTERS:
        status = "received"
    rows = scoped_questions(current_user, None if status == "all" else status)
    day = clock.today()
    return render_template("admin/questions/list.html", questions=rows, status=status, filters=STATUS_FILTERS,
                           warnings={q.id: question_warning(q, day) for q in rows},
                           warning_labels=WARNING_LABELS, warn_days=warn_days())


# ---------------------------------------------------------------- one question


def _may(question: Question, action: str) -> bool:
    if question.status != "received":
        return False
    return can_reassign_question(current_user) if action == "reassign" else can_answer_question(current_user, question)


def _form(question: Question, action: str, *, posted: bool) -> AdminForm:
    form = FORMS[action](prefix=action, **({} if posted else {"formdata": None}))
    if action == "answer" and not question.publish_consent:
        del form.public  # without the asker's consent nothing is published: no choice to offer
    if action == "reassign":
        others = db.session.scalars(select(Department).where(Department.state == PUBLISHED,
                                                             Department.id != question.department_id)
                                    .order_by(Department.code))
        form.department.choices = [("", _("请选择")), *((str(d.id), d.name) for d in others)]
    return form


def _preview(question: Question) -> dict | None:
    """What the public list will show of this question (masked): with consent, unless declined or withheld."""
    if not question.publish_consent or question.status == "declined" or (
            question.status == "answered" and not question.public):
        return None
    item = question.item
    item_codes = {item.code} if item is not None and item.state == PUBLISHED else set()
    return public_question(question, question.department.code, item_codes)


def _render(question: Question, forms: dict | None = None, refused: str | None = None) -> str:
    forms = dict(forms or {})
    for name in FORMS:
        if name not in forms and _may(question, name):
            forms[name] = _form(question, name, posted=False)
    day = clock.today()
    answered_by = db.session.get(User, question.answered_by) if question.answered_by else None
    return render_template(
        "admin/questions/detail.html", question=question, forms={n: forms[n] for n in FORMS if n in forms},
        refused=refused, warning=question_warning(question, day), warning_labels=WARNING_LABELS,
        days_left=working_days_between(day, question.deadline),
        days_over=working_days_between(question.deadline, day),
        answered_by=(answered_by.display_name or answered_by.username) if answered_by else "",
        show_contact=can_see_contact(current_user, question), notify_labels=NOTIFY_CHANNELS,
        preview=_preview(question), statuses=QUESTION_STATUSES,
    )


def _visible(id: int) -> Question:
    question = db.get_or_404(Question, id)
    if not can_view_question(current_user, question):
        abort(403)
    return question


@bp.get("/questions/<int:id>")
def question(id: int):
    return _render(_visible(id))


LABELS = {"answer": _l("答复"), "decline": _l("不予答复"), "reassign": _l("转办")}


@bp.post("/questions/<int:id>/<action>")
def question_action(id: int, action: str):
    if action not in FORMS:
        abort(404)
    question = _visible(id)
    permitted = can_reassign_question(current_user) if action == "reassign" else can_answer_question(
        current_user, question)
    if not permitted:
        abort(403)
    if question.status != "received":
        return _render(question, refused=_("该咨询当前为“%(status)s”，不能%(action)s。",
                                                     status=question.status_label, action=LABELS[action])), 400
    form = _form(question, action, posted=True)
    if not form.validate_on_submit():
        return _render(question, {action: form}, refused=_("%(action)s未完成，请按提示修改。", action=LABELS[action])), 400
    try:
        if action == "answer":
            public = bool(form.public.data) if "public" in form else False
            answering.answer(question, form.answer.data, user_id=current_user.id, public=public)
        elif action == "decline":
            answering.decline(question, form.reason.data, form.note.data, user_id=current_user.id)
        else:
            answering.reassign(question, db.session.get(Department, int(form.department.data)))
    except answering.AnswerRefused as exc:
        db.session.rollback()
        return _render(question, {action: form}, refused=str(exc)), 400
    db.session.commit()
    if action != "reassign":
        notify(question, *answered_message(question))
    flash(_("已%(action)s：%(number)s", action=LABELS[action], number=question.tracking_no), "success")
    return redirect(url_for("admin.question", id=question.id))


def answered_message(question: Question) -> tuple[str, str]:
    """(subject, body) telling the asker the question was answered or declined; where to read it."""
    number = question.tracking_no
    if question.status == "answered":
        subject, text = f"咨询{number}已答复", f"您的咨询{number}已由{question.department.name}答复。"
    else:
        subject, text = f"咨询{number}不予答复", f"您的咨询{number}不予答复（{question.decline_label}），说明请查询。"
    where = question_lookup_url(current_app.config.get("SUNSHINE_INTAKE_URL", ""))
    return subject, f"{text}凭咨询编号和查询码在 {where} 查看。"
