"""Editing written once: list, new, edit, submit, review, history, diff, restore, preview and withdraw
of every disclosure record type, configured per type by a ``RecordType``.

Items, departments, notices and complaint channels differ only in their form, their templates
and a few hooks (who picks the department, what a new record starts with); everything else —
permission checks through ``policy``, the lost-update check, revisions, the review workflow,
the audit log, the search index and the site rebuild — happens here, in one way. Endpoints are
``admin.<name>_<step>`` (``admin.item_edit``, ``admin.notice_history`` …), so templates link to
any record type the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import Select

from sunshine.contract.schema import WITHDRAWN_REASON_MAX_LENGTH

from .. import audit, clock, workflow
from ..db import db
from ..models import SUBMITTED, Revision
from ..policy import Action, may, scope
from ..revisions import record_revision, revision, revisions_of
from ..roles import N_
from ..search_docs import index_record
from ..text_input import BadText, clean_text
from ..workflow import CHANGE_NOTE_MAX_LENGTH, Conflict, Record, WorkflowError
from . import bp
from .permissions import authorize, fetch_authorized
from .revision_diff import compare
from .row_ops import ROW_OP, apply_row_op
from .site_build import rebuild_site

#: Every configured record type by name ("item", "department", "notice", "channel").
RECORD_TYPES: dict[str, RecordType] = {}


@dataclass
class RecordType:
    """How one disclosure model is edited in the back office."""

    model: type
    #: Singular name used in endpoints and URLs ("item" → ``admin.item_edit``).
    name: str
    #: URL segment and list endpoint ("items" → ``/admin/items``, ``admin.items``).
    plural: str
    #: 服务事项, for headings and messages.
    label: str
    form: type
    #: Directory of the type's templates (``edit.html``, ``list.html``).
    templates: str
    #: The record's public page, for the "view on the public site" link.
    public_path: Callable[[Any], str | None]
    #: One line naming a record for people (a title or name).
    title: Callable[[Any], str]
    #: The list's query, before the department scope is applied.
    list_query: Callable[[], Select]
    #: The column the list's search box matches besides the code (name or title).
    title_column: Any
    #: The column holding a record's department (None: the centre's own records, e.g. channels).
    department_column: Any = None
    #: Called on every form before use: choices, fields removed for some users (form, record, creating).
    setup_form: Callable[[Any, Any, bool], None] = lambda form, record, creating: None
    #: Copies a valid form onto the record (form, record, creating); default ``form.apply_to``.
    apply: Callable[[Any, Any, bool], None] | None = None
    #: Fills a new record's form with sensible starting values.
    prefill: Callable[[Any], None] = lambda form: None
    #: Row tables (``FieldList`` names) that get blank rows to type into.
    row_tables: tuple[str, ...] = ()
    #: Whether office staff may create records of this type in their own department.
    office_creates: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def endpoint(self, step: str) -> str:
        return f"admin.{self.name}_{step}"


def register(kind: RecordType) -> RecordType:
    """Add the routes of ``kind`` to the admin blueprint."""
    RECORD_TYPES[kind.name] = kind
    base = f"/{kind.plural}"
    routes: list[tuple[str, str, Callable, list[str]]] = [
        (base, kind.plural, _list_view, ["GET"]),
        (f"{base}/new", f"{kind.name}_new", _new_view, ["GET", "POST"]),
        (f"{base}/<int:id>/edit", f"{kind.name}_edit", _edit_view, ["GET", "POST"]),
        (f"{base}/<int:id>/submit", f"{kind.name}_submit", _submit_view, ["POST"]),
        (f"{base}/<int:id>/approve", f"{kind.name}_approve", _approve_view, ["POST"]),
        (f"{base}/<int:id>/reject", f"{kind.name}_reject", _reject_view, ["POST"]),
        (f"{base}/<int:id>/withdraw", f"{kind.name}_withdraw", _withdraw_view, ["POST"]),
        (f"{base}/<int:id>/history", f"{kind.name}_history", _history_view, ["GET"]),
        (f"{base}/<int:id>/diff", f"{kind.name}_diff", _diff_view, ["GET"]),
        (f"{base}/<int:id>/revisions/<int:number>/restore", f"{kind.name}_restore", _restore_view, ["POST"]),
        (f"{base}/<int:id>/revisions/<int:number>/note", f"{kind.name}_correct_note", _correct_note_view,
         ["POST"]),
        (f"{base}/<int:id>/preview", f"{kind.name}_preview", _preview_view, ["GET"]),
    ]
    for rule, endpoint, view, methods in routes:
        bp.add_url_rule(rule, endpoint, _bind(view, kind), methods=methods)
    return kind


def _bind(view: Callable, kind: RecordType) -> Callable:
    def bound(**kwargs: Any):
        return view(kind, **kwargs)

    bound.__name__ = view.__name__
    return bound


def creatable_departments() -> list:
    """The departments the user may create records in, for a form's department choice (all for the centre)."""
    from ..models import Department

    allowed = scope(current_user, Action.CREATE)
    stmt = select(Department).order_by(Department.code)
    if allowed is not None:
        stmt = stmt.where(Department.id.in_(sorted(allowed)))
    return list(db.session.scalars(stmt))


