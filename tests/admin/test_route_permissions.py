"""Every back-office route × every role × own or other department: allowed or refused, as the policy says.

``EXPECTED`` declares, for each admin endpoint, who may use it. A route added without a line here fails
``test_every_admin_route_is_declared``, so no route escapes the check. People (the demo accounts):
A administrator, S supervisor (效能监督员), E editor of 住建局 (the records' own department),
R reviewer of 住建局, X editor of 市场监管局 (another department). "Allowed" means the server did not refuse
(not 403, not sent to the login page): a valid request may still answer 400 for an empty form or 404 for a
sub-action that does not exist; "refused" means 403.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import new_case
from sunshine.site.db import db
from sunshine.site.models import (
    Channel,
    Complaint,
    Department,
    Notice,
    Question,
    Rating,
    Rectification,
    ServiceCase,
    ServiceItem,
    Urge,
    User,
)
from sunshine.site.publishing import PublishOutcome
from sunshine.site.ratings.submission import rate_target
from tests.conftest import DEMO_DIR, login

PEOPLE = {"A": "admin", "S": "supervisor", "E": "editor-zjj", "R": "reviewer-zjj", "X": "editor-scjg"}
PASSWORDS = {user["username"]: user["password"]
             for user in yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))}
ALL = "ASERX"
OFFICE_OWN = "AER"  # the department's own staff and the administrator
READ_OWN = "ASER"  # ... and the supervisor, who reads everything

#: endpoint -> (method, who is allowed). Record routes act on a 住建局 (zjj) record.
EXPECTED: dict[str, tuple[str, str]] = {
    "admin.dashboard": ("GET", ALL),
    "admin.account_password": ("GET", ALL),
    "admin.audit_log": ("GET", "AS"),
    "admin.audit_log_export": ("GET", "AS"),
    "admin.review_queue": ("GET", "ASR"),
    "admin.quality": ("GET", ALL),
    "admin.search": ("GET", ALL),
    "admin.search_synonyms": ("GET", "AERX"),
    "admin.search_synonym_delete": ("POST", "AERX"),
    "admin.markdown_preview": ("POST", ALL),
    "admin.site_rebuild": ("POST", "A"),
    "admin.logout": ("GET", ALL),
    # disclosure records: the same rules for each type
    "admin.items": ("GET", ALL),
    "admin.item_new": ("GET", "AERX"),
    "admin.item_edit": ("GET", READ_OWN),
    "admin.item_submit": ("POST", OFFICE_OWN),
    "admin.item_approve": ("POST", "AR"),
    "admin.item_reject": ("POST", "AR"),
    "admin.item_withdraw": ("POST", "AR"),
    "admin.item_history": ("GET", READ_OWN),
    "admin.item_diff": ("GET", READ_OWN),
    "admin.item_preview": ("GET", READ_OWN),
    "admin.item_restore": ("POST", OFFICE_OWN),
    "admin.item_correct_note": ("POST", "A"),
    "admin.item_transfer": ("GET", ALL),
    "admin.item_transfer_import": ("POST", "AERX"),
    "admin.item_transfer_export": ("GET", ALL),
    "admin.item_transfer_template": ("GET", ALL),
    "admin.notices": ("GET", ALL),
    "admin.notice_new": ("GET", "AERX"),
    "admin.notice_edit": ("GET", READ_OWN),
    "admin.notice_submit": ("POST", OFFICE_OWN),
    "admin.notice_approve": ("POST", "AR"),
    "admin.notice_reject": ("POST", "AR"),
    "admin.notice_withdraw": ("POST", "AR"),
    "admin.notice_history": ("GET", READ_OWN),
    "admin.notice_diff": ("GET", READ_OWN),
    "admin.notice_preview": ("GET", READ_OWN),
    "admin.notice_restore": ("POST", OFFICE_OWN),
    "admin.notice_correct_note": ("POST", "A"),
    "admin.departments": ("GET", ALL),
    "admin.department_new": ("GET", "A"),
    "admin.department_edit": ("GET", READ_OWN),
    "admin.department_submit": ("POST", OFFICE_OWN),
    "admin.department_approve": ("POST", "AR"),
    "admin.department_reject": ("POST", "AR"),
    "admin.department_withdraw": ("POST", "AR"),
    "admin.department_history": ("GET", READ_OWN),
    "admin.department_diff": ("GET", READ_OWN),
    "admin.department_preview": ("GET", READ_OWN),
    "admin.department_restore": ("POST", OFFICE_OWN),
    "admin.department_correct_note": ("POST", "A"),
    "admin.channels": ("GET", "AS"),
    "admin.channel_new": ("GET", "A"),
    "admin.channel_edit": ("GET", "AS"),
    "admin.channel_submit": ("POST", "A"),
    "admin.channel_approve": ("POST", "A"),
    "admin.channel_reject": ("POST", "A"),
    "admin.channel_withdraw": ("POST", "A"),
    "admin.channel_history": ("GET", "AS"),
    "admin.channel_diff": ("GET", "AS"),
    "admin.channel_preview": ("GET", "AS"),
    "admin.channel_restore": ("POST", "A"),
    "admin.channel_correct_note": ("POST", "A"),
    "admin.attachments": ("GET", ALL),
    "admin.attachment_upload": ("POST", "AERX"),
    # complaints, questions, cases, ratings, work orders, urges
    "admin.complaints": ("GET", ALL),
    "admin.complaint": ("GET", READ_OWN),
    "admin.complaint_action": ("POST", OFFICE_OWN),
    "admin.questions": ("GET", ALL),
    "admin.question": ("GET", READ_OWN),
    "admin.question_action": ("POST", OFFICE_OWN),
    "admin.cases": ("GET", ALL),
    "admin.case": ("GET", READ_OWN),
    "admin.case_status": ("POST", OFFICE_OWN),
    "admin.case_new": ("GET", "AERX"),
    "admin.case_import": ("GET", "AERX"),
    "admin.case_import_post": ("POST", "AERX"),
    "admin.case_import_codes": ("POST", "AERX"),
    "admin.case_import_template": ("GET", "AERX"),
    "admin.ratings": ("GET", ALL),
    "admin.rating": ("GET", READ_OWN),
    "admin.rating_void": ("POST", "A"),
    "admin.rectifications": ("GET", ALL),
    "admin.rectification": ("GET", READ_OWN),
    "admin.rectification_stage": ("POST", OFFICE_OWN),
    "admin.rectification_appeal": ("POST", "ER"),
    "admin.rectification_decision": ("POST", "A"),
    "admin.supervision": ("GET", "AS"),
    "admin.supervision_urge": ("POST", "AS"),
    "admin.urge_acknowledge": ("POST", OFFICE_OWN),
    # accounts
    "admin.users": ("GET", "A"),
    "admin.user_new": ("GET", "A"),
    "admin.user_password": ("GET", "A"),
    "admin.user_roles": ("GET", "A"),
    "admin.user_active": ("POST", "A"),
}
#: Endpoints reachable without logging in, or checked elsewhere with their own fixtures.
NOT_WALKED = {
    "admin.login", "admin.language",  # public by design (the login page has the language switch)
    "admin.attachment_file",  # tests/attachments (needs an uploaded file)
}


def _first(model, *where):
    found = db.session.scalars(select(model.id).where(*where).order_by(model.id)).first()
    assert found is not None, f"the demo data has no {model.__name__} for this test"
    return found


@pytest.fixture
def targets(app, demo) -> dict[str, int | str]:
    """Ids of 住建局 records (and the centre's) the routes act on."""
    with app.app_context(), clock.frozen("2026-11-24T10:00:00"):
        zjj = db.session.scalars(select(Department.id).where(Department.code == "zjj")).one()
        item = db.session.get(ServiceItem, _first(ServiceItem, ServiceItem.department_id == zjj))
        if db.session.scalars(select(ServiceCase.id).where(ServiceCase.department_id == zjj)).first() is None:
            case, _ = new_case(item, "ZJJ-2026-009001", dt.date(2026, 11, 23), applicant_name="赵建华",
                               applicant_phone="13700001111")
            db.session.add(case)
            db.session.commit()
        if db.session.scalars(select(Rectification.id).where(Rectification.department_id == zjj)).first() is None:
            rate_target(item, level=1, comment="窗口人员态度冷淡，材料说明不清楚。")  # opens a work order
        urge = db.session.scalars(select(Urge.id).where(Urge.department_id == zjj)).first()
        if urge is None:
            row = Urge(department_id=zjj, target_kind="case",
                       case_id=_first(ServiceCase, ServiceCase.department_id == zjj), note="请尽快办理",
                       at=clock.now(), user_id=_first(User, User.username == "supervisor"))
            db.session.add(row)
            db.session.commit()
            urge = row.id
        return {
            "item": _first(ServiceItem, ServiceItem.department_id == zjj),
            "notice": _first(Notice, Notice.department_id == zjj),
            "department": zjj,
            "channel": _first(Channel),
            "complaint": _first(Complaint, Complaint.department_id == zjj),
            "question": _first(Question, Question.department_id == zjj),
            "case": _first(ServiceCase, ServiceCase.department_id == zjj),
            "rating": _first(Rating, Rating.department_id == zjj),
            "rectification": _first(Rectification, Rectification.department_id == zjj),
            "urge": urge,
            "user": _first(User, User.username == "editor-mz"),
        }


def _url(app, endpoint: str, targets: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values: dict = {}
    for name in rule.arguments:
        if name == "id":
            kind = next(k for k in ("item", "notice", "department", "channel", "complaint", "question", "case",
                                    "rating", "rectification", "urge", "user")
                        if endpoint.startswith(f"admin.{k}"))
            values["id"] = targets[kind]
        elif name == "number":
            values["number"] = 1
        elif name == "action":
            values["action"] = "accept" if "complaint" in endpoint else "answer"
        elif name == "stage":
            values["stage"] = "contact"
        elif name == "kind":
            values["kind"] = "xlsx"
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values) + ("?a=1&b=1" if endpoint.endswith("_diff") else "")


def test_every_admin_route_is_declared(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")}
    assert endpoints - set(EXPECTED) - NOT_WALKED == set()
    assert set(EXPECTED) - endpoints == set()


@pytest.fixture
def no_build(monkeypatch):
    monkeypatch.setattr("sunshine.site.jobs.publishing.publish_site", lambda app: PublishOutcome(
        Path("snapshot.json"), Path("builds/b1"), 0.1, 0))


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_the_route_allows_or_refuses_each_person(app, targets, no_build, endpoint):
    """One endpoint, all five people (one fresh data set per endpoint keeps the walk quick)."""
    method, allowed = EXPECTED[endpoint]
    url = _url(app, endpoint, targets)
    wrong = []
    for person, username in PEOPLE.items():
        client = app.test_client()
        assert login(client, username, PASSWORDS[username]).status_code == 200
        response = client.get(url) if method == "GET" else client.post(url, data={})
        response.get_data()  # a streamed answer (the audit CSV) runs to its end inside this request
        response.close()
        refused = response.status_code == 403 or "/admin/login" in response.headers.get("Location", "")
        if (person in allowed) == refused or (person not in allowed and response.status_code != 403):
            wrong.append(f"{username}: {response.status_code} ({'should be allowed' if person in allowed else 'should be 403'})")
    assert wrong == [], f"{method} {url}: " + "; ".join(wrong)


def test_nobody_unlogged_gets_in(app, client, targets):
    wrong = []
    for endpoint, (method, _) in sorted(EXPECTED.items()):
        url = _url(app, endpoint, targets)
        response = client.get(url) if method == "GET" else client.post(url, data={})
        response.close()
        if not (response.status_code == 302 and "/admin/login" in response.headers["Location"]):
            wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == []
