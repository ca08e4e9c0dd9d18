"""The back office's permission checks, as the views use them: every answer comes from ``sunshine.site.policy``.

``policy.may(user, action, record)`` is the one rule; this module adds the login gate in front
of every admin route, ``fetch_authorized`` (404 for a missing record and 403 for a refused one,
in one call) and named shorthands the views and templates read well with. It never renders
anything but refuses with 403 (the blueprint's error page says why in Chinese). Domain modules
(``cases``, ``ratings``, ``supervision_board``) never import this.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user, logout_user

from .. import login_manager
from ..db import db
from ..models import Complaint, Question, Rectification, ServiceCase, Urge, User
from ..policy import Action, may, scope
from ..roles import OFFICE_ROLES
from ..workflow import Record
from . import bp

__all__ = ["Action", "may", "fetch_authorized", "authorize", "requires"]

#: Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = {"admin.login", "admin.language"}

T = TypeVar("T")


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


def authorize(action: Action, record: Any = None, **kwargs: Any) -> None:
    """403 unless the logged-in user may do ``action`` (to ``record``)."""
    if not may(current_user, action, record, **kwargs):
        abort(403)


def fetch_authorized(model: type[T], id: int, action: Action = Action.VIEW) -> T:
    """The row ``id`` of ``model`` if the user may do ``action`` to it: 404 when there is none, 403 when refused."""
    record = db.session.get(model, id)
    if record is None:
        abort(404)
    authorize(action, record)
    return record


def requires(action: Action) -> Callable:
    """Refuse (403) a route to users who may not do ``action`` anywhere."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            authorize(action)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def sees_all(user: User) -> bool:
    return scope(user) is None


def department_scope(user: User) -> set[int] | None:
    """The departments whose records the user sees (a set, maybe empty), or None for all of them.

    Use with ``db.within(column, department_scope(user))``.
    """
    return scope(user)


def is_department_staff(user: User, department_id: int | None) -> bool:
    """Office staff of exactly that department (staff without a department belong to none)."""
    return user.role in OFFICE_ROLES and user.department_id is not None and user.department_id == department_id


# --- disclosed records (items, notices, departments, channels) ------------------------------


def can_view(user: User, record: Record) -> bool:
    return may(user, Action.VIEW, record)


def check_view(record: Record) -> None:
    authorize(Action.VIEW, record)


def check_edit(record: Record) -> None:
    authorize(Action.EDIT, record)


# --- complaints (效能投诉) and 催办 ---------------------------------------------------------


def can_handle_complaint(user: User, complaint: Complaint) -> bool:
    """受理, 交办, 答复, 办结: the complaint's own department, or the administrator."""
    return may(user, Action.HANDLE_COMPLAINT, complaint)


def can_urge(user: User) -> bool:
    """催办 is the supervisors' tool (and the administrator's)."""
    return may(user, Action.URGE)


def can_view_complaint(user: User, complaint: Complaint) -> bool:
    return may(user, Action.VIEW, complaint)


#: ``complaints.lifecycle.Action.by`` -> the policy's action.
_COMPLAINT_ACTORS = {"office": Action.HANDLE_COMPLAINT, "admin": Action.REASSIGN, "supervisor": Action.URGE}


def can_take_complaint_action(user: User, complaint: Complaint, by: str) -> bool:
    """Whether the user may take a staff action of ``complaints.lifecycle.ACTIONS`` on the complaint.

    ``by`` is the action's ``Action.by``: "office" (受理, 不予受理, 交办, 答复, 办结), "admin" (改派),
    "supervisor" (催办); "citizen" steps are never taken in the back office.
    """
    action = _COMPLAINT_ACTORS.get(by)
    return action is not None and may(user, action, complaint)


def assignable_department_ids(user: User) -> set[int] | None:
    """Departments a user may 交办 a complaint to: a clerk only their own, the administrator any
    published one (None = no restriction beyond being published)."""
    return scope(user, Action.HANDLE_COMPLAINT)


def can_see_contact(user: User, record: Complaint | Question) -> bool:
    """A complainant's or asker's name, phone and e-mail: the department the record is assigned to
    now (after 改派/转办 the former department no longer), the administrator and the supervisor."""
    return may(user, Action.VIEW, record)


# --- online questions (网上咨询) --------------------------------------------------------------


def can_view_question(user: User, question: Question) -> bool:
    return may(user, Action.VIEW, question)


def can_answer_question(user: User, question: Question) -> bool:
    """答复 and 不予答复: the question's own department, or the administrator (not the supervisor)."""
    return may(user, Action.ANSWER_QUESTION, question)


def can_reassign_question(user: User) -> bool:
    """转办 to another department: the administrator only."""
    return may(user, Action.REASSIGN)


# --- cases (办件) ----------------------------------------------------------------------------


def can_view_case(user: User, case: ServiceCase) -> bool:
    return may(user, Action.VIEW, case)


def can_handle_case(user: User, case: ServiceCase) -> bool:
    """Status changes: the case's own department staff, or the administrator."""
    return may(user, Action.HANDLE_CASE, case)


def can_register_case(user: User) -> bool:
    return may(user, Action.HANDLE_CASE)


# --- urges (催办 received by a department) -----------------------------------------------------


def can_see_urges(user: User) -> bool:
    """The pending-urge banner: centre roles (all departments) and office staff (their own)."""
    return may(user, Action.VIEW)


def can_acknowledge(user: User, urge: Urge) -> bool:
    """已阅: the urged department's own staff, or the administrator."""
    return may(user, Action.ACKNOWLEDGE_URGE, urge)


# --- ratings (好差评) and rectification work orders (整改, 申诉复核) ------------------------------


def can_view_rating(user: User, department_id: int) -> bool:
    """A rating or its work order: the centre sees all, office staff their own department's."""
    return may(user, Action.VIEW, department_id=department_id)


def can_handle_work_order(user: User, order: Rectification) -> bool:
    """回访, 核实, 整改, 反馈: the department's staff, or the administrator."""
    return may(user, Action.HANDLE_RECTIFICATION, order)


def can_see_rater_contact(user: User, department_id: int) -> bool:
    """The rater's contact (for 回访): the department's staff and the administrator only."""
    return may(user, Action.HANDLE_RECTIFICATION, department_id=department_id)


def can_appeal_work_order(user: User, order: Rectification) -> bool:
    """申诉: the rated department's own staff."""
    return may(user, Action.APPEAL, order)


def can_decide_rating(user: User) -> bool:
    """复核 of an appeal and direct voiding of a rating: the centre's administrator."""
    return may(user, Action.DECIDE_APPEAL)


# --- search -------------------------------------------------------------------------------------


def search_departments(user: User) -> set[str] | None:
    """Department codes whose search hits the user may see (None = all)."""
    from ..models import Department

    departments = scope(user)
    if departments is None:
        return None
    return {department.code for department in (db.session.get(Department, id) for id in departments)
            if department is not None}
