"""Uploading in the back office: stored once by content hash, privately, with clear refusals."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import AuditEntry, Department

from . import samples
from .conftest import sha256

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def editor(login_as):
    return login_as("editor-zjj")


def _department_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalars(select(Department.id).where(Department.code == code)).one()


def test_upload_stores_the_file_under_its_hash(app, editor, upload, store_dir, stored_rows):
    data = samples.docx()
    response = upload("建设工程规划许可申请表.docx", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "已上传“建设工程规划许可申请表.docx”" in html
    assert f'value="/files/{sha256(data)}/建设工程规划许可申请表.docx"' in html
    [row] = stored_rows()
    assert (row.filename, row.sha256, row.size, row.media_type) == (
        "建设工程规划许可申请表.docx", sha256(data), len(data), DOCX)
    assert row.department_id == _department_id(app, "zjj")
    assert (store_dir / sha256(data)).read_bytes() == data


def test_store_is_private_to_the_service(editor, upload, store_dir):
    data = samples.pdf()
    upload("一次性告知单.pdf", data)
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((store_dir / sha256(data)).stat().st_mode) == 0o600
    assert sorted(p.name for p in store_dir.iterdir()) == [sha256(data)]


def test_the_same_bytes_uploaded_again_are_stored_once(editor, upload, store_dir, stored_rows):
    data = samples.pdf()
    upload("一次性告知单.pdf", data)
    response = upload("告知单（新）.pdf", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "该文件之前已上传过（“一次性告知单.pdf”），没有重复保存" in html
    assert f'value="/files/{sha256(data)}/一次性告知单.pdf"' in html
    assert [r.filename for r in stored_rows()] == ["一次性告知单.pdf"]
    assert sorted(p.name for p in store_dir.iterdir()) == [sha256(data)]


def test_upload_is_in_the_audit_log(app, editor, upload):
    data = samples.xlsx()
    upload("申请人信息表.xlsx", data)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "attachment")).one()
        assert (entry.action, entry.username, entry.summary) == (
            "create", "editor-zjj", f"上传附件“申请人信息表.xlsx”（Excel 工作簿，{len(data) / 1024:.0f} KB）")


def test_list_shows_the_departments_attachments_with_their_links(editor, upload):
    data = samples.png()
    upload("窗口位置示意图.png", data)
    html = editor.get("/admin/attachments").get_data(as_text=True)
    assert "附件：清川县住房和城乡建设局" in html
    assert f'value="/files/{sha256(data)}/窗口位置示意图.png"' in html
    assert "住建局窗口编辑（吴强）" in html


def test_stored_file_can_be_downloaded_by_its_department(editor, upload, stored_rows):
    data = samples.pdf()
    upload("一次性告知单.pdf", data)
    [row] = stored_rows()
    response = editor.get(f"/admin/attachments/{row.id}/file")
    assert response.status_code == 200
    assert response.data == data
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]


# ---------------------------------------------------------------- refusals


def _refusal(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index("<h2>文件未上传</h2>")
    return html[start:html.index("</div>", start)].split("<p>", 1)[1].split("</p>", 1)[0]


def test_a_file_over_the_limit_is_refused(app, editor, upload, store_dir, stored_rows):
    app.config["SUNSHINE_ATTACHMENT_MAX_BYTES"] = 2048
    response = upload("扫描件.pdf", samples.pdf() + b"%" * 2048)
    assert response.status_code == 400
    assert _refusal(response) == ("文件“扫描件.pdf”超过了 2 KB 的上限，不能上传。"
                                  "扫描件请降低分辨率或改为黑白后重新生成 PDF，内容多的请拆分成几个文件上传。")
    assert stored_rows() == [] and list(store_dir.iterdir()) == []


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(app, editor, upload, stored_rows):
    app.config["SUNSHINE_ATTACHMENT_MAX_BYTES"] = 2048
    response = upload("扫描件.pdf", samples.pdf() + b"%" * 200_000)
    assert response.status_code == 413
    assert _refusal(response).startswith("文件超过了 2 KB 的上限，不能上传。")
    assert stored_rows() == []


def test_a_program_renamed_pdf_is_refused(editor, upload, store_dir, stored_rows):
    response = upload("申请表.pdf", samples.exe())
    assert response.status_code == 400
    assert _refusal(response).startswith("文件“申请表.pdf”的扩展名是 .pdf，但内容实际是 .exe 文件，不能上传。")
    assert stored_rows() == [] and list(store_dir.iterdir()) == []


def test_a_kind_that_is_not_allowed_is_refused(editor, upload, stored_rows):
    response = upload("申请材料.zip", samples.zip_archive())
    assert response.status_code == 400
    assert _refusal(response) == (
        "不支持 .zip 文件。可以上传：PDF（.pdf）、Word（.doc、.docx）、Excel（.xls、.xlsx）、图片（.jpg、.png）。"
        "压缩包请解压后逐个上传；WPS 文件请另存为 .docx 或 .xlsx 后上传。")
    assert stored_rows() == []


def test_an_empty_file_is_refused(editor, upload, store_dir, stored_rows):
    response = upload("申请表.docx", b"")
    assert response.status_code == 400
    assert _refusal(response) == "文件“申请表.docx”是空的（0 字节），请检查后选择正确的文件重新上传。"
    assert stored_rows() == [] and list(store_dir.iterdir()) == []


def test_a_word_file_with_macros_is_refused(editor, upload, stored_rows):
    response = upload("申请表.doc", samples.doc(macros=True))
    assert response.status_code == 400
    assert _refusal(response).startswith("文件“申请表.doc”含有宏（VBA 代码）")
    assert stored_rows() == []


def test_posting_without_a_file_asks_for_one(editor, client, stored_rows):
    response = client.post("/admin/attachments?department=zjj", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "请选择要上传的文件。" in response.get_data(as_text=True)
    assert stored_rows() == []


def test_uploading_again_repairs_a_damaged_store_file(editor, upload, store_dir):
    data = samples.pdf()
    upload("一次性告知单.pdf", data)
    (store_dir / sha256(data)).write_bytes(b"%PDF-1.7\n%%EOF\n")
    upload("一次性告知单.pdf", data)
    assert (store_dir / sha256(data)).read_bytes() == data
