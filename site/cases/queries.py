"""Reading cases: the back office's scoped lists, the public lookup and the public view of a case.

The back office sees a department's cases only through ``scoped_cases`` (staff
of a department see their own, the centre sees all). The public sees a case only
through ``lookup_case`` (case number plus query code, the same ``None`` whichever
is wrong) and then only as a ``PublicCase``, which has no applicant field at
all: the applicant's name, phone and ID number must never be copied into it.
Nothing here writes to the database or knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from sqlalchemy import Select, and_, exists, not_, or_, select

from sunshine.contract.codes import (
    CASE_OPEN_STATUSES,
    CASE_RUNNING_STATUSES,
    CASE_STATUSES,
    WARNING_LEVELS,
)
from sunshine.contract.urls import INTAKE

from .. import clock
from ..db import Scope, db, within
from ..deadline_words import cn_date, counted_parts, with_parts
from ..deadlines import add_working_days, explain
from ..models import Rating, ServiceCase
from ..query_codes import check_code, check_unknown
from ..supervision import GREEN, RED, YELLOW
from .lifecycle import Progress, current_warning, progress

#: Status filters of the back-office list: "open" and "all", then every status.
STATUS_FILTERS: dict[str, str] = {"open": "未办结", "all": "全部", **CASE_STATUSES}
#: Warning filters of the back-office list ("" = any light).
WARNING_FILTERS: dict[str, str] = {"": "全部", **WARNING_LEVELS}



# --- the back office -------------------------------------------------------------------------

def warning_condition(level: str, today: dt.date, warn_days: int = 1):
    """SQL condition of a case whose live 电子监察 light is ``level`` (same rule as ``current_warning``)."""
    running = ServiceCase.status.in_(CASE_RUNNING_STATUSES)
    limit = add_working_days(today, warn_days)
    red = and_(running, ServiceCase.deadline.is_not(None), ServiceCase.deadline < today)
    yellow = and_(running, ServiceCase.deadline.is_not(None), ServiceCase.deadline >= today,
                  ServiceCase.deadline <= limit)
    if level == RED:
        return red
    if level == YELLOW:
        return yellow
    if level == GREEN:
        return not_(or_(red, yellow))
    raise ValueError(f"unknown warning level {level!r}")


def scoped_cases(department_id: Scope, *, status: str = "all", warning: str = "",
                 case_no: str = "", today: dt.date | None = None, warn_days: int = 1) -> Select:
    """Cases one reader may see, filtered, oldest deadline first.

    ``department_id`` is the reader's scope (``permissions.department_scope``: None = all
    departments, else the set of departments, maybe empty). ``status`` is a key of ``STATUS_FILTERS``, ``warning`` one of
    ``WARNING_FILTERS``; ``case_no`` matches any part of the number.
    """
    stmt = select(ServiceCase)
    if department_id is not None:
        stmt = stmt.where(within(ServiceCase.department_id, department_id))
    if status == "open":
        stmt = stmt.where(ServiceCase.status.in_(CASE_OPEN_STATUSES))
    elif status in CASE_STATUSES:
        stmt = stmt.where(ServiceCase.status == status)
    if warning:
        stmt = stmt.where(warning_condition(warning, today or clock.today(), warn_days))
    number = case_no.strip()
    if number:
        escaped = number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(ServiceCase.case_no.ilike(f"%{escaped}%", escape="\\"))
    return stmt.order_by(ServiceCase.deadline.is_(None), ServiceCase.deadline, ServiceCase.received_on,
                         ServiceCase.case_no)


def case_no_taken(case_no: str) -> bool:
    """Is there already a case with this number (as typed, or in capitals)?"""
    number = case_no.strip()
    return db.session.scalar(
        select(ServiceCase.id).where(ServiceCase.case_no.in_({number, number.upper()})).limit(1)
    ) is not None


def is_rated(case: ServiceCase) -> bool:
    """Has the case had its 一事一评 rating (valid or voided)?"""
    return bool(db.session.scalar(select(exists().where(Rating.case_id == case.id))))


# --- the public lookup -----------------------------------------------------------------------

def lookup_case(case_no: str, code: str) -> ServiceCase | None:
    """The case with this number and query code, or None the same way whichever is wrong.

    The number is matched as typed or in capitals (numbers are printed in capitals on
    the receipt); the code is case-insensitive (``query_codes.normalise``).
    """
    number = (case_no or "").strip()
    found = list(db.session.scalars(
        select(ServiceCase).where(ServiceCase.case_no.in_({number, number.upper()})))) if number else []
    if not found:
        check_unknown(code or "")
        return None
    matches = [case for case in found if check_code(case.query_code_hash, code or "")]
    return matches[0] if matches else None


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date
    status: str
    status_label: str
    #: Public note of the step (the reason of a 延期 or a 不予受理, the materials of a 补正).
    note: str


@dataclass(frozen=True)
class FeeEntry:
    name: str
    amount_fen: int

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)


@dataclass(frozen=True)
class PublicCase:
    """What the public may know of a case. It has no applicant field, by design."""

    case_no: str
    item_code: str
    item_name: str
    department_name: str
    status: str
    status_label: str
    received_on: dt.date
    accepted_on: dt.date | None
    completed_on: dt.date | None
    on_the_spot: bool
    promised_days: int
    statutory_days: int
    extension_days: int
    extension_reason: str
    rejection_reason: str
    deadline: dt.date | None
    statutory_deadline: dt.date | None
    #: How the promised / statutory deadline was counted, in Chinese ("" before acceptance).
    deadline_explanation: str
    statutory_explanation: str
    progress: Progress
    progress_text: str
    warning: str
    warning_label: str
    timeline: tuple[TimelineEntry, ...]
    fees: tuple[FeeEntry, ...]
    fees_total_fen: int
    #: Link to the 一事一评 form when the case is completed and not rated yet, else None.
    rate_url: str | None

    @property
    def fees_total_yuan(self) -> str:
        return yuan(self.fees_total_fen)


def public_case(case: ServiceCase, today: dt.date, *, warn_days: int = 1) -> PublicCase:
    """The public view of ``case`` on ``today`` (names as published when the record is published)."""
    item_data = case.item.published_data or {}
    department_data = case.department.published_data or {}
    state = progress(case, today)
    light = current_warning(case, today, warn_days)
    fees = tuple(FeeEntry(f.name, f.amount_fen) for f in case.fees)
    rate = None
    if case.status == "completed" and not is_rated(case):
        rate = f"{INTAKE['case_rate']}?{urlencode({'no': case.case_no})}"
    return PublicCase(
        case_no=case.case_no,
        item_code=case.item.code,
        item_name=item_data.get("name") or case.item.name,
        department_name=department_data.get("name") or case.department.name,
        status=case.status,
        status_label=case.status_label,
        received_on=case.received_on,
        accepted_on=case.accepted_on,
        completed_on=case.completed_on,
        on_the_spot=case.on_the_spot,
        promised_days=case.promised_days,
        statutory_days=case.statutory_days,
        extension_days=case.extension_days or 0,
        extension_reason=case.extension_reason,
        rejection_reason=case.rejection_reason,
        deadline=case.deadline,
        statutory_deadline=case.statutory_deadline,
        deadline_explanation=deadline_explanation(case),
        statutory_explanation=deadline_explanation(case, statutory=True),
        progress=state,
        progress_text=progress_text(state),
        warning=light,
        warning_label=WARNING_LEVELS[light],
        timeline=tuple(TimelineEntry(e.on, e.status, e.status_label, e.note) for e in case.events),
        fees=fees,
        fees_total_fen=sum(f.amount_fen for f in fees),
        rate_url=rate,
    )


# --- words for citizens ----------------------------------------------------------------------

def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separators: 123456 → "1,234.56"."""
    return f"{Decimal(fen) / 100:,.2f}"


