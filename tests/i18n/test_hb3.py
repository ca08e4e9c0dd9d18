"""The back office's Python messages (refusals, flashes, form labels and validator messages) in English
on request, unchanged in Chinese, and still Chinese outside a request (``sunshine tick``, the CLI).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site import clock, workflow
from sunshine.site.db import db
from sunshine.site.models import ServiceItem
from tests.admin.htmlforms import form_fields

#: A Monday in the demo's time frame.
TODAY = "2026-11-23T10:00:00"


@pytest.fixture
def english():
    """Switch a client to English with the header's switch (a cookie); works before login too."""

    def _switch(client):
        assert client.post("/admin/language", data={"lang": "en"}).status_code == 302
        return client

    return _switch


@pytest.fixture
def permit_edit_url(demo) -> str:
    """The edit page of the construction permit item (建筑工程施工许可证核发) of 住建局."""
    with demo.app_context():
        item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == "ZJJ-XK-001")).one()
    return f"/admin/items/{item_id}/edit"


def post_item(client, url: str, **changes: str):
    """Post the item's edit form as a browser would, with ``changes`` typed in."""
    data = form_fields(client.get(url).get_data(as_text=True), action=url)
    data.update(changes)
    with clock.frozen(TODAY):
        return client.post(url, data=data, follow_redirects=True)


# ---------------------------------------------------------------- a refused submit (workflow.py)


def test_a_refused_submit_names_the_missing_field_in_english(login_as, english, permit_edit_url):
    client = english(login_as("editor-zjj"))
    response = post_item(client, permit_edit_url, legal_basis="", action="submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h2>Cannot submit for review. These are missing or wrong: Legal basis</h2>" in html
    assert "Legal basis must be filled in before submitting for review or publishing." in html


def test_a_refused_submit_is_unchanged_in_chinese(login_as, permit_edit_url):
    response = post_item(login_as("editor-zjj"), permit_edit_url, legal_basis="", action="submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h2>不能提交审核，以下内容缺失或有误：设定依据</h2>" in html
    assert "提交审核或发布前必须填写设定依据。" in html


def test_two_missing_fields_are_listed_with_the_languages_separator(login_as, english, permit_edit_url):
    client = english(login_as("editor-zjj"))
    html = post_item(client, permit_edit_url, legal_basis="", conditions="", action="submit").get_data(as_text=True)
    assert "<h2>Cannot submit for review. These are missing or wrong: Legal basis, Conditions of acceptance</h2>" in html


def test_a_workflow_refusal_outside_a_request_stays_chinese(demo):
    """``sunshine tick`` stores these messages (review_note, audit log): no request, so Chinese."""
    with demo.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001")).one()
        item.legal_basis = ""
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.check_publishable(item)
        db.session.rollback()
    assert str(refused.value) == "不能发布，以下内容缺失或有误：设定依据"


# ---------------------------------------------------------------- a flash after saving (records.py)


def test_saving_a_draft_flashes_in_english(login_as, english, permit_edit_url):
    client = english(login_as("editor-zjj"))
    html = post_item(client, permit_edit_url, promised_note="规费缴清后2个工作日内发证", action="draft").get_data(as_text=True)
    assert ">Draft saved; the public website is unchanged for now</p>" in html


def test_saving_a_draft_flashes_in_chinese(login_as, permit_edit_url):
    html = post_item(login_as("editor-zjj"), permit_edit_url, promised_note="规费缴清后2个工作日内发证",
                     action="draft").get_data(as_text=True)
    assert ">已保存草稿，公开网站暂不变化</p>" in html


# ---------------------------------------------------------------- form labels and validator messages


def test_the_item_form_labels_are_english(login_as, english, permit_edit_url):
    html = english(login_as("editor-zjj")).get(permit_edit_url).get_data(as_text=True)
    assert '<label for="legal_basis">Legal basis</label>' in html
    assert '<label for="promised_days">Promised time limit</label>' in html
    assert "<legend>Documents required</legend>" in html


def test_the_item_form_labels_stay_chinese(login_as, permit_edit_url):
    html = login_as("editor-zjj").get(permit_edit_url).get_data(as_text=True)
    assert '<label for="legal_basis">设定依据</label>' in html
    assert "<legend>申请材料</legend>" in html


def test_an_empty_login_is_refused_in_english(client, english):
    html = english(client).post("/admin/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert '<li><a href="#username">Please enter the username.</a></li>' in html
    assert '<li><a href="#password">Please enter your password.</a></li>' in html
    assert '<label for="username">Username</label>' in html


def test_an_empty_login_is_refused_in_chinese(client):
    html = client.post("/admin/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert '<li><a href="#username">请填写用户名。</a></li>' in html
    assert '<label for="username">用户名</label>' in html


def test_a_wrong_password_is_refused_in_english(client, english, demo):
    html = english(client).post("/admin/login", data={"username": "editor-zjj", "password": "不是这个密码123"}
                                ).get_data(as_text=True)
    assert "<h2>Wrong username or password</h2>" in html


def test_a_row_table_error_names_table_row_and_column_in_english(login_as, english, permit_edit_url):
    client = english(login_as("editor-zjj"))
    html = post_item(client, permit_edit_url, **{"materials-0-name": "", "materials-0-notes": "原件和复印件各一份",
                                                 "action": "draft"}).get_data(as_text=True)
    assert ">Documents required row 1, Document name: Please fill in the document name.</a></li>" in html


def test_a_row_table_error_is_unchanged_in_chinese(login_as, permit_edit_url):
    html = post_item(login_as("editor-zjj"), permit_edit_url, **{
        "materials-0-name": "", "materials-0-notes": "原件和复印件各一份", "action": "draft"}).get_data(as_text=True)
    assert ">申请材料第1行 材料名称：请填写材料名称。</a></li>" in html


# ---------------------------------------------------------------- accounts.py and the error pages


def test_a_wrong_current_password_is_refused_in_english(login_as, english):
    client = english(login_as("editor-zjj"))
    html = client.post("/admin/account/password", data={
        "current_password": "不是当前密码", "new_password": "Zhujian-2026-春", "new_password_again": "Zhujian-2026-春",
    }).get_data(as_text=True)
    assert "The current password is wrong. Please enter it again." in html


def test_a_wrong_current_password_is_refused_in_chinese(login_as):
    html = login_as("editor-zjj").post("/admin/account/password", data={
        "current_password": "不是当前密码", "new_password": "Zhujian-2026-春", "new_password_again": "Zhujian-2026-春",
    }).get_data(as_text=True)
    assert "当前密码不正确，请重新输入。" in html


def test_the_not_found_page_in_english_and_chinese(login_as, english):
    client = login_as("editor-zjj")
    assert "<h1>找不到该内容</h1>\n<p>您要找的内容不存在或已被删除。</p>" in client.get("/admin/items/999999/edit").get_data(
        as_text=True)
    html = english(client).get("/admin/items/999999/edit").get_data(as_text=True)
    assert "<h1>Not found</h1>\n<p>What you are looking for does not exist or has been deleted.</p>" in html


def test_the_state_label_follows_the_language(login_as, english):
    client = login_as("editor-zjj")
    assert "已发布</span>" in client.get("/admin/items?q=ZJJ-XK-001").get_data(as_text=True)
    assert "Published</span>" in english(client).get("/admin/items?q=ZJJ-XK-001").get_data(as_text=True)
