"""Departments, notices and channels follow the items' pattern and permissions."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import Channel, Department, Notice


def _id(app, model, code: str) -> int:
    with app.app_context():
        return db.session.scalars(select(model.id).where(model.code == code)).one()


def test_editor_edits_own_department(app, login_as, form_of):
    client = login_as("editor-zjj")
    url = f"/admin/departments/{_id(app, Department, 'zjj')}/edit"
    data = {**form_of(url), "backup_name": "赵建华", "action": "draft"}
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Department, _id(app, Department, "zjj")).backup_name == "赵建华"


def test_editor_cannot_edit_another_department(app, login_as):
    client = login_as("editor-zjj")
    url = f"/admin/departments/{_id(app, Department, 'scjg')}/edit"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "改名", "action": "draft"}).status_code == 403


def test_only_admin_creates_departments(login_as):
    assert login_as("editor-zjj").get("/admin/departments/new").status_code == 403


def test_admin_creates_a_department_draft(app, login_as, form_of):
    client = login_as("admin")
    data = {**form_of("/admin/departments/new"), "code": "ylbz", "name": "清川县医疗保障局",
            "consult_phone": "0827-5220188", "action": "draft"}
    assert client.post("/admin/departments/new", data=data).status_code == 302
    with app.app_context():
        dept = db.session.scalars(select(Department).where(Department.code == "ylbz")).one()
        assert dept.state == "draft" and dept.revision == 0


def test_editor_notice_is_issued_by_own_department(app, login_as, form_of, load_notice):
    client = login_as("editor-mz")
    data = {**form_of("/admin/notices/new"), "code": "MZ-2026-01", "title": "关于2027年度高龄津贴集中认证的通知",
            "body": "请80周岁以上老年人于1月31日前到民政局窗口认证。", "department": "_center",
            "action": "draft"}
    assert client.post("/admin/notices/new", data=data).status_code == 302
    assert load_notice("MZ-2026-01").department_code == "mz"


def test_editor_cannot_edit_a_center_notice(app, login_as):
    with app.app_context():
        center = db.session.scalars(select(Notice.id).where(Notice.department_id.is_(None))).first()
    assert center is not None
    client = login_as("editor-mz")
    assert client.get(f"/admin/notices/{center}/edit").status_code == 403
    assert client.post(f"/admin/notices/{center}/edit", data={"title": "改", "action": "draft"}).status_code == 403


def test_channels_are_for_the_admin_only(app, login_as):
    client = login_as("editor-zjj")
    url = f"/admin/channels/{_id(app, Channel, 'hotline-ts')}/edit"
    assert client.get("/admin/channels").status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "改", "action": "draft"}).status_code == 403


def test_a_new_notice_gets_the_next_free_code_of_its_department(login_as, form_of):
    from sunshine.site import clock

    with clock.frozen("2026-12-01T10:00:00"):
        client = login_as("editor-mz")
        data = form_of("/admin/notices/new")
        assert data["code"] == "MZ-2026-001"
        client.post("/admin/notices/new", data={**data, "title": "关于高龄津贴认证的通知", "body": "请按时认证。",
                                                "action": "draft"})
        assert form_of("/admin/notices/new")["code"] == "MZ-2026-002"


def test_the_administrators_new_notice_is_proposed_as_the_centres(login_as, form_of):
    from sunshine.site import clock

    with clock.frozen("2026-12-01T10:00:00"):
        login_as("admin")
        assert form_of("/admin/notices/new")["code"] == "ZX-2026-001"
