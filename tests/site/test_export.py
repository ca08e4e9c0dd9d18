"""The snapshot: published public fields only (ARCHITECTURE rules 1–3)."""

import datetime as dt
import json

from sunshine.publisher.snapshot import load_snapshot
from sunshine.site.complaints import file_complaint
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import Department, ServiceItem, User
from sunshine.site.workflow import mark_edited

from .conftest import make_item


def _snapshot(app, **kw):
    with app.app_context():
        return build_snapshot(**kw)


def test_snapshot_is_valid_against_the_publisher_schema(published, tmp_path):
    path = write_snapshot(tmp_path / "s.json", _snapshot(published))
    snapshot = load_snapshot(path)
    assert snapshot["schema_version"] == 7
    assert [i["code"] for i in snapshot["items"]] == ["ZJJ-XK-001"]


def test_draft_item_is_not_exported(published):
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        db.session.add(make_item(dept, code="ZJJ-XK-002", name="商品房预售许可"))
        db.session.commit()
    assert "ZJJ-XK-002" not in {i["code"] for i in _snapshot(published)["items"]}


def test_unpublished_edit_does_not_reach_the_snapshot(published):
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.name = "建筑工程施工许可证核发（草稿修改）"
        mark_edited(item)
        db.session.commit()
    names = [i["name"] for i in _snapshot(published)["items"]]
    assert names == ["建筑工程施工许可证核发"]


def test_item_not_yet_in_force_is_not_exported(published):
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.published_data = {**item.published_data, "effective_date": "2026-12-01"}
        db.session.commit()
    assert _snapshot(published, today=dt.date(2026, 11, 23))["items"] == []
    assert len(_snapshot(published, today=dt.date(2026, 12, 1))["items"]) == 1


def test_items_of_a_withdrawn_department_are_left_out(published):
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        dept.state = "withdrawn"
        db.session.commit()
    snapshot = _snapshot(published)
    assert snapshot["departments"] == [] and snapshot["items"] == []


def test_no_private_data_in_the_snapshot(published):
    """Complainants' names and phones, query codes, accounts and password hashes never leave."""
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        filed = file_complaint(department=dept, item=None, category="服务态度", subject="窗口态度生硬",
                               content="十一月三日上午在八号窗口办理时工作人员态度生硬。",
                               contact_name="王秀兰", contact_phone="13981234567", days_to_answer=13)
        user = User(username="editor-zjj", display_name="张丽", role="editor", department=dept)
        user.set_password("editor-demo-2026")
        db.session.add(user)
        db.session.commit()
        secrets = ["王秀兰", "13981234567", filed.query_code, filed.complaint.tracking_no,
                   filed.complaint.query_code_hash, "editor-zjj", user.password_hash,
                   "窗口态度生硬"]
    text = json.dumps(_snapshot(published), ensure_ascii=False)
    for secret in secrets:
        assert secret not in text


def test_snapshot_lists_are_sorted_by_code(published):
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        from sunshine.site.workflow import publish

        for code in ("ZJJ-XK-009", "ZJJ-XK-003"):
            item = make_item(dept, code=code, name="建设工程消防验收" + code)
            db.session.add(item)
            publish(item)
        db.session.commit()
    codes = [i["code"] for i in _snapshot(published)["items"]]
    assert codes == sorted(codes)


def test_written_snapshot_is_byte_stable(published, tmp_path):
    fixed = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    a = write_snapshot(tmp_path / "a.json", _snapshot(published, generated_at=fixed)).read_bytes()
    b = write_snapshot(tmp_path / "b.json", _snapshot(published, generated_at=fixed)).read_bytes()
    assert a == b


