"""The demo year's plan: ``content/demo/cases.yaml`` turned into cases, timelines and ratings, in memory.

``cases.yaml`` describes each department's profile (volume, share decided on
the spot, late, 补正, rejected, extended, rated, rating levels) and the texts to
draw from. ``plan_year`` is pure: a ``random.Random(seed)`` and the clock's
today give the same plan (case numbers, timelines, fees, ratings) every time;
``plan_digest`` fingerprints it for reproducibility checks. Writing the plan is
``seeding``'s job.

It never touches the database, never reads the wall clock (only ``clock``'s
time zone and the ``as_of`` it is given), and never invents a real person's
data: applicants and raters are placeholders such as 张三 / 1390000xxxx.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sunshine.contract.codes import BAD_RATING_MAX, CASE_STATUSES, RATING_LEVELS

from .. import clock
from ..deadlines import add_working_days, is_working_day
from ..figures import months_ending

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STATUS_BY_LABEL = {label: code for code, label in CASE_STATUSES.items()}
LEVEL_BY_LABEL = {label: level for level, label in RATING_LEVELS.items()}
#: Placeholder names: nobody mistakes them for a real applicant.
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ("三", "四", "五", "六", "七", "某", "某某", "小明", "小红", "小刚")
#: Probability that a rating carries a comment.
COMMENT_SHARE = 0.6
#: Probability that a good rating leaves a name and phone.
GOOD_NAMED_SHARE = 0.2


class DemoYearError(ValueError):
    """``cases.yaml`` is missing or does not fit the items in the database."""


@dataclass(frozen=True)
class ItemInfo:
    """What the planner needs to know of a published item."""

    code: str
    department: str
    promised_days: int
    statutory_days: int


@dataclass(frozen=True)
class PlannedStep:
    status: str
    on: dt.date
    note: str = ""
    extension_days: int = 0


@dataclass(frozen=True)
class PlannedRating:
    level: int
    comment: str
    at: dt.datetime
    contact_name: str = ""
    contact_phone: str = ""


@dataclass
class PlannedCase:
    case_no: str
    item: str
    department: str
    received_on: dt.date
    steps: list[PlannedStep]
    minute: int  # minutes after 08:30 China time of the receipt
    applicant: tuple[str, str, str] = ("", "", "")
    fees: list[tuple[str, int]] = field(default_factory=list)
    rating: PlannedRating | None = None
    query_code: str | None = None
    showcase: bool = False

    @property
    def status(self) -> str:
        return self.steps[-1].status


def load_profile(directory: Path) -> dict[str, Any]:
    path = directory / "cases.yaml"
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError as exc:
        raise DemoYearError(f"找不到演示办件参数文件 {path}") from exc
    except yaml.YAMLError as exc:
        raise DemoYearError(f"演示办件参数文件格式错误 {path}: {exc}") from exc


@lru_cache(maxsize=65536)
def working_days_after(day: dt.date, days: int) -> dt.date:
    """``deadlines.add_working_days``, memoised (the planner and the seeding ask the same questions often)."""
    return add_working_days(day, days)


def working_days_before(day: dt.date, days: int) -> dt.date:
    """The working day ``days`` working days before ``day`` (``day`` itself when 0)."""
    current = day
    while not is_working_day(current):
        current -= dt.timedelta(days=1)
    while days:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def _working_days_of(month: str, start: dt.date, as_of: dt.date) -> tuple[list[dt.date], int]:
    """Working days of ``month`` from ``start`` up to ``as_of``, and how many the whole month has."""
    year, mon = int(month[:4]), int(month[5:])
    day = dt.date(year, mon, 1)
    every, upto = [], []
    while day.month == mon:
        if is_working_day(day):
            every.append(day)
            if start <= day <= as_of:
                upto.append(day)
        day += dt.timedelta(days=1)
    return upto, len(every)


def _yuan_to_fen(amount: str | int | float) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value())


def _applicant(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    phone = f"1390000{rng.randrange(10000):04d}"
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
    id_no = f"999999{birth:%Y%m%d}{rng.randrange(10000):04d}"  # region 999999 does not exist
    return name, phone, id_no


def plan_year(profile: dict[str, Any], items: list[ItemInfo], as_of: dt.date, *,
              scale: float = 1.0, now: dt.datetime | None = None) -> list[PlannedCase]:
    """The whole demo year as a plan, sorted by case number; the same inputs give the same plan."""
    rng = random.Random(profile["seed"])
    now = now or dt.datetime.combine(as_of, dt.time(23, 59), clock.CN_TZ)
    period = months_ending(as_of, int(profile.get("months", 12)))
    start = dt.date(int(period[0][:4]), int(period[0][5:]), 1)
    factors = {int(k): float(v) for k, v in (profile.get("month_factors") or {}).items()}
    by_dept: dict[str, list[ItemInfo]] = {}
    for info in sorted(items, key=lambda i: i.code):
        by_dept.setdefault(info.department, []).append(info)
    showcase_numbers = {s["case_no"] for s in profile.get("showcase") or []}
    prefix = profile.get("case_no_prefix", "QC")
    plans: list[PlannedCase] = []
    for dept in sorted(profile["departments"]):
        p = profile["departments"][dept]
        dept_items = by_dept.get(dept)
        if not dept_items:
            continue  # not public, or no public item: nothing to show
        drafts: list[PlannedCase] = []
        for month in period:
            days, month_days = _working_days_of(month, start, as_of)
            if not days:
                continue
            expected = p["per_month"] * scale * factors.get(int(month[5:]), 1.0) * len(days) / month_days
            count = max(0, round(expected * rng.uniform(0.85, 1.15)))
            for _ in range(count):
                item = rng.choice(dept_items)
                drafts.append(_plan_case(rng, profile, p, item, rng.choice(days), as_of, now))
        for _ in range(int(p.get("overdue_open", 0) * scale)):
            slow = [i for i in dept_items if i.promised_days > 0]
            if slow:
                drafts.append(_plan_overdue(rng, profile, rng.choice(slow), as_of))
        drafts.sort(key=lambda c: (c.received_on, c.minute, c.item))
        sequence: dict[int, int] = {}
        for case in drafts:
            year = case.received_on.year
            sequence[year] = sequence.get(year, 0) + 1
            case.case_no = f"{prefix}{year}-{dept.upper()}-{sequence[year]:06d}"
            if case.case_no in showcase_numbers:
                raise DemoYearError(f"演示办件编号 {case.case_no} 与示例办件重复，请调整 showcase 的编号")
        plans.extend(drafts)
    plans.extend(_plan_showcase(profile, {i.code: i for i in items}, as_of))
    plans.sort(key=lambda c: c.case_no)
    return plans


def _fees_for(rng: random.Random, profile: dict, item: ItemInfo) -> list[tuple[str, int]]:
    bills = (profile.get("fees") or {}).get(item.code)
    if not bills:
        return []
    return [(name, _yuan_to_fen(amount)) for name, amount in rng.choice(bills)]


def _plan_case(rng: random.Random, profile: dict, p: dict, item: ItemInfo, received: dt.date,
               as_of: dt.date, now: dt.datetime) -> PlannedCase:
    notes = profile["notes"]
    steps: list[PlannedStep] = []
    corrected = rng.random() < p["correction"]
    rejected = rng.random() < p["rejected"]
    if corrected:
        steps.append(PlannedStep("correction", received, rng.choice(notes["correction"])))
    if rejected:
        if not corrected:
            steps.append(PlannedStep("accepted", received))
        after = rng.randint(2, 8) if corrected else rng.randint(0, max(1, min(item.promised_days, 5)))
        steps.append(PlannedStep("rejected", working_days_after(received, after), rng.choice(notes["rejected"])))
    else:
        accepted = working_days_after(received, rng.randint(1, 6)) if corrected else received
        steps.append(PlannedStep("accepted", accepted))
        steps.extend(_decision(rng, notes, p, item, accepted))
    case = PlannedCase(
        case_no="", item=item.code, department=item.department, received_on=received,
        steps=[s for s in steps if s.on <= as_of], minute=rng.randrange(9 * 60),
        applicant=_applicant(rng), fees=[] if rejected else _fees_for(rng, profile, item),
    )
    final = steps[-1]
    if case.steps[-1] is final and final.status == "completed" and rng.random() < p["rating"]:
        case.rating = _plan_rating(rng, profile, p, final.on, now)
    return case


def _decision(rng: random.Random, notes: dict, p: dict, item: ItemInfo,
              accepted: dt.date) -> list[PlannedStep]:
    """Steps after acceptance: 办理中, maybe 延期, then 办结 on time, early, on the spot or late."""
    promised = item.promised_days
    late = rng.random() < p["late"]
    if promised == 0 or rng.random() < p["on_the_spot"]:
        if late:  # an 即办件 that was not decided at the window
            return [PlannedStep("processing", accepted),
                    PlannedStep("completed", working_days_after(accepted, promised + rng.randint(1, 3)))]
        return [PlannedStep("completed", accepted)]
    steps = [PlannedStep("processing", working_days_after(accepted, 1))]
    last, extension = 1, 0
    if rng.random() < p["extended"]:
        extension = rng.choice((5, 5, 10, 15))
        last = rng.randint(1, promised)
        steps.append(PlannedStep("extended", working_days_after(accepted, last), rng.choice(notes["extended"]),
                                 extension))
    total = promised + extension
    if late:
        offset = total + rng.randint(1, 8)
    else:
        offset = rng.randint(min(last + 1, total), total)
    steps.append(PlannedStep("completed", working_days_after(accepted, max(offset, last))))
    return steps


def _plan_overdue(rng: random.Random, profile: dict, item: ItemInfo, as_of: dt.date) -> PlannedCase:
    """A case accepted long enough ago that its promised deadline has passed, still undecided."""
    received = working_days_before(as_of, item.promised_days + rng.randint(2, 10))
    steps = [PlannedStep("accepted", received), PlannedStep("processing", working_days_after(received, 1))]
    return PlannedCase(case_no="", item=item.code, department=item.department, received_on=received,
                       steps=steps, minute=rng.randrange(9 * 60), applicant=_applicant(rng),
                       fees=_fees_for(rng, profile, item))


def _plan_rating(rng: random.Random, profile: dict, p: dict, completed: dt.date,
                 now: dt.datetime) -> PlannedRating | None:
    level = rng.choices((5, 4, 3, 2, 1), weights=p["levels"])[0]
    comment = ""
    if rng.random() < COMMENT_SHARE:
        comment = rng.choice(profile["comments"][RATING_LEVELS[level]])
    day = completed + dt.timedelta(days=rng.choice((0, 0, 1, 2, 3)))
    at = dt.datetime.combine(day, dt.time(rng.randint(8, 21), rng.randrange(60)), clock.CN_TZ)
    named = rng.random() < (p.get("named", 0.7) if level <= BAD_RATING_MAX else GOOD_NAMED_SHARE)
    name, phone, _ = _applicant(rng)
    if at > now:
        return None  # would be rated in the future: stays unrated for now
    return PlannedRating(level, comment, at, name if named else "", phone if named else "")


def _plan_showcase(profile: dict, items: dict[str, ItemInfo], as_of: dt.date) -> list[PlannedCase]:
    plans = []
    for entry in profile.get("showcase") or []:
        item = items.get(entry["item"])
        if item is None:
            raise DemoYearError(f"示例办件 {entry['case_no']} 的事项 {entry['item']} 不存在或未公开")
        received = working_days_before(as_of, int(entry["received_days_ago"]))
        steps = [PlannedStep(STATUS_BY_LABEL[s["status"]], working_days_after(received, int(s["after"])),
                             s.get("note", ""), int(s.get("days", 0))) for s in entry["steps"]]
        if steps[-1].on > as_of:
            raise DemoYearError(f"示例办件 {entry['case_no']} 的环节晚于今天")
        plans.append(PlannedCase(
            case_no=entry["case_no"], item=item.code, department=item.department, received_on=received,
            steps=steps, minute=30, applicant=("张三", "13900000000", "999999198001010000"),
            query_code=entry["query_code"], showcase=True))
    return plans


def plan_digest(plans: list[PlannedCase]) -> str:
    """A fingerprint of case numbers, items, dates and statuses (reproducibility checks)."""
    digest = hashlib.sha256()
    for case in sorted(plans, key=lambda c: c.case_no):
        completed = next((s.on for s in case.steps if s.status in ("completed", "rejected")), None)
        digest.update(f"{case.case_no}|{case.item}|{case.received_on}|{case.status}|{completed}\n".encode())
    return digest.hexdigest()


def showcase_cases(directory: Path) -> list[dict[str, str]]:
    """The hand-picked demo cases with their query codes (printed by ``sunshine demo``)."""
    try:
        profile = load_profile(directory)
    except DemoYearError:
        return []
    return [{"case_no": s["case_no"], "query_code": s["query_code"], "hint": s.get("hint", "")}
            for s in profile.get("showcase") or []]
