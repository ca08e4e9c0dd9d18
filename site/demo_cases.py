"""The demo year: a reproducible year of service cases, ratings, work orders and appeals.

``content/demo/cases.yaml`` describes each department's profile (volume, share
decided on the spot, late, 补正, rejected, extended, rated, rating levels) and the
texts to draw from; this module turns it into records in two steps:

1. ``plan_year`` — pure: a ``random.Random(seed)`` and the clock's today give the
   same plan (case numbers, timelines, fees, ratings) every time; no database.
2. ``seed_demo_year`` — writes the plan. Every case goes through the lifecycle
   rules (``cases.lifecycle.new_case`` / ``change_status``: the same deadlines,
   the same refusals), then cases, events, fees and ratings are written with bulk
   inserts; bad ratings open work orders with ``ratings.work_orders.open_work_order``
   and older ones progress through 回访 → 核实 → 整改 → 反馈, with three appeals.

It is an explicit step (``sunshine seed-demo`` / ``sunshine demo``), never part of
``seed.seed_demo``'s fast path that the test suite runs for every test. It must never
read the wall clock (only ``clock``), never write a real person's data (applicants and
raters are placeholders such as 张三 / 1390000xxxx), and never run twice: when demo
cases exist it adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import func, insert, inspect, select

from sunshine.contract.codes import BAD_RATING_MAX, CASE_STATUSES, RATING_LEVELS

from . import clock
from .cases.lifecycle import FeeLine, change_status, current_warning, new_case
from .db import db
from .deadlines import add_working_days, is_working_day
from .figures import months_ending
from .models import (
    PUBLISHED,
    CaseEvent,
    CaseFee,
    Department,
    Rating,
    Rectification,
    ServiceCase,
    ServiceItem,
    User,
)
from .ratings.handling import STAGE_ORDER, STAGES, decide_appeal, file_appeal, record_stage
from .ratings.work_orders import next_code, open_work_order

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCE = "demo"
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


# --------------------------------------------------------------------------- the plan


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
def _add(day: dt.date, days: int) -> dt.date:
    """``deadlines.add_working_days``, memoised (the planner asks the same questions often)."""
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
        steps.append(PlannedStep("rejected", _add(received, after), rng.choice(notes["rejected"])))
    else:
        accepted = _add(received, rng.randint(1, 6)) if corrected else received
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
                    PlannedStep("completed", _add(accepted, promised + rng.randint(1, 3)))]
        return [PlannedStep("completed", accepted)]
    steps = [PlannedStep("processing", _add(accepted, 1))]
    last, extension = 1, 0
    if rng.random() < p["extended"]:
        extension = rng.choice((5, 5, 10, 15))
        last = rng.randint(1, promised)
        steps.append(PlannedStep("extended", _add(accepted, last), rng.choice(notes["extended"]), extension))
    total = promised + extension
    if late:
        offset = total + rng.randint(1, 8)
    else:
        offset = rng.randint(min(last + 1, total), total)
    steps.append(PlannedStep("completed", _add(accepted, max(offset, last))))
    return steps


def _plan_overdue(rng: random.Random, profile: dict, item: ItemInfo, as_of: dt.date) -> PlannedCase:
    """A case accepted long enough ago that its promised deadline has passed, still undecided."""
    received = working_days_before(as_of, item.promised_days + rng.randint(2, 10))
    steps = [PlannedStep("accepted", received), PlannedStep("processing", _add(received, 1))]
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
        steps = [PlannedStep(STATUS_BY_LABEL[s["status"]], _add(received, int(s["after"])), s.get("note", ""),
                             int(s.get("days", 0))) for s in entry["steps"]]
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


def stored_digest() -> str:
    """The same fingerprint, read back from the demo cases in the database."""
    rows = db.session.execute(
        select(ServiceCase.case_no, ServiceItem.code, ServiceCase.received_on, ServiceCase.status,
               ServiceCase.completed_on)
        .join(ServiceItem, ServiceCase.item_id == ServiceItem.id).where(ServiceCase.source == SOURCE)
        .order_by(ServiceCase.case_no))
    digest = hashlib.sha256()
    for case_no, item, received_on, status, completed_on in rows:
        digest.update(f"{case_no}|{item}|{received_on}|{status}|{completed_on}\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- writing it


@dataclass
class YearReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if self.existing:
            return f"演示年度办件已存在（{self.existing} 件），未重复生成"
        parts = "，".join(f"{k} {v}" for k, v in self.created.items())
        return f"演示年度数据已生成：{parts}（用时 {self.seconds:.1f} 秒）"


def published_items() -> list[ItemInfo]:
    stmt = (select(ServiceItem.code, Department.code, ServiceItem.promised_days, ServiceItem.statutory_days)
            .join(Department, ServiceItem.department_id == Department.id)
            .where(ServiceItem.state == PUBLISHED, Department.state == PUBLISHED))
    return [ItemInfo(*row) for row in db.session.execute(stmt)]


def demo_year_exists() -> int:
    return db.session.scalar(select(func.count()).select_from(ServiceCase)
                             .where(ServiceCase.source == SOURCE)) or 0


def seed_demo_year(directory: Path, *, scale: float = 1.0) -> YearReport:
    """Generate and store the demo year as of the clock's today; commits once (all or nothing)."""
    started = time.perf_counter()
    existing = demo_year_exists()
    if existing:
        return YearReport(existing=existing)
    profile = load_profile(directory)
    as_of = clock.today()
    try:
        plans = plan_year(profile, published_items(), as_of, scale=scale, now=clock.now_cn())
        report = YearReport()
        report.created["办件"] = len(plans)
        ids = _write_cases(plans, as_of)
        report.created["评价"] = _write_ratings(plans, ids)
        orders, appeals = _work_orders(profile, as_of)
        report.created["整改工单"] = orders
        report.created["申诉"] = appeals
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.seconds = time.perf_counter() - started
    return report


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30), clock.CN_TZ) + dt.timedelta(minutes=minute)


