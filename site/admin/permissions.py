"""Who may see and change what in the back office, checked on the server.

Editing rules come from ``sunshine.site.workflow.can_edit``; this module adds
reading (supervisors read everything, office staff their own department) and
the login gate in front of every admin route. It never renders anything but
refuses with 403 (the blueprint's error page says why in Chinese).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, request
from flask_login import current_user, logout_user

from .. import login_manager
from ..models import Complaint, User
from ..workflow import Record, can_edit, record_department_id
from . import bp

#: Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = {"admin.login"}
#: Roles that see every department.
CENTER_ROLES = ("admin", "supervisor")
#: Roles that work for one department.
OFFICE_ROLES = ("editor", "reviewer")


@bp.before_request
def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_active:  # deactivated while logged in
        logout_user()
        return login_manager.unauthorized()
    return None


def roles_required(*roles: str) -> Callable:
    """Refuse (403) any user whose role is not one of ``roles``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def sees_all(user: User) -> bool:
    return user.role in CENTER_ROLES


def department_scope(user: User) -> int | None:
    """The one department whose records the user sees, or None for all of them.

    Office staff without a department see nothing: -1 matches no row.
    """
    if sees_all(user):
        return None
    return user.department_id if user.department_id is not None else -1


def can_view(user: User, record: Record) -> bool:
    if sees_all(user):
        return True
    if user.role not in OFFICE_ROLES:
        return False
    department_id = record_department_id(record)
    return department_id is not None and department_id == user.department_id


def check_view(record: Record) -> None:
    if not can_view(current_user, record):
        abort(403)


def check_edit(record: Record) -> None:
    if not can_edit(current_user, record):
        abort(403)


def can_handle_complaint(user: User, complaint: Complaint) -> bool:
    """受理, 交办, 答复, 办结: the complaint's own department, or the administrator."""
    if user.role == "admin":
        return True
    return user.role in OFFICE_ROLES and complaint.department_id == user.department_id


def can_urge(user: User) -> bool:
    """催办 is the supervisors' tool (and the administrator's)."""
    return user.role in CENTER_ROLES


def can_view_complaint(user: User, complaint: Complaint) -> bool:
    return sees_all(user) or can_handle_complaint(user, complaint)


def search_departments(user: User) -> set[str] | None:
    """Department codes whose search hits the user may see (None = all)."""
    if sees_all(user):
        return None
    if user.role in OFFICE_ROLES and user.department is not None:
        return {user.department.code}
    return set()
