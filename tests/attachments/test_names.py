"""Uploaded names become names that links, Markdown and file systems carry unchanged."""

from __future__ import annotations

import pytest

from sunshine.contract.files import file_links, is_file_name, name_fits
from sunshine.site.attachments.names import public_name

SHA = "a" * 64


@pytest.mark.parametrize(("uploaded", "published"), [
    ("建设工程规划许可申请表.docx", "建设工程规划许可申请表.docx"),
    ("（2026版） 报名表.DOCX", "2026版_报名表.docx"),
    ("C:\\Users\\wq\\桌面\\一次性告知单.pdf", "一次性告知单.pdf"),
    ("申请表 [样表] (1).xlsx", "申请表_样表_1.xlsx"),
    ("？？？.pdf", "附件.pdf"),
    ("..hidden.png", "hidden.png"),
    ("ＡＢＣ表格．ＰＤＦ", "ABC表格.pdf"),
])
def test_public_name(uploaded, published):
    assert public_name(uploaded) == published
    assert is_file_name(published)


def test_a_long_name_is_shortened_keeping_its_extension():
    stem = "关于" + "建设工程" * 40
    name = public_name(stem + ".pdf")
    assert name == stem[:96] + ".pdf"
    assert len(name) == 100 and is_file_name(name)


def test_name_must_match_the_kind():
    assert name_fits("告知书.pdf", "application/pdf")
    assert not name_fits("告知书.html", "application/pdf")
    assert not name_fits("告知书.docx", "application/pdf")


def test_links_are_found_in_markdown_and_decoded():
    text = (f"详见[告知书](/files/{SHA}/告知书.pdf)和"
            f"<a href=\"/files/{SHA}/%E7%94%B3%E8%AF%B7%E8%A1%A8.docx\">申请表</a>，"
            f"以及 /files/{SHA}/页面.html 与 /files/{SHA[:60]}/短.pdf")
    assert file_links(text) == [(SHA, "告知书.pdf"), (SHA, "申请表.docx")]