def _columns(model) -> list[str]:
    return [attr.key for attr in inspect(model).column_attrs if attr.key != "id"]


def _write_cases(plans: list[PlannedCase], as_of: dt.date) -> dict[str, int]:
    """Build every case through the lifecycle rules, then bulk-insert cases, events and fees."""
    items = {i.code: i for i in db.session.scalars(select(ServiceItem))}
    warn_days = current_app.config["SUNSHINE_WARNING_DAYS"]
    case_cols, event_cols = _columns(ServiceCase), _columns(CaseEvent)
    case_rows, events, fees = [], {}, {}
    for plan in plans:
        item = items[plan.item]
        first, *rest = plan.steps
        name, phone, id_no = plan.applicant
        case, _code = new_case(
            item, plan.case_no, plan.received_on, status=first.status, applicant_name=name,
            applicant_phone=phone, applicant_id_no=id_no, note=first.note, query_code=plan.query_code,
            fees=[FeeLine(n, fen) for n, fen in plan.fees], source=SOURCE)
        for step in rest:
            change_status(case, step.status, step.on, note=step.note, extension_days=step.extension_days)
        # Historic timestamps: the demo's records were entered on the days they happened.
        for n, event in enumerate(case.events):
            event.recorded_at = _at(event.on, plan.minute + 5 * n)
        case.created_at = _at(plan.received_on, plan.minute)
        case.updated_at = case.events[-1].recorded_at
        case.warning = current_warning(case, as_of, warn_days)
        row = {key: getattr(case, key) for key in case_cols}
        row.update(item_id=item.id, department_id=item.department_id)
        case_rows.append(row)
        events[plan.case_no] = [{key: getattr(e, key) for key in event_cols if key != "case_id"}
                                for e in case.events]
        fees[plan.case_no] = [{"position": f.position, "name": f.name, "amount_fen": f.amount_fen}
                              for f in case.fees]
    db.session.execute(insert(ServiceCase.__table__), case_rows)
    ids = dict(db.session.execute(select(ServiceCase.case_no, ServiceCase.id)
                                  .where(ServiceCase.source == SOURCE)).all())
    event_rows = [{**e, "case_id": ids[no]} for no, rows in events.items() for e in rows]
    fee_rows = [{**f, "case_id": ids[no]} for no, rows in fees.items() for f in rows]
    db.session.execute(insert(CaseEvent.__table__), event_rows)
    if fee_rows:
        db.session.execute(insert(CaseFee.__table__), fee_rows)
    return ids


