"""The generated demo year (content/demo/cases.yaml → site/demo_year/).

The year is seeded once for the module (about 5 000 cases), at a frozen clock of
2026-11-23 10:00 China time, through the real seeder, the real lifecycle and
work-order rules, on the suite's database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from sunshine.contract.codes import (
    APPEAL_STATUSES,
    CASE_STATUSES,
    RECTIFICATION_STATUSES,
    WARNING_LEVELS,
)
from sunshine.contract.figures import over_veto_line, rates
from sunshine.site import clock, create_app
from sunshine.site.db import db
from sunshine.site.demo_year import (
    load_profile,
    plan_digest,
    plan_year,
    published_items,
    seed_demo_year,
    stored_digest,
)
from sunshine.site.export import build_snapshot
from sunshine.site.figures import compute_figures, public_departments
from sunshine.site.models import CaseEvent, CaseFee, Department, Rating, Rectification, ServiceCase
from sunshine.site.query_codes import check_code
from sunshine.site.seed import seed_demo
from tests.conftest import DEMO_DIR, _cheap_password_hashing, _driver

AS_OF = "2026-11-23T10:00:00+08:00"
TODAY = dt.date(2026, 11, 23)
#: The year as the seed 20261123 and the 2026 calendar make it (showcase cases included).
TOTAL_CASES = 4495


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="module")
def year(_schema, tmp_path_factory):
    """The demo data set plus the generated year, seeded once; the clock stays frozen."""
    tmp = tmp_path_factory.mktemp("demo-year")
    app = create_app({
        "TESTING": True, "INSTANCE_PATH": str(tmp / "instance"), "SQLALCHEMY_DATABASE_URI": _driver(_schema),
        "SECRET_KEY": "test-secret", "SUNSHINE_SEARCH_INDEX": str(tmp / "idx"), "SUNSHINE_STATIC_SEARCH": False,
    })
    with pytest.MonkeyPatch.context() as mp:
        _cheap_password_hashing(mp)
        with clock.frozen(AS_OF), app.app_context():
            _empty_tables()
            seed_demo(DEMO_DIR)
            report = seed_demo_year(DEMO_DIR)
            yield report
            db.session.rollback()
            _empty_tables()
            db.session.remove()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def figures(year):
    result = compute_figures(public_departments(), as_of=TODAY)
    return {"centre": result["centre"], **{d["department"]: d for d in result["departments"]}}


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _dept_id(code: str) -> int:
    return db.session.scalar(select(Department.id).where(Department.code == code))


# --- reproducibility and size ----------------------------------------------------------------


def test_the_same_seed_and_day_plan_the_same_year(year):
    profile, items = load_profile(DEMO_DIR), published_items()
    assert plan_digest(plan_year(profile, items, TODAY)) == plan_digest(plan_year(profile, items, TODAY))


def test_the_stored_year_is_the_planned_year(year):
    assert stored_digest() == plan_digest(plan_year(load_profile(DEMO_DIR), published_items(), TODAY))


def test_another_seed_plans_another_year(year):
    profile, items = load_profile(DEMO_DIR), published_items()
    other = {**profile, "seed": profile["seed"] + 1}
    assert plan_digest(plan_year(other, items, TODAY)) != plan_digest(plan_year(profile, items, TODAY))


def test_the_year_has_an_exact_number_of_cases(year):
    assert year.created["办件"] == TOTAL_CASES
    assert _count(ServiceCase, ServiceCase.source == "demo") == TOTAL_CASES


def test_cases_are_numbered_per_department_and_year(year):
    first = db.session.scalar(select(ServiceCase.case_no).where(ServiceCase.case_no.like("QC2026-ZJJ-%"))
                              .order_by(ServiceCase.case_no).limit(1))
    assert first == "QC2026-ZJJ-000001"


def test_a_second_run_adds_nothing(year):
    again = seed_demo_year(DEMO_DIR)
    assert again.existing == TOTAL_CASES and again.created == {}
    assert _count(ServiceCase) == TOTAL_CASES


def test_the_year_covers_twelve_months_and_stops_today(year):
    first, last = db.session.execute(select(func.min(ServiceCase.received_on), func.max(ServiceCase.received_on))).one()
    assert first == dt.date(2025, 12, 1)
    assert last <= TODAY
    assert db.session.scalar(select(func.max(CaseEvent.on))) <= TODAY


# --- the figures differ as the profiles say ----------------------------------------------------


def test_zjj_is_the_slow_department(figures):
    zjj, scjg = rates(figures["zjj"]["total"]), rates(figures["scjg"]["total"])
    assert zjj["on_time"] == Decimal("82.7")
    assert scjg["on_time"] == Decimal("99.2")
    slowest = min((d for d in figures if d != "centre"), key=lambda d: rates(figures[d]["total"])["on_time"])
    assert slowest == "zjj"


def test_scjg_decides_most_cases_on_the_spot_among_licensing_offices(figures):
    spot = {d: rates(figures[d]["total"])["on_the_spot"] for d in ("scjg", "zjj", "gtzy", "mz")}
    assert max(spot, key=spot.get) == "scjg"
    assert spot["scjg"] > Decimal("60")


def test_mz_is_over_the_veto_line_and_nobody_else_is(figures):
    over = sorted(d for d in figures if d != "centre" and over_veto_line(figures[d]["total"]))
    assert over == ["mz"]
    assert rates(figures["mz"]["total"])["dissatisfaction"] > Decimal("30")


def test_monthly_volumes_follow_the_season(figures):
    received = {m["month"]: m["cases_received"] for m in figures["centre"]["months"]}
    assert received["2026-02"] < received["2026-01"]  # 春节
    assert received["2026-10"] < received["2026-09"]  # 国庆节
    assert len(set(received.values())) == 12


def test_zjj_has_red_open_cases(year):
    red = _count(ServiceCase, ServiceCase.department_id == _dept_id("zjj"), ServiceCase.warning == "red")
    assert red >= 5


# --- every state appears ----------------------------------------------------------------------


def test_every_case_status_and_warning_appears(year):
    statuses = set(db.session.scalars(select(ServiceCase.status).distinct()))
    warnings = set(db.session.scalars(select(ServiceCase.warning).distinct()))
    assert statuses == set(CASE_STATUSES)
    assert warnings == set(WARNING_LEVELS)


def test_every_work_order_status_and_appeal_status_appears(year):
    statuses = set(db.session.scalars(select(Rectification.status).distinct()))
    appeals = Counter(db.session.scalars(select(Rectification.appeal_status)))
    assert statuses == set(RECTIFICATION_STATUSES)
    assert set(appeals) == set(APPEAL_STATUSES)
    assert appeals["pending"] == appeals["upheld"] == appeals["rejected"] == 1


def test_the_upheld_appeal_voided_its_rating(year):
    order = db.session.scalars(select(Rectification).where(Rectification.appeal_status == "upheld")).one()
    assert order.status == "voided"
    assert order.rating.status == "voided" and order.rating.void_reason.startswith("经调取办件记录")


def test_every_bad_rating_has_a_work_order_including_the_hand_written_ones(year):
    bad = _count(Rating, Rating.level <= 2)
    assert _count(Rectification) == bad
    assert _count(Rectification, Rectification.rating.has(Rating.target_kind == "item")) == 3


def test_extensions_and_refusals_say_why(year):
    extended = db.session.scalars(select(ServiceCase).where(ServiceCase.extension_days > 0)).all()
    rejected = db.session.scalars(select(ServiceCase).where(ServiceCase.status == "rejected")).all()
    assert extended and all(c.extension_reason for c in extended)
    assert rejected and all(c.rejection_reason for c in rejected)


def test_only_completed_cases_are_rated_and_after_completion(year):
    rows = db.session.execute(select(ServiceCase.status, ServiceCase.completed_on, Rating.created_at)
                              .join(Rating, Rating.case_id == ServiceCase.id)).all()
    assert rows
    assert {status for status, _, _ in rows} == {"completed"}
    assert all(clock.to_cn_date(at) >= completed_on for _, completed_on, at in rows)


def test_construction_permits_bill_seven_fees_on_one_bill(year):
    totals = db.session.execute(
        select(CaseFee.case_id, func.count(), func.sum(CaseFee.amount_fen)).join(ServiceCase)
        .where(ServiceCase.case_no.like("QC%-ZJJ-%"), CaseFee.name == "城市基础设施配套费").group_by(CaseFee.case_id)
    ).all()
    assert totals
    lines = Counter(db.session.scalars(select(func.count()).select_from(CaseFee).join(ServiceCase)
                                       .where(ServiceCase.item.has(code="ZJJ-XK-001")).group_by(CaseFee.case_id)))
    assert set(lines) == {7}
    amounts = set(db.session.scalars(
        select(func.sum(CaseFee.amount_fen)).join(ServiceCase).where(ServiceCase.item.has(code="ZJJ-XK-001"))
        .group_by(CaseFee.case_id)))
    assert amounts == {27760000, 7264000}  # 277 600.00 and 72 640.00 yuan


# --- the hand-picked cases a visitor can try --------------------------------------------------


def test_the_showcase_cases_open_with_their_published_codes(year):
    completed = db.session.scalars(select(ServiceCase).where(ServiceCase.case_no == "QC2026-SCJG-990001")).one()
    overdue = db.session.scalars(select(ServiceCase).where(ServiceCase.case_no == "QC2026-ZJJ-990002")).one()
    assert check_code(completed.query_code_hash, "CHAXUN28")
    assert not check_code(completed.query_code_hash, "CHAXUN29")
    assert completed.status == "completed" and _count(Rating, Rating.case_id == completed.id) == 0
    assert overdue.status == "processing" and overdue.warning == "red"
    assert overdue.deadline == dt.date(2026, 11, 16)


# --- privacy ----------------------------------------------------------------------------------


def test_the_snapshot_carries_no_applicant_or_rater_data(year):
    text = json.dumps(build_snapshot(today=TODAY), ensure_ascii=False)
    phones = set(db.session.scalars(select(ServiceCase.applicant_phone))) | set(
        db.session.scalars(select(Rating.contact_phone).where(Rating.contact_phone != "")))
    ids = set(db.session.scalars(select(ServiceCase.applicant_id_no)))
    assert len(phones) > 1000 and len(ids) > 1000
    assert not [p for p in phones if p in text]
    assert not [i for i in ids if i in text]
    assert "1390000" not in text and "9999991" not in text and "9999992" not in text


# --- the command line -------------------------------------------------------------------------


def test_seed_demo_without_cases_is_the_fast_path(tmp_path, monkeypatch):
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    from sunshine.site.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["init-db"]).exit_code == 0
    result = runner.invoke(main, ["seed-demo", "--no-cases"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "事项 新增48" in result.output and "办件" not in result.output
