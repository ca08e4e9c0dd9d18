"""Writing the demo year: the plan stored as cases, events, fees, ratings, work orders and appeals.

``seed_demo_year`` takes ``plan.plan_year``'s plan as of the clock's today. Every
case goes through the lifecycle rules (``cases.lifecycle.new_case`` /
``change_status``: the same deadlines, the same refusals), then cases, events,
fees and ratings are written with bulk inserts; bad ratings open work orders with
``ratings.work_orders.open_work_order`` and older ones progress through
回访 → 核实 → 整改 → 反馈 (``ratings.handling``), with three appeals.

It is an explicit step (``sunshine seed-demo`` / ``sunshine demo``), never part of
``seed.seed_demo``'s fast path that the test suite runs for every test. It must never
read the wall clock (only ``clock``), never write a real person's data, and never
run twice: when demo cases exist it adds nothing. It commits once (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, inspect, select

from sunshine.contract.codes import BAD_RATING_MAX

from .. import clock
from ..cases.lifecycle import FeeLine, change_status, current_warning, new_case
from ..db import db
from ..models import (
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
from ..ratings.handling import STAGE_ORDER, STAGES, decide_appeal, file_appeal, record_stage
from ..ratings.work_orders import next_code, open_work_order
from .plan import ItemInfo, PlannedCase, load_profile, plan_year, working_days_after

#: ``ServiceCase.source`` of every generated case.
SOURCE = "demo"


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
    contacted = order.contacted_on or working_days_after(order.opened_on, rng.choice((0, 1, 1)) + drag)
    verified = working_days_after(contacted, rng.randint(1, 2))
    rectified = working_days_after(verified, rng.randint(1, 2) + drag)
    answered = working_days_after(rectified, rng.randint(0, 1))
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
    candidates = [p for p in plans
                  if p.order.department_id == dept_id and working_days_after(p.days["finding"], 3) <= as_of]
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
            decided = working_days_after(verified, 2)
            decide_appeal(order, plan.appeal == "upheld", texts["appeals"][plan.appeal], user_id=users["admin"],
                          at=dt.datetime.combine(decided, dt.time(10, 0), clock.CN_TZ))
            if plan.appeal == "upheld":
                return
            plan.days["rectify"] = max(plan.days["rectify"], decided)
            plan.days["answer"] = max(plan.days["answer"], plan.days["rectify"])