def explain_text(start: dt.date, days: int, *, extension_days: int = 0, basis: str = "承诺") -> str:
    """How ``days`` (+ ``extension_days``) working days after ``start`` were counted, in Chinese.

    e.g. "自2026年9月28日受理起计5个工作日；其间国庆节（10月1日至7日）不计，10月10日（星期六）为调休上班日，计入".
    ``basis`` names the limit ("承诺" or "法定") when an extension is added to it.
    """
    total = days + extension_days
    if total == 0:
        return f"受理当日（{cn_date(start)}）办结"
    head = f"自{cn_date(start)}受理起计{total}个工作日"
    if extension_days:
        head += f"（{basis}{days}个工作日，延期{extension_days}个工作日）"
    counted = explain(start, total)
    return with_parts(head, counted_parts(counted, start.year))


def deadline_explanation(case: ServiceCase, *, statutory: bool = False) -> str:
    """The explanation of the case's promised (or statutory) deadline; "" before acceptance."""
    if case.accepted_on is None:
        return ""
    days = case.statutory_days if statutory else case.promised_days
    return explain_text(case.accepted_on, days, extension_days=case.extension_days or 0,
                        basis="法定" if statutory else "承诺")


PROGRESS_TEXTS = {
    "awaiting_correction": "等待申请人补正材料，尚未开始计时",
    "running": "剩余{days}个工作日",
    "due_today": "今天到期",
    "overdue": "已超期{days}个工作日",
    "completed_on_time": "已办结，在承诺时限内",
    "completed_late": "已办结，超期{days}个工作日",
    "rejected": "不予受理",
}


def progress_text(state: Progress) -> str:
    """"剩余3个工作日", "已超期2个工作日", … (an overdue of 0 working days reads "已超过办结期限")."""
    if state.state in ("overdue", "completed_late") and state.days == 0:
        return "已超过办结期限" if state.state == "overdue" else "已办结，超过办结期限"
    return PROGRESS_TEXTS[state.state].format(days=state.days)
