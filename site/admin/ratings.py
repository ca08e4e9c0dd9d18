"""好差评 in the back office: a read-only list of ratings and one rating, scoped by department.

A rating is the citizen's: there is no route that creates or edits one. The
only POST here is the administrator's 申诉复核 decision to void a rating with a
recorded reason, which sets its status and void fields and nothing else. The
rater's contact is shown only to the department's staff and the administrator.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from sunshine.contract.codes import BAD_RATING_MAX

from ..db import db, within
from ..models import Rating, Rectification, User
from ..ratings.handling import HandlingRefused, void_rating
from ..url_ids import query_int
from . import bp
from .forms.rectifications import VoidForm
from .permissions import can_decide_rating, can_see_rater_contact, can_view_rating, department_scope

FILTERS = {"all": _l("全部"), "bad": _l("差评"), "voided": _l("已作废")}
PAGE_SIZE = 50


@bp.get("/ratings")
def ratings():
    status = request.args.get("status", "all")
    if status not in FILTERS:
        status = "all"
    page = query_int("page", 1)
    stmt = select(Rating)
    scope = department_scope(current_user)
    if scope is not None:
        stmt = stmt.where(within(Rating.department_id, scope))
    if status == "bad":
        stmt = stmt.where(Rating.level <= BAD_RATING_MAX, Rating.status == "valid")
    elif status == "voided":
        stmt = stmt.where(Rating.status == "voided")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = list(db.session.scalars(
        stmt.order_by(Rating.created_at.desc(), Rating.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    orders = _work_orders([r.id for r in rows])
    return render_template("admin/ratings/list.html", ratings=rows, orders=orders, status=status,
                           filters=FILTERS, page=page, pages=pages, total=total)


def _work_orders(rating_ids: list[int]) -> dict[int, Rectification]:
    if not rating_ids:
        return {}
    found = db.session.scalars(select(Rectification).where(Rectification.rating_id.in_(rating_ids)))
    return {o.rating_id: o for o in found}


def _load(id: int) -> Rating:
    rating = db.get_or_404(Rating, id)
    if not can_view_rating(current_user, rating.department_id):
        abort(403)
    return rating


def _render(rating: Rating, form: VoidForm | None = None, refused: str | None = None) -> str:
    if form is None and can_decide_rating(current_user) and rating.status == "valid":
        form = VoidForm(prefix="void", formdata=None)
    voided_by = db.session.get(User, rating.voided_by) if rating.voided_by else None
    return render_template("admin/ratings/detail.html", rating=rating, order=_work_orders([rating.id]).get(rating.id),
                           form=form, refused=refused, voided_by=voided_by,
                           show_contact=can_see_rater_contact(current_user, rating.department_id))


@bp.get("/ratings/<int:id>")
def rating(id: int):
    return _render(_load(id))


@bp.post("/ratings/<int:id>/void")
def rating_void(id: int):
    rating = _load(id)
    if not can_decide_rating(current_user):
        abort(403)
    form = VoidForm(prefix="void")
    if not form.validate_on_submit():
        return _render(rating, form, refused=_("未作废，请按提示修改。")), 400
    order = _work_orders([rating.id]).get(rating.id)
    try:
        void_rating(rating, form.reason.data, user_id=current_user.id, order=order)
    except HandlingRefused as exc:
        db.session.rollback()
        return _render(rating, form, refused=str(exc)), 400
    db.session.commit()
    flash(_("评价已作废（申诉复核），不再计入统计。"), "success")
    if order is not None:
        return redirect(url_for("admin.rectification", id=order.id))
    return redirect(url_for("admin.rating", id=rating.id))
