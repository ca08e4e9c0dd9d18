"""审计日志 in the back office: the supervisor's and the administrator's read-only view of the audit log.

``/admin/audit`` lists entries newest first, 50 a page, filtered by account, department, action
and China-time date range, the filter kept in the URL; ``/admin/audit/export.csv`` downloads the
filtered entries (the export is itself audited). Both are GET only: no route edits or deletes an
entry (the mapper and every ORM statement refuse it too, ``sunshine.site.audit``). Who may read
is ``policy``'s ``READ_AUDIT``; office staff get 403.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from flask import Response, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, select
from werkzeug.routing import BuildError

from .. import audit, clock
from ..audit_capture import SHOWN_NAMES, SPECS, TABLE_LABELS
from ..db import db
from ..models import AuditEntry, Department, User
from ..policy import Action, may
from ..roles import N_
from ..text_input import BadText, clean_text
from . import bp
from .permissions import requires

PAGE_SIZE = 50
#: A page number past this is answered with an empty page (an offset the database can hold).
MAX_PAGE = 1_000_000
#: The longest account name the log stores.
USERNAME_MAX = 64
DATE_HINT = N_("请按 2026-03-01 的格式填写日期。")
#: The back-office page of each kind of target (its endpoint takes ``id``); accounts have none to read.
TARGET_PAGES = {
    "complaint": "admin.complaint", "service_case": "admin.case", "question": "admin.question",
    "rating": "admin.rating", "rectification": "admin.rectification", "service_item": "admin.item_edit",
    "department": "admin.department_edit", "notice": "admin.notice_edit", "channel": "admin.channel_edit",
}
#: Labels of the code values recorded in ``detail["changes"]`` (per table and column).
VALUE_LABELS = {model.__tablename__: spec.shown for model, spec in SPECS.items()}
ROW_ACTIONS = {"create": "新建", "change": "修改", "delete": "删除"}


@dataclass(frozen=True)
class LogFilter:
    """What the reader narrowed the log to; every field is optional."""

    user: str = ""
    department: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def args(self) -> dict[str, str]:
        """The filter as URL arguments (empty ones left out), for links that keep it."""
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items() if v}


def read_filter(args: Mapping[str, str], department_codes: set[str]) -> tuple[LogFilter, dict[str, str]]:
    """The filter from the URL, and a message (in the user's language) per field that cannot be used."""
    errors: dict[str, str] = {}
    try:
        user = clean_text(args.get("user", ""))
    except BadText as bad:
        user, errors["user"] = bad.cleaned, _("账号%(problem)s", problem=bad.message)
    if len(user) > USERNAME_MAX:
        errors["user"] = _("账号不能超过%(limit)s个字符。", limit=USERNAME_MAX)
    department = args.get("department", "").strip()
    if department and department not in department_codes:
        errors["department"] = _("没有这个部门，请从列表中选择。")
    action = args.get("action", "").strip()
    if action and action not in audit.ACTIONS:
        errors["action"] = _("没有这种操作，请从列表中选择。")
    since, until = _date(args, "since", errors), _date(args, "until", errors)
    if since and until and since > until:
        errors["until"] = _("结束日期不能早于开始日期。")
    return LogFilter(user, department, action, since, until), errors


def _date(args: Mapping[str, str], name: str, errors: dict[str, str]) -> dt.date | None:
    value = args.get(name, "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = _(DATE_HINT)
        return None


def _start_of(day: dt.date) -> dt.datetime:
    """00:00 China time of ``day``, as the aware moment the log compares with."""
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CN_TZ)


def filtered(log_filter: LogFilter, department_id: int | None) -> Select:
    """The entries the filter keeps, newest first."""
    stmt = select(AuditEntry)
    if log_filter.user:
        stmt = stmt.where(AuditEntry.username == log_filter.user)
    if log_filter.department:
        stmt = stmt.where(AuditEntry.department_id == department_id)
    if log_filter.action:
        stmt = stmt.where(AuditEntry.action == log_filter.action)
    if log_filter.since:
        stmt = stmt.where(AuditEntry.at >= _start_of(log_filter.since))
    if log_filter.until:
        stmt = stmt.where(AuditEntry.at < _start_of(log_filter.until + dt.timedelta(days=1)))
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


# ---------------------------------------------------------------- reading an entry


def target_label(entry: AuditEntry) -> str:
    if not entry.target_type:
        return ""
    label = TABLE_LABELS.get(entry.target_type, entry.target_type)
    return f"{label} #{entry.target_id}" if entry.target_id is not None else label


def target_url(entry: AuditEntry) -> str | None:
    """The back-office page of the entry's record, when there is one (a deleted record's page answers 404)."""
    endpoint = TARGET_PAGES.get(entry.target_type)
    if endpoint is None or entry.target_id is None or entry.action == "delete":
        return None
    try:
        return url_for(endpoint, id=entry.target_id)
    except BuildError:
        return None


def _value(table: str, column: str, value: Any, department_names: Mapping[int, str]) -> str:
    if value is None or value == "":
        return "（空）"
    if column == "department_id":
        return department_names.get(value, str(value))
    labels = VALUE_LABELS.get(table, {}).get(column, {})
    return str(labels.get(value, value))


def detail_lines(entry: AuditEntry, department_names: Mapping[int, str] | None = None) -> list[str]:
    """The entry's detail as short Chinese lines (field names as stored; never a private value, none is kept)."""
    department_names = department_names or {}
    detail = dict(entry.detail or {})
    table = detail.pop("table", entry.target_type)
    lines = []
    if "columns" in detail:
        lines.append("修改的字段：" + "、".join(detail.pop("columns")))
    for column, (old, new) in (detail.pop("changes", None) or {}).items():
        old_text, new_text = (_value(table, column, v, department_names) for v in (old, new))
        lines.append(f"{SHOWN_NAMES.get(column, column)}：{old_text} → {new_text}")
    for row in detail.pop("related", None) or []:
        name = f"（{row['name']}）" if row.get("name") else ""
        columns = f"：{'、'.join(row['columns'])}" if row.get("columns") else ""
        label = TABLE_LABELS.get(row["table"], row["table"])
        lines.append(f"{ROW_ACTIONS.get(row['action'], row['action'])}{label} #{row['id']}{name}{columns}")
    if "count" in detail:
        lines.append(f"共{detail.pop('count')}条，编号：" + "、".join(str(i) for i in detail.pop("ids", [])))
    for key, value in detail.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}：{text}")
    return lines


