"""Each allowed kind is recognised by its content; a renamed or macro-carrying file is refused."""

from __future__ import annotations

import pytest

from sunshine.contract.files import FILE_KINDS
from sunshine.site.attachments.formats import ContentRefused, check_content

from . import samples


@pytest.fixture
def on_disk(tmp_path):
    def _write(data: bytes):
        path = tmp_path / "upload"
        path.write_bytes(data)
        return path

    return _write


@pytest.mark.parametrize(("ext", "data", "media_type"), [
    ("pdf", samples.pdf(), "application/pdf"),
    ("png", samples.png(), "image/png"),
    ("jpg", samples.jpeg(), "image/jpeg"),
    ("jpeg", samples.jpeg(), "image/jpeg"),
    ("docx", samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("doc", samples.doc(), "application/msword"),
    ("xls", samples.xls(), "application/vnd.ms-excel"),
])
def test_each_allowed_kind_is_recognised_by_its_content(on_disk, ext, data, media_type):
    assert check_content(on_disk(data), f"申请表.{ext}", ext).media_type == media_type


def test_every_allowed_kind_has_a_content_check(on_disk):
    """No kind of the contract is accepted on its name alone: a text file fails each one."""
    for ext in FILE_KINDS:
        with pytest.raises(ContentRefused):
            check_content(on_disk("申请人：张三\n".encode()), f"申请表.{ext}", ext)


def test_a_program_named_pdf_is_refused_saying_what_it_is(on_disk):
    with pytest.raises(ContentRefused) as refused:
        check_content(on_disk(samples.exe()), "申请表.pdf", "pdf")
    assert str(refused.value).startswith("文件“申请表.pdf”的扩展名是 .pdf，但内容实际是 .exe 文件，不能上传。请上传真正的PDF 文档；")


def test_a_word_97_document_named_xls_is_refused_as_doc(on_disk):
    with pytest.raises(ContentRefused, match=r"扩展名是 \.xls，但内容实际是 \.doc 文件"):
        check_content(on_disk(samples.doc()), "统计表.xls", "xls")


def test_a_zip_archive_named_docx_is_refused(on_disk):
    with pytest.raises(ContentRefused, match=r"扩展名是 \.docx，但内容实际是 \.zip 文件"):
        check_content(on_disk(samples.zip_archive()), "申请表.docx", "docx")


def test_a_damaged_pdf_is_refused_as_not_valid(on_disk):
    with pytest.raises(ContentRefused, match="内容不是有效的PDF 文档（可能已损坏，或只是改了扩展名）"):
        check_content(on_disk(b"<html><body>PDF</body></html>"), "告知书.pdf", "pdf")


@pytest.mark.parametrize(("ext", "data"), [
    ("docx", samples.docx(macros=True)),
    ("doc", samples.doc(macros=True)),
    ("xls", samples.xls(macros=True)),
])
def test_office_files_with_macros_are_refused(on_disk, ext, data):
    with pytest.raises(ContentRefused) as refused:
        check_content(on_disk(data), f"申请表.{ext}", ext)
    assert str(refused.value).startswith(f"文件“申请表.{ext}”含有宏（VBA 代码）")