# --- list and new -------------------------------------------------------------------------


#: Rows per page of a record list (a city has 10,000 items: never one page of all of them).
PER_PAGE = 50
#: The list filter's choices of where a record stands (public state and review state together).
STATUS_FILTERS = {"draft": _l("草稿"), "published": _l("已发布"), "withdrawn": _l("已撤回"),
                  "changed": _l("有未发布的修改"), "submitted": _l("待审核"), "rejected": _l("已退回"),
                  "scheduled": _l("已批准，待生效")}


def _list_view(kind: RecordType):
    stmt = kind.list_query()
    departments = scope(current_user)
    if departments is not None:
        if kind.department_column is None:
            abort(403)  # the centre's own records: centre roles only
        stmt = stmt.where(kind.department_column.in_(departments or {-1}))
    query = (request.args.get("q") or "").strip()[:100]
    if query:
        pattern = f"%{query.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(kind.model.code.ilike(pattern) | kind.title_column.ilike(pattern))
    status = request.args.get("status", "")
    model = kind.model
    if status in ("draft", "published", "withdrawn"):
        stmt = stmt.where(model.state == status)
    elif status == "changed":
        stmt = stmt.where(model.has_unpublished_changes.is_(True))
    elif status in ("submitted", "rejected", "scheduled"):
        stmt = stmt.where(model.review_state == status)
    else:
        status = ""
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    return render_template(f"{kind.templates}/list.html", page=page,
                           filters={"q": query, "status": status}, status_filters=STATUS_FILTERS,
                           can_create=_can_create(kind), kind=kind, **{kind.plural: page.items})


def _can_create(kind: RecordType) -> bool:
    if not kind.office_creates:
        return may(current_user, Action.CREATE, department_id=None) and scope(current_user, Action.CREATE) is None
    return may(current_user, Action.CREATE)


def _new_view(kind: RecordType):
    if not _can_create(kind):
        abort(403)
    record = kind.model()
    form = kind.form()
    kind.setup_form(form, record, True)
    if request.method == "GET":
        kind.prefill(form)
        return _render(kind, record, form, editable=True)
    return _save(kind, record, form, creating=True)


# --- edit and save ------------------------------------------------------------------------------


def _edit_view(kind: RecordType, id: int):
    record = fetch_authorized(kind.model, id, Action.VIEW)
    if request.method == "GET":
        form = kind.form(obj=record)
    else:
        authorize(Action.EDIT, record)
        form = kind.form()
    if "code" in form:
        del form.code  # the stable public id never changes after creation
    kind.setup_form(form, record, False)
    if request.method == "GET":
        return _render(kind, record, form, editable=may(current_user, Action.EDIT, record))
    return _save(kind, record, form, creating=False)


def _render(kind: RecordType, record: Record, form, *, editable: bool, workflow_error: str | None = None,
            conflict: list | None = None, base_version: int | None = None, missing: list | None = None,
            merge: dict | None = None) -> str:
    if editable:
        from .forms.common import add_blank_rows

        for name in kind.row_tables:
            add_blank_rows(form[name])
    missing_rows = {}
    for name, message in missing or []:
        if name in kind.row_tables:
            missing_rows[name] = message  # shown on the row table and linked from the summary
        elif name in form and message not in form[name].errors:
            form[name].errors = [*form[name].errors, message]
    return render_template(
        f"{kind.templates}/edit.html", form=form, record=record, kind=kind, readonly=not editable,
        workflow_error=workflow_error, conflict=conflict, missing_rows=missing_rows, merge=merge or {},
        base_version=record.edit_version if base_version is None else base_version,
        change_note=request.form.get("change_note", ""), change_major=request.form.get("change_major") == "1",
        expire_on=request.form.get("expire_on", record.expire_on.isoformat() if record.expire_on else ""),
        actions=_allowed_actions(record), note_max=CHANGE_NOTE_MAX_LENGTH, **{kind.name: record}, **kind.extra)