def cn_time(entry: AuditEntry) -> str:
    return entry.at.astimezone(clock.CN_TZ).strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------- the views


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.code)))


def _request_filter() -> tuple[LogFilter, dict[str, str], list[Department], int | None]:
    departments = _departments()
    by_code = {d.code: d for d in departments}
    log_filter, errors = read_filter(request.args, set(by_code))
    department = by_code.get(log_filter.department)
    return log_filter, errors, departments, department.id if department else None


def _page(log_filter: LogFilter, errors: dict[str, str], departments: list[Department], pagination=None):
    """The log page: the filter form (with its errors) and, when the filter is usable, one page of entries."""
    return render_template(
        "admin/audit/list.html", pagination=pagination, entries=list(pagination.items) if pagination else [],
        filter=log_filter, errors=errors, departments=departments,
        department_names={d.id: d.short_name or d.name for d in departments}, actions=audit.ACTIONS,
        usernames=list(db.session.scalars(select(User.username).order_by(User.username))),
        target_label=target_label, target_url=target_url, detail_lines=detail_lines, cn_time=cn_time,
    ), 400 if errors else 200


@bp.get("/audit")
@requires(Action.READ_AUDIT)
def audit_log():
    log_filter, errors, departments, department_id = _request_filter()
    if errors:
        return _page(log_filter, errors, departments)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    return _page(log_filter, errors, departments,
                 db.paginate(filtered(log_filter, department_id), page=page, per_page=PAGE_SIZE, error_out=False))


CSV_HEADER = ("时间（北京时间）", "账号", "地址", "操作", "对象", "对象编号", "部门", "摘要", "详情")


@bp.get("/audit/export.csv")
@requires(Action.READ_AUDIT)
def audit_log_export():
    log_filter, errors, departments, department_id = _request_filter()
    if errors:
        return _page(log_filter, errors, departments)
    stmt = filtered(log_filter, department_id)
    last_id = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    stmt = stmt.where(AuditEntry.id <= last_id)  # what was there when asked, not this export's own entry
    count = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    audit.record("export", target_type="audit_entry", summary=f"导出审计日志 {count} 条",
                 detail={"filter": log_filter.args(), "count": count}, commit=True)
    names = {d.id: d.short_name or d.name for d in departments}
    filename = f"audit-log-{clock.today().isoformat()}.csv"
    return Response(stream_with_context(_csv_lines(stmt, names)), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})


def _csv_lines(stmt: Select, department_names: dict[int, str]) -> Iterator[str]:
    """The CSV, a batch of rows at a time (UTF-8 with BOM, so Excel opens it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    yield "\ufeff" + _drain(buffer)
    for entry in db.session.scalars(stmt.execution_options(yield_per=500)):
        writer.writerow([_cell(v) for v in (
            cn_time(entry), entry.username, entry.address, audit.ACTIONS.get(entry.action, entry.action),
            TABLE_LABELS.get(entry.target_type, entry.target_type), "" if entry.target_id is None else entry.target_id,
            department_names.get(entry.department_id, ""), entry.summary,
            "；".join(detail_lines(entry, department_names)))])
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _cell(value: Any) -> Any:
    """A spreadsheet must not run what someone typed (a user name tried at login): formulas become text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.context_processor
def audit_log_helpers() -> dict:
    """``reads_audit_log()`` for the navigation link (shown to supervisor and administrator only)."""
    return {"reads_audit_log": lambda: current_user.is_authenticated and may(current_user, Action.READ_AUDIT)}
