"""What the audit log captures by itself: changes to case-handling and account data, one flush at a time.

Complaints, cases, ratings, work orders, questions, urges, accounts, API tokens and the centre's
profile are changed by many views and commands; rather than trusting each to call
``audit.record``, the session listener in ``sunshine.site.audit`` hands every flush made by a known
actor to ``describe``, which turns it into entries: the table, the row, its department and the
*names* of the changed columns. Values are kept only for the few code columns a spec declares
``shown`` (a status, a role), never for a private field (a test holds ``shown`` and ``private``
apart). Disclosure records (items, departments, channels, notices and their rows) are not captured:
their workflow records each step itself. This module never writes to the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE

from sunshine.contract.codes import (
    APPEAL_STATUSES,
    CASE_STATUSES,
    COMPLAINT_DECLINE_REASONS,
    COMPLAINT_OUTCOMES,
    COMPLAINT_STATUSES,
    QUESTION_STATUSES,
    RATING_STATUSES,
    RECTIFICATION_STATUSES,
)

from .models import (
    CASE_PRIVATE_FIELDS,
    QUESTION_PRIVATE_FIELDS,
    RATING_PRIVATE_FIELDS,
    ROLES,
    ApiToken,
    CaseEvent,
    CaseFee,
    Complaint,
    ComplaintEvent,
    Question,
    Rating,
    Rectification,
    ServiceCase,
    SiteProfile,
    Urge,
    User,
)

#: More rows than this of one table, action and department in one flush make one summary entry
#: (an import of 4,000 cases is one line in the log, with every id in its detail).
BULK_LIMIT = 50

CREATE, CHANGE, DELETE = "create", "change", "delete"


@dataclass(frozen=True)
class Spec:
    """How a captured model appears in the log."""

    #: Chinese name of the kind of record ("投诉").
    label: str
    #: How one row is named in a summary (a tracking number, a user name); default "#id".
    name: Callable[[Any], str] | None = None
    #: Columns whose old and new values are recorded, with the labels of their codes.
    shown: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    #: Columns whose values must never be recorded (checked against ``shown`` by a test).
    private: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildSpec:
    """A row that belongs to a captured record (a complaint's history step): logged on its parent's entry."""

    #: Relationship attribute naming the parent row.
    parent: str
    #: What the row says in the summary (a step's name), or None.
    name: Callable[[Any], str] | None = None


BOOLEAN_LABELS = {True: "是", False: "否"}
#: Chinese names of the ``shown`` columns, for the log viewer.
SHOWN_NAMES = {"status": "状态", "department_id": "部门", "outcome": "办结结果", "decline_reason": "不予受理理由",
               "appeal_status": "申诉", "public": "同意公开", "role": "角色", "active": "启用"}

SPECS: dict[type, Spec] = {
    Complaint: Spec("投诉", lambda c: c.tracking_no, {
        "status": COMPLAINT_STATUSES, "department_id": {}, "outcome": COMPLAINT_OUTCOMES,
        "decline_reason": COMPLAINT_DECLINE_REASONS},
        private=("contact_name", "contact_phone", "contact_email", "query_code_hash", "submission_key")),
    ServiceCase: Spec("办件", lambda c: c.case_no, {"status": CASE_STATUSES, "department_id": {}},
                      private=(*CASE_PRIVATE_FIELDS, "query_code_hash")),
    Rating: Spec("评价", None, {"status": RATING_STATUSES}, private=RATING_PRIVATE_FIELDS),
    Rectification: Spec("整改工单", lambda r: r.code, {
        "status": RECTIFICATION_STATUSES, "appeal_status": APPEAL_STATUSES}, private=("contact_note", "answer")),
    Question: Spec("网上咨询", lambda q: q.tracking_no, {
        "status": QUESTION_STATUSES, "department_id": {}, "public": BOOLEAN_LABELS},
        private=(*QUESTION_PRIVATE_FIELDS, "query_code_hash", "submission_key")),
    Urge: Spec("催办", None),
    User: Spec("账号", lambda u: u.username, {"role": ROLES, "department_id": {}, "active": BOOLEAN_LABELS},
               private=("password_hash",)),
    ApiToken: Spec("接口令牌", lambda t: t.name, {"active": BOOLEAN_LABELS}, private=("token_hash",)),
    SiteProfile: Spec("中心信息", lambda _p: ""),
}

CHILDREN: dict[type, ChildSpec] = {
    ComplaintEvent: ChildSpec("complaint", lambda e: e.action),
    CaseEvent: ChildSpec("case", lambda e: CASE_STATUSES.get(e.status, e.status)),
    CaseFee: ChildSpec("case"),
}

#: Chinese names of the tables entries name (captured ones, and those the workflow records).
TABLE_LABELS: dict[str, str] = {
    **{model.__tablename__: spec.label for model, spec in SPECS.items()},
    "complaint_event": "投诉办理记录", "case_event": "办件进度", "case_fee": "办件收费",
    "service_item": "服务事项", "department": "部门", "notice": "通知公告", "channel": "投诉渠道",
    "audit_entry": "审计日志", "publish_job": "网站发布", "search_synonym": "检索同义词",
}


@dataclass
class Change:
    """What happened to one captured row in a flush (or, merged, in a whole transaction)."""

    action: str
    table: str
    row_id: int | None
    department_id: int | None
    #: The row as people name it: "投诉 TS-2026-AB12".
    title: str
    #: Names of the child rows created (a complaint's "受理"), for the summary.
    steps: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    #: Old and new value of each changed ``shown`` column.
    changes: dict[str, list[Any]] = field(default_factory=dict)
    #: Child rows created, changed or deleted: table, id, action (and their changed columns).
    related: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int | None]:
        return self.table, self.row_id

    def merged(self, later: Change) -> Change:
        """This change followed by ``later`` of the same row, as one (created then changed is "create")."""
        if later.action == DELETE:
            action = DELETE
        else:
            action = self.action if self.action in (CREATE, DELETE) else later.action
        changes = {key: [self.changes[key][0] if key in self.changes else later.changes[key][0],
                         later.changes[key][1] if key in later.changes else self.changes[key][1]]
                   for key in sorted({*self.changes, *later.changes})}
        return Change(action, self.table, self.row_id,
                      later.department_id if later.department_id is not None else self.department_id,
                      later.title, list(dict.fromkeys([*self.steps, *later.steps])),
                      sorted({*self.columns, *later.columns}), changes, [*self.related, *later.related])

    @property
    def summary(self) -> str:
        return self.title + ("：" + "、".join(self.steps) if self.steps else "")

    @property
    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"table": self.table}
        if self.action == CHANGE and self.columns:
            detail["columns"] = self.columns
        if self.changes:
            detail["changes"] = self.changes
        if self.related:
            detail["related"] = sorted(self.related, key=lambda r: (r["table"], r["id"] or 0, r["action"]))
        return detail


@dataclass(frozen=True)
class Entry:
    """One row to write: a change, or a bulk of them."""

    action: str
    table: str
    row_id: int | None
    department_id: int | None
    summary: str
    detail: dict[str, Any]


def changed_columns(obj: Any) -> list[str]:
    """Names of the columns of ``obj`` changed since it was loaded (a many-to-one change names its key)."""
    state = inspect(obj)
    mapper = state.mapper
    names = {attr.key for attr in mapper.column_attrs if state.attrs[attr.key].history.has_changes()}
    for rel in mapper.relationships:
        if rel.direction is MANYTOONE and state.attrs[rel.key].history.has_changes():
            names.update(mapper.get_property_by_column(column).key for column in rel.local_columns)
    return sorted(names)


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _shown_changes(obj: Any, spec: Spec, columns: list[str], known_old: Mapping[str, Any]) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes = {}
    for key in spec.shown:
        if key in columns:
            history = state.attrs[key].history
            old = history.deleted[0] if history.deleted else known_old.get(key)
            changes[key] = [_plain(old), _plain(state.dict.get(key))]
    return changes


def unloaded_old_values(session: Session) -> dict[tuple[str, int], dict[str, Any]]:
    """Stored values of ``shown`` columns set on a row whose old value was never loaded (it had
    been expired by a commit), read in ``before_flush`` while the database still has them."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for obj in session.dirty:
        spec = SPECS.get(type(obj))
        if spec is None or not spec.shown:
            continue
        state = inspect(obj)
        keys = [key for key in spec.shown
                if (history := state.attrs[key].history).has_changes() and not history.deleted]
        if keys and state.identity is not None:
            mapper = state.mapper
            table = mapper.local_table
            row = session.execute(select(*(table.c[key] for key in keys))
                                  .where(table.c.id == state.identity[0])).one_or_none()
            if row is not None:
                found[(table.name, state.identity[0])] = dict(zip(keys, row, strict=True))
    return found


def describe(session: Session, known_old: Mapping[tuple[str, int], Mapping[str, Any]] | None = None) -> list[Change]:
    """The changes of captured rows in a flush, read from ``session`` in ``after_flush`` (ids assigned,
    foreign keys set, attribute history still there). A child row is folded into its parent's change;
    ``known_old`` are the old values ``unloaded_old_values`` read before the flush."""
    known_old = known_old or {}
    found: dict[tuple[str, int], Change] = {}
    for action, objects in ((CREATE, session.new), (CHANGE, session.dirty), (DELETE, session.deleted)):
        for obj in objects:
            kind = type(obj)
            if kind in SPECS:
                change = _record_change(action, obj, known_old.get((obj.__tablename__, obj.id), {}))
                if change is not None:
                    _fold(found, change)
            elif kind in CHILDREN:
                _add_child(found, session, action, obj, CHILDREN[kind])
    return [change for change in found.values() if change.action != CHANGE or change.columns or change.related]


def _fold(found: dict, change: Change) -> None:
    earlier = found.get(change.key)
    found[change.key] = change if earlier is None else earlier.merged(change)


def _record_change(action: str, obj: Any, known_old: Mapping[str, Any]) -> Change | None:
    spec = SPECS[type(obj)]
    columns = changed_columns(obj) if action == CHANGE else []
    if action == CHANGE and not columns:
        return None
    return Change(action, obj.__tablename__, obj.id, _department_id(obj), _title(spec, obj),
                  columns=columns, changes=_shown_changes(obj, spec, columns, known_old) if columns else {})


def _title(spec: Spec, obj: Any) -> str:
    name = spec.name(obj) if spec.name is not None else f"#{obj.id}"
    return f"{spec.label} {name}".strip()


def _department_id(obj: Any) -> int | None:
    return inspect(obj).dict.get("department_id")


def _add_child(found: dict, session: Session, action: str, obj: Any, child: ChildSpec) -> None:
    columns = changed_columns(obj) if action == CHANGE else []
    if action == CHANGE and not columns:
        return
    parent = _parent(session, obj, child)
    if parent is None:
        return
    row: dict[str, Any] = {"table": obj.__tablename__, "id": obj.id, "action": action}
    if columns:
        row["columns"] = columns
    step = child.name(obj) if child.name is not None and action == CREATE else ""
    if step:
        row["name"] = step
    _fold(found, Change(CHANGE, parent.__tablename__, parent.id, _department_id(parent),
                        _title(SPECS[type(parent)], parent), steps=[step] if step else [], related=[row]))


def _parent(session: Session, obj: Any, child: ChildSpec) -> Any:
    """The parent row of a child, from what is loaded, else by its key (no lazy load of a deleted row)."""
    state = inspect(obj)
    loaded = state.dict.get(child.parent)
    if loaded is not None:
        return loaded
    rel = state.mapper.relationships[child.parent]
    (column,) = rel.local_columns
    parent_id = state.dict.get(state.mapper.get_property_by_column(column).key)
    return session.get(rel.mapper.class_, parent_id) if parent_id is not None else None


def entries(changes: list[Change]) -> list[Entry]:
    """The rows to write for a transaction's changes: groups of more than ``BULK_LIMIT`` rows (same
    action, table and department) become one entry naming every id."""
    groups: dict[tuple[str, str, int | None], list[Change]] = {}
    for change in sorted(changes, key=lambda c: (c.table, c.row_id or 0)):
        groups.setdefault((change.action, change.table, change.department_id), []).append(change)
    result = []
    for (action, table, department_id), members in groups.items():
        if len(members) <= BULK_LIMIT:
            result.extend(Entry(c.action, c.table, c.row_id, c.department_id, c.summary, c.detail) for c in members)
            continue
        label = TABLE_LABELS.get(table, table)
        result.append(Entry(action, table, None, department_id, f"{label} {len(members)} 条",
                            {"table": table, "count": len(members), "ids": [m.row_id for m in members]}))
    return result
