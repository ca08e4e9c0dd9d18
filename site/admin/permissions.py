"""Who may see and change what in the back office, checked on the server: every rule in one place.

Editing rules for disclosed records come from ``sunshine.site.workflow.can_edit``;
this module adds reading (supervisors read everything, office staff their own
department), the login gate in front of every admin route, and the rules for
each other kind of record: complaints and 催办, cases (办件), urges (已阅),
ratings and rectification work orders (好差评, 整改, 申诉), online questions
(网上咨询) and who may see a citizen's contact details. The views call these;
domain modules (``cases``, ``ratings``, ``supervision_board``) never import this.
It never renders anything but refuses with 403 (the blueprint's error page says
why in Chinese).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, request
from flask_login import current_user, logout_user

from .. import login_manager
from ..models import Complaint, Question, Rectification, ServiceCase, Urge, User
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


def is_department_staff(user: User, department_id: int | None) -> bool:
    """Office staff of exactly that department (staff without a department belong to none)."""
    return user.role in OFFICE_ROLES and user.department_id is not None and user.department_id == department_id


# --- disclosed records (items, notices, departments, channels) ------------------------------


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


# --- complaints (效能投诉) and 催办 ---------------------------------------------------------


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


def can_take_complaint_action(user: User, complaint: Complaint, by: str) -> bool:
    """Whether the user may take a staff action of ``complaints.lifecycle.ACTIONS`` on the complaint.

    ``by`` is the action's ``Action.by``: "office" (受理, 不予受理, 交办, 答复, 办结: the department or
    the administrator), "admin" (改派), "supervisor" (催办: supervisors and the administrator);
    "citizen" steps are never taken in the back office.
    """
    if by == "office":
        return can_handle_complaint(user, complaint)
    if by == "admin":
        return user.role == "admin"
    if by == "supervisor":
        return can_urge(user)
    return False


def assignable_department_ids(user: User) -> set[int] | None:
    """Departments a user may 交办 a complaint to: a clerk only their own, the administrator any
    published one (None = no restriction beyond being published)."""
    if user.role == "admin":
        return None
    return {user.department_id} if user.role in OFFICE_ROLES and user.department_id is not None else set()


def can_see_contact(user: User, record: Complaint | Question) -> bool:
    """A complainant's or asker's name, phone and e-mail: the department the record is assigned to
    now (after 改派/转办 the former department no longer), the administrator and the supervisor."""
    return sees_all(user) or is_department_staff(user, record.department_id)


# --- online questions (网上咨询) --------------------------------------------------------------


def can_view_question(user: User, question: Question) -> bool:
    """The centre reads every question; office staff those of their own department."""
    return sees_all(user) or is_department_staff(user, question.department_id)


def can_answer_question(user: User, question: Question) -> bool:
    """答复 and 不予答复: the question's own department, or the administrator (not the supervisor)."""
    return user.role == "admin" or is_department_staff(user, question.department_id)


def can_reassign_question(user: User) -> bool:
    """转办 to another department: the administrator only."""
    return user.role == "admin"


# --- cases (办件) ----------------------------------------------------------------------------


def can_view_case(user: User, case: ServiceCase) -> bool:
    if sees_all(user):
        return True
    return user.role in OFFICE_ROLES and case.department_id == user.department_id


def can_handle_case(user: User, case: ServiceCase) -> bool:
    """Status changes: the case's own department staff, or the administrator."""
    if user.role == "admin":
        return True
    return user.role in OFFICE_ROLES and user.department_id is not None and case.department_id == user.department_id


def can_register_case(user: User) -> bool:
    return user.role == "admin" or (user.role in OFFICE_ROLES and user.department_id is not None)


# --- urges (催办 received by a department) -----------------------------------------------------


def can_see_urges(user: User) -> bool:
    """The pending-urge banner: centre roles (all departments) and office staff (their own)."""
    return user.is_authenticated and (user.role in CENTER_ROLES or user.role in OFFICE_ROLES)


def can_acknowledge(user: User, urge: Urge) -> bool:
    """已阅: the urged department's own staff, or the administrator."""
    if user.role == "admin":
        return True
    return user.role in OFFICE_ROLES and user.department_id == urge.department_id


# --- ratings (好差评) and rectification work orders (整改, 申诉复核) ------------------------------


def can_view_rating(user: User, department_id: int) -> bool:
    """A rating or its work order: the centre sees all, office staff their own department's."""
    return sees_all(user) or is_department_staff(user, department_id)


def can_handle_work_order(user: User, order: Rectification) -> bool:
    """回访, 核实, 整改, 反馈: the department's staff, or the administrator."""
    return user.role == "admin" or is_department_staff(user, order.department_id)


def can_see_rater_contact(user: User, department_id: int) -> bool:
    """The rater's contact (for 回访): the department's staff and the administrator only."""
    return user.role == "admin" or is_department_staff(user, department_id)


def can_appeal_work_order(user: User, order: Rectification) -> bool:
    """申诉: the rated department's own staff."""
    return is_department_staff(user, order.department_id)


def can_decide_rating(user: User) -> bool:
    """复核 of an appeal and direct voiding of a rating: the centre's administrator."""
    return user.role == "admin"


# --- search -------------------------------------------------------------------------------------


def search_departments(user: User) -> set[str] | None:
    """Department codes whose search hits the user may see (None = all)."""
    if sees_all(user):
        return None
    if user.role in OFFICE_ROLES and user.department is not None:
        return {user.department.code}
    return set()