def _allowed_actions(record: Record) -> dict[str, bool]:
    """Which workflow buttons the page offers (the server checks again on every POST)."""
    if record.id is None:
        return {action.value: may(current_user, action) for action in Action}
    return {action.value: may(current_user, action, record) for action in Action}


#: The buttons of an edit form and the action each needs.
_SAVE_STEPS = {"draft": Action.EDIT, "submit": Action.SUBMIT, "publish": Action.PUBLISH}


def _save(kind: RecordType, record: Record, form, *, creating: bool):
    """Save the working copy (and submit or publish it when asked); nothing is stored unless all of it succeeds."""
    step = request.form.get("action", "draft")
    needed = _SAVE_STEPS.get(step)
    if needed is None:
        abort(400)
    if creating:
        if not may(current_user, needed):
            abort(403)
    else:
        authorize(needed, record)
    render = _renderer(kind, record, form)
    if request.form.get(ROW_OP):  # 添加一行 / 上移 / 下移 / 删除此行: show the form again, store nothing
        if apply_row_op(form, request.form[ROW_OP], kind.row_tables) is None:
            abort(400)
        return render()
    if not form.validate_on_submit():
        return render(), 400
    try:
        note = clean_text(request.form.get("change_note", ""))
    except BadText as exc:
        return render(workflow_error=_("修改说明%(problem)s", problem=exc.message)), 400
    if len(note) > CHANGE_NOTE_MAX_LENGTH:
        return render(workflow_error=_("修改说明不能超过 %(limit)s 个字。", limit=CHANGE_NOTE_MAX_LENGTH)), 400
    major = request.form.get("change_major") == "1"
    expire_on, error = _date_field("expire_on", _("失效日期"))
    if error:
        return render(workflow_error=error), 400
    if expire_on is not None and expire_on <= clock.today() and expire_on != record.expire_on:
        return render(workflow_error=_("失效日期必须晚于今天。")), 400
    base = request.form.get("edit_version", type=int)
    if not creating:
        try:
            workflow.check_base(record, base)
        except Conflict as exc:
            conflict = _changes_since(kind, record, exc.base)
            merged, taken, both = _merge(kind, record, form, exc.base)
            return _render(kind, record, merged, editable=True, workflow_error=str(exc), conflict=conflict,
                           base_version=exc.current, merge={"taken": taken, "both": both}), 409
    (kind.apply or (lambda f, r, c: f.apply_to(r)))(form, record, creating)
    record.expire_on = expire_on
    db.session.add(record)
    review_note = workflow.mark_edited(record)
    if not may(current_user, needed, record) or (creating and not may(current_user, Action.CREATE, record)):
        _discard(record, creating)
        abort(403)  # moved to (or created in) a department the user does not work for
    saved = record_revision(record, author=current_user, note=note, major=major)
    audit.record("create" if creating else "save", target=record, summary=f"{kind.title(record)}：保存第{saved.number}稿",
                 detail={"revision": saved.number, "major": major, "note": note})
    try:
        if step == "submit":
            workflow.submit(record)
            audit.record("submit", target=record, summary=f"{kind.title(record)}：提交审核")
        elif step == "publish":
            workflow.publish(record)
            audit.record("publish", target=record, summary=f"{kind.title(record)}：发布第{record.revision}版")
    except WorkflowError as exc:
        missing = workflow.missing_field_names(record)
        _discard(record, creating)  # nothing saved, nothing published; the form keeps it all
        return render(workflow_error=str(exc), missing=missing), 400
    try:
        db.session.commit()
    except IntegrityError:  # a code taken meanwhile by someone else
        _discard(record, creating)
        return render(workflow_error=_("保存失败：编码已被使用，请换一个编码后重试。")), 400
    index_record(record)
    if review_note:
        flash(review_note, "warning")
    if step == "publish":
        rebuild_site(N_("已发布第%(number)s版"), failed_prefix=N_("内容已发布，但"), number=record.revision)
    elif step == "submit":
        flash(_("已保存并提交审核，审核通过后才会在公开网站上更新"), "success")
    else:
        flash(_("已保存草稿，公开网站暂不变化"), "success")
    return redirect(url_for(kind.endpoint("edit"), id=record.id))


