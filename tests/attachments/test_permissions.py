"""Who may see and upload which attachments: the policy's answer, checked on the server."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import Attachment
from tests.conftest import csrf_token

from . import samples


@pytest.fixture
def zjj_file(login_as, upload, stored_rows):
    """An attachment of 住建局, uploaded by its editor; the client is logged out afterwards."""
    client = login_as("editor-zjj")
    upload("建设工程规划许可申请表.docx", samples.docx())
    client.post("/admin/logout")
    return stored_rows()[0]


def test_editor_cannot_open_another_departments_attachments(login_as):
    client = login_as("editor-zjj")
    assert client.get("/admin/attachments?department=mz").status_code == 403


def test_editor_cannot_upload_for_another_department(login_as, upload, stored_rows):
    login_as("editor-zjj")
    assert upload("最低生活保障申请表.docx", samples.docx(), department="mz").status_code == 403
    assert stored_rows() == []


def test_editor_cannot_download_another_departments_file(zjj_file, login_as):
    client = login_as("editor-mz")
    assert client.get(f"/admin/attachments/{zjj_file.id}/file").status_code == 403


def test_editor_cannot_use_the_centres_attachments(login_as):
    client = login_as("editor-zjj")
    assert client.get("/admin/attachments?department=center").status_code == 403


def test_unknown_department_is_not_found(login_as):
    client = login_as("admin")
    assert client.get("/admin/attachments?department=nope").status_code == 404


def test_supervisor_sees_but_cannot_upload(zjj_file, login_as, upload):
    client = login_as("supervisor")
    html = client.get("/admin/attachments?department=zjj").get_data(as_text=True)
    assert "建设工程规划许可申请表.docx" in html
    assert "上传附件" not in html
    assert upload("检查记录.pdf", samples.pdf()).status_code == 403


def test_administrator_chooses_a_department_or_the_centre(login_as, upload, stored_rows):
    client = login_as("admin")
    html = client.get("/admin/attachments").get_data(as_text=True)
    assert "请先选择部门" in html and '<option value="center">政务服务中心（本中心）</option>' in html
    assert upload("政务服务中心入驻须知.pdf", samples.pdf(), department="center").status_code == 200
    assert [(r.filename, r.department_id) for r in stored_rows()] == [("政务服务中心入驻须知.pdf", None)]


def test_anonymous_visitor_is_sent_to_the_login_page(client, demo):
    response = client.get("/admin/attachments")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def _filenames(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Attachment.filename).order_by(Attachment.id)))


def test_upload_needs_the_forms_csrf_token(csrf_demo):
    client = csrf_demo.test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    client.post("/admin/login", data={"username": "editor-zjj", "password": "editor-demo-2026",
                                      "csrf_token": csrf_token(page)})
    page = client.get("/admin/attachments").get_data(as_text=True)

    def post(token: str | None):
        data = {"file": (io.BytesIO(samples.pdf()), "一次性告知单.pdf")}
        if token:
            data["csrf_token"] = token
        return client.post("/admin/attachments?department=zjj", data=data, content_type="multipart/form-data")

    refused = post(None)
    assert refused.status_code == 400 and "页面已过期" in refused.get_data(as_text=True)
    assert _filenames(csrf_demo) == []
    assert post(csrf_token(page)).status_code == 200
    assert _filenames(csrf_demo) == ["一次性告知单.pdf"]
