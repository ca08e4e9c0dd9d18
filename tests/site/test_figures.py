"""Figures computed from cases, ratings and complaints: exact counts by department and month."""

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import change_status, new_case
from sunshine.site.complaints import file_complaint
from sunshine.site.db import db
from sunshine.site.figures import compute_figures, months_ending
from sunshine.site.models import Complaint, Department, Rating, ServiceItem
from sunshine.site.ratings.work_orders import open_work_order

CN = clock.CN_TZ


def _case(no: str, received: dt.date, *, completed: dt.date | None = None, on_the_spot=None,
          rejected: dt.date | None = None):
    item = db.session.scalars(select(ServiceItem)).one()  # promised 5, statutory 15 working days
    case, _code = new_case(item, no, received)
    db.session.add(case)
    if completed:
        change_status(case, "completed", completed, on_the_spot=on_the_spot)
    if rejected:
        change_status(case, "rejected", rejected, note="申请人不具备施工资质")
    return case


def _rating(level: int, at: dt.datetime, *, voided: bool = False) -> Rating:
    dept = db.session.scalars(select(Department)).one()
    rating = Rating(target_kind="department", department=dept, level=level, comment="", created_at=at,
                    status="voided" if voided else "valid")
    db.session.add(rating)
    return rating


@pytest.fixture
def year(published):
    """Cases, ratings and a complaint of 清川县住建局 in October and November 2026."""
    with published.app_context(), clock.frozen("2026-11-23T10:00:00+08:00"):
        _case("QC-001", dt.date(2026, 9, 28), completed=dt.date(2026, 10, 9))  # due 10-10: early
        _case("QC-002", dt.date(2026, 9, 28), completed=dt.date(2026, 10, 10))  # on the day: on time
        _case("QC-003", dt.date(2026, 10, 12), completed=dt.date(2026, 10, 20))  # due 10-19: late
        _case("QC-004", dt.date(2026, 11, 2), completed=dt.date(2026, 11, 2))  # at the window
        _case("QC-005", dt.date(2026, 11, 3), rejected=dt.date(2026, 11, 4))
        _case("QC-006", dt.date(2026, 11, 20))  # still open
        _case("QC-OLD", dt.date(2025, 10, 20), completed=dt.date(2025, 10, 27))  # before the period
        bad = _rating(2, dt.datetime(2026, 11, 5, 10, tzinfo=CN))
        work_order = open_work_order(bad)
        work_order.status = "closed"
        _rating(5, dt.datetime(2026, 11, 6, 10, tzinfo=CN))
        _rating(1, dt.datetime(2026, 11, 7, 10, tzinfo=CN), voided=True)
        _rating(4, dt.datetime(2026, 10, 31, 23, 30, tzinfo=CN))  # 15:30 UTC: still October in China
        dept = db.session.scalars(select(Department)).one()
        filed = file_complaint(department=dept, item=None, category="办理超时", subject="施工许可超时",
                               content="十月十二日提交申请，至今未办结，也没有任何告知。", contact_name="",
                               contact_phone="", days_to_answer=13,
                               received_at=dt.datetime(2026, 10, 21, 9, tzinfo=CN))
        complaint = db.session.get(Complaint, filed.complaint.id)
        from sunshine.site.complaints.lifecycle import apply_action

        apply_action(complaint, "accept", user_id=None, at=dt.datetime(2026, 10, 22, 9, tzinfo=CN))
        apply_action(complaint, "reply", user_id=None, reply="已于十月二十八日发证。",
                     at=dt.datetime(2026, 10, 28, 9, tzinfo=CN))
        file_complaint(department=dept, item=None, category="服务态度", subject="窗口人员态度生硬",
                       content="十一月二十日下午咨询时，窗口工作人员不耐烦，没有说明需要的材料。",
                       contact_name="", contact_phone="", days_to_answer=13,
                       received_at=dt.datetime(2026, 11, 20, 15, tzinfo=CN))  # not answered, not yet due
        db.session.commit()
        dept_id = dept.id
    return published, dept_id


def _figures(app, dept_id):
    with app.app_context():
        return compute_figures({dept_id: "zjj"}, as_of=dt.date(2026, 11, 23))


def test_the_period_is_the_twelve_months_up_to_today():
    assert months_ending(dt.date(2026, 11, 23)) == [
        "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
        "2026-08", "2026-09", "2026-10", "2026-11"]


def test_cases_count_in_the_month_received_and_the_month_decided(year):
    figures = _figures(*year)
    months = {row["month"]: row for row in figures["departments"][0]["months"]}
    assert (months["2026-09"]["cases_received"], months["2026-10"]["cases_received"],
            months["2026-11"]["cases_received"]) == (2, 1, 3)
    october = months["2026-10"]
    assert (october["cases_completed"], october["completed_on_time"], october["completed_early"]) == (3, 2, 1)
    november = months["2026-11"]
    assert (november["cases_completed"], november["completed_on_the_spot"], november["cases_rejected"]) == (1, 1, 1)


def test_cases_before_the_period_do_not_count(year):
    total = _figures(*year)["departments"][0]["total"]
    assert total["cases_received"] == 6
    assert total["cases_completed"] == 4


def test_voided_ratings_do_not_count_and_the_rating_month_is_chinas(year):
    months = {row["month"]: row for row in _figures(*year)["departments"][0]["months"]}
    assert months["2026-11"]["ratings"] == {"5": 1, "4": 0, "3": 0, "2": 1, "1": 0}
    assert months["2026-10"]["ratings"]["4"] == 1
    assert months["2026-11"]["bad_rectified"] == 1


def test_complaints_answered_on_time(year):
    october = {row["month"]: row for row in _figures(*year)["departments"][0]["months"]}["2026-10"]
    assert (october["complaints_received"], october["complaints_answered"],
            october["complaints_answered_on_time"], october["complaints_due"]) == (1, 1, 1, 1)


def test_a_complaint_neither_answered_nor_due_is_not_yet_judged(year):
    november = {row["month"]: row for row in _figures(*year)["departments"][0]["months"]}["2026-11"]
    assert (november["complaints_received"], november["complaints_answered"], november["complaints_due"]) == (1, 0, 0)


def test_the_centre_is_the_sum_of_its_departments(year):
    figures = _figures(*year)
    assert figures["centre"]["total"] == figures["departments"][0]["total"]
    assert figures["veto_percent"] == 30 and figures["as_of"] == "2026-11-23"


def test_no_person_is_in_the_figures(year):
    text = repr(_figures(*year))
    assert "QC-00" not in text and "施工许可超时" not in text