def _renderer(kind: RecordType, record: Record, form) -> Callable[..., str]:
    def render(**kwargs: Any) -> str:
        return _render(kind, record, form, editable=True, **kwargs)

    return render


def _discard(record: Record, creating: bool) -> None:
    db.session.rollback()
    if creating:
        record.id = None  # a flush gave it an id; the row never was


def _merge(kind: RecordType, record: Record, form, base: int) -> tuple[Any, list[str], list[str]]:
    """A three-way merge of a refused save: the form shown again carries the user's changes *and* the
    other person's changes to fields the user did not touch, so saving again loses neither.

    Returns the merged form, the labels of fields taken from the other person, and of fields both
    changed (the user's value is kept there; the conflict panel shows the other's).
    """
    from ..disclosure import public_fields
    from ..record_data import apply_data
    from .revision_diff import field_label

    opened = revision(record, base) if base else None
    if opened is None:
        return form, [], []
    theirs = public_fields(record)
    with db.session.no_autoflush:
        (kind.apply or (lambda f, r, c: f.apply_to(r)))(form, record, False)
        mine = public_fields(record)
    db.session.rollback()  # nothing of this is stored: the record is theirs again
    merged: dict[str, Any] = {}
    taken: list[str] = []
    both: list[str] = []
    for key in list(theirs) + [key for key in mine if key not in theirs]:
        before, ours, other = opened.data.get(key), mine.get(key), theirs.get(key)
        if ours == before and other != before:
            merged[key] = other
            taken.append(field_label(record.__tablename__, key))
        else:
            merged[key] = ours
            if ours != before and other != before and ours != other:
                both.append(field_label(record.__tablename__, key))
    with db.session.no_autoflush:
        apply_data(record, merged)
        shown = kind.form(formdata=None, obj=record)
        if "code" in shown:
            del shown.code
        kind.setup_form(shown, record, False)
    db.session.rollback()
    return shown, taken, both


def _changes_since(kind: RecordType, record: Record, base: int) -> list:
    """What others saved since revision ``base``: the diff shown with a refused (conflicting) save."""
    old = revision(record, base) if base else None
    new = revision(record, record.edit_version)
    if new is None:
        return []
    return compare(record.__tablename__, old.data if old is not None else {}, new.data)


# --- review --------------------------------------------------------------------------------------


def _submit_view(kind: RecordType, id: int):
    record = fetch_authorized(kind.model, id, Action.SUBMIT)
    try:
        workflow.submit(record)
    except WorkflowError as exc:
        flash(str(exc), "error")
        return redirect(url_for(kind.endpoint("edit"), id=id))
    audit.record("submit", target=record, summary=f"{kind.title(record)}：提交审核")
    db.session.commit()
    flash(_("已提交审核，审核通过后才会在公开网站上更新"), "success")
    return redirect(url_for(kind.endpoint("edit"), id=id))


def _approve_view(kind: RecordType, id: int):
    record = fetch_authorized(kind.model, id, Action.APPROVE)
    publish_on, error = _date_field("publish_on", _("生效日期"))
    if error:
        flash(error, "error")
        return redirect(url_for(kind.endpoint("edit"), id=id))
    try:
        published = workflow.approve(record, publish_on=publish_on)
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(kind.endpoint("edit"), id=id))
    if published:
        audit.record("approve", target=record, summary=f"{kind.title(record)}：审核通过，发布第{record.revision}版")
    else:
        audit.record("schedule", target=record, summary=f"{kind.title(record)}：审核通过，{publish_on.isoformat()}生效",
                     detail={"publish_on": publish_on.isoformat()})
    db.session.commit()
    index_record(record)
    if published:
        rebuild_site(N_("审核通过，已发布第%(number)s版"), failed_prefix=N_("已审核通过并发布，但"),
                     number=record.revision)
    else:
        flash(_("审核通过，将于 %(date)s 自动发布", date=publish_on.isoformat()), "success")
    return redirect(_back(kind, id))


