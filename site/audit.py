"""Writing the audit log (审计日志): the one function every view and command calls.

``record`` adds an ``AuditEntry`` to the current session, so it commits (or rolls back)
together with the change it describes: a refused save leaves no entry claiming it
happened. Failed logins are recorded with ``commit=True`` because nothing else is saved.
The mapper refuses to UPDATE or DELETE an entry, so no code path (a view, a script, a
cascade) can rewrite history through the ORM; the table has no route that edits it.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from . import clock
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


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("审计日志只能追加，不能删除。")


def client_address() -> str:
    """The request's client address (after ProxyFix), "" outside a request."""
    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:64]


def _acting_user() -> User | None:
    if not has_request_context():
        return None
    user = current_user._get_current_object() if current_user else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(action: str, *, target: Any = None, target_type: str = "", target_id: int | None = None,
           department_id: int | None = None, summary: str = "", detail: dict[str, Any] | None = None,
           user: User | None = None, username: str | None = None, commit: bool = False) -> AuditEntry:
    """Add one entry for ``action`` (a key of ``ACTIONS``) done by ``user`` (default: the logged-in one).

    ``target`` may be a model instance: its table, id and department are taken from it unless
    given. ``username`` overrides the name recorded (a failed login records what was typed).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    user = user if user is not None else _acting_user()
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else target.id
        if department_id is None:
            department_id = _department_of(target)
    entry = AuditEntry(
        at=clock.now(), user_id=user.id if user is not None else None,
        username=(username if username is not None else (user.username if user is not None else ""))[:64],
        department_id=department_id, action=action, target_type=target_type, target_id=target_id,
        summary=summary[:300], address=client_address(), detail=detail)
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


def _department_of(target: Any) -> int | None:
    from .models import Department

    if isinstance(target, Department):
        return target.id
    return getattr(target, "department_id", None)
