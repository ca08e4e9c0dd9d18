"""Writing the audit log (审计日志): the one function every view and command calls, and automatic capture.

``record`` adds an ``AuditEntry`` to the current session, so it commits (or rolls back)
together with the change it describes: a refused save leaves no entry claiming it
happened. Failed logins are recorded with ``commit=True`` because nothing else is saved.
Changes to case-handling and account data are also captured by a session listener
(``sunshine.site.audit_capture`` says what and how), whenever an actor is known: the
logged-in user of a request, or whoever a command names with ``acting(...)``; bulk seeding
outside both costs nothing. The mapper refuses to UPDATE or DELETE an entry, and so does
every ORM statement, so no code path (a view, a script, a cascade) can rewrite history
through the ORM; no route edits the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from . import audit_capture, clock
from .db import db
from .models import AuditEntry, User

#: Every action the log records, with its Chinese label (the filter's choices).
ACTIONS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_refused": "登录被限制",
    "logout": "退出",
    "password_changed": "修改密码",
    "password_reset": "重置密码",
    "user_created": "创建账号",
    "user_changed": "修改账号",
    "user_disabled": "停用账号",
    "role_changed": "变更角色",
    "create": "新建",
    "save": "保存修改",
    "submit": "提交审核",
    "approve": "审核通过",
    "reject": "退回修改",
    "publish": "发布",
    "schedule": "定时发布",
    "withdraw": "撤回",
    "expire": "到期撤回",
    "restore": "恢复旧版本",
    "note_corrected": "更正修改说明",
    "change": "修改数据",
    "delete": "删除",
    "export": "导出",
    "import": "导入",
    "site_rebuild": "重新生成网站",
}

#: The name recorded for what no person did (``sunshine tick``, scheduled publishing).
SYSTEM = "系统"


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("审计日志只能追加，不能删除。")


@event.listens_for(db.session, "do_orm_execute")
def _refuse_bulk_rewrite(state: ORMExecuteState) -> None:
    """ORM bulk UPDATE and DELETE statements on the log skip the mapper events above: refuse them here."""
    if (state.is_update or state.is_delete) and state.bind_mapper is inspect(AuditEntry):
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改或删除。")


# ---------------------------------------------------------------- who acts


@dataclass(frozen=True)
class Actor:
    """Who the changes of a block are recorded for (``user_id`` None: the system)."""

    user_id: int | None
    username: str


_acting: ContextVar[Actor | None] = ContextVar("sunshine_audit_actor", default=None)


@contextmanager
def acting(user: User | None, *, username: str | None = None) -> Iterator[Actor]:
    """Record the changes made inside the block as done by ``user`` (None: the system, "系统").

    For commands and scheduled runs (``sunshine tick``, an account created from the CLI); inside a
    request the logged-in user is the actor without this. ``username`` names a non-person actor
    (e.g. "审批系统接口").
    """
    actor = Actor(user.id if user is not None else None,
                  (username or (user.username if user is not None else SYSTEM))[:64])
    token = _acting.set(actor)
    try:
        yield actor
    finally:
        _acting.reset(token)


def _request_user() -> User | None:
    if not has_request_context():
        return None
    user = current_user._get_current_object() if current_user else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def current_actor() -> Actor | None:
    """The actor set by ``acting``, else the request's logged-in user, else None (nothing is captured)."""
    actor = _acting.get()
    if actor is not None:
        return actor
    user = _request_user()
    return Actor(user.id, user.username) if user is not None else None


def client_address() -> str:
    """The request's client address (after ProxyFix), "" outside a request."""
    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:64]


# ---------------------------------------------------------------- explicit entries


#: ``Session.info`` keys: entries whose target had no id yet (written once a flush gives it one),
#: the actor of the flush under way, the transaction's captured changes, the targets explicit
#: entries named (their automatic entry is left out), and "the commit has begun".
_DEFERRED = "sunshine_audit_deferred"
_ACTOR = "sunshine_audit_actor"
_CHANGES = "sunshine_audit_changes"
_EXPLICIT = "sunshine_audit_explicit"
_COMMITTING = "sunshine_audit_committing"
_OLD = "sunshine_audit_old_values"


