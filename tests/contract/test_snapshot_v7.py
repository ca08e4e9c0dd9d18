"""Schema version 7: withdrawn departments, notices and channels carry only what their notice needs."""

from __future__ import annotations

import pytest

from sunshine.contract.schema import (
    SCHEMA_VERSION,
    WITHDRAWN_REASON_MAX_LENGTH,
    ContractError,
    validate_snapshot,
)


def test_schema_version_is_seven():
    assert SCHEMA_VERSION == 7


@pytest.mark.parametrize(("collection", "field", "value"), [
    ("withdrawn_departments", "consult_phone", "0838-6213300"),
    ("withdrawn_notices", "body", "原公告正文"),
    ("withdrawn_channels", "contact", "0838-6212345"),
])
def test_a_withdrawn_record_carries_nothing_but_its_notice(snapshot, collection, field, value):
    snapshot[collection][0][field] = value
    with pytest.raises(ContractError) as caught:
        validate_snapshot(snapshot)
    assert str(caught.value).startswith(f"快照格式错误：{collection}[0]：包含未定义的字段 {field}")


@pytest.mark.parametrize("collection", ["withdrawn_departments", "withdrawn_notices", "withdrawn_channels"])
def test_a_withdrawal_reason_longer_than_the_limit_is_refused(snapshot, collection):
    snapshot[collection][0]["reason"] = "因机构改革调整" * 40  # 280 characters
    with pytest.raises(ContractError) as caught:
        validate_snapshot(snapshot)
    assert str(caught.value).startswith(
        f"快照格式错误：{collection}[0].reason：长度不能超过 {WITHDRAWN_REASON_MAX_LENGTH} 个字符"
    )


@pytest.mark.parametrize("collection", ["withdrawn_departments", "withdrawn_notices", "withdrawn_channels"])
def test_a_withdrawn_record_without_its_date_is_refused(snapshot, collection):
    del snapshot[collection][0]["withdrawn_at"]
    with pytest.raises(ContractError, match=rf"^快照格式错误：{collection}\[0\]：缺少必填字段 withdrawn_at"):
        validate_snapshot(snapshot)


def test_a_snapshot_of_version_six_is_refused(snapshot):
    snapshot["schema_version"] = 6
    for name in ("withdrawn_departments", "withdrawn_notices", "withdrawn_channels"):
        del snapshot[name]
    with pytest.raises(ContractError) as caught:
        validate_snapshot(snapshot)
    assert str(caught.value).startswith(
        "快照格式错误：$：缺少必填字段 withdrawn_departments、withdrawn_notices、withdrawn_channels")


def test_a_withdrawn_notice_may_name_no_department(snapshot):
    snapshot["withdrawn_notices"][0]["department"] = None
    validate_snapshot(snapshot)
