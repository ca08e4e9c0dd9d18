"""What every back-office page shares: the navigation for the user's role and template helpers."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from . import bp
from .forms.common import error_list

#: (endpoint, label, roles that see it; None = everyone)
NAV = (
    ("admin.dashboard", "工作台", None),
    ("admin.items", "服务事项", None),
    ("admin.departments", "部门信息", None),
    ("admin.notices", "通知公告", None),
    ("admin.channels", "投诉渠道", ("admin", "supervisor")),
    ("admin.complaints", "投诉处理", None),
    ("admin.questions", "网上咨询", None),
    ("admin.ratings", "好差评", None),
    ("admin.rectifications", "整改工单", None),
    ("admin.cases", "办件管理", None),
    ("admin.supervision", "电子监察", ("admin", "supervisor")),
    ("admin.search", "搜索", None),
)
#: Which nav entry a page belongs to (by endpoint prefix).
SECTIONS = {"case": "admin.cases", "item": "admin.items", "department": "admin.departments", "notice": "admin.notices",
            "channel": "admin.channels", "complaint": "admin.complaints", "question": "admin.questions",
            "supervision": "admin.supervision", "rating": "admin.ratings", "rectification": "admin.rectifications"}


def nav_entries() -> list[tuple[str, str, bool]]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    short = endpoint.removeprefix("admin.")
    section = next((target for prefix, target in SECTIONS.items() if short.startswith(prefix)), endpoint)
    return [(ep, label, ep == section) for ep, label, roles in NAV if roles is None or current_user.role in roles]


def public_url(path: str) -> str:
    """Address of a public page (the static site), e.g. ``/items/ZJ-001/``."""
    return current_app.config.get("SUNSHINE_STATIC_URL", "").rstrip("/") + path


@bp.context_processor
def layout_helpers() -> dict:
    return {"nav_entries": nav_entries, "form_errors": lambda form: list(error_list(form)),
            "public_url": public_url}
