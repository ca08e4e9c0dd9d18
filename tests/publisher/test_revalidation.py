"""A running publisher validates only the records that changed since the snapshot it accepted last,
and still refuses every invalid snapshot with the message a fresh read gives."""

from __future__ import annotations

import json

import orjson
import pytest

import sunshine.contract.schema as schema
import sunshine.publisher.snapshot as snapshot_module
from sunshine.publisher.deploy import live_dir, publish
from sunshine.publisher.interning import RecordInterner
from sunshine.publisher.snapshot import (
    ACCEPTED,
    AcceptedRecords,
    SnapshotError,
    load_snapshot,
    parse_snapshot,
)


@pytest.fixture(autouse=True)
def _fresh_memory():
    ACCEPTED.forget()
    yield
    ACCEPTED.forget()


@pytest.fixture
def checked(monkeypatch) -> list:
    """The documents the fast check is given, in order."""
    seen: list = []
    real = schema._screened

    def screened(data, definition=None):
        seen.append(data)
        return real(data, definition)

    monkeypatch.setattr(schema, "_screened", screened)
    return seen


def encoded(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def refusal(path) -> str:
    with pytest.raises(SnapshotError) as refused:
        load_snapshot(path)
    return str(refused.value)


def test_only_the_changed_record_is_checked_again(snapshot_data, checked):
    interner = RecordInterner()
    parse_snapshot(encoded(snapshot_data), interner=interner)
    assert len(checked[0]["items"]) == 5
    snapshot_data["items"][2]["promised_note"] = "材料齐全当场办结，不收取任何费用"
    second = parse_snapshot(encoded(snapshot_data), interner=interner)
    assert checked[1]["items"] == [second["items"][2]]
    assert checked[1]["items"][0]["promised_note"] == "材料齐全当场办结，不收取任何费用"
    assert {name: len(checked[1][name]) for name in schema._record_lists()} == dict.fromkeys(
        schema._record_lists(), 0) | {"items": 1}
    assert checked[1]["site"] is second["site"] and checked[1]["figures"] is second["figures"]


def test_without_an_interner_everything_is_checked(snapshot_data, checked):
    parse_snapshot(encoded(snapshot_data), interner=RecordInterner())
    parse_snapshot(encoded(snapshot_data))
    assert len(checked[1]["items"]) == 5 and len(checked[1]["questions"]) == 4


def test_an_invalid_change_after_a_valid_publish_is_refused_as_a_fresh_read_refuses_it(
        snapshot_data, write_snapshot, tmp_path):
    web = tmp_path / "web"
    first = publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    snapshot_data["items"][3]["case_type"] = "urgent"
    snapshot_data["questions"][1]["on_time"] = "是"
    broken = write_snapshot(snapshot_data)
    with pytest.raises(SnapshotError) as refused:
        publish(broken, web, static_index=False, durable=False)
    assert str(refused.value) == refusal(broken)
    assert str(refused.value).startswith("快照格式错误：")
    assert "（另有 1 处错误）" in str(refused.value)
    assert live_dir(web) == first.live


def test_a_refused_record_is_refused_again_and_the_accepted_ones_still_pass(snapshot_data, write_snapshot, tmp_path):
    """The refused snapshot's records are interned (the interner keeps the last snapshot's), but
    only an accepted snapshot's records are vouched for."""
    web = tmp_path / "web"
    valid = write_snapshot(snapshot_data)
    publish(valid, web, static_index=False, durable=False)
    snapshot_data["departments"][1]["consult_phone"] = "0827-5220\x07031"
    broken = write_snapshot(snapshot_data)
    message = refusal(broken)
    assert "departments[1].consult_phone" in message and "U+0007" in message
    for _ in range(2):
        with pytest.raises(SnapshotError) as refused:
            publish(broken, web, static_index=False, durable=False)
        assert str(refused.value) == message
    again = publish(valid, web, static_index=False, durable=False)
    assert again.build.rendered == 0


def test_a_cross_record_rule_is_checked_over_all_records_every_time(snapshot_data):
    """The schema part is per record; the reader's cross-checks (unique codes…) see the whole snapshot."""
    interner = RecordInterner()
    parse_snapshot(encoded(snapshot_data), interner=interner)
    snapshot_data["items"][4]["code"] = snapshot_data["items"][0]["code"]
    with pytest.raises(SnapshotError, match=r"items\[4\]\.code 编码 '511623-[A-Z]{2}-0001' 重复"):
        parse_snapshot(encoded(snapshot_data), interner=interner)


def test_what_only_the_standard_decoder_reads_is_never_vouched_for(snapshot_data):
    """NaN encodes as null: interned before validation, it would become the valid record it is not."""
    interner = RecordInterner()
    snapshot_data["complaint_outcomes"][1]["solved"] = None
    parse_snapshot(encoded(snapshot_data), interner=interner)
    text = encoded(snapshot_data).decode("utf-8")
    snapshot_data["complaint_outcomes"][1]["solved"] = float("nan")
    raw = json.dumps(snapshot_data, ensure_ascii=False, indent=2).encode("utf-8")
    assert raw != text.encode("utf-8") and b"NaN" in raw
    with pytest.raises(SnapshotError, match=r"complaint_outcomes\[1\]\.solved"):
        parse_snapshot(raw, interner=interner)


def test_a_record_is_vouched_for_in_its_own_list_only(snapshot_data):
    accepted = AcceptedRecords()
    data = orjson.loads(encoded(snapshot_data))
    accepted.accept(data)
    item = data["items"][0]
    assert accepted.to_check("items", [item]) == []
    assert accepted.to_check("withdrawn_items", [item]) == [item]
    copied = dict(item)
    assert accepted.to_check("items", [copied, item])[0] is copied  # equal, but not the object accepted


def test_a_refused_snapshot_leaves_only_the_records_it_shares_remembered(snapshot_data):
    accepted = AcceptedRecords()
    data = orjson.loads(encoded(snapshot_data))
    accepted.accept(data)
    refused = dict(data, items=[data["items"][0], {"code": "坏"}], departments=[])
    accepted.keep_only(refused)
    assert accepted.to_check("items", data["items"][:2]) == [data["items"][1]]
    assert accepted.to_check("departments", data["departments"][:1]) == data["departments"][:1]


def test_the_lists_checked_element_by_element_are_the_snapshots_record_lists():
    assert schema._record_lists() == {
        "departments", "items", "channels", "notices", "rectifications", "complaint_outcomes", "questions",
        "withdrawn_items", "withdrawn_departments", "withdrawn_notices", "withdrawn_channels", "attachments",
        "search_synonyms"}


def test_a_list_with_a_rule_over_its_elements_is_always_checked_whole(monkeypatch, snapshot_data):
    """E.g. a future ``uniqueItems``: leaving a vouched record out could hide a duplicate."""
    rules = json.loads(json.dumps(schema.snapshot_schema()))
    rules["properties"]["items"]["uniqueItems"] = True
    monkeypatch.setattr(schema, "snapshot_schema", lambda: rules)
    schema._record_lists.cache_clear()
    try:
        assert "items" not in schema._record_lists() and "notices" in schema._record_lists()
    finally:
        monkeypatch.undo()
        schema._record_lists.cache_clear()


def test_vouching_for_every_record_still_checks_the_rest_of_the_document(snapshot_data):
    snapshot_data["schema_version"] = 6
    snapshot_data["items"][0]["case_type"] = "urgent"
    with pytest.raises(schema.ContractError) as refused:
        schema.validate_snapshot(snapshot_data, to_check=lambda name, records: [])
    with pytest.raises(schema.ContractError) as fresh:
        schema.validate_snapshot(snapshot_data)
    assert str(refused.value) == str(fresh.value)
    assert "（另有 1 处错误）" in str(refused.value)


@pytest.fixture
def items_looked_at(monkeypatch) -> list:
    """The items each cross-record check looks at item by item, in order."""
    seen: list = []
    real = snapshot_module._items_consistent

    def consistent(items, departments):
        seen.append(list(items))
        return real(items, departments)

    monkeypatch.setattr(snapshot_module, "_items_consistent", consistent)
    return seen


def fresh_refusal(data: dict) -> str:
    """What a process that accepted nothing says of ``data``."""
    with pytest.raises(SnapshotError) as refused:
        parse_snapshot(encoded(data))
    return str(refused.value)


def test_items_accepted_before_are_not_looked_at_again_by_the_cross_checks(snapshot_data, items_looked_at):
    interner = RecordInterner()
    parse_snapshot(encoded(snapshot_data), interner=interner)
    snapshot_data["items"][2]["promised_note"] = "材料齐全的，窗口当场办结"
    second = parse_snapshot(encoded(snapshot_data), interner=interner)
    assert [len(items) for items in items_looked_at] == [5, 1]
    assert items_looked_at[1][0] is second["items"][2]


def test_a_changed_item_over_its_statutory_days_is_refused_as_a_fresh_read_refuses_it(snapshot_data):
    interner = RecordInterner()
    parse_snapshot(encoded(snapshot_data), interner=interner)
    item = snapshot_data["items"][3]
    item["promised_days"] = item["statutory_days"] + 1
    with pytest.raises(SnapshotError) as refused:
        parse_snapshot(encoded(snapshot_data), interner=interner)
    assert str(refused.value) == fresh_refusal(snapshot_data)
    assert "items[3].promised_days" in str(refused.value)


def test_a_department_removed_under_unchanged_items_is_refused_as_a_fresh_read_refuses_it(snapshot_data):
    interner = RecordInterner()
    parse_snapshot(encoded(snapshot_data), interner=interner)
    snapshot_data["departments"] = [d for d in snapshot_data["departments"] if d["code"] != "mzj"]
    with pytest.raises(SnapshotError) as refused:
        parse_snapshot(encoded(snapshot_data), interner=interner)
    assert str(refused.value) == fresh_refusal(snapshot_data)
    assert "items[3].department" in str(refused.value)


def test_after_fewer_departments_are_accepted_their_items_are_vouched_for_again(snapshot_data, items_looked_at):
    interner = RecordInterner()
    parse_snapshot(encoded(snapshot_data), interner=interner)
    snapshot_data["departments"].append({**snapshot_data["departments"][0], "code": "tmp", "window": "99号窗口"})
    parse_snapshot(encoded(snapshot_data), interner=interner)
    snapshot_data["departments"].pop()
    parse_snapshot(encoded(snapshot_data), interner=interner)  # fewer than then: every item looked at
    parse_snapshot(encoded(snapshot_data), interner=interner)
    assert [len(items) for items in items_looked_at] == [5, 0, 5, 0]
