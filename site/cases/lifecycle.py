"""How a case moves and when it is due: creation from an item, status changes, deadlines.

Pure rules over the models (no request, no commit). Every way a case arrives —
the back office, a CSV/xlsx import, the approval system's API — calls these, so
the timeline, the deadline and the refusal messages are the same everywhere.

Timeline: 补正告知 (optional, before acceptance: the clock has not started) →
受理 (the clock starts) → 办理中 → 延期 (once, with a reason and days) → 办结 or
不予受理 (with a reason). The promised deadline is ``promised_days`` working
days after acceptance plus the extension; the statutory one likewise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.contract.codes import CASE_FINAL_STATUSES, CASE_RUNNING_STATUSES, CASE_STATUSES

from .. import clock
from ..deadlines import add_working_days, working_days_between
from ..models import CaseEvent, CaseFee, ServiceCase, ServiceItem
from ..query_codes import hash_code, new_code
from ..supervision import GREEN, warning_level

#: Status → statuses it may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "correction": ("accepted", "rejected"),
    "accepted": ("processing", "extended", "completed", "rejected"),
    "processing": ("extended", "completed", "rejected"),
    "extended": ("processing", "completed", "rejected"),
    "completed": (),
    "rejected": (),
}
#: Statuses a case may start in (不予受理: refused on the spot, with a reason).
INITIAL_STATUSES = ("correction", "accepted", "rejected")
#: Most working days one extension may add (行政许可法 art. 42: ten days, with approval).
MAX_EXTENSION_DAYS = 30
#: Length of the ``case_no`` column.
CASE_NO_MAX_LENGTH = 40


class CaseError(ValueError):
    """A refused change; the message is Chinese, for the clerk or the API client."""


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount_fen: int


def new_case(item: ServiceItem, case_no: str, received_on: dt.date, *, status: str = "accepted",
             status_on: dt.date | None = None,
             applicant_name: str = "", applicant_phone: str = "", applicant_id_no: str = "",
             on_the_spot: bool = False, fees: list[FeeLine] | None = None, note: str = "",
             query_code: str | None = None, source: str = "admin",
             user_id: int | None = None) -> tuple[ServiceCase, str]:
    """A new case of ``item`` (not added to the session); returns it with its query code.

    ``status_on`` is the day of that first status when it came after receipt (accepted or
    refused after checking the materials); the deadline clock of an accepted case starts there.
    ``query_code`` lets the approval system keep the code it already gave the applicant;
    otherwise a new one is made (shown once).
    """
    if status not in INITIAL_STATUSES:
        allowed = "、".join(f"“{CASE_STATUSES[s]}”" for s in INITIAL_STATUSES)
        raise CaseError(f"新办件的状态只能是{allowed}，不能是“{CASE_STATUSES.get(status, status)}”。")
    case_no = (case_no or "").strip()
    if not case_no:
        raise CaseError("请填写办件编号。")
    if len(case_no) > CASE_NO_MAX_LENGTH:
        raise CaseError(f"办件编号不能超过{CASE_NO_MAX_LENGTH}个字符。")
    if received_on > clock.today():
        raise CaseError(f"收件日期 {received_on.isoformat()} 晚于今天，不能登记未来的办件。")
    status_on = status_on or received_on
    if status_on < received_on:
        raise CaseError(f"状态日期 {status_on.isoformat()} 早于收件日期 {received_on.isoformat()}。")
    if status_on > clock.today():
        raise CaseError(f"状态日期 {status_on.isoformat()} 晚于今天，不能登记未来的办理环节。")
    note = note.strip()
    if status == "rejected" and not note:
        raise CaseError("不予受理须写明理由。")
    if on_the_spot and status != "accepted":
        raise CaseError(f"现场办结的办件须当场受理，状态不能是“{CASE_STATUSES[status]}”。")
    for line in fees or []:
        if not line.name.strip():
            raise CaseError("收费项目须写明名称。")
        if line.amount_fen < 0:
            raise CaseError(f"收费项目“{line.name}”的金额不能为负数。")
    code = query_code or new_code()
    moment = clock.now()
    case = ServiceCase(
        case_no=case_no, query_code_hash=hash_code(code), item=item, department=item.department,
        applicant_name=applicant_name, applicant_phone=applicant_phone, applicant_id_no=applicant_id_no,
        received_on=received_on, promised_days=item.promised_days, statutory_days=item.statutory_days,
        extension_days=0, extension_reason="", status=status, on_the_spot=on_the_spot,
        rejection_reason="", warning=GREEN, source=source, created_at=moment, updated_at=moment,
    )
    case.fees = [CaseFee(position=i, name=f.name, amount_fen=f.amount_fen) for i, f in enumerate(fees or [])]
    if status == "accepted":
        case.accepted_on = status_on
    if status == "rejected":
        case.completed_on = status_on
        case.rejection_reason = note
    case.events = [CaseEvent(on=status_on, status=status, note=note, recorded_at=moment, user_id=user_id)]
    recompute_deadline(case)
    return case, code


def change_status(case: ServiceCase, status: str, on: dt.date, *, note: str = "", extension_days: int = 0,
                  on_the_spot: bool | None = None, user_id: int | None = None) -> CaseEvent:
    """Move ``case`` to ``status`` on day ``on`` and append the event; raises CaseError."""
    label = CASE_STATUSES.get(status)
    if label is None:
        raise CaseError(f"未知的办件状态“{status}”。")
    if status not in TRANSITIONS[case.status]:
        raise CaseError(f"办件当前为“{case.status_label}”，不能改为“{label}”。")
    last = max((e.on for e in case.events), default=case.received_on)
    if on < last:
        raise CaseError(f"日期 {on.isoformat()} 早于上一个环节的日期 {last.isoformat()}。")
    if on > clock.today():
        raise CaseError(f"日期 {on.isoformat()} 晚于今天，不能登记未来的办理环节。")
    note = note.strip()
    if status == "extended":
        if case.extension_days:
            raise CaseError("该办件已延期一次，不能再次延期。")
        if not 1 <= extension_days <= MAX_EXTENSION_DAYS:
            raise CaseError(f"延期须写明延长的工作日数（1至{MAX_EXTENSION_DAYS}）。")
        if not note:
            raise CaseError("延期须写明理由（延期办结告知制）。")
        case.extension_days = extension_days
        case.extension_reason = note
    if status == "rejected" and not note:
        raise CaseError("不予受理须写明理由。")
    if status == "accepted":
        case.accepted_on = on
    if status == "rejected":
        case.rejection_reason = note
    if status in CASE_FINAL_STATUSES:
        case.completed_on = on
        case.warning = GREEN  # a decided case has no light
        if status == "completed":
            case.on_the_spot = bool(on_the_spot) if on_the_spot is not None else on == case.accepted_on
    case.status = status
    moment = clock.now()
    case.updated_at = moment
    event = CaseEvent(on=on, status=status, note=note, recorded_at=moment, user_id=user_id)
    case.events.append(event)
    recompute_deadline(case)
    return event


def recompute_deadline(case: ServiceCase) -> None:
    """Deadlines from the acceptance date, the item's limits and the extension."""
    if case.accepted_on is None:
        case.deadline = case.statutory_deadline = None
        return
    extra = case.extension_days or 0
    case.deadline = add_working_days(case.accepted_on, case.promised_days + extra)
    case.statutory_deadline = add_working_days(case.accepted_on, case.statutory_days + extra)


