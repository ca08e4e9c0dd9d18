"""Every change to case-handling and account data is captured by itself, with who, where, which
department and the changed column names, and never a private value; nothing is captured where nobody
acts (seeding, the public intake), and a refused change leaves no entry."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.site import audit, clock
from sunshine.site.audit_capture import BULK_LIMIT, CHILDREN, SPECS
from sunshine.site.db import db
from sunshine.site.models import (
    CASE_PRIVATE_FIELDS,
    QUESTION_PRIVATE_FIELDS,
    RATING_PRIVATE_FIELDS,
    Complaint,
    Question,
    Rating,
    ServiceCase,
    ServiceItem,
    Urge,
    User,
)

TUESDAY = "2026-11-24T10:00:00"
CASE = {
    "item": "ZJJ-XK-002", "case_no": "ZJJ-2026-000301", "received_on": "2026-11-23", "status": "accepted",
    "note": "", "applicant_name": "王秀英", "applicant_phone": "13908271234",
    "applicant_id_no": "51162319790605302X", "fees-0-name": "城市基础设施配套费", "fees-0-amount": "36000",
    "fees-1-name": "", "fees-1-amount": "",
}


def changes(audit_log) -> list:
    """The automatic entries (logins and other explicit entries left out)."""
    return [e for e in audit_log() if e.action in ("create", "change", "delete")]


def test_accepting_a_complaint_records_one_change_with_clerk_department_and_columns(
        signed_in, new_complaint, audit_log, department_id, user_id):
    complaint_id = new_complaint("scjg")
    client = signed_in("editor-scjg")
    with clock.frozen(TUESDAY):
        response = client.post(f"/admin/complaints/{complaint_id}/accept",
                               data={"accept-public_note": "您的投诉已受理。", "accept-note": "林海燕跟进"})
    assert response.status_code == 302
    [entry] = changes(audit_log)
    assert (entry.action, entry.username, entry.user_id, entry.department_id, entry.address) == (
        "change", "editor-scjg", user_id("editor-scjg"), department_id("scjg"), "127.0.0.1")
    assert (entry.target_type, entry.target_id) == ("complaint", complaint_id)
    assert entry.at == clock._parse(TUESDAY)
    assert entry.detail["columns"] == ["due_on", "status"]
    assert entry.detail["changes"] == {"status": ["received", "accepted"]}
    [step] = entry.detail["related"]
    assert (step["table"], step["action"], step["name"]) == ("complaint_event", "create", "受理")
    assert entry.summary.endswith("：受理")


def test_a_refused_complaint_action_leaves_no_entry(signed_in, new_complaint, audit_log):
    complaint_id = new_complaint("scjg")
    with clock.frozen(TUESDAY):
        response = signed_in("editor-scjg").post(f"/admin/complaints/{complaint_id}/decline",
                                                 data={"decline-reason": "", "decline-public_note": "请拨打12315。"})
    assert response.status_code == 400
    assert changes(audit_log) == []


def test_a_citizen_filing_outside_any_login_is_not_captured(new_complaint, audit_log):
    new_complaint("scjg")
    assert audit_log() == []


def test_reassigning_records_the_department_move(signed_in, new_complaint, audit_log, department_id):
    complaint_id = new_complaint("scjg")
    client = signed_in("admin")
    with clock.frozen(TUESDAY):
        client.post(f"/admin/complaints/{complaint_id}/reassign", data={
            "reassign-department": str(department_id("zjj")), "reassign-note": "属住建局职责"})
    [entry] = changes(audit_log)
    assert entry.department_id == department_id("zjj")
    assert entry.detail["changes"]["department_id"] == [department_id("scjg"), department_id("zjj")]


def test_registering_a_case_is_one_create_entry_with_its_fee_and_step(signed_in, audit_log, app, department_id):
    with clock.frozen("2026-11-23T15:00:00"):
        response = signed_in("editor-zjj").post("/admin/cases/new", data=CASE)
    assert response.status_code == 201
    with app.app_context():
        case_id = db.session.scalars(select(ServiceCase.id).where(ServiceCase.case_no == "ZJJ-2026-000301")).one()
    [entry] = changes(audit_log)
    assert (entry.action, entry.target_type, entry.target_id, entry.department_id) == (
        "create", "service_case", case_id, department_id("zjj"))
    assert entry.summary == "办件 ZJJ-2026-000301：受理"
    assert sorted((r["table"], r["action"]) for r in entry.detail["related"]) == [
        ("case_event", "create"), ("case_fee", "create")]


def test_private_values_never_reach_the_log(signed_in, new_complaint, app, log_text, department_id):
    complaint_id = new_complaint("scjg")
    with app.app_context():
        rating = db.session.scalars(select(Rating).where(Rating.status == "valid").order_by(Rating.id)).first()
        rating.contact_name, rating.contact_phone = "陈建华", "13700001234"  # left for a 回访, as raters do
        rating_id = rating.id
        db.session.commit()
    with clock.frozen(TUESDAY):
        signed_in("editor-zjj").post("/admin/cases/new", data=CASE)
        clerk = signed_in("editor-scjg")
        base = f"/admin/complaints/{complaint_id}"
        clerk.post(f"{base}/accept", data={})
        clerk.post(f"{base}/assign", data={"assign-department": str(department_id("scjg")),
                                           "assign-note": "交食品经营许可股核实"})
        clerk.post(f"{base}/reply", data={"reply-reply": "已核实并当面致歉。"})
        clerk.post(f"{base}/close", data={"close-outcome": "resolved"})
        signed_in("admin").post(f"/admin/ratings/{rating_id}/void", data={"void-reason": "恶意评价，已核实。"})
    text = log_text()
    with app.app_context():
        case = db.session.scalars(select(ServiceCase).where(ServiceCase.case_no == "ZJJ-2026-000301")).one()
        complaint = db.session.get(Complaint, complaint_id)
        rating = db.session.get(Rating, rating_id)
        private = [getattr(case, f) for f in (*CASE_PRIVATE_FIELDS, "query_code_hash")]
        private += [getattr(complaint, f) for f in ("contact_name", "contact_phone", "query_code_hash")]
        private += [getattr(rating, f) for f in RATING_PRIVATE_FIELDS]
        private += [u.password_hash for u in db.session.scalars(select(User))]
    assert rating.status == "voided" and complaint.status == "closed"  # the actions really happened
    assert '"status": ["valid", "voided"]' in text and '"status": ["replied", "closed"]' in text
    assert [value for value in private if value and value in text] == []


def test_a_command_acting_as_the_system_is_recorded_as_系统(app, demo, audit_log):
    with app.app_context(), audit.acting(None), clock.frozen(TUESDAY):
        user = db.session.scalars(select(User).where(User.username == "editor-mz")).one()
        user.active = False
        db.session.commit()
    [entry] = audit_log()
    assert (entry.action, entry.username, entry.user_id, entry.address) == ("change", "系统", None, "")
    assert entry.detail == {"table": "user_account", "columns": ["active"], "changes": {"active": [True, False]}}


def test_disclosure_records_are_left_to_their_workflow(app, demo, audit_log):
    with app.app_context(), audit.acting(None):
        item = db.session.scalars(select(ServiceItem).order_by(ServiceItem.id)).first()
        item.name = item.name + "（试行）"
        db.session.commit()
    assert audit_log() == []


def test_an_explicit_entry_stands_for_the_automatic_one(app, demo, audit_log):
    with app.app_context(), audit.acting(None):
        user = db.session.scalars(select(User).where(User.username == "editor-mz")).one()
        user.role = "reviewer"
        audit.record("role_changed", target=user, summary="editor-mz 改为部门审核员")
        db.session.commit()
    assert [(e.action, e.target_type, e.username) for e in audit_log()] == [
        ("role_changed", "user_account", "系统")]


def test_an_entry_about_an_unsaved_record_gets_its_id_from_the_flush(app, demo, audit_log):
    with app.app_context(), audit.acting(None):
        user = User(username="editor-jy", display_name="教育局窗口编辑（赵磊）", role="editor", password_hash="x")
        db.session.add(user)
        entry = audit.record("user_created", target=user, summary="创建账号 editor-jy")
        db.session.commit()
        new_id = user.id
    assert entry.target_id == new_id
    assert [(e.action, e.target_id) for e in audit_log()] == [("user_created", new_id)]


def test_a_rolled_back_change_leaves_no_entry(app, demo, audit_log):
    with app.app_context(), audit.acting(None):
        user = db.session.scalars(select(User).where(User.username == "editor-mz")).one()
        user.active = False
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert audit_log() == []


def test_create_then_change_in_one_transaction_is_one_create_entry(app, demo, audit_log):
    with app.app_context(), audit.acting(None):
        user = User(username="editor-jy", role="editor", password_hash="x")
        db.session.add(user)
        db.session.flush()
        user.display_name = "赵磊"
        db.session.commit()
    assert [(e.action, e.target_type, e.summary) for e in audit_log()] == [
        ("create", "user_account", "账号 editor-jy")]


def test_a_bulk_of_rows_is_one_entry_naming_every_id(app, new_complaint, audit_log, department_id):
    complaint_id = new_complaint("scjg")
    with app.app_context(), audit.acting(None):
        urges = [Urge(target_kind="complaint", complaint_id=complaint_id, department_id=department_id("scjg"),
                      note="请尽快受理", at=clock.now()) for _ in range(BULK_LIMIT + 1)]
        db.session.add_all(urges)
        db.session.commit()
        ids = sorted(u.id for u in urges)
    [entry] = audit_log()
    assert (entry.action, entry.target_type, entry.target_id, entry.summary) == (
        "create", "urge", None, f"催办 {BULK_LIMIT + 1} 条")
    assert entry.detail == {"table": "urge", "count": BULK_LIMIT + 1, "ids": ids}


def test_no_shown_column_is_private():
    for model, spec in SPECS.items():
        columns = set(model.__table__.columns.keys())
        assert set(spec.shown) <= columns, model
        assert set(spec.private) <= columns, model
        assert not set(spec.shown) & set(spec.private), model
    assert set(CASE_PRIVATE_FIELDS) <= set(SPECS[ServiceCase].private)
    assert set(RATING_PRIVATE_FIELDS) <= set(SPECS[Rating].private)
    assert set(QUESTION_PRIVATE_FIELDS) <= set(SPECS[Question].private)
    assert {"contact_name", "contact_phone", "contact_email", "query_code_hash"} <= set(SPECS[Complaint].private)
    assert {"password_hash"} <= set(SPECS[User].private)
    assert all(child.parent in model.__mapper__.relationships for model, child in CHILDREN.items())


def test_a_changed_private_field_is_named_but_its_value_is_not_kept(app, new_complaint, audit_log, log_text):
    complaint_id = new_complaint("scjg")
    with app.app_context(), audit.acting(None):
        complaint = db.session.get(Complaint, complaint_id)
        complaint.contact_name, complaint.contact_phone = "张秀芳", "13698765432"
        user = db.session.scalars(select(User).where(User.username == "editor-scjg")).one()
        user.set_password("新密码-清川县2026")
        db.session.commit()
        password_hash = user.password_hash
    [complaint_entry] = [e for e in audit_log() if e.target_type == "complaint"]
    assert complaint_entry.detail == {"table": "complaint", "columns": ["contact_name", "contact_phone"]}
    [user_entry] = [e for e in audit_log() if e.target_type == "user_account"]
    assert user_entry.detail == {"table": "user_account", "columns": ["password_changed_at", "password_hash"]}
    text = log_text()
    assert ("张秀芳" in text, "13698765432" in text, password_hash in text) == (False, False, False)
