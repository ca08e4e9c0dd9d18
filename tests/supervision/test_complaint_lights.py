"""Complaints follow the cases' rule: yellow within SUNSHINE_WARNING_DAYS working days, red once overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.site import clock
from sunshine.site.cases.lifecycle import current_warning
from sunshine.site.complaints.lifecycle import light, warning
from sunshine.site.models import Complaint, ServiceCase

DUE = dt.date(2026, 10, 10)  # the make-up Saturday after 国庆节


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 10, 8), None),
    (dt.date(2026, 10, 9), "due_soon"),
    (dt.date(2026, 10, 10), "due_soon"),
    (dt.date(2026, 10, 12), "overdue"),
])
def test_complaint_warning_by_working_days(app, today, expected):
    with app.app_context():
        assert warning(Complaint(status="assigned", deadline=DUE, due_on=DUE), today) == expected


@pytest.mark.parametrize("today", [dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 12)])
def test_a_complaint_and_a_case_due_the_same_day_have_the_same_light(app, today):
    with app.app_context():
        assert light(Complaint(status="received", deadline=DUE, due_on=DUE), today) == current_warning(
            ServiceCase(status="processing", deadline=DUE), today)


def test_an_answered_complaint_has_no_light(app):
    with app.app_context():
        assert light(Complaint(status="replied", deadline=DUE), dt.date(2026, 10, 12)) == "green"


def test_the_warning_days_setting_applies_to_complaints(app):
    app.config["SUNSHINE_WARNING_DAYS"] = 2
    with app.app_context():  # due Monday 10-12: on Friday 10-09 two working days are left (10-10, 10-12)
        assert warning(Complaint(status="received", deadline=dt.date(2026, 10, 12), due_on=dt.date(2026, 10, 12)), dt.date(2026, 10, 9)) \
            == "due_soon"


def test_with_one_warning_day_the_same_complaint_is_not_yet_marked(app):
    with app.app_context():
        assert warning(Complaint(status="received", deadline=dt.date(2026, 10, 12), due_on=dt.date(2026, 10, 12)), dt.date(2026, 10, 9)) \
            is None


def test_the_complaint_list_marks_by_the_clock(login_as, make_complaint):
    make_complaint("scjg", "承诺10月10日前答复，至今未答复", "2026-10-10")
    client = login_as("editor-scjg")
    with clock.frozen("2026-10-09T10:00:00"):
        html = client.get("/admin/complaints").get_data(as_text=True)
    row = html.split("承诺10月10日前答复，至今未答复")[1].split("</tr>")[0]
    assert "badge-yellow" in row and "即将到期" in row
