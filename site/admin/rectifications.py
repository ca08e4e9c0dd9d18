"""整改工单 in the back office: the work list, one work order with its rating, the stage,
appeal and decision forms.

Only translates HTTP into the rules of ``sunshine.site.ratings.handling``; every
permission is checked on the server (403 for another department, for the
supervisor's POSTs). The rater's contact is shown only to the department's
staff and the administrator. No route here changes a rating's level, comment
or target.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..db import db, within
from ..models import Rectification, User
from ..ratings.handling import (
    OPEN_STATUSES,
    STAGES,
    HandlingRefused,
    allowed_stage,
    current_stage,
    decide_appeal,
    file_appeal,
    is_overdue,
    record_stage,
    stage_marks,
)
from . import bp
from .forms.rectifications import DECISIONS, STAGE_FORMS, AppealForm, DecisionForm, VoidForm
from .permissions import (
    can_appeal_work_order,
    can_decide_rating,
    can_handle_work_order,
    can_see_rater_contact,
    can_view_rating,
    department_scope,
)

FILTERS = {"open": _l("办理中"), "overdue": _l("已超期"), "closed": _l("已办结"), "voided": _l("已撤销（申诉成立）"),
           "all": _l("全部")}


def scoped_work_orders(user: User, status: str) -> list[Rectification]:
    stmt = select(Rectification).order_by(Rectification.opened_on.desc(), Rectification.code.desc())
    scope = department_scope(user)
    if scope is not None:
        stmt = stmt.where(within(Rectification.department_id, scope))
    if status in ("open", "overdue"):
        stmt = stmt.where(Rectification.status.in_(OPEN_STATUSES))
    elif status in ("closed", "voided"):
        stmt = stmt.where(Rectification.status == status)
    rows = list(db.session.scalars(stmt))
    if status == "overdue":
        today = clock.today()
        rows = [r for r in rows if is_overdue(r, today)]
    return rows


@bp.get("/rectifications")
def rectifications():
    status = request.args.get("status", "open")
    if status not in FILTERS:
        status = "open"
    rows = scoped_work_orders(current_user, status)
    today = clock.today()
    return render_template(
        "admin/rectifications/list.html", orders=rows, status=status, filters=FILTERS,
        overdue={r.id for r in rows if is_overdue(r, today)},
        owed={r.id: current_stage(r) for r in rows})


def _load(id: int) -> Rectification:
    order = db.get_or_404(Rectification, id)
    if not can_view_rating(current_user, order.department_id):
        abort(403)
    return order


def _render(order: Rectification, forms: dict | None = None, refused: str | None = None) -> str:
    forms = dict(forms or {})
    stage = current_stage(order)
    if stage is not None and stage.name not in forms and can_handle_work_order(current_user, order) \
            and allowed_stage(order, stage.name):
        forms[stage.name] = STAGE_FORMS[stage.name](prefix=stage.name, formdata=None)
    if "appeal" not in forms and can_appeal_work_order(current_user, order) and not order.appeal_status \
            and order.status != "voided":
        forms["appeal"] = AppealForm(prefix="appeal", formdata=None)
    if "decision" not in forms and can_decide_rating(current_user) and order.appeal_status == "pending":
        forms["decision"] = DecisionForm(prefix="decision", formdata=None)
    if "void" not in forms and can_decide_rating(current_user) and order.rating.status == "valid":
        forms["void"] = VoidForm(prefix="void", formdata=None)
    user_ids = {order.appeal_by, order.decided_by, order.rating.voided_by} - {None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    return render_template(
        "admin/rectifications/detail.html", order=order, rating=order.rating, forms=forms, stages=STAGES,
        marks=stage_marks(order, clock.today()), refused=refused, users=users, decisions=DECISIONS,
        show_contact=can_see_rater_contact(current_user, order.department_id),
        overdue=is_overdue(order, clock.today()))


@bp.get("/rectifications/<int:id>")
def rectification(id: int):
    return _render(_load(id))


@bp.post("/rectifications/<int:id>/stage/<stage>")
def rectification_stage(id: int, stage: str):
    if stage not in STAGES:
        abort(404)
    order = _load(id)
    if not can_handle_work_order(current_user, order):
        abort(403)
    form = STAGE_FORMS[stage](prefix=stage)
    if not form.validate_on_submit():
        return _render(order, {stage: form}, refused=_("未登记，请按提示修改。")), 400
    try:
        record_stage(order, stage, form.text.data)
    except HandlingRefused as exc:
        db.session.rollback()
        return _render(order, {stage: form}, refused=str(exc)), 400
    db.session.commit()
    flash(_("已登记%(stage)s：%(code)s", stage=_(STAGES[stage].label), code=order.code), "success")
    return redirect(url_for("admin.rectification", id=order.id))


@bp.post("/rectifications/<int:id>/appeal")
def rectification_appeal(id: int):
    order = _load(id)
    if not can_appeal_work_order(current_user, order):
        abort(403)
    form = AppealForm(prefix="appeal")
    if not form.validate_on_submit():
        return _render(order, {"appeal": form}, refused=_("申诉未提交，请按提示修改。")), 400
    try:
        file_appeal(order, form.reason.data, user_id=current_user.id)
    except HandlingRefused as exc:
        db.session.rollback()
        return _render(order, {"appeal": form}, refused=str(exc)), 400
    db.session.commit()
    flash(_("已提出申诉，等待政务服务中心复核：%(code)s", code=order.code), "success")
    return redirect(url_for("admin.rectification", id=order.id))


@bp.post("/rectifications/<int:id>/decision")
def rectification_decision(id: int):
    order = _load(id)
    if not can_decide_rating(current_user):
        abort(403)
    form = DecisionForm(prefix="decision")
    if not form.validate_on_submit():
        return _render(order, {"decision": form}, refused=_("复核未完成，请按提示修改。")), 400
    upheld = form.decision.data == "upheld"
    try:
        decide_appeal(order, upheld, form.note.data, user_id=current_user.id)
    except HandlingRefused as exc:
        db.session.rollback()
        return _render(order, {"decision": form}, refused=str(exc)), 400
    db.session.commit()
    flash(_("申诉成立，评价已作废：%(code)s", code=order.code) if upheld
          else _("申诉不成立，工单继续办理：%(code)s", code=order.code), "success")
    return redirect(url_for("admin.rectification", id=order.id))
