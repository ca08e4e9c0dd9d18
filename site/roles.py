"""The back office's roles, declared once (imported by the models, the policy and the forms)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A back-office role; the value is what ``User.role`` stores."""

    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


def N_(message: str) -> str:
    """Marks a message for the catalog without translating it here (templates translate it: ``_(label)``)."""
    return message


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("系统管理员"),
    Role.EDITOR: N_("部门编辑"),
    Role.REVIEWER: N_("部门审核员"),
    Role.SUPERVISOR: N_("效能监督员"),
}
#: Roles whose scope is the whole centre (every department).
CENTER_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.SUPERVISOR})
#: Roles that work for one department: their actions reach that department's records only.
OFFICE_ROLES: frozenset[Role] = frozenset({Role.EDITOR, Role.REVIEWER})
