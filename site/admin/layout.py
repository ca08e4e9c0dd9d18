"""What every back-office page shares: the navigation for the user's role and template helpers."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..policy import Action, may
from . import bp
from .forms.common import error_list

#: (endpoint, label, who sees it: an action the user may take, with ``CENTRE`` meaning on the centre's own
#: records; None = everyone). The routes check again: a hidden link is never the protection.
CENTRE = "centre"
NAV = (
    ("admin.dashboard", _l("工作台"), None),
    ("admin.review_queue", _l("待审核"), Action.REVIEW_QUEUE),
    ("admin.items", _l("服务事项"), None),
    ("admin.quality", _l("事项质量"), None),
    ("admin.departments", _l("部门信息"), None),
    ("admin.notices", _l("通知公告"), None),
    ("admin.channels", _l("投诉渠道"), CENTRE),
    ("admin.complaints", _l("投诉处理"), None),
    ("admin.questions", _l("网上咨询"), None),
    ("admin.ratings", _l("好差评"), None),
    ("admin.rectifications", _l("整改工单"), None),
    ("admin.cases", _l("办件管理"), None),
    ("admin.supervision", _l("电子监察"), Action.URGE),
    ("admin.search", _l("搜索"), None),
)


def _shown(who) -> bool:
    if who is None:
        return True
    if who == CENTRE:
        return may(current_user, Action.VIEW, department_id=None)
    return may(current_user, who)
#: Which nav entry a page belongs to (by endpoint prefix).
SECTIONS = {"case": "admin.cases", "item": "admin.items", "department": "admin.departments", "notice": "admin.notices",
            "channel": "admin.channels", "complaint": "admin.complaints", "question": "admin.questions",
            "supervision": "admin.supervision", "rating": "admin.ratings", "rectification": "admin.rectifications", "review": "admin.review_queue", "quality": "admin.quality"}


def nav_entries() -> list[tuple[str, str, bool]]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    short = endpoint.removeprefix("admin.")
    section = next((target for prefix, target in SECTIONS.items() if short.startswith(prefix)), endpoint)
    return [(ep, label, ep == section) for ep, label, who in NAV if _shown(who)]


def public_url(path: str) -> str:
    """Address of a public page (the static site), e.g. ``/items/ZJ-001/``."""
    return current_app.config.get("SUNSHINE_STATIC_URL", "").rstrip("/") + path


@bp.context_processor
def layout_helpers() -> dict:
    return {"nav_entries": nav_entries, "form_errors": lambda form: list(error_list(form)),
            "public_url": public_url}


@bp.app_template_filter("reject_page")
def reject_page(args: dict) -> dict:
    """A list's query arguments without ``page`` (the pager sets its own)."""
    return {key: value for key, value in args.items() if key != "page"}
