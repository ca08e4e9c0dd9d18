"""Who may see and handle a complaint, checked on the server: the department (and the administrator)
handles it, the supervisor reads and urges, 改派 is the administrator's, and a complainant's contact is
seen only by the department it is assigned to now, the administrator and the supervisor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.complaints.lifecycle import STAFF_ACTIONS
from sunshine.site.db import db
from sunshine.site.models import Department, Urge

#: A valid post for every staff action (departments filled in by the test).
VALID = {
    "accept": {"accept-public_note": "已受理。"},
    "decline": {"decline-reason": "out_of_scope", "decline-public_note": "请向12315反映。"},
    "assign": {"assign-note": "交审批股核实"},
    "reassign": {"reassign-note": "属住建局职责"},
    "reply": {"reply-reply": "已核实并整改。"},
    "close": {"close-outcome": "resolved"},
    "urge": {"urge-note": "请于今天内答复"},
}


@pytest.fixture
def department_id(app):
    def _id(code: str) -> int:
        with app.app_context():
            return db.session.scalars(select(Department.id).where(Department.code == code)).one()

    return _id


def post(client, complaint_id: int, action: str, **extra):
    with clock.frozen("2026-11-24T10:00:00"):
        return client.post(f"/admin/complaints/{complaint_id}/{action}", data={**VALID[action], **extra})


def test_a_clerk_of_another_department_cannot_see_the_complaint(login_as, new_complaint):
    response = login_as("editor-zjj").get(f"/admin/complaints/{new_complaint('scjg')}")
    assert response.status_code == 403
    assert "13812345678" not in response.get_data(as_text=True)


def test_a_clerk_of_another_department_does_not_list_it(login_as, new_complaint):
    new_complaint("scjg")
    html = login_as("editor-zjj").get("/admin/complaints?status=all").get_data(as_text=True)
    assert "窗口多次要求补交同一份材料" not in html


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_a_clerk_of_another_department_is_refused_every_action(login_as, new_complaint, load_complaint, action):
    complaint_id = new_complaint("scjg")
    assert post(login_as("editor-zjj"), complaint_id, action).status_code == 403
    stored = load_complaint(complaint_id)
    assert (stored.status, len(stored.events), stored.department_code) == ("received", 1, "scjg")


def test_a_clerk_cannot_reassign(login_as, new_complaint, load_complaint, department_id):
    complaint_id = new_complaint("scjg")
    response = post(login_as("editor-scjg"), complaint_id, "reassign", **{"reassign-department": department_id("zjj")})
    assert response.status_code == 403
    assert load_complaint(complaint_id).department_code == "scjg"


def test_a_clerk_is_not_offered_reassign(login_as, new_complaint):
    html = login_as("editor-scjg").get(f"/admin/complaints/{new_complaint('scjg')}").get_data(as_text=True)
    assert "/reassign" not in html and 'id="action-accept"' in html


def test_a_clerk_cannot_urge(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    assert post(login_as("editor-scjg"), complaint_id, "urge").status_code == 403
    assert [e[0] for e in load_complaint(complaint_id).events] == ["收到"]


def test_the_supervisor_reads_any_complaint_with_the_contact(login_as, new_complaint):
    response = login_as("supervisor").get(f"/admin/complaints/{new_complaint('scjg')}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "张秀兰" in html and "13812345678" in html and "个人信息，严禁外传" in html


@pytest.mark.parametrize("action", ["accept", "decline", "reply", "reassign"])
def test_the_supervisor_cannot_handle_for_the_department(login_as, new_complaint, move_complaint,
                                                          load_complaint, action):
    complaint_id = new_complaint("scjg")
    if action == "reply":
        move_complaint(complaint_id, "accept")
    before = load_complaint(complaint_id)
    assert post(login_as("supervisor"), complaint_id, action).status_code == 403
    after = load_complaint(complaint_id)
    assert (after.status, len(after.events)) == (before.status, len(before.events))


def test_the_supervisor_is_offered_only_urge(login_as, new_complaint):
    html = login_as("supervisor").get(f"/admin/complaints/{new_complaint('scjg')}").get_data(as_text=True)
    assert 'id="action-urge"' in html
    assert all(f'id="action-{name}"' not in html for name in STAFF_ACTIONS if name != "urge")


def test_the_supervisor_urges_without_changing_the_status(app, login_as, new_complaint, load_complaint, user_id):
    complaint_id = new_complaint("scjg")
    post(login_as("supervisor"), complaint_id, "urge", **{"urge-note": "受理期限今天到期，请抓紧受理"})
    stored = load_complaint(complaint_id)
    assert stored.status == "received"
    assert stored.events[-1] == ("催办", "受理期限今天到期，请抓紧受理", user_id("supervisor"))
    with app.app_context():
        urge = db.session.scalars(select(Urge)).one()
        assert (urge.complaint_id, urge.note) == (complaint_id, "受理期限今天到期，请抓紧受理")


def test_an_urge_without_a_note_is_refused(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    response = post(login_as("supervisor"), complaint_id, "urge", **{"urge-note": ""})
    assert response.status_code == 400
    assert "请填写催办意见。" in response.get_data(as_text=True)
    assert len(load_complaint(complaint_id).events) == 1


def test_the_administrator_handles_any_department(login_as, new_complaint, load_complaint):
    complaint_id = new_complaint("scjg")
    assert post(login_as("admin"), complaint_id, "accept").status_code == 302
    assert load_complaint(complaint_id).status == "accepted"


def test_after_reassign_the_former_department_cannot_see_it(signed_in, new_complaint, department_id):
    complaint_id = new_complaint("scjg")
    post(signed_in("admin"), complaint_id, "reassign", **{"reassign-department": department_id("zjj")})
    response = signed_in("editor-scjg").get(f"/admin/complaints/{complaint_id}")
    assert response.status_code == 403
    assert "13812345678" not in response.get_data(as_text=True)


def test_after_reassign_the_former_department_cannot_act(signed_in, new_complaint, department_id, load_complaint):
    complaint_id = new_complaint("scjg")
    post(signed_in("admin"), complaint_id, "reassign", **{"reassign-department": department_id("zjj")})
    assert post(signed_in("editor-scjg"), complaint_id, "accept").status_code == 403
    assert load_complaint(complaint_id).status == "received"


def test_after_reassign_the_new_department_handles_it_with_the_contact(signed_in, new_complaint, department_id,
                                                                       load_complaint):
    complaint_id = new_complaint("scjg")
    post(signed_in("admin"), complaint_id, "reassign", **{"reassign-department": department_id("zjj")})
    clerk = signed_in("editor-zjj")
    assert "13812345678" in clerk.get(f"/admin/complaints/{complaint_id}").get_data(as_text=True)
    assert post(clerk, complaint_id, "accept").status_code == 302
    assert load_complaint(complaint_id).status == "accepted"


def test_reassigning_to_the_same_department_is_refused(login_as, new_complaint, department_id, load_complaint):
    complaint_id = new_complaint("scjg")
    response = post(login_as("admin"), complaint_id, "reassign", **{"reassign-department": department_id("scjg")})
    assert response.status_code == 400
    assert "请选择改派的部门。" in response.get_data(as_text=True)
    assert len(load_complaint(complaint_id).events) == 1


def test_a_closed_complaint_cannot_be_reassigned(login_as, new_complaint, move_complaint, department_id):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已核实。"}), ("close", {"outcome": "resolved"}))
    response = post(login_as("admin"), complaint_id, "reassign", **{"reassign-department": department_id("zjj")})
    assert response.status_code == 400
    assert "该投诉当前为“已办结”，不能改派。" in response.get_data(as_text=True)


def test_the_supervision_board_never_shows_the_contact(login_as, new_complaint):
    new_complaint("scjg")
    with clock.frozen("2026-11-24T10:00:00"):
        html = login_as("supervisor").get("/admin/supervision").get_data(as_text=True)
    assert "窗口多次要求补交同一份材料" in html
    assert "13812345678" not in html and "张秀兰" not in html


def test_after_reassign_the_former_department_no_longer_finds_it_in_search(app, signed_in, new_complaint,
                                                                          department_id):
    from sunshine.site.search_docs import reindex_all

    complaint_id = new_complaint("scjg", subject="营业执照补办窗口推诿")
    with app.app_context():
        reindex_all()
    clerk = signed_in("editor-scjg")
    assert "营业执照补办窗口推诿" in clerk.get("/admin/search?q=推诿").get_data(as_text=True)
    post(signed_in("admin"), complaint_id, "reassign", **{"reassign-department": department_id("zjj")})
    assert "营业执照补办窗口推诿" not in clerk.get("/admin/search?q=推诿").get_data(as_text=True)
    assert "营业执照补办窗口推诿" in signed_in("editor-zjj").get("/admin/search?q=推诿").get_data(as_text=True)


def test_the_search_index_holds_no_contact_typed_into_the_complaint(app, new_complaint, move_complaint):
    from pathlib import Path

    from sunshine.site.search_docs import reindex_all

    complaint_id = new_complaint("scjg", content="我是张秀兰，电话13812345678，邮箱zxl@example.cn，窗口拒收材料。")
    move_complaint(complaint_id, "accept", ("reply", {"reply": "已电话13812345678联系张秀兰核实。"}))
    with app.app_context():
        reindex_all()
        index_dir = Path(app.config["SUNSHINE_SEARCH_INDEX"])
    raw = b"".join(f.read_bytes() for f in index_dir.rglob("*") if f.is_file())
    assert "窗口拒收材料".encode() in raw or "拒收".encode() in raw
    for private in ("张秀兰", "13812345678", "zxl@example.cn"):
        assert private.encode() not in raw
