"""Creating back-office accounts with the rules every account must meet."""

from __future__ import annotations

from sqlalchemy import select

from .db import db
from .models import ROLES, Department, User

MIN_PASSWORD = 10


class AccountError(Exception):
    """A refused account, with a message for the user (Chinese)."""


def create_user(username: str, password: str, *, role: str = "editor", department_code: str | None = None,
                display_name: str = "") -> User:
    if role not in ROLES:
        raise AccountError(f"未知角色：{role}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少{MIN_PASSWORD}位。")
    if db.session.scalars(select(User).filter_by(username=username)).first():
        raise AccountError(f"账号 {username} 已存在。")
    department = None
    if department_code:
        department = db.session.scalars(select(Department).filter_by(code=department_code)).first()
        if department is None:
            raise AccountError(f"找不到部门编码 {department_code}。")
    if role in ("editor", "reviewer") and department is None:
        raise AccountError("部门编辑和审核员必须指定所属部门（--department）。")
    user = User(username=username, display_name=display_name or username, role=role, department=department)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