def record(action: str, *, target: Any = None, target_type: str = "", target_id: int | None = None,
           department_id: int | None = None, summary: str = "", detail: dict[str, Any] | None = None,
           user: User | None = None, username: str | None = None, commit: bool = False) -> AuditEntry:
    """Add one entry for ``action`` (a key of ``ACTIONS``) done by ``user`` (default: the current actor).

    ``target`` may be a model instance: its table, id and department are taken from it unless
    given; a target not yet flushed gets its id when the session flushes. An entry about a
    captured record (an account, a complaint …) stands for it in this transaction: the automatic
    "修改数据" entry of that record is left out. ``username`` overrides the name recorded (a failed
    login records what was typed); with no user at all outside a request it is "系统".
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    actor = current_actor() if user is None else Actor(user.id, user.username)
    if username is None:
        username = actor.username if actor is not None else ("" if has_request_context() else SYSTEM)
    pending = False
    if target is not None:
        target_type = target_type or target.__tablename__
        pending = target_id is None and inspect(target).pending
        target_id = target_id if target_id is not None else target.id
        if department_id is None:
            department_id = _department_of(target)
    entry = AuditEntry(
        at=clock.now(), user_id=actor.user_id if actor is not None else None, username=username[:64],
        department_id=department_id, action=action, target_type=target_type, target_id=target_id,
        summary=summary[:300], address=client_address(), detail=detail)
    session = db.session()
    if pending:  # written after the flush that inserts the target (see _after_flush)
        session.info.setdefault(_DEFERRED, []).append((entry, target))
    else:
        session.add(entry)
        if target_type:
            session.info.setdefault(_EXPLICIT, set()).add((target_type, target_id))
    if commit:
        session.commit()
    return entry


def _department_of(target: Any) -> int | None:
    from .models import Department

    if isinstance(target, Department):
        return target.id
    return getattr(target, "department_id", None)


# ---------------------------------------------------------------- automatic capture
#
# Each flush by a known actor adds its captured changes to the transaction's; just before the
# commit they are merged (one entry per record and actor, created-then-changed is "create") and
# written in the same transaction. A rollback forgets them, so only what was saved is logged.


@event.listens_for(db.session, "before_flush")
def _before_flush(session: Session, flush_context, instances) -> None:
    """Before anything is written: find the actor (loading the request's user may query) and read the
    stored values of changed status-like columns whose old value was never loaded."""
    actor = current_actor()
    session.info[_ACTOR] = actor
    if actor is not None:
        session.info[_OLD] = audit_capture.unloaded_old_values(session)


@event.listens_for(db.session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    actor = session.info.pop(_ACTOR, None)
    deferred = session.info.pop(_DEFERRED, [])
    if deferred:
        rows = [_deferred_row(entry, target) for entry, target in deferred]
        session.info.setdefault(_EXPLICIT, set()).update((r["target_type"], r["target_id"]) for r in rows)
        session.connection().execute(AuditEntry.__table__.insert(), rows)
    if actor is None:
        return
    changes = audit_capture.describe(session, session.info.pop(_OLD, None))
    if not changes:
        return
    session.info.setdefault(_CHANGES, []).extend((actor, change) for change in changes)
    if session.info.get(_COMMITTING):  # a flush after ours in the commit: write at once
        _write_changes(session)


@event.listens_for(db.session, "before_commit")
def _before_commit(session: Session) -> None:
    """Flush what is left, then write the transaction's captured changes into it."""
    if current_actor() is None and not session.info.get(_CHANGES):
        return  # nothing was or will be captured (seeding, the public intake)
    session.flush()
    session.info[_COMMITTING] = True
    _write_changes(session)


def _write_changes(session: Session) -> None:
    captured = session.info.pop(_CHANGES, [])
    if not captured:
        return
    explicit = session.info.get(_EXPLICIT, set())
    merged: dict[tuple[Actor, str, int | None], audit_capture.Change] = {}
    for actor, change in captured:
        if change.key in explicit:
            continue
        key = (actor, *change.key)
        merged[key] = change if key not in merged else merged[key].merged(change)
    by_actor: dict[Actor, list[audit_capture.Change]] = {}
    for (actor, *_key), change in merged.items():
        by_actor.setdefault(actor, []).append(change)
    at, address = clock.now(), client_address()
    rows = [{"at": at, "user_id": actor.user_id, "username": actor.username, "department_id": e.department_id,
             "action": e.action, "target_type": e.table, "target_id": e.row_id, "summary": e.summary[:300],
             "address": address, "detail": e.detail}
            for actor, changes in by_actor.items() for e in audit_capture.entries(changes)]
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)


def _deferred_row(entry: AuditEntry, target: Any) -> dict[str, Any]:
    entry.target_id = target.id  # the caller's (transient) copy learns it too
    if entry.department_id is None:
        entry.department_id = _department_of(target)
    return {column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns if column.key != "id"}


@event.listens_for(db.session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """Committed or rolled back, the transaction's notes go: a rolled-back change leaves no entry."""
    if transaction.parent is None:
        for key in (_DEFERRED, _ACTOR, _CHANGES, _EXPLICIT, _COMMITTING, _OLD):
            session.info.pop(key, None)