def _reject_view(kind: RecordType, id: int):
    record = fetch_authorized(kind.model, id, Action.REJECT)
    try:
        reason = clean_text(request.form.get("reason", ""), multiline=True)
        workflow.reject(record, reason)
    except BadText as exc:
        flash(_("退回原因%(problem)s", problem=exc.message), "error")
        return redirect(url_for(kind.endpoint("edit"), id=id))
    except WorkflowError as exc:
        flash(str(exc), "error")
        return redirect(url_for(kind.endpoint("edit"), id=id))
    audit.record("reject", target=record, summary=f"{kind.title(record)}：退回修改", detail={"reason": reason})
    db.session.commit()
    flash(_("已退回，编辑会看到退回原因"), "success")
    return redirect(_back(kind, id))


def _back(kind: RecordType, id: int) -> str:
    """After a review step: back to the queue when the reviewer came from it."""
    if request.form.get("from") == "queue":
        return url_for("admin.review_queue")
    return url_for(kind.endpoint("edit"), id=id)


def _date_field(name: str, label: str) -> tuple[dt.date | None, str | None]:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None, None
    try:
        return dt.date.fromisoformat(raw), None
    except ValueError:
        return None, _("%(label)s格式不对，请按 2026-03-01 的格式填写。", label=label)


def _withdraw_view(kind: RecordType, id: int):
    """Take a published record off the public site and rebuild it.

    The optional 撤回原因 (``reason``, one line) is published on a withdrawn item's page, so it
    goes through the same text rule as every public form and the contract's length limit.
    """
    record = fetch_authorized(kind.model, id, Action.WITHDRAW)
    edit = url_for(kind.endpoint("edit"), id=id)
    try:
        reason = clean_text(request.form.get("reason", ""))
    except BadText as exc:
        flash(_("撤回原因%(problem)s", problem=exc.message), "error")
        return redirect(edit)
    try:
        workflow.withdraw(record, reason)
    except WorkflowError as exc:
        flash(str(exc), "error")
        return redirect(edit)
    audit.record("withdraw", target=record, summary=f"{kind.title(record)}：撤回", detail={"reason": reason})
    db.session.commit()
    index_record(record)
    rebuild_site(N_("已撤回"), failed_prefix=N_("内容已撤回，但"))
    return redirect(edit)


@bp.context_processor
def withdraw_form_limits() -> dict:
    """The withdraw form's ``maxlength`` is the contract's, never a number of its own."""
    return {"reason_max": WITHDRAWN_REASON_MAX_LENGTH}


# --- history, diff, restore, preview ----------------------------------------------------------------


def _history_view(kind: RecordType, id: int):
    record = fetch_authorized(kind.model, id, Action.VIEW)
    return render_template("admin/records/history.html", record=record, kind=kind, revisions=revisions_of(record),
                           can_restore=may(current_user, Action.RESTORE, record),
                           can_correct=may(current_user, Action.CORRECT_NOTE, record), note_max=CHANGE_NOTE_MAX_LENGTH)


def _diff_view(kind: RecordType, id: int):
    record = fetch_authorized(kind.model, id, Action.VIEW)
    numbers = [request.args.get(name, type=int) for name in ("a", "b")]
    if None in numbers:
        abort(404)
    old, new = (revision(record, number) for number in sorted(numbers))
    if old is None or new is None:
        abort(404)
    return render_template("admin/records/diff.html", record=record, kind=kind, old=old, new=new,
                           fields=compare(record.__tablename__, old.data, new.data))


def _restore_view(kind: RecordType, id: int, number: int):
    record = fetch_authorized(kind.model, id, Action.RESTORE)
    old = revision(record, number)
    if old is None:
        abort(404)
    base = request.form.get("edit_version", type=int)
    try:
        workflow.check_base(record, base)
        workflow.restore(record, old)
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(kind.endpoint("history"), id=id))
    saved = record_revision(record, author=current_user, note=f"恢复第{number}稿的内容", major=False)
    audit.record("restore", target=record, summary=f"{kind.title(record)}：恢复第{number}稿为第{saved.number}稿",
                 detail={"from": number, "revision": saved.number})
    db.session.commit()
    index_record(record)
    flash(_("已将第%(old)s稿的内容恢复为新的草稿（第%(new)s稿），需审核发布后才会公开", old=number, new=saved.number),
          "success")
    return redirect(url_for(kind.endpoint("edit"), id=id))


