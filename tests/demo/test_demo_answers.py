"""The demo's complaints and online questions (content/demo/complaints.yaml, questions.yaml):
seeded through the real complaint lifecycle and answering rules, and what of them the public
site shows — the consented outcomes and answers, masked."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from sunshine.contract.codes import COMPLAINT_STATUSES
from sunshine.publisher.build import build_site
from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import Complaint, Question
from sunshine.site.seed import seed_demo
from tests.conftest import DEMO_DIR

AS_OF = "2026-11-23T10:00:00+08:00"
TODAY = dt.date(2026, 11, 23)
#: Closed complaints whose complainant agreed to publication, by tracking number.
PUBLISHED_OUTCOMES = [
    "TS-9HWN-2ZFQ", "TS-JDLV-4JZ5", "TS-JW2U-DRX6", "TS-SJPV-VJTN", "TS-XLPQ-Z6LC", "TS-XT9N-E3AX",
]  # fmt: skip
#: Answered questions with the asker's consent that the department left public.
PUBLISHED_QUESTIONS = [
    "ZX-6RMR-PB94", "ZX-A4P7-ANK8", "ZX-B7ED-8DV8", "ZX-KNDX-D4VU", "ZX-M75G-PWE5", "ZX-WED8-CREE",
]  # fmt: skip


def _complaint(number: str) -> Complaint:
    return db.session.scalars(select(Complaint).where(Complaint.tracking_no == number)).one()


@pytest.fixture
def snapshot(demo):
    with demo.app_context(), clock.frozen(AS_OF):
        return build_snapshot(today=TODAY)


@pytest.fixture
def outcomes(snapshot):
    return {o["code"]: o for o in snapshot["complaint_outcomes"]}


@pytest.fixture
def questions(snapshot):
    return {q["code"]: q for q in snapshot["questions"]}


# --- seeded through the lifecycle ---------------------------------------------------------------


def test_every_complaint_status_appears(demo):
    with demo.app_context():
        statuses = set(db.session.scalars(select(Complaint.status)))
    assert statuses == set(COMPLAINT_STATUSES)


def test_declined_complaints_carry_their_reason_and_a_note_for_the_complainant(demo):
    with demo.app_context():
        declined = {
            c.tracking_no: (c.decline_reason, c.events[-1].action, bool(c.events[-1].public_note))
            for c in db.session.scalars(select(Complaint).where(Complaint.status == "declined"))
        }
    assert declined == {
        "TS-NUXR-W7QB": ("no_content", "不予受理", True),
        "TS-UH4T-AGEY": ("out_of_scope", "不予受理", True),
        "TS-TDL6-MJRN": ("out_of_scope", "不予受理", True),
    }


def test_the_reopened_complaint_was_answered_again_and_closed(demo):
    with demo.app_context():
        complaint = _complaint("TS-9HWN-2ZFQ")
        steps = [(e.action, e.actor) for e in complaint.events]
        reopen = next(e for e in complaint.events if e.action == "申请重新办理")
        assert (complaint.status, complaint.reopen_count, complaint.outcome) == ("closed", 1, "resolved")
        assert reopen.public_note.startswith("公示期已经满了")
        assert reopen.user_id is None
    assert steps == [
        ("收到", "citizen"), ("受理", "staff"), ("交办", "staff"), ("答复", "staff"), ("办结", "staff"),
        ("申请重新办理", "citizen"), ("答复", "staff"), ("办结", "staff"),
    ]  # fmt: skip


def test_a_complaint_reopened_now_owes_an_answer_by_its_new_deadline(demo):
    with demo.app_context():
        complaint = _complaint("TS-QCRS-GXLB")
        assert (complaint.status, complaint.due_on) == ("reopened", dt.date(2026, 12, 3))


def test_an_answer_after_its_deadline_is_counted_late(demo):
    with demo.app_context():
        late = {c.tracking_no for c in db.session.scalars(select(Complaint).where(Complaint.late_answers > 0))}
    assert late == {"TS-XLPQ-Z6LC"}


def test_demo_urges_stay_in_the_history_only(demo):
    from sunshine.site.models import Urge

    with demo.app_context():
        complaint = _complaint("TS-GFCT-FF57")
        assert [e.action for e in complaint.events].count("催办") == 2
        assert db.session.scalars(select(Urge)).all() == []


def test_question_states(demo):
    with demo.app_context():
        rows = db.session.scalars(select(Question).order_by(Question.tracking_no)).all()
        states = {q.tracking_no: (q.status, q.publish_consent, q.public) for q in rows}
        waiting = next(q for q in rows if q.status == "received")
        assert (waiting.tracking_no, waiting.deadline) == ("ZX-Q72Q-ARFR", dt.date(2026, 11, 27))
    assert len(states) == 10
    assert states["ZX-S5KA-DLHY"] == ("declined", True, False)
    assert states["ZX-MKVW-ZDGZ"] == ("answered", True, False)  # the department kept it private
    assert states["ZX-T6XK-USVJ"] == ("answered", False, True)  # the asker did not consent


def test_seeding_twice_adds_no_complaint_or_question(demo):
    with demo.app_context(), clock.frozen(AS_OF):
        report = seed_demo(DEMO_DIR)
        assert db.session.scalar(select(db.func.count()).select_from(Complaint)) == 16
    assert "投诉" not in report.created and "咨询" not in report.created
    assert (report.existing["投诉"], report.existing["咨询"]) == (16, 10)


# --- what the snapshot publishes ------------------------------------------------------------------


def test_only_consented_closed_complaints_are_published(snapshot):
    assert [o["code"] for o in snapshot["complaint_outcomes"]] == PUBLISHED_OUTCOMES


def test_only_consented_public_answered_questions_are_published(snapshot):
    assert [q["code"] for q in snapshot["questions"]] == PUBLISHED_QUESTIONS


def test_published_subjects_show_the_masking(outcomes):
    assert outcomes["TS-JW2U-DRX6"]["subject"] == (
        "办食品经营许可证被要求三次补材料，窗口某科长每次只说一项，请回电（电话号码已隐去）"
    )
    assert outcomes["TS-SJPV-VJTN"]["subject"] == (
        "二手房过户超过承诺时限未领到证，身份证号（身份证号已隐去）的申请一直在审核"
    )
    assert outcomes["TS-JDLV-4JZ5"]["subject"] == (
        "货车（车牌号已隐去）办道路运输证年审，窗口要求重复提交行驶证复印件"
    )
    assert outcomes["TS-XLPQ-Z6LC"]["subject"] == "取水许可申请三个月没有结果，某股长说要等专家评审"
    assert outcomes["TS-XT9N-E3AX"]["summary"].startswith(
        "经调取窗口视频核实，工作人员在答复时语气生硬，未做到“来有迎声、问有答声、走有送声”。某警官已当面向您致歉"
    )


def test_late_not_upheld_outcome_is_published_with_its_reasons(outcomes):
    late = outcomes["TS-XLPQ-Z6LC"]
    assert (late["outcome"], late["on_time"], late["days_taken"], late["solved"]) == ("not_upheld", False, 14, False)
    assert late["outcome_note"].startswith("扣除申请人补正材料的中止计时时间后")


def test_reopened_outcome_counts_days_to_the_last_answer(outcomes):
    reopened = outcomes["TS-9HWN-2ZFQ"]
    assert (reopened["reopened"], reopened["on_time"], reopened["days_taken"]) == (True, True, 20)
    assert (reopened["received_on"], reopened["answered_on"], reopened["closed_on"]) == (
        "2026-10-14", "2026-11-11", "2026-11-12",
    )  # fmt: skip


def test_published_questions_show_the_masking(questions):
    assert "我的电话（电话号码已隐去），方便的话请电话告诉我。" in questions["ZX-WED8-CREE"]["question"]
    assert questions["ZX-KNDX-D4VU"]["question"].startswith("我姓某，在成都上班")
    assert "身份证号（身份证号已隐去）" in questions["ZX-M75G-PWE5"]["question"]


def test_a_late_answer_and_a_same_day_answer(questions):
    assert (questions["ZX-6RMR-PB94"]["days_taken"], questions["ZX-6RMR-PB94"]["on_time"]) == (7, False)
    assert (questions["ZX-KNDX-D4VU"]["days_taken"], questions["ZX-KNDX-D4VU"]["on_time"]) == (0, True)


def test_no_contact_detail_of_the_demo_reaches_the_snapshot(demo, snapshot):
    text = json.dumps(snapshot, ensure_ascii=False)
    with demo.app_context():
        people = [
            value
            for model in (Complaint, Question)
            for row in db.session.scalars(select(model))
            for value in (row.contact_name, row.contact_phone, row.contact_email)
            if value
        ]
    assert len(people) > 40
    for value in people:
        assert value not in text
    for typed in ("王科长", "13908271536", "510823198507152316", "川E23567", "510823196805120017", "13547781290"):
        assert typed not in text


def test_the_public_site_built_from_the_demo_shows_outcomes_and_answers(demo, tmp_path):
    with demo.app_context(), clock.frozen(AS_OF):
        path = write_snapshot(tmp_path / "snapshot.json", build_snapshot(today=TODAY))
    out = build_site(path, tmp_path / "site", static_index=False).out_dir
    outcomes = (out / "figures/complaints/index.html").read_text(encoding="utf-8")
    assert "窗口某科长每次只说一项，请回电（电话号码已隐去）" in outcomes
    assert "13908271536" not in outcomes
    item = (out / "items/SCJG-XK-002/index.html").read_text(encoding="utf-8")
    assert "在网上开店要办个体户营业执照吗？" in item
    assert '<a class="button button-primary" href="/intake/question?item=SCJG-XK-002">我要咨询</a>' in item
    assert (out / "questions/ZX-A4P7-ANK8/index.html").is_file()
    assert not (out / "questions/ZX-T6XK-USVJ").exists()
