"""Back-office accounts: creating them, passwords (the one set of rules), disabling, each change audited.

The web views and the CLI call these functions, so a rule (a password's minimum length, a
refused common password) lives here once. Each function records its audit entry and
commits it with the change; ending a user's sessions (``sunshine.site.sessions``) is part of
a password reset, a password change (the other sessions) and disabling.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from . import audit, passwords, sessions
from .db import db
from .models import ROLES, Department, User, UserGrant, UserSession
from .roles import CENTER_ROLES, Role

MIN_PASSWORD = 10

#: The most used passwords of ten characters or more (leaked-password lists, Chinese sites
#: included): refused whatever the account. Short ones are already refused by the length rule.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "12345678910", "123456789a", "a123456789", "1234567890a",
    "aa12345678", "aa123456789", "qwertyuiop", "1qaz2wsx3edc", "1q2w3e4r5t", "1q2w3e4r5t6y",
    "qwerty123456", "password123", "password1234", "passw0rd123", "administrator", "admin12345",
    "admin123456", "abc1234567", "abcd123456", "abcdefghij", "iloveyou1314", "woaini1314",
    "5201314520", "1314520520", "1111111111", "0000000000", "8888888888", "6666666666",
    "1234554321", "9876543210", "11223344556", "zxcvbnm123", "asdfghjkl1", "qazwsxedc123",
})


class AccountError(Exception):
    """A refused account change, with a message for the user and the form field it concerns.

    Messages go through ``gettext``: the user's language on a page, Chinese from the CLI (no request).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def check_new_password(password: str, username: str) -> None:
    """Refuse a password that is too short, the account's own name, or one of the most common ones."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(_("密码至少%(count)s位，请设置更长的密码。", count=MIN_PASSWORD), "new_password")
    folded = password.strip().casefold()
    if folded == username.strip().casefold():
        raise AccountError(_("密码不能与用户名相同，请另设一个。"), "new_password")
    if folded in COMMON_PASSWORDS:
        raise AccountError(_("这个密码太常见，很容易被猜中，请另设一个。"), "new_password")


def create_user(username: str, password: str, *, role: str = "editor", department_code: str | None = None,
                display_name: str = "", actor: User | None = None) -> User:
    """A new account (audited as ``user_created``); ``actor`` is the administrator, None from the CLI."""
    username = username.strip()
    if not username:
        raise AccountError(_("请填写用户名。"), "username")
    if role not in ROLES:
        raise AccountError(_("未知角色：%(role)s", role=role), "role")
    check_new_password(password, username)
    if db.session.scalars(select(User).filter_by(username=username)).first():
        raise AccountError(_("账号 %(username)s 已存在，请换一个用户名。", username=username), "username")
    department = None
    if department_code:
        department = db.session.scalars(select(Department).filter_by(code=department_code)).first()
        if department is None:
            raise AccountError(_("找不到部门编码 %(code)s。", code=department_code), "department")
    if role in ("editor", "reviewer") and department is None:
        raise AccountError(_("部门编辑和审核员必须指定所属部门。"), "department")
    user = User(username=username, display_name=display_name or username, role=role, department=department)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", target=user, user=actor, summary=f"创建账号 {username}（{user.role_label}）",
                 detail={"role": role, "department": department_code or ""})
    db.session.commit()
    return user


def authenticate(user: User | None, password: str) -> bool:
    """Check a login's password in the same time whether or not the account exists.

    On success a legacy or weaker hash is replaced by today's argon2id (the caller commits).
    """
    if user is None:
        passwords.verify_dummy(password)
        return False
    if not user.check_password(password):
        return False
    user.rehash_password_if_needed(password)
    return True


def change_own_password(user: User, current_password: str, new_password: str,
                        keep: UserSession | None) -> None:
    """The user's own change: the current password first; every other session of theirs ends."""
    if not user.check_password(current_password):
        raise AccountError(_("当前密码不正确，请重新输入。"), "current_password")
    check_new_password(new_password, user.username)
    if new_password == current_password:
        raise AccountError(_("新密码不能与当前密码相同，请另设一个。"), "new_password")
    user.set_password(new_password)
    ended = sessions.end_all(user, "password_changed", keep=keep)
    audit.record("password_changed", target=user, user=user, summary=f"{user.username} 修改了自己的密码",
                 detail={"sessions_ended": ended})
    db.session.commit()


