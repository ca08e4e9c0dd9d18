"""The contract's part: the ``attachments`` collection and file links."""

from __future__ import annotations

import pytest

from sunshine.contract.links import is_safe_link
from sunshine.contract.schema import ContractError, validate_snapshot

SHA = "3f" * 32


def test_attachments_are_required(small_snapshot):
    del small_snapshot["attachments"]
    with pytest.raises(ContractError, match=r"^快照格式错误：\$：缺少必填字段 attachments"):
        validate_snapshot(small_snapshot)


def test_an_attachment_name_must_have_an_allowed_extension(small_snapshot):
    small_snapshot["attachments"] = [{"sha256": SHA, "name": "告知书.html", "media_type": "application/pdf",
                                      "size": 1024}]
    with pytest.raises(ContractError, match=r"^快照格式错误：attachments\[0\]\.name：格式不符合"):
        validate_snapshot(small_snapshot)


def test_an_attachment_hash_must_be_sha256_in_lower_case(small_snapshot):
    small_snapshot["attachments"] = [{"sha256": SHA.upper(), "name": "告知书.pdf", "media_type": "application/pdf",
                                      "size": 1024}]
    with pytest.raises(ContractError, match=r"^快照格式错误：attachments\[0\]\.sha256：格式不符合"):
        validate_snapshot(small_snapshot)


def test_a_valid_attachment_passes(small_snapshot):
    small_snapshot["attachments"] = [{"sha256": SHA, "name": "一次性告知单.pdf", "media_type": "application/pdf",
                                      "size": 1024}]
    validate_snapshot(small_snapshot)


@pytest.mark.parametrize("link", [f"/files/{SHA}/建设工程规划许可申请表.docx",
                                  f"/files/{SHA}/%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"])
def test_file_links_are_safe_same_site_links(link):
    assert is_safe_link(link)