def test_the_written_snapshot_keeps_its_published_format(published, tmp_path):
    # Sorted keys, two-space indent, UTF-8 Chinese: the format readers (and byte-for-byte rebuilds) know.
    snapshot = _snapshot(published, generated_at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    written = write_snapshot(tmp_path / "s.json", snapshot).read_bytes()
    assert written == (json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def test_the_figure_settings_reach_the_snapshot(published):
    published.config.update(SUNSHINE_FIGURE_MONTHS=6, SUNSHINE_VETO_PERCENT=25)
    figures = _snapshot(published, today=dt.date(2026, 11, 23))["figures"]
    assert figures["months"] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert figures["veto_percent"] == 25


# --- complaint outcomes and questions (schema 3): consented, finished, masked -------------------

def _at(text: str) -> dt.datetime:
    from sunshine.site.clock import CN_TZ

    return dt.datetime.fromisoformat(text).replace(tzinfo=CN_TZ)


def _handled_complaint(app, *, consent: bool, close: bool = True, item: bool = True) -> str:
    """A complaint about 住建局 filed on 2026-11-02, answered on 11-05 and closed on 11-06."""
    from sunshine.site.complaints.lifecycle import apply_action

    with app.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        service = db.session.scalars(db.select(ServiceItem)).one() if item else None
        complaint = file_complaint(
            department=dept, item=service, category="服务态度",
            subject="窗口张科长让我跑了三趟，电话13981234567",
            content="十一月二日上午在八号窗口办理施工许可，张科长每次只说缺一样材料。",
            contact_name="王秀兰", contact_phone="13981234567", publish_consent=consent,
            received_at=_at("2026-11-02T09:00:00"),
        ).complaint
        apply_action(complaint, "accept", user_id=None, at=_at("2026-11-02T10:00:00"))
        apply_action(complaint, "assign", user_id=None, department=dept, at=_at("2026-11-02T10:30:00"))
        apply_action(complaint, "reply", user_id=None, at=_at("2026-11-05T15:00:00"),
                     reply="经核实情况属实，已对张科长批评教育。王秀兰反映的问题已整改。")
        if close:
            apply_action(complaint, "close", user_id=None, outcome="partly", at=_at("2026-11-06T09:00:00"),
                         public_note="窗口服务已整改；车牌川A12345的停车费不属于本局收费，请向停车场申请退还。")
        db.session.commit()
        return complaint.tracking_no


def test_a_closed_consented_complaint_is_exported_masked_with_exactly_its_public_fields(published):
    number = _handled_complaint(published, consent=True)
    assert _snapshot(published)["complaint_outcomes"] == [{
        "code": number,
        "department": "zjj",
        "item": "ZJJ-XK-001",
        "category": "服务态度",
        "subject": "窗口某科长让我跑了三趟，电话（电话号码已隐去）",
        "summary": "经核实情况属实，已对某科长批评教育。某某反映的问题已整改。",
        "outcome": "partly",
        "outcome_note": "窗口服务已整改；车牌（车牌号已隐去）的停车费不属于本局收费，请向停车场申请退还。",
        "received_on": "2026-11-02",
        "answered_on": "2026-11-05",
        "closed_on": "2026-11-06",
        "days_taken": 3,
        "on_time": True,
        "reopened": False,
        "solved": None,
    }]


def test_a_closed_complaint_without_consent_is_not_exported(published):
    _handled_complaint(published, consent=False)
    assert _snapshot(published)["complaint_outcomes"] == []


def test_an_answered_complaint_not_yet_closed_is_not_exported(published):
    _handled_complaint(published, consent=True, close=False)
    assert _snapshot(published)["complaint_outcomes"] == []


def test_an_outcome_about_an_item_no_longer_public_names_no_item(published, tmp_path):
    number = _handled_complaint(published, consent=True)
    with published.app_context():
        db.session.scalars(db.select(ServiceItem)).one().state = "withdrawn"
        db.session.commit()
    snapshot = _snapshot(published)
    assert [(o["code"], o["item"]) for o in snapshot["complaint_outcomes"]] == [(number, None)]
    load_snapshot(write_snapshot(tmp_path / "s.json", snapshot))  # the publisher accepts it


def _ask(app, subject: str, *, consent: bool, answer_text: str | None = None, public: bool = True,
         decline_reason: str | None = None) -> str:
    """A question to 住建局 about the item, asked 2026-11-09 and answered or declined on 11-10."""
    from sunshine.site.questions.answering import answer, decline
    from sunshine.site.questions.asking import ask_question

    with app.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        clerk = db.session.scalars(db.select(User).where(User.username == "editor-zjj")).first()
        if clerk is None:
            clerk = User(username="editor-zjj", display_name="吴强", role="editor", department=dept)
            clerk.set_password("editor-demo-2026")
            db.session.add(clerk)
            db.session.flush()
        question = ask_question(
            department=dept, item=db.session.scalars(db.select(ServiceItem)).one(), subject=subject,
            content="我姓刘，公司在城关镇有个厂房项目，施工许可材料能网上交吗？电话13981234567。",
            contact_name="刘建国", contact_phone="13981234567", publish_consent=consent,
            received_at=_at("2026-11-09T10:00:00"),
        ).question
        if answer_text is not None:
            answer(question, answer_text, user_id=clerk.id, public=public, at=_at("2026-11-10T15:00:00"))
        elif decline_reason is not None:
            decline(question, decline_reason, "请向物业主管部门反映。", user_id=clerk.id,
                    at=_at("2026-11-10T15:00:00"))
        db.session.commit()
        return question.tracking_no


def test_an_answered_consented_public_question_is_exported_masked_with_exactly_its_public_fields(published):
    number = _ask(published, "施工许可能网上申请吗？", consent=True,
                  answer_text="可以网上申请。刘建国先生的项目请联系窗口吴强。")
    assert _snapshot(published)["questions"] == [{
        "code": number,
        "department": "zjj",
        "item": "ZJJ-XK-001",
        "subject": "施工许可能网上申请吗？",
        "question": "我姓某，公司在城关镇有个厂房项目，施工许可材料能网上交吗？电话（电话号码已隐去）。",
        "answer": "可以网上申请。某某先生的项目请联系窗口某某。",
        "asked_on": "2026-11-09",
        "answered_on": "2026-11-10",
        "days_taken": 1,
        "on_time": True,
    }]


def test_only_answered_consented_and_public_questions_are_exported(published):
    shown = _ask(published, "施工许可能网上申请吗？", consent=True, answer_text="可以网上申请。")
    _ask(published, "施工许可要几天？", consent=False, answer_text="承诺5个工作日。")
    _ask(published, "竣工验收要带什么？", consent=True, answer_text="见办事指南。", public=False)
    _ask(published, "物业费太高怎么办？", consent=True, decline_reason="out_of_scope")
    _ask(published, "施工许可证能邮寄吗？", consent=True)  # not answered yet
    assert [q["code"] for q in _snapshot(published)["questions"]] == [shown]
