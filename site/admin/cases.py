"""办件管理: the case list, 登记办件 (the query code shown once), one case and its status changes.

Reading: a department's staff see their own department's cases, the centre
(admin, supervisor) sees all. Changing: the case's department staff (editor,
reviewer) and the administrator; supervisors only read. Who may do what is
``permissions``'; the rules of a case are ``sunshine.site.cases.lifecycle``'s;
this module only translates HTTP. It never logs, flashes or redirects with
the query code or the applicant's data.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sunshine.contract.codes import CASE_STATUSES, WARNING_LEVELS

from .. import clock
from ..cases.lifecycle import (
    CaseError,
    change_status,
    current_warning,
    new_case,
    next_statuses,
    progress,
)
from ..cases.queries import (
    STATUS_FILTERS,
    WARNING_FILTERS,
    case_no_taken,
    deadline_explanation,
    progress_text,
    scoped_cases,
    yuan,
)
from ..db import db
from ..models import PUBLISHED, ServiceCase, ServiceItem, User
from ..url_ids import query_int
from . import bp
from .forms.cases import FEE_ROWS, CaseForm, StatusForm
from .forms.common import add_blank_rows
from .permissions import can_handle_case, can_register_case, can_view_case, department_scope

PAGE_SIZE = 50
SOURCE_LABELS = {"admin": _l("窗口登记"), "import": _l("批量导入"), "api": _l("审批系统接口"), "demo": _l("演示数据")}


def _warn_days() -> int:
    return int(current_app.config.get("SUNSHINE_WARNING_DAYS", 1))


# --- the list ----------------------------------------------------------------------------------

@bp.get("/cases")
def cases():
    status = request.args.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    warning = request.args.get("warning", "")
    if warning not in WARNING_FILTERS:
        warning = ""
    number = request.args.get("no", "").strip()[:40]
    page = query_int("page", 1)
    today = clock.today()
    stmt = scoped_cases(department_scope(current_user), status=status, warning=warning, case_no=number,
                        today=today, warn_days=_warn_days())
    pagination = db.paginate(stmt, page=max(page, 1), per_page=PAGE_SIZE, error_out=False)
    rows = list(pagination.items)
    lights = {c.id: current_warning(c, today, _warn_days()) for c in rows}
    return render_template(
        "admin/cases/list.html", cases=rows, pagination=pagination, status=status, warning=warning,
        number=number, status_filters=STATUS_FILTERS, warning_filters=WARNING_FILTERS, lights=lights,
        warning_labels=WARNING_LEVELS, progress_texts={c.id: progress_text(progress(c, today)) for c in rows},
        can_register=can_register_case(current_user), sources=SOURCE_LABELS,
    )


# --- 登记办件 ----------------------------------------------------------------------------------

def _registrable_items() -> list[ServiceItem]:
    """Published items the user may register cases of (all of them for the administrator)."""
    stmt = select(ServiceItem).where(ServiceItem.state == PUBLISHED).order_by(ServiceItem.code)
    if current_user.role != "admin":
        stmt = stmt.where(ServiceItem.department_id == current_user.department_id)
    return list(db.session.scalars(stmt))


def _item_choices(form: CaseForm, items: list[ServiceItem]) -> None:
    center = current_user.role == "admin"
    form.item.choices = [("", _("请选择"))] + [
        (i.code, f"{(i.department.short_name or i.department.name) + '：' if center else ''}{i.name}（{i.code}）")
        for i in items
    ]


def _render_new(form: CaseForm, *, refused: str | None = None, status: int = 200):
    add_blank_rows(form.fees, FEE_ROWS)
    return render_template("admin/cases/new.html", form=form, refused=refused), status


@bp.route("/cases/new", methods=["GET", "POST"])
def case_new():
    if not can_register_case(current_user):
        abort(403)
    items = _registrable_items()
    form = CaseForm()
    _item_choices(form, items)
    if request.method == "GET":
        if not form.received_on.data:
            form.received_on.data = clock.today()
        return _render_new(form)
    if not form.validate_on_submit():
        return _render_new(form, status=400)
    if case_no_taken(form.case_no.data):
        form.case_no.errors.append(_("办件编号 %(number)s 已登记过，请核对。", number=form.case_no.data))
        return _render_new(form, status=400)
    item = next(i for i in items if i.code == form.item.data)
    try:
        created, code = new_case(
            item, form.case_no.data, form.received_on.data, status=form.status.data,
            applicant_name=form.applicant_name.data, applicant_phone=form.applicant_phone.data,
            applicant_id_no=form.applicant_id_no.data or "", on_the_spot=form.on_the_spot.data,
            fees=form.fee_lines(), note=form.note.data or "", source="admin", user_id=current_user.id,
        )
        if form.on_the_spot.data:
            change_status(created, "completed", form.received_on.data, note="现场办结", on_the_spot=True,
                          user_id=current_user.id)
    except CaseError as exc:
        db.session.rollback()
        return _render_new(form, refused=str(exc), status=400)
    db.session.add(created)
    try:
        db.session.commit()
    except IntegrityError:  # the same number registered a moment ago by someone else
        db.session.rollback()
        form.case_no.errors.append(_("办件编号 %(number)s 已登记过，请核对。", number=form.case_no.data))
        return _render_new(form, status=400)
    response = make_response(render_template("admin/cases/new.html", created=created, query_code=code,
                                             form=None, refused=None), 201)
    response.headers["Cache-Control"] = "no-store"  # the code is shown once, never kept
    return response


# --- one case ------------------------------------------------------------------------------------

def _render_case(case: ServiceCase, form: StatusForm | None = None, refused: str | None = None):
    today = clock.today()
    editable = can_handle_case(current_user, case)
    allowed = next_statuses(case)
    if form is None and editable and allowed:
        form = StatusForm(formdata=None, next_statuses=allowed)
    user_ids = {e.user_id for e in case.events if e.user_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    return render_template(
        "admin/cases/detail.html", case=case, form=form if editable and allowed else None, refused=refused,
        users=users, light=current_warning(case, today, _warn_days()), warning_labels=WARNING_LEVELS,
        progress_text=progress_text(progress(case, today)), promised_explanation=deadline_explanation(case),
        statutory_explanation=deadline_explanation(case, statutory=True), yuan=yuan, sources=SOURCE_LABELS,
        readonly=not editable,
    )


@bp.get("/cases/<int:id>")
def case(id: int):
    found = db.get_or_404(ServiceCase, id)
    if not can_view_case(current_user, found):
        abort(403)
    return _render_case(found)


@bp.post("/cases/<int:id>/status")
def case_status(id: int):
    found = db.get_or_404(ServiceCase, id)
    if not can_view_case(current_user, found) or not can_handle_case(current_user, found):
        abort(403)
    form = StatusForm(next_statuses=next_statuses(found))
    if not form.validate_on_submit():
        return _render_case(found, form, refused=_("办理环节未登记，请按提示修改。")), 400
    try:
        change_status(found, form.status.data, form.on.data, note=form.note.data or "",
                      extension_days=form.extension_days.data or 0, user_id=current_user.id)
    except CaseError as exc:
        db.session.rollback()
        return _render_case(found, form, refused=str(exc)), 400
    db.session.commit()
    flash(_("已登记办理环节“%(status)s”：%(number)s", status=CASE_STATUSES[found.status], number=found.case_no),
          "success")
    return redirect(url_for("admin.case", id=found.id))