def _correct_note_view(kind: RecordType, id: int, number: int):
    """An administrator corrects a published change note; the reason is kept beside it and audited."""
    record = fetch_authorized(kind.model, id, Action.CORRECT_NOTE)
    row = revision(record, number)
    if row is None or row.published_as is None:
        abort(404)
    history = url_for(kind.endpoint("history"), id=id)
    try:
        note = clean_text(request.form.get("note", ""))
        reason = clean_text(request.form.get("reason", ""))
    except BadText as exc:
        flash(_("修改说明或更正原因%(problem)s", problem=exc.message), "error")
        return redirect(history)
    if not reason:
        flash(_("请填写更正原因。"), "error")
        return redirect(history)
    if not note or len(note) > CHANGE_NOTE_MAX_LENGTH or len(reason) > 300:
        flash(_("修改说明不能为空，且不能超过 %(limit)s 个字；更正原因不能超过 300 个字。", limit=CHANGE_NOTE_MAX_LENGTH),
              "error")
        return redirect(history)
    before = row.note
    row.note = note
    row.note_correction_reason = reason
    audit.record("note_corrected", target=record, summary=f"{kind.title(record)}：更正第{row.published_as}版的修改说明",
                 detail={"revision": number, "before": before, "after": note, "reason": reason})
    db.session.commit()
    if row.major and record.state == "published":
        rebuild_site(N_("已更正修改说明"), failed_prefix=N_("修改说明已更正，但"))
    else:
        flash(_("已更正修改说明"), "success")
    return redirect(history)


def _preview_view(kind: RecordType, id: int):
    """The working copy exactly as the public page will show it (rendered by the publisher's own code)."""
    record = fetch_authorized(kind.model, id, Action.VIEW)
    from ..preview import PreviewError, preview_headers, preview_html

    try:
        html = preview_html(record)
    except PreviewError as exc:
        flash(str(exc), "error")
        return redirect(url_for(kind.endpoint("edit"), id=id))
    return Response(html, mimetype="text/html", headers=preview_headers())


# --- the reviewer's queue --------------------------------------------------------------------------


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a list already in memory (the queue gathers several tables)."""

    def __init__(self, rows: list, *, page: int, per_page: int) -> None:
        self._rows = rows
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)

    def _query_items(self) -> list:
        return self._rows[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._rows)


@dataclass
class QueueEntry:
    kind: RecordType
    record: Any
    waiting: dt.timedelta
    author: str


@bp.get("/review")
def review_queue():
    """Submitted working copies the user may approve (or, for a supervisor, see), oldest first.

    The revisions shown (the submitted one with its author, the one live on the public site) are
    read in bulk, a few queries per record type: one query per entry took 0.6 s for 200 entries.
    """
    authorize(Action.REVIEW_QUEUE)
    now = clock.now()
    entries: list[QueueEntry] = []
    live: dict[tuple[str, int], Revision] = {}
    departments = scope(current_user, Action.REVIEW_QUEUE)
    for kind in RECORD_TYPES.values():
        stmt = select(kind.model).where(kind.model.review_state == SUBMITTED)
        if departments is not None:
            if kind.department_column is None:
                continue
            stmt = stmt.where(kind.department_column.in_(departments or {-1}))
        if hasattr(kind.model, "department"):
            stmt = stmt.options(selectinload(kind.model.department))
        records = db.session.scalars(stmt).all()
        table = kind.model.__tablename__
        submitted = _revisions(table, Revision.number, [(r.id, r.edit_version) for r in records if r.edit_version])
        published = _revisions(table, Revision.published_as, [(r.id, r.revision) for r in records if r.revision])
        for record in records:
            latest = submitted.get((record.id, record.edit_version))
            author = latest.author.display_name if latest is not None and latest.author is not None else "—"
            if (record.id, record.revision) in published:
                live[table, record.id] = published[record.id, record.revision]
            entries.append(QueueEntry(kind, record, now - (record.submitted_at or now), author))
    entries.sort(key=lambda entry: entry.waiting, reverse=True)
    page = ListPagination(entries, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template("admin/records/queue.html", entries=page.items, page=page,
                           can_approve=lambda record: may(current_user, Action.APPROVE, record),
                           last_published=lambda record: live.get((record.__tablename__, record.id)))


def _revisions(table: str, number: Any, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], Revision]:
    """Revisions of one table by (record id, ``number`` column value), with their authors, in two queries."""
    if not wanted:
        return {}
    rows = db.session.scalars(select(Revision).options(selectinload(Revision.author)).where(
        Revision.record_type == table, tuple_(Revision.record_id, number).in_(wanted)))
    return {(row.record_id, getattr(row, number.key)): row for row in rows}
