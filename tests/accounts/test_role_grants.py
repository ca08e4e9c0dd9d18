"""Roles in several departments (兼职): the administrator grants them, the policy honours them everywhere."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import ServiceItem, User


def _item_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == code)).one()


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalars(select(User.id).where(User.username == username)).one()


def _grant(browser, app, username: str, role: str, department: str):
    admin = browser("admin")
    return admin.post(f"/admin/users/{_user_id(app, username)}/roles",
                      data={"step": "add", "role": role, "department": department}, follow_redirects=True)


def test_an_editor_given_a_second_department_edits_its_items(app, browser):
    response = _grant(browser, app, "editor-zjj", "editor", "scjg")
    assert "已更新 editor-zjj 的角色" in response.get_data(as_text=True)
    editor = browser("editor-zjj")
    assert editor.get(f"/admin/items/{_item_id(app, 'SCJG-XK-001')}/edit").status_code == 200
    listed = editor.get("/admin/items").get_data(as_text=True)
    assert "SCJG-XK-001" in listed and "ZJJ-XK-001" in listed and "MZ-JF-001" not in listed


def test_a_second_department_as_editor_does_not_make_a_reviewer_there(app, browser):
    _grant(browser, app, "reviewer-zjj", "editor", "scjg")
    reviewer = browser("reviewer-zjj")
    assert reviewer.post(f"/admin/items/{_item_id(app, 'SCJG-XK-001')}/withdraw").status_code == 403
    assert reviewer.get(f"/admin/items/{_item_id(app, 'SCJG-XK-001')}/edit").status_code == 200


def test_an_office_role_needs_a_department(app, browser):
    response = _grant(browser, app, "editor-zjj", "reviewer", "")
    assert "部门编辑和审核员必须指定所属部门" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "editor-zjj")).one()
        assert user.extra_grants == []


def test_the_same_role_twice_is_refused(app, browser):
    response = _grant(browser, app, "editor-zjj", "editor", "zjj")
    assert "该账号已有这个角色" in response.get_data(as_text=True)


def test_removing_a_grant_takes_the_access_away(app, browser, audit_log):
    _grant(browser, app, "editor-zjj", "editor", "scjg")
    with app.app_context():
        grant_id = db.session.scalars(select(User).where(User.username == "editor-zjj")).one().extra_grants[0].id
    browser("admin").post(f"/admin/users/{_user_id(app, 'editor-zjj')}/roles",
                          data={"step": "remove", "grant": str(grant_id)})
    assert browser("editor-zjj").get(f"/admin/items/{_item_id(app, 'SCJG-XK-001')}/edit").status_code == 403
    summaries = [entry.summary for entry in audit_log("role_changed")]
    assert summaries == ["editor-zjj：增加 部门编辑（清川县市场监督管理局）", "editor-zjj：取消 部门编辑（清川县市场监督管理局）"]


def test_changing_the_main_role_is_audited(app, browser, audit_log):
    browser("admin").post(f"/admin/users/{_user_id(app, 'editor-mz')}/roles",
                          data={"step": "set", "role": "reviewer", "department": "mz"})
    with app.app_context():
        assert db.session.scalars(select(User.role).where(User.username == "editor-mz")).one() == "reviewer"
    assert [entry.summary for entry in audit_log("role_changed")] == ["editor-mz：部门编辑（清川县民政局） → 部门审核员（清川县民政局）"]


def test_only_the_administrator_changes_roles(app, browser):
    supervisor = browser("supervisor")
    url = f"/admin/users/{_user_id(app, 'editor-zjj')}/roles"
    assert supervisor.get(url).status_code == 403
    assert supervisor.post(url, data={"step": "add", "role": "admin", "department": ""}).status_code == 403


def test_an_editor_of_two_departments_chooses_between_them_only(app, browser):
    from tests.admin.htmlforms import form_fields

    _grant(browser, app, "editor-zjj", "editor", "scjg")
    editor = browser("editor-zjj")
    html = editor.get("/admin/items/new").get_data(as_text=True)
    choices = html.split('name="department"')[1].split("</select>")[0]
    assert 'value="zjj"' in choices and 'value="scjg"' in choices and 'value="mz"' not in choices
    data = {**form_fields(html, action="/admin/items/new"), "code": "SCJG-XK-077", "name": "食品小作坊登记",
            "item_type": "行政许可", "statutory_days": "20", "promised_days": "10", "action": "draft"}
    assert editor.post("/admin/items/new", data={**data, "department": "mz"}).status_code == 400
    assert editor.post("/admin/items/new", data={**data, "department": "scjg"}).status_code == 302
    with app.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "SCJG-XK-077")).one()
        assert item.department.code == "scjg"