def reset_password(user: User, new_password: str, *, actor: User | None = None) -> None:
    """An administrator's (or the CLI's) reset: a new password and every session of the user ended."""
    check_new_password(new_password, user.username)
    user.set_password(new_password)
    ended = sessions.end_all(user, "password_reset")
    audit.record("password_reset", target=user, user=actor, summary=f"重置账号 {user.username} 的密码",
                 detail={"sessions_ended": ended})
    db.session.commit()


def set_active(user: User, active: bool, *, actor: User | None = None) -> None:
    """Disable (every session ends at once) or enable an account; nobody disables themselves."""
    if actor is not None and actor.id == user.id and not active:
        raise AccountError(_("不能停用自己正在使用的账号。"))
    if user.active == active:
        return
    user.active = active
    if active:
        audit.record("user_changed", target=user, user=actor, summary=f"启用账号 {user.username}",
                     detail={"active": True})
    else:
        ended = sessions.end_all(user, "disabled")
        audit.record("user_disabled", target=user, user=actor, summary=f"停用账号 {user.username}",
                     detail={"sessions_ended": ended})
    db.session.commit()


def find_user(username: str) -> User:
    """The account named ``username``, or an AccountError naming it."""
    user = db.session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise AccountError(_("找不到账号 %(username)s。", username=username))
    return user


def _department_for(role: str, department_code: str | None) -> Department | None:
    """The department a grant of ``role`` needs (office roles one, centre roles none), or an AccountError."""
    if role not in ROLES:
        raise AccountError(_("未知角色：%(role)s", role=role), "role")
    if Role(role) in CENTER_ROLES:
        return None
    if not department_code:
        raise AccountError(_("部门编辑和审核员必须指定所属部门。"), "department")
    department = db.session.scalars(select(Department).filter_by(code=department_code)).first()
    if department is None:
        raise AccountError(_("找不到部门编码 %(code)s。", code=department_code), "department")
    return department


def _grant_label(role: str, department: Department | None) -> str:
    return ROLES[role] + (f"（{department.name}）" if department is not None else "")


def set_role(user: User, role: str, department_code: str | None, *, actor: User | None = None) -> None:
    """Change an account's own role and department (its first grant); audited as ``role_changed``."""
    department = _department_for(role, department_code)
    if actor is not None and actor.id == user.id and role != user.role:
        raise AccountError(_("不能更改自己正在使用的账号的角色。"), "role")
    before = _grant_label(user.role, user.department)
    user.role = role
    user.department = department
    audit.record("role_changed", target=user, user=actor, summary=f"{user.username}：{before} → {_grant_label(role, department)}",
                 detail={"role": role, "department": department_code or ""})
    db.session.commit()


def add_grant(user: User, role: str, department_code: str | None, *, actor: User | None = None) -> UserGrant:
    """Give an account a further role in another department (兼职); audited as ``role_changed``."""
    department = _department_for(role, department_code)
    department_id = department.id if department is not None else None
    held = [(user.role, user.department_id)] + [(g.role, g.department_id) for g in user.extra_grants]
    if (role, department_id) in held:
        raise AccountError(_("该账号已有这个角色。"), "role")
    grant = UserGrant(role=role, department_id=department_id)
    user.extra_grants.append(grant)
    audit.record("role_changed", target=user, user=actor, summary=f"{user.username}：增加 {_grant_label(role, department)}",
                 detail={"added": {"role": role, "department": department_code or ""}})
    db.session.commit()
    return grant


def remove_grant(user: User, grant_id: int, *, actor: User | None = None) -> None:
    """Take a further role away; audited as ``role_changed``."""
    grant = next((g for g in user.extra_grants if g.id == grant_id), None)
    if grant is None:
        raise AccountError(_("找不到这个角色。"))
    department = db.session.get(Department, grant.department_id) if grant.department_id else None
    user.extra_grants.remove(grant)
    audit.record("role_changed", target=user, user=actor, summary=f"{user.username}：取消 {_grant_label(grant.role, department)}",
                 detail={"removed": {"role": grant.role, "department": department.code if department else ""}})
    db.session.commit()