def _write_ratings(plans: list[PlannedCase], ids: dict[str, int]) -> int:
    items = dict(db.session.execute(select(ServiceItem.code, ServiceItem.id)).all())
    departments = dict(db.session.execute(select(Department.code, Department.id)).all())
    rows = [{
        "target_kind": "case", "department_id": departments[p.department], "item_id": items[p.item],
        "case_id": ids[p.case_no], "level": p.rating.level, "comment": p.rating.comment,
        "contact_name": p.rating.contact_name, "contact_phone": p.rating.contact_phone,
        "created_at": p.rating.at, "status": "valid", "void_reason": "",
    } for p in plans if p.rating is not None]
    if rows:
        db.session.execute(insert(Rating.__table__), rows)
    return len(rows)


# --------------------------------------------------------------------------- work orders and appeals

#: Work-order statuses in stage order, and the stage that leads out of each.
PROGRESS = ("open", "contacted", "verified", "rectified", "closed")
#: Texts of each stage in cases.yaml's ``work_orders``.
STAGE_TEXTS = {"contact": "contact_notes", "finding": "findings", "rectify": "actions", "answer": "answers"}
APPEAL_OUTCOMES = ("pending", "upheld", "rejected")


@dataclass
class _OrderPlan:
    order: Rectification
    #: stage → the working day it is done (if that day has come by then).
    days: dict[str, dt.date]
    texts: dict[str, str]
    #: Stop at this status even if later stages are due (the demo shows every state).
    cap: str | None = None
    appeal: str | None = None

    def natural_status(self, as_of: dt.date) -> str:
        status = self.order.status
        for stage in STAGE_ORDER:
            spec = STAGES[stage]
            if getattr(self.order, spec.date_field) is None and self.days[stage] > as_of:
                break
            status = spec.target
        return status


def _work_orders(profile: dict, as_of: dt.date) -> tuple[int, int]:
    """Open a work order for every bad rating without one, progress it as of today, add appeals.

    Stages and appeals go through ``ratings.handling`` (the back office's own rules).
    """
    rng = random.Random(profile["seed"] + 1)
    texts = profile["work_orders"]
    days = current_app.config["SUNSHINE_RECTIFICATION_DAYS"]
    has_order = select(Rectification.rating_id)
    ratings = db.session.scalars(
        select(Rating).where(Rating.level <= BAD_RATING_MAX, Rating.status == "valid",
                             Rating.id.not_in(has_order))
        .order_by(Rating.created_at, Rating.id)).all()
    counters: dict[int, int] = {}
    plans = []
    for rating in ratings:
        opened = clock.to_cn_date(rating.created_at)
        if opened.year not in counters:
            last = next_code(opened).removeprefix(f"ZG{opened.year}-")
            counters[opened.year] = int(last) - 1
        counters[opened.year] += 1
        order = open_work_order(rating, days, code=f"ZG{opened.year}-{counters[opened.year]:04d}")
        plans.append(_plan_order(rng, texts, order))
    appeals = _choose_appeals(plans, as_of)
    _cover_every_stage([p for p in plans if p.appeal is None], as_of)
    users = _appeal_users(plans)
    for plan in plans:
        _apply(plan, texts, as_of, users)
    return len(plans), appeals


def _plan_order(rng: random.Random, texts: dict, order: Rectification) -> _OrderPlan:
    """When each stage gets done: most within the due days, a tenth of the orders drag."""
    drag = rng.randint(2, 5) if rng.random() < 0.1 else 0
    contacted = order.contacted_on or _add(order.opened_on, rng.choice((0, 1, 1)) + drag)
    verified = _add(contacted, rng.randint(1, 2))
    rectified = _add(verified, rng.randint(1, 2) + drag)
    answered = _add(rectified, rng.randint(0, 1))
    chosen = {stage: rng.choice(texts[key]) for stage, key in STAGE_TEXTS.items()}
    return _OrderPlan(order, {"contact": contacted, "finding": verified, "rectify": rectified,
                              "answer": answered}, chosen)


