"""Who may do what to which record: the back office's one permission policy, as declared data.

Every view asks ``may(user, action, record)`` (through ``authorize`` / ``fetch_authorized``
in ``admin/permissions.py``); no view compares role names itself. A role grants a set of
actions (``GRANTS``); an office role's grant reaches only its own department's records,
a centre role's every department. Records without a department (complaint channels,
centre notices) belong to the centre: only centre roles act on them.

``grants(user)`` lists (role, department) pairs, so a user holding roles in several
departments needs a change there only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .roles import CENTER_ROLES, N_, OFFICE_ROLES, Role


class Action(StrEnum):
    VIEW = "view"  # read a record in the back office
    CREATE = "create"  # make a new record (in a department the user works for)
    EDIT = "edit"  # save the working copy
    SUBMIT = "submit"  # send the working copy for review
    APPROVE = "approve"  # approve a submitted working copy (it is published, now or on its date)
    REJECT = "reject"  # send it back with a reason
    PUBLISH = "publish"  # publish directly, without a separate review step
    WITHDRAW = "withdraw"  # take it off the public site
    RESTORE = "restore"  # make an old revision the working copy again
    CORRECT_NOTE = "correct_note"  # correct a published change note (with a reason)
    REVIEW_QUEUE = "review_queue"  # see the queue of submitted records
    HANDLE_COMPLAINT = "handle_complaint"  # 受理, 交办, 答复, 办结
    HANDLE_CASE = "handle_case"  # register and move 办件
    URGE = "urge"  # 催办
    ACKNOWLEDGE_URGE = "acknowledge_urge"  # 已阅 of an urge received by the department
    REASSIGN = "reassign"  # 改派 a complaint, 转办 a question to another department
    ANSWER_QUESTION = "answer_question"  # 网上咨询: 答复, 不予答复
    HANDLE_RECTIFICATION = "handle_rectification"  # 回访, 核实, 整改, 反馈 of a bad rating; sees the rater's contact
    APPEAL = "appeal"  # 申诉 against a rating, by the rated department
    DECIDE_APPEAL = "decide_appeal"  # 复核 an appeal, void a rating
    READ_AUDIT = "read_audit"  # read the audit log
    MANAGE_USERS = "manage_users"  # accounts, roles, password resets
    REBUILD_SITE = "rebuild_site"  # 重新生成网站
    IMPORT = "import"  # bulk import of a department's items (as drafts)
    EXPORT = "export"  # bulk export
    MANAGE_SYNONYMS = "manage_synonyms"  # 检索同义词: add and delete a department's search synonym groups


#: Labels of the actions, marked for the catalog (``N_``): a page showing one translates it with ``_(label)``.
ACTION_LABELS: dict[Action, str] = {
    Action.VIEW: N_("查看"), Action.CREATE: N_("新建"), Action.EDIT: N_("修改"), Action.SUBMIT: N_("提交审核"),
    Action.APPROVE: N_("审核通过"), Action.REJECT: N_("退回"), Action.PUBLISH: N_("直接发布"), Action.WITHDRAW: N_("撤回"),
    Action.RESTORE: N_("恢复旧版本"), Action.CORRECT_NOTE: N_("更正修改说明"), Action.REVIEW_QUEUE: N_("待审核列表"),
    Action.HANDLE_COMPLAINT: N_("办理投诉"), Action.HANDLE_CASE: N_("办理办件"), Action.URGE: N_("催办"),
    Action.ACKNOWLEDGE_URGE: N_("催办已阅"), Action.REASSIGN: N_("改派/转办"), Action.ANSWER_QUESTION: N_("答复咨询"),
    Action.HANDLE_RECTIFICATION: N_("整改"), Action.APPEAL: N_("申诉"), Action.DECIDE_APPEAL: N_("申诉复核"),
    Action.READ_AUDIT: N_("查看审计日志"), Action.MANAGE_USERS: N_("账号管理"), Action.REBUILD_SITE: N_("重新生成网站"),
    Action.IMPORT: N_("批量导入"), Action.EXPORT: N_("批量导出"), Action.MANAGE_SYNONYMS: N_("管理检索同义词"),
}

_EDITOR = frozenset({Action.VIEW, Action.CREATE, Action.EDIT, Action.SUBMIT, Action.RESTORE,
                     Action.HANDLE_COMPLAINT, Action.HANDLE_CASE, Action.IMPORT, Action.EXPORT,
                     Action.ACKNOWLEDGE_URGE, Action.ANSWER_QUESTION, Action.HANDLE_RECTIFICATION, Action.APPEAL,
                     Action.MANAGE_SYNONYMS})
#: What each role may do (within its scope). The single source of every permission.
GRANTS: dict[Role, frozenset[Action]] = {
    Role.EDITOR: _EDITOR,
    Role.REVIEWER: _EDITOR | {Action.APPROVE, Action.REJECT, Action.PUBLISH, Action.WITHDRAW,
                              Action.REVIEW_QUEUE},
    Role.ADMIN: frozenset(Action) - {Action.APPEAL},  # the centre decides appeals, it does not file them
    Role.SUPERVISOR: frozenset({Action.VIEW, Action.URGE, Action.READ_AUDIT, Action.EXPORT, Action.REVIEW_QUEUE}),
}


@dataclass(frozen=True)
class Grant:
    role: Role
    #: The department an office role works for (None: centre roles, or office staff without one).
    department_id: int | None


def grants(user: Any) -> list[Grant]:
    """The (role, department) pairs a user holds; none for an anonymous or disabled user."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return []
    held = [(user.role, user.department_id)]
    held += [(extra.role, extra.department_id) for extra in getattr(user, "extra_grants", None) or ()]
    result = []
    for role, department_id in held:
        try:
            result.append(Grant(Role(role), department_id))
        except ValueError:
            continue  # a role this version does not know grants nothing
    return result


