"""Who may read, answer and 转办 an online question, checked on the server; the asker's contact only for
the department answering it now, the administrator and the supervisor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Department

VALID = {
    "answer": {"answer-answer": "请携带营业执照正副本到13号窗口办理。", "answer-public": "y"},
    "decline": {"decline-reason": "out_of_scope", "decline-note": "请向县卫健局咨询。"},
    "reassign": {},
}


@pytest.fixture
def department_id(app):
    def _id(code: str) -> str:
        with app.app_context():
            return str(db.session.scalars(select(Department.id).where(Department.code == code)).one())

    return _id


def post(client, question_id: int, action: str, **extra):
    with clock.frozen("2026-11-25T10:00:00"):
        return client.post(f"/admin/questions/{question_id}/{action}", data={**VALID[action], **extra})


def test_a_clerk_of_another_department_cannot_see_the_question(login_as, new_question):
    response = login_as("editor-zjj").get(f"/admin/questions/{new_question('scjg')}")
    assert response.status_code == 403
    assert "13912345678" not in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["answer", "decline", "reassign"])
def test_a_clerk_of_another_department_is_refused_every_action(login_as, new_question, load_question,
                                                               department_id, action):
    question_id = new_question("scjg")
    response = post(login_as("editor-zjj"), question_id, action, **{"reassign-department": department_id("zjj")})
    assert response.status_code == 403
    stored = load_question(question_id)
    assert (stored.status, stored.department_code) == ("received", "scjg")


def test_a_clerk_cannot_reassign_their_own_question(login_as, new_question, load_question, department_id):
    question_id = new_question("scjg")
    response = post(login_as("editor-scjg"), question_id, "reassign", **{"reassign-department": department_id("zjj")})
    assert response.status_code == 403
    assert load_question(question_id).department_code == "scjg"


def test_a_clerk_is_not_offered_reassign(login_as, new_question):
    html = login_as("editor-scjg").get(f"/admin/questions/{new_question('scjg')}").get_data(as_text=True)
    assert 'id="action-reassign"' not in html and 'id="action-answer"' in html


def test_the_supervisor_reads_with_the_contact(login_as, new_question):
    html = login_as("supervisor").get(f"/admin/questions/{new_question('scjg')}").get_data(as_text=True)
    assert "13912345678" in html and 'id="contact"' in html


@pytest.mark.parametrize("action", ["answer", "decline"])
def test_the_supervisor_cannot_answer_or_decline(login_as, new_question, load_question, action):
    question_id = new_question("scjg")
    assert post(login_as("supervisor"), question_id, action).status_code == 403
    assert load_question(question_id).status == "received"


def test_the_supervisor_is_offered_no_action(login_as, new_question):
    html = login_as("supervisor").get(f"/admin/questions/{new_question('scjg')}").get_data(as_text=True)
    assert 'class="action-form"' not in html


def test_the_administrator_reassigns(login_as, new_question, load_question, department_id):
    question_id = new_question("scjg")
    assert post(login_as("admin"), question_id, "reassign",
                **{"reassign-department": department_id("zjj")}).status_code == 302
    stored = load_question(question_id)
    assert (stored.status, stored.department_code) == ("received", "zjj")


def test_reassign_needs_another_department(login_as, new_question, load_question, department_id):
    question_id = new_question("scjg")
    response = post(login_as("admin"), question_id, "reassign", **{"reassign-department": department_id("scjg")})
    assert response.status_code == 400
    assert "请选择转办的部门。" in response.get_data(as_text=True)
    assert load_question(question_id).department_code == "scjg"


def test_after_reassign_the_former_department_is_refused(signed_in, new_question, department_id):
    question_id = new_question("scjg")
    post(signed_in("admin"), question_id, "reassign", **{"reassign-department": department_id("zjj")})
    clerk = signed_in("editor-scjg")
    response = clerk.get(f"/admin/questions/{question_id}")
    assert response.status_code == 403 and "13912345678" not in response.get_data(as_text=True)
    assert post(clerk, question_id, "answer").status_code == 403


def test_after_reassign_the_new_department_answers(signed_in, new_question, load_question, department_id):
    question_id = new_question("scjg")
    post(signed_in("admin"), question_id, "reassign", **{"reassign-department": department_id("zjj")})
    assert post(signed_in("editor-zjj"), question_id, "answer").status_code == 302
    assert load_question(question_id).status == "answered"


def test_an_unknown_question_is_not_found(login_as):
    assert login_as("admin").get("/admin/questions/999999").status_code == 404


def test_an_unknown_action_is_not_found(login_as, new_question):
    assert login_as("admin").post(f"/admin/questions/{new_question('scjg')}/publish", data={}).status_code == 404