def _choose_appeals(plans: list[_OrderPlan], as_of: dt.date) -> int:
    """申诉复核: one pending, one upheld, one rejected — in the department with the most orders."""
    if not plans:
        return 0
    counts: dict[int, int] = {}
    for plan in plans:
        counts[plan.order.department_id] = counts.get(plan.order.department_id, 0) + 1
    dept_id = max(sorted(counts), key=lambda d: counts[d])
    # Verified a few working days ago at least, so that a decision can be in the past.
    candidates = [p for p in plans if p.order.department_id == dept_id and _add(p.days["finding"], 3) <= as_of]
    candidates.sort(key=lambda p: (p.order.opened_on, p.order.code), reverse=True)
    for plan, outcome in zip(candidates, APPEAL_OUTCOMES, strict=False):
        plan.appeal = outcome
    return min(len(candidates), len(APPEAL_OUTCOMES))


def _cover_every_stage(plans: list[_OrderPlan], as_of: dt.date) -> None:
    """Cap the newest orders so that each open status shows at least once."""
    natural = {id(p): p.natural_status(as_of) for p in plans}
    present = set(natural.values())
    newest = sorted(plans, key=lambda p: (p.order.opened_on, p.order.code), reverse=True)
    for status in PROGRESS[:4]:
        if status in present:
            continue
        for plan in newest:
            reached = natural[id(plan)]
            start = plan.order.status  # open, or contacted when nobody can be called back
            if plan.cap is None and PROGRESS.index(start) <= PROGRESS.index(status) < PROGRESS.index(reached) \
                    and sum(1 for v in natural.values() if v == reached) > 1:
                plan.cap = status
                natural[id(plan)] = status
                present.add(status)
                break


def _appeal_users(plans: list[_OrderPlan]) -> dict[str, int | None]:
    """The department's editor files the appeals; the centre's administrator decides them."""
    appealed = next((p for p in plans if p.appeal), None)
    admin = db.session.scalar(select(User.id).where(User.role == "admin").order_by(User.id).limit(1))
    editor = None
    if appealed is not None:
        editor = db.session.scalar(select(User.id).where(
            User.role == "editor", User.department_id == appealed.order.department_id).order_by(User.id).limit(1))
    return {"editor": editor or admin, "admin": admin}


def _apply(plan: _OrderPlan, texts: dict, as_of: dt.date, users: dict[str, int | None]) -> None:
    """Record the stages whose day has come, through the handling rules, with the appeal after 核实."""
    order = plan.order
    for stage in STAGE_ORDER:
        spec = STAGES[stage]
        if getattr(order, spec.date_field) is not None:
            continue  # 回访 not needed: recorded when the order opened
        if order.status == plan.cap or plan.days[stage] > as_of:
            return
        record_stage(order, stage, plan.texts[stage], on=plan.days[stage])
        if stage == "finding" and plan.appeal and users["editor"] and users["admin"]:
            verified = plan.days["finding"]
            file_appeal(order, texts["appeals"]["reasons"][APPEAL_OUTCOMES.index(plan.appeal)],
                        user_id=users["editor"], at=dt.datetime.combine(verified, dt.time(15, 0), clock.CN_TZ))
            if plan.appeal == "pending":
                return
            decided = _add(verified, 2)
            decide_appeal(order, plan.appeal == "upheld", texts["appeals"][plan.appeal], user_id=users["admin"],
                          at=dt.datetime.combine(decided, dt.time(10, 0), clock.CN_TZ))
            if plan.appeal == "upheld":
                return
            plan.days["rectify"] = max(plan.days["rectify"], decided)
            plan.days["answer"] = max(plan.days["answer"], plan.days["rectify"])


# --------------------------------------------------------------------------- for people


def showcase_cases(directory: Path) -> list[dict[str, str]]:
    """The hand-picked demo cases with their query codes (printed by ``sunshine demo``)."""
    try:
        profile = load_profile(directory)
    except DemoYearError:
        return []
    return [{"case_no": s["case_no"], "query_code": s["query_code"], "hint": s.get("hint", "")}
            for s in profile.get("showcase") or []]
