"""The snapshot contract: valid snapshots load, bad ones fail with one clear line."""

from __future__ import annotations

import pytest

from sunshine.publisher.snapshot import SnapshotError, load_snapshot


def test_small_snapshot_is_valid(snapshot_file):
    data = load_snapshot(snapshot_file)
    assert data["site"]["name"] == "清川县政务服务中心"
    assert len(data["items"]) == 5


def test_unknown_case_type_is_rejected_with_its_path(snapshot_data, write_snapshot):
    snapshot_data["items"][3]["case_type"] = "urgent"
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    message = str(caught.value)
    assert message.startswith("快照格式错误：items[3].case_type：")
    assert "immediate" in message and "invalid snapshot: items[3].case_type" in message
    assert "\n" not in message


def test_missing_required_field_is_named_in_chinese(snapshot_data, write_snapshot):
    del snapshot_data["departments"][0]["window"]
    with pytest.raises(SnapshotError, match=r"departments\[0\]：缺少必填字段 window"):
        load_snapshot(write_snapshot(snapshot_data))


def test_private_field_cannot_sneak_in(snapshot_data, write_snapshot):
    snapshot_data["channels"][0]["complainant_phone"] = "13800000000"
    with pytest.raises(SnapshotError, match="包含未定义的字段 complainant_phone"):
        load_snapshot(write_snapshot(snapshot_data))


def test_wrong_schema_version_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["schema_version"] = 1  # an older export than this publisher reads
    with pytest.raises(SnapshotError, match="schema_version"):
        load_snapshot(write_snapshot(snapshot_data))


def test_item_of_unknown_department_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["items"][1]["department"] = "gtj"
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value).startswith(
        "快照数据不一致：items[1].department 引用了不存在的部门 'gtj'"
    )


def test_notice_of_unknown_department_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["notices"][0]["department"] = "gtj"
    with pytest.raises(SnapshotError, match=r"notices\[0\].department"):
        load_snapshot(write_snapshot(snapshot_data))


def test_duplicate_item_code_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["items"][2]["code"] = snapshot_data["items"][0]["code"]
    with pytest.raises(SnapshotError, match=r"items\[2\].code 编码 '511623-ZJ-0001' 重复"):
        load_snapshot(write_snapshot(snapshot_data))


def test_promise_longer_than_the_law_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["items"][0]["promised_days"] = 30
    with pytest.raises(SnapshotError, match="承诺时限（30）超过法定时限（7）"):
        load_snapshot(write_snapshot(snapshot_data))


def test_fee_flag_must_match_fee_list(snapshot_data, write_snapshot):
    snapshot_data["items"][0]["fee_required"] = False
    with pytest.raises(SnapshotError, match="fee_required"):
        load_snapshot(write_snapshot(snapshot_data))


def test_code_unfit_for_urls_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["notices"][0]["code"] = "../etc"
    with pytest.raises(SnapshotError, match=r"notices\[0\].code：格式不符合"):
        load_snapshot(write_snapshot(snapshot_data))


def test_broken_json_reports_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"schema": "sunshine-snapshot",\n  "items": [,]}', encoding="utf-8")
    with pytest.raises(SnapshotError, match="快照不是有效的 JSON（第 2 行"):
        load_snapshot(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(SnapshotError, match="快照文件不存在"):
        load_snapshot(tmp_path / "nope.json")


def test_duplicate_question_number_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["questions"][2]["code"] = snapshot_data["questions"][0]["code"]
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value).startswith(
        "快照数据不一致：questions[2].code 编码 'ZX-3HQK-7MNA' 重复 / inconsistent snapshot:"
    )


def test_duplicate_complaint_number_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["complaint_outcomes"][1]["code"] = snapshot_data["complaint_outcomes"][0]["code"]
    with pytest.raises(
        SnapshotError, match=r"complaint_outcomes\[1\].code 编码 'TS-7KQM-3XPA' 重复"
    ):
        load_snapshot(write_snapshot(snapshot_data))


def test_outcome_of_unknown_department_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["complaint_outcomes"][3]["department"] = "gtj"
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value).startswith(
        "快照数据不一致：complaint_outcomes[3].department 引用了不存在的部门 'gtj'"
    )


def test_question_of_unknown_department_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["questions"][1]["department"] = "gtj"
    with pytest.raises(SnapshotError, match=r"questions\[1\].department 引用了不存在的部门 'gtj'"):
        load_snapshot(write_snapshot(snapshot_data))


def test_question_about_an_unpublished_item_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["questions"][0]["item"] = "511623-MZ-0009"
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value) == (
        "快照数据不一致：questions[0].item 引用了未公开的事项 '511623-MZ-0009'"
        " / inconsistent snapshot: questions[0].item refers to an item that is not published:"
        " '511623-MZ-0009'"
    )


def test_outcome_about_an_unpublished_item_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["complaint_outcomes"][1]["item"] = "511623-ZJ-0009"
    with pytest.raises(SnapshotError, match=r"complaint_outcomes\[1\].item 引用了未公开的事项"):
        load_snapshot(write_snapshot(snapshot_data))


def test_complaint_reassigned_to_another_department_keeps_its_item(snapshot_data, write_snapshot):
    # 改派: the department answering is not the item's, and that is consistent.
    snapshot_data["complaint_outcomes"][1]["department"] = "scjgj"
    assert (
        load_snapshot(write_snapshot(snapshot_data))["complaint_outcomes"][1]["item"]
        == "511623-ZJ-0001"
    )


def test_contact_details_cannot_ride_along_with_a_question(snapshot_data, write_snapshot):
    snapshot_data["questions"][0]["contact_phone"] = "13908271536"
    with pytest.raises(SnapshotError, match=r"questions\[0\]：包含未定义的字段 contact_phone"):
        load_snapshot(write_snapshot(snapshot_data))


def test_unknown_outcome_is_rejected(snapshot_data, write_snapshot):
    snapshot_data["complaint_outcomes"][0]["outcome"] = "withdrawn"
    with pytest.raises(
        SnapshotError, match=r"^快照格式错误：complaint_outcomes\[0\].outcome：取值 'withdrawn'"
    ):
        load_snapshot(write_snapshot(snapshot_data))
