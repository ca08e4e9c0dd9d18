"""Online questions (网上咨询): numbers, codes, deadlines, answering and declining (the rules)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Department, Question, ServiceItem, User
from sunshine.site.questions.answering import AnswerRefused, answer, decline, light, reassign
from sunshine.site.questions.asking import ask_question, lookup_question, normalise_question_no

KEY = "q1-Zq3VtYp0aLmN8rKs2UwXy4Hc"


@pytest.fixture
def asked(demo):
    def _ask(**extra):
        with demo.app_context(), clock.frozen("2026-09-29T10:00:00"):
            item = db.session.scalars(select(ServiceItem).where(ServiceItem.department.has(code="mz"))).first()
            fields = dict(subject="低保申请需要哪些材料", content="家里老人想申请最低生活保障，需要带哪些材料？可以代办吗？",
                          contact_name="周建华", contact_phone="13990001234", publish_consent=True)
            result = ask_question(department=item.department, item=item, **{**fields, **extra})
            return result.question.id, result.question.tracking_no, result.query_code

    return _ask


def _clerk(username: str) -> int:
    return db.session.scalars(select(User.id).where(User.username == username)).one()


def test_a_question_number_is_zx_and_eight_unambiguous_characters(asked):
    _id, number, code = asked()
    assert re.fullmatch(r"ZX-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", number)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)


def test_the_answer_is_due_five_working_days_after_asking_across_the_national_day(demo, asked):
    question_id, _number, _code = asked()
    with demo.app_context():
        # asked Tuesday 09-29: 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12
        assert db.session.get(Question, question_id).deadline == dt.date(2026, 10, 12)


def test_the_same_form_posted_twice_stores_one_question(demo, asked):
    first = asked(submission_key=KEY)
    assert asked(submission_key=KEY) == first


def test_lookup_needs_the_number_and_the_code(demo, asked):
    _id, number, code = asked()
    with demo.app_context():
        assert lookup_question(number.lower().replace("-", " "), code).tracking_no == number
        assert lookup_question(number, "ABCDEFGH") is None
        assert lookup_question("ZX-AAAA-BBBB", code) is None


def test_normalising_a_typed_number():
    assert normalise_question_no(" zx k7mx-2qpa ") == "ZX-K7MX-2QPA"


def test_answering_stores_the_answer_and_who(demo, asked):
    question_id, _n, _c = asked()
    with demo.app_context(), clock.frozen("2026-10-09T11:00:00"):
        question = db.session.get(Question, question_id)
        answer(question, "需带户口簿、身份证、收入证明，可由子女代办。", user_id=_clerk("editor-mz"))
        db.session.commit()
        assert (question.status, question.publishable, clock.to_cn_date(question.answered_at)) == (
            "answered", True, dt.date(2026, 10, 9))


def test_an_empty_answer_is_refused(demo, asked):
    question_id, _n, _c = asked()
    with demo.app_context(), pytest.raises(AnswerRefused, match="答复内容"):
        answer(db.session.get(Question, question_id), "  ", user_id=_clerk("editor-mz"))


def test_a_question_is_answered_once(demo, asked):
    question_id, _n, _c = asked()
    with demo.app_context():
        question = db.session.get(Question, question_id)
        answer(question, "可以代办。", user_id=_clerk("editor-mz"))
        with pytest.raises(AnswerRefused, match="不能再答复"):
            answer(question, "补充一下。", user_id=_clerk("editor-mz"))


def test_declining_needs_a_reason_and_is_never_public(demo, asked):
    question_id, _n, _c = asked()
    with demo.app_context():
        question = db.session.get(Question, question_id)
        with pytest.raises(AnswerRefused, match="理由"):
            decline(question, "", "请向县医保局咨询。", user_id=_clerk("editor-mz"))
        decline(question, "out_of_scope", "医保报销请向县医保局咨询。", user_id=_clerk("editor-mz"))
        assert (question.status, question.publishable) == ("declined", False)


def test_without_consent_an_answered_question_is_not_publishable(demo, asked):
    question_id, _n, _c = asked(publish_consent=False)
    with demo.app_context():
        question = db.session.get(Question, question_id)
        answer(question, "可以代办。", user_id=_clerk("editor-mz"))
        assert question.publishable is False


def test_reassigning_sends_it_to_another_department(demo, asked):
    question_id, _n, _c = asked()
    with demo.app_context():
        question = db.session.get(Question, question_id)
        reassign(question, db.session.scalars(select(Department).where(Department.code == "ybj")).one())
        assert question.department.code == "ybj"


def test_an_unanswered_question_turns_red_after_its_deadline(demo, asked):
    question_id, _n, _c = asked()
    with demo.app_context():
        question = db.session.get(Question, question_id)
        assert [light(question, dt.date(2026, 10, d)) for d in (9, 12, 13)] == ["green", "yellow", "red"]
