"""``sunshine tick``: every open case gets its light by working days, across 国庆节 and its make-up day.

A case of SCJG-XK-001 (5 promised working days) accepted on 2026-09-28 is due on
2026-10-10: 10-01..10-07 are holidays and Saturday 10-10 is a make-up working day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from sunshine.site.cli import main
from sunshine.site.db import db
from sunshine.site.models import ServiceCase


def test_a_case_accepted_before_national_day_is_due_on_the_make_up_saturday(make_case, load_case):
    case_id = make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28")
    assert load_case(case_id).deadline == dt.date(2026, 10, 10)


@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-10-08T09:00:00", "green"),   # two working days left (10-09, 10-10)
    ("2026-10-09T09:00:00", "yellow"),  # one working day left: the make-up Saturday
    ("2026-10-10T09:00:00", "yellow"),  # due today
    ("2026-10-11T09:00:00", "red"),     # the day after the deadline, though a Sunday
    ("2026-10-12T09:00:00", "red"),
])
def test_tick_sets_the_light_by_working_days(make_case, load_case, run_tick, moment, expected):
    case_id = make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28")
    run_tick(moment)
    assert load_case(case_id).warning == expected


@pytest.fixture
def four_open_one_done(make_case, move_case):
    """On 2026-10-12: one red, one yellow, one green, one awaiting 补正, one completed."""
    ids = {
        "red": make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28"),     # due 10-10
        "yellow": make_case("ZJJ-XK-001", "QC2026-ZJJ-100801", "2026-10-08"),    # 3 days: due 10-12
        "green": make_case("ZJJ-XK-002", "QC2026-ZJJ-100901", "2026-10-09"),     # 5 days: due 10-15
        "correction": make_case("GTZY-QR-002", "QC2026-GTZY-100901", "2026-10-09", status="correction"),
        "done": make_case("SCJG-XK-001", "QC2026-SCJG-092802", "2026-09-28"),
    }
    move_case(ids["done"], "completed", "2026-10-09")
    return ids


def test_tick_counts_changes_and_totals_of_open_cases(four_open_one_done, run_tick):
    report = run_tick("2026-10-12T09:00:00")
    assert (report.checked, report.turned_red, report.turned_yellow, report.back_to_green) == (4, 1, 1, 0)
    assert report.cases == {"green": 2, "yellow": 1, "red": 1}


def test_tick_stores_each_light(four_open_one_done, run_tick, load_case):
    run_tick("2026-10-12T09:00:00")
    assert {name: load_case(case_id).warning for name, case_id in four_open_one_done.items()} == {
        "red": "red", "yellow": "yellow", "green": "green", "correction": "green", "done": "green"}


def test_a_second_tick_the_same_day_changes_nothing(four_open_one_done, run_tick):
    run_tick("2026-10-12T09:00:00")
    report = run_tick("2026-10-12T09:15:00")
    assert report.changed == 0
    assert report.cases == {"green": 2, "yellow": 1, "red": 1}


def test_next_day_the_yellow_case_turns_red(four_open_one_done, run_tick, load_case):
    run_tick("2026-10-12T09:00:00")
    report = run_tick("2026-10-13T00:05:00")
    assert (report.turned_red, report.turned_yellow) == (1, 0)
    assert report.cases == {"green": 2, "yellow": 0, "red": 2}
    assert load_case(four_open_one_done["yellow"]).warning == "red"


def test_a_completed_case_is_green(make_case, move_case, run_tick, load_case):
    case_id = make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28")
    run_tick("2026-10-12T09:00:00")
    move_case(case_id, "completed", "2026-10-12")
    report = run_tick("2026-10-12T17:00:00")
    assert report.cases == {"green": 0, "yellow": 0, "red": 0}
    assert load_case(case_id).warning == "green"


def test_a_decided_case_left_with_a_stale_light_goes_back_to_green(app, make_case, move_case, run_tick,
                                                                   load_case):
    case_id = make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28")
    move_case(case_id, "completed", "2026-10-12")
    with app.app_context():  # e.g. decided by an import that did not clear the light
        db.session.execute(update(ServiceCase).where(ServiceCase.id == case_id).values(warning="red"))
        db.session.commit()
    report = run_tick("2026-10-12T17:00:00")
    assert (report.checked, report.back_to_green) == (1, 1)
    assert load_case(case_id).warning == "green"


def test_an_extension_turns_a_red_case_green_again(make_case, move_case, run_tick, load_case):
    case_id = make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28")
    run_tick("2026-10-12T09:00:00")
    move_case(case_id, "extended", "2026-10-12", extension_days=10, note="需现场核查经营场所，依法延长10个工作日")
    report = run_tick("2026-10-12T17:00:00")
    assert report.back_to_green == 1
    assert load_case(case_id).deadline == dt.date(2026, 10, 23)
    assert load_case(case_id).warning == "green"


def test_warning_days_come_from_the_app_setting(app, make_case, run_tick, load_case):
    case_id = make_case("ZJJ-XK-002", "QC2026-ZJJ-100901", "2026-10-09")  # due 10-15
    app.config["SUNSHINE_WARNING_DAYS"] = 2
    run_tick("2026-10-13T09:00:00")  # 10-14, 10-15: two working days left
    assert load_case(case_id).warning == "yellow"


def test_warning_days_can_be_passed_to_tick(make_case, run_tick, load_case):
    case_id = make_case("ZJJ-XK-002", "QC2026-ZJJ-100901", "2026-10-09")  # due 10-15
    run_tick("2026-10-13T09:00:00", warn_days=1)
    assert load_case(case_id).warning == "green"


def test_tick_does_not_touch_the_case_as_edited(make_case, run_tick, load_case):
    case_id = make_case("SCJG-XK-001", "QC2026-SCJG-092801", "2026-09-28")
    before = load_case(case_id).updated_at
    run_tick("2026-10-12T09:00:00")
    after = load_case(case_id)
    assert (after.warning, after.updated_at, after.status) == ("red", before, "accepted")


def test_tick_counts_complaints_awaiting_an_answer_by_the_same_rule(make_complaint, run_tick):
    make_complaint("scjg", "承诺10月10日前答复，至今未答复", "2026-10-10")
    make_complaint("zjj", "施工许可窗口推诿", "2026-10-12")
    make_complaint("zjj", "已答复的收费投诉", "2026-10-09", status="replied")
    report = run_tick("2026-10-12T09:00:00")
    assert (report.complaints["red"], report.complaints["yellow"]) == (1, 1)


def test_the_cli_prints_one_line(app, four_open_one_done, monkeypatch, tmp_path):
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "cli-instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SUNSHINE_CLOCK", "2026-10-12T00:05:00+08:00")
    result = CliRunner().invoke(main, ["tick"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output == "电子监察：红牌 1 件，黄牌 1 件（新增红牌 1 件）\n"


def test_the_cli_adds_complaints_when_some_are_late(app, four_open_one_done, make_complaint, monkeypatch,
                                                    tmp_path):
    make_complaint("scjg", "承诺10月10日前答复，至今未答复", "2026-10-10")
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "cli-instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SUNSHINE_CLOCK", "2026-10-12T00:05:00+08:00")
    result = CliRunner().invoke(main, ["tick"], catch_exceptions=False)
    assert result.output == "电子监察：红牌 1 件，黄牌 1 件（新增红牌 1 件）；投诉超期 1 件，即将到期 0 件\n"
