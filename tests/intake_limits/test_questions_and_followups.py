"""The new posts of the intake count in the same limits: asking a question and the complainant's
reopen and satisfaction posts are filings; a wrong question lookup is a guess like any other."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint, Question

from ..intake_input.conftest import (
    CLOSED_NO,
    CONFIRM,
    QUESTION,
    REOPEN,
    SENT_AT,
    add_closed_complaint,
)
from .conftest import COMPLAINT, WRONG_LOOKUP, count

TOO_MANY = "提交过于频繁，请 1 分钟后再试"


def _post(client, path: str, data: dict):
    with clock.frozen(SENT_AT):
        return client.post(path, data=data)


def _closed_status(app) -> tuple[str, int]:
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.tracking_no == CLOSED_NO)).one()
        return complaint.status, complaint.reopen_count


def test_questions_are_filings_and_share_the_complaints_limit(limited):
    client, before = limited.test_client(), count(limited, Question)
    assert [_post(client, "/intake/complaint", COMPLAINT).status_code for _ in range(2)] == [201, 201]
    refused = _post(client, "/intake/question", QUESTION)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert TOO_MANY in page and QUESTION["content"] in page  # the question form, as typed
    assert count(limited, Question) == before


def test_the_third_question_in_a_minute_is_refused(limited):
    client, before = limited.test_client(), count(limited, Question)
    assert [_post(client, "/intake/question", QUESTION).status_code for _ in range(3)] == [201, 201, 429]
    assert count(limited, Question) == before + 2


def test_wrong_question_lookups_share_the_guess_count(limited):
    client = limited.test_client()
    assert [_post(client, "/intake/lookup", WRONG_LOOKUP).status_code for _ in range(2)] == [404, 404]
    refused = _post(client, "/intake/question/lookup", {"question_no": "ZX-AAAA-AAAA", "query_code": "AAAAAAAA"})
    assert refused.status_code == 429
    assert "ZX-AAAA-AAAA" in refused.get_data(as_text=True)


def test_a_reopen_post_counts_as_a_filing(limited):
    add_closed_complaint(limited)
    client = limited.test_client()
    _post(client, "/intake/complaint", COMPLAINT), _post(client, "/intake/complaint", COMPLAINT)
    refused = _post(client, "/intake/lookup/reopen", REOPEN)
    assert refused.status_code == 429
    assert REOPEN["reason"] in refused.get_data(as_text=True)  # shown again on the complaint's page
    assert _closed_status(limited) == ("closed", 0)


def test_a_satisfaction_post_counts_as_a_filing(limited):
    add_closed_complaint(limited)
    client = limited.test_client()
    _post(client, "/intake/complaint", COMPLAINT), _post(client, "/intake/complaint", COMPLAINT)
    assert _post(client, "/intake/lookup/confirm", CONFIRM).status_code == 429
    with limited.app_context():
        assert db.session.scalars(select(Complaint.confirmed_at).where(Complaint.tracking_no == CLOSED_NO)).one() \
            is None


def test_guessing_codes_through_the_reopen_form_is_limited(limited):
    add_closed_complaint(limited)
    client = limited.test_client()
    wrong = {**REOPEN, "query_code": "AAAAAAAA"}
    assert [_post(client, "/intake/lookup/reopen", wrong).status_code for _ in range(3)] == [404, 404, 429]
    assert _post(client, "/intake/lookup/reopen", REOPEN).status_code == 429
    assert _closed_status(limited) == ("closed", 0)
