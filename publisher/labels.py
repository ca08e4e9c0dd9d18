"""Labels: Chinese names and display formats for snapshot values, used as Jinja
filters by the theme and by the open-data CSV columns.

Pure functions only; never reads files, never imports Flask or the site.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sunshine.contract.codes import (
    CASE_TYPE_NOTES,
    CASE_TYPES,
    CHANNEL_KINDS,
    COMPLAINT_OUTCOMES,
    FEE_CATEGORIES,
    RATING_LEVELS,
    RECTIFICATION_STATUSES,
    label,
)
from sunshine.contract.figures import format_percent
from sunshine.contract.links import safe_link

from .figures import month_label
from .markup import markdown_filter

__all__ = ["CASE_TYPE_NOTES", "CASE_TYPES", "CHANNEL_KINDS", "CHANNEL_ORDER", "FEE_CATEGORIES"]

TIMEZONE = ZoneInfo("Asia/Shanghai")

#: Channels are listed in the contract's order of kinds.
CHANNEL_ORDER = tuple(CHANNEL_KINDS)


def case_type_label(value: str) -> str:
    """immediate → 即办件, and so on."""
    return label(CASE_TYPES, value)


def channel_kind_label(value: str) -> str:
    """hotline → 投诉电话, and so on."""
    return label(CHANNEL_KINDS, value)


def rating_level_label(value: int | str) -> str:
    """1 → 非常不满意 … 5 → 非常满意."""
    return label(RATING_LEVELS, int(value))


def rectification_status_label(value: str) -> str:
    """closed → 已办结, and so on."""
    return label(RECTIFICATION_STATUSES, value)


def outcome_label(value: str) -> str:
    """resolved → 已解决, not_upheld → 投诉不成立, and so on (办结结果)."""
    return label(COMPLAINT_OUTCOMES, value)


def on_time_label(on_time: bool) -> str:
    """Whether every answer came within its deadline: 按期 or 超期."""
    return "按期" if on_time else "超期"


def solved_label(solved: bool | None) -> str:
    """The complainant's own view after closing; None when they did not say."""
    if solved is None:
        return "投诉人未反馈"
    return "投诉人表示问题已解决" if solved else "投诉人表示问题未解决"


def days_taken(days: int) -> str:
    """Working days an answer took: 0 → 当天答复, 4 → 4 个工作日."""
    return "当天答复" if days == 0 else f"{days} 个工作日"


def workdays(days: int) -> str:
    """Time limit in working days: 0 → 当场办结, 5 → 5 个工作日."""
    return "当场办结" if days == 0 else f"{days} 个工作日"


def visits_text(visits: int) -> str:
    """到现场次数 in words, with the 最多跑一次 / 零跑动 wording citizens know."""
    if visits == 0:
        return "0 次（全程网办，不用跑）"
    if visits == 1:
        return "1 次（最多跑一次）"
    return f"{visits} 次"


def yes_no(value: bool) -> str:
    """True → 是, False → 否."""
    return "是" if value else "否"


def speedup_percent(statutory: int, promised: int) -> int | None:
    """How much faster the promised limit is than the statutory one, in whole percent."""
    if statutory <= 0 or promised >= statutory:
        return None
    return round((statutory - promised) * 100 / statutory)


def datetime_zh(value: str | None) -> str:
    """ISO 8601 time from the snapshot → ``2024-07-08 09:30`` in Asia/Shanghai.

    Values that are not ISO 8601 are shown unchanged rather than guessed at.
    """
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(TIMEZONE)
    return moment.strftime("%Y-%m-%d %H:%M")


def date_zh(value: str | None) -> str:
    """``2024-07-08`` → ``2024年7月8日``; other values unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not match:
        return value or ""
    year, month, day = match.groups()
    return f"{year}年{int(month)}月{int(day)}日"


def phone_href(value: str) -> str:
    """A ``tel:`` link for a phone number as written (digits, +, - kept)."""
    return "tel:" + re.sub(r"[^0-9+\-]", "", value)


def safe_href(value: str | None) -> str:
    """The link if the contract's one link rule keeps it (http(s) with a host, or a same-site
    path), else "": never ``javascript:``, ``//host``, ``/\\host`` or their encoded forms."""
    return safe_link(value) or ""


def split_paragraphs(text: str | None) -> list[str]:
    """Plain text with blank-line or newline breaks → list of paragraphs."""
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


#: Search results are labelled by kind: a page's section (the generator's ``section=``) → the
#: word shown beside the result. The one place that names them; the generator writes it into the
#: page's search block (``data-pagefind-meta`` kind, and the kind filter) and the search page shows it.
SEARCH_KINDS: dict[str, str] = {
    "items": "事项",
    "departments": "部门",
    "notices": "公告",
    "questions": "问答",
    "fees": "收费",
    "channels": "渠道",
    "figures": "统计",
    "data": "数据",
    "home": "首页",
}
#: Pages of no section (hand-written pages such as 关于本站).
OTHER_SEARCH_KIND = "其他"


def search_kind_label(section: str | None) -> str:
    """items → 事项, departments → 部门, … ; any other section → 其他."""
    return SEARCH_KINDS.get(section or "", OTHER_SEARCH_KIND)


def jinja_filters() -> dict[str, object]:
    """Filters registered with Pelican's Jinja environment (see settings.py)."""
    return {
        "markdown": markdown_filter,
        "case_type_label": case_type_label,
        "channel_kind_label": channel_kind_label,
        "workdays": workdays,
        "visits_text": visits_text,
        "yes_no": yes_no,
        "datetime_zh": datetime_zh,
        "date_zh": date_zh,
        "phone_href": phone_href,
        "safe_href": safe_href,
        "paragraphs": split_paragraphs,
        "percent": format_percent,
        "month_zh": month_label,
        "rating_level_label": rating_level_label,
        "rectification_status_label": rectification_status_label,
        "outcome_label": outcome_label,
        "on_time_label": on_time_label,
        "solved_label": solved_label,
        "days_taken": days_taken,
        "search_kind_label": search_kind_label,
    }