def current_warning(case: ServiceCase, today: dt.date, warn_days: int = 1) -> str:
    """The 电子监察 light of a case now (only a running clock can be yellow or red)."""
    if case.status not in CASE_RUNNING_STATUSES:
        return GREEN
    return warning_level(case.deadline, today, warn_days)


def is_on_time(case: ServiceCase) -> bool | None:
    """Was a completed case decided by its deadline? None while undecided."""
    if case.status != "completed" or case.completed_on is None or case.deadline is None:
        return None
    return case.completed_on <= case.deadline


@dataclass(frozen=True)
class Progress:
    """Where a case stands against its promised deadline, as the lookup and the list show it.

    ``state`` is one of: ``awaiting_correction`` (补正: clock not started), ``running``
    (``days`` working days left), ``due_today``, ``overdue`` (``days`` working days late;
    0 when the deadline passed over a weekend), ``completed_on_time``, ``completed_late``
    (``days`` working days late), ``rejected``.
    """

    state: str
    days: int = 0


def progress(case: ServiceCase, today: dt.date) -> Progress:
    """The case's standing on ``today`` (see ``Progress``)."""
    if case.status == "rejected":
        return Progress("rejected")
    if case.status == "completed":
        if case.deadline is None or case.completed_on is None or case.completed_on <= case.deadline:
            return Progress("completed_on_time")
        return Progress("completed_late", working_days_between(case.deadline, case.completed_on))
    if case.status not in CASE_RUNNING_STATUSES or case.deadline is None:
        return Progress("awaiting_correction")
    if case.deadline < today:
        return Progress("overdue", working_days_between(case.deadline, today))
    if case.deadline == today:
        return Progress("due_today")
    return Progress("running", working_days_between(today, case.deadline))


def next_statuses(case: ServiceCase) -> tuple[str, ...]:
    """Statuses the case may move to now (a second 延期 is not offered)."""
    allowed = TRANSITIONS.get(case.status, ())
    return tuple(s for s in allowed if not (s == "extended" and case.extension_days))