_NO_DEPARTMENT = object()


def department_of(record: Any) -> int | None:
    """The department a record belongs to (None: the centre's own, e.g. complaint channels)."""
    from .models import Department

    if isinstance(record, Department):
        return record.id
    department_id = getattr(record, "department_id", None)
    if department_id is None:  # a new record: its relationship is set before the column is flushed
        department = getattr(record, "department", None)
        if department is not None:
            return department.id
    return department_id


def may(user: Any, action: Action, record: Any = None, *, department_id: Any = _NO_DEPARTMENT) -> bool:
    """Whether ``user`` may do ``action`` to ``record`` (or in ``department_id``, or anywhere when neither).

    With neither a record nor a department, the question is whether the user may do the action
    at all (e.g. to show a menu entry); the record-level check still follows when it is used.
    """
    target: Any = _NO_DEPARTMENT
    if record is not None:
        target = department_of(record)
    elif department_id is not _NO_DEPARTMENT:
        target = department_id
    for grant in grants(user):
        if action not in GRANTS[grant.role]:
            continue
        if grant.role in CENTER_ROLES:
            return True
        if grant.role in OFFICE_ROLES and grant.department_id is not None:
            if target is _NO_DEPARTMENT or target == grant.department_id:
                return True
    return False


def scope(user: Any, action: Action = Action.VIEW) -> set[int] | None:
    """The departments whose records ``user`` may do ``action`` to: None for all, a set (maybe empty) otherwise."""
    departments: set[int] = set()
    for grant in grants(user):
        if action not in GRANTS[grant.role]:
            continue
        if grant.role in CENTER_ROLES:
            return None
        if grant.department_id is not None:
            departments.add(grant.department_id)
    return departments


def chooses_department(user: Any) -> bool:
    """Whether a record form offers a choice of department: centre roles, and office staff of several
    departments (staff of one always work in their own). The server checks the choice with ``may``."""
    departments = scope(user, Action.CREATE)
    return departments is None or len(departments) > 1


def is_centre(user: Any) -> bool:
    """Whether the user acts for the whole centre (may issue the centre's own notices, channels)."""
    return any(grant.role in CENTER_ROLES for grant in grants(user))
