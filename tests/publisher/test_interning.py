"""Interning: a running publisher's next build shares the records that did not change."""

from __future__ import annotations

import copy

import orjson
import pytest

from sunshine.publisher import incremental
from sunshine.publisher.deploy import publish
from sunshine.publisher.interning import RecordInterner, record_ids


@pytest.fixture
def interner() -> RecordInterner:
    return RecordInterner()


def decoded(data: dict) -> dict:
    """The snapshot as a build decodes it: new objects throughout."""
    return orjson.loads(orjson.dumps(data))


def test_unchanged_records_become_the_last_builds_objects(interner, snapshot_data):
    first = decoded(snapshot_data)
    interner.intern(first)
    second = decoded(snapshot_data)
    second["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    interner.intern(second)
    assert second["items"][0] is not first["items"][0]
    assert second["items"][1] is first["items"][1]
    assert second["departments"][0] is first["departments"][0]
    assert second["site"] is first["site"]


def test_the_count_of_shared_records_leaves_out_the_changed_one(interner, snapshot_data):
    interner.intern(decoded(snapshot_data))
    second = decoded(snapshot_data)
    second["notices"][0]["title"] = "关于调整不动产登记窗口办公时间的公告"
    records = len(record_ids(second))
    assert interner.intern(second) == records - 1


def test_a_number_that_prints_differently_is_not_shared(interner, snapshot_data):
    """1 == 1.0 == True in Python, but a page prints them differently."""
    first = decoded(snapshot_data)
    first["items"][0]["visits_required"] = 1
    interner.intern(first)
    second = copy.deepcopy(first)
    second["items"][0]["visits_required"] = 1.0
    interner.intern(second)
    assert second["items"][0] is not first["items"][0]
    assert second["items"][0]["visits_required"] == 1.0
    assert isinstance(second["items"][0]["visits_required"], float)


def test_two_equal_records_of_one_snapshot_stay_two_objects(interner, snapshot_data):
    first = decoded(snapshot_data)
    first["channels"].append(copy.deepcopy(first["channels"][0]))
    interner.intern(first)
    second = decoded(first)
    interner.intern(second)
    assert second["channels"][0] is not second["channels"][-1]


def test_only_the_last_snapshots_records_are_kept(interner, snapshot_data):
    first = decoded(snapshot_data)
    interner.intern(first)
    changed = decoded(snapshot_data)
    changed["items"][1]["name"] = "建设工程消防设计审查（变更）"
    interner.intern(changed)
    third = decoded(snapshot_data)  # back to the first text of item 1: not remembered any more
    interner.intern(third)
    assert third["items"][1] is not first["items"][1]
    assert third["items"][0] is first["items"][0]


def test_a_publish_keeps_its_records_digests_for_the_next_one(snapshot_data, write_snapshot, tmp_path):
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    carried = dict(incremental._CARRIED)
    assert carried  # the records the ledger hashed, by identity
    assert all(isinstance(value, (dict, list)) for value, _digest in carried.values())
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    second = publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    assert second.build.rendered == 8
    assert any(key in carried for key in incremental._CARRIED)  # unchanged records: the same objects


def test_values_are_known_by_type_and_value_or_by_identity():
    record = {"code": "511623-ZJ-0001"}
    assert len({incremental._identity({"n": 1}), incremental._identity({"n": True}),
                incremental._identity({"n": 1.0})}) == 3
    assert incremental._identity({"item": record}) == incremental._identity({"item": record})
    assert incremental._identity({"item": record}) != incremental._identity({"item": dict(record)})


def test_a_running_publisher_takes_unchanged_values_digests_from_its_last_publish(
        snapshot_data, write_snapshot, tmp_path):
    """Shown by planting a wrong digest: the page whose values are the same objects is rendered again."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    name = "items/511623-ZJ-0001/index.html"
    key, values, _digest = incremental._VALUES[name]
    incremental._VALUES[name] = (key, values, "0" * 32)
    second = publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    assert (second.build.rendered, second.build.reused) == (1, 48)


def test_breadcrumbs_made_anew_are_the_same_values():
    def crumbs() -> list:
        return [("首页", "/"), ("通知公告", "/notices/")]

    assert incremental._same_values({"crumbs": crumbs()}, {"crumbs": crumbs()})
    assert not incremental._same_values({"crumbs": crumbs()}, {"crumbs": [("首页", "/"), ("部门窗口", "/departments/")]})
    assert not incremental._same_values({"crumbs": crumbs()}, {"crumbs": tuple(crumbs())})
    assert not incremental._same_values({"crumbs": crumbs()}, {"crumbs": crumbs(), "title": "通知公告"})


def test_numbers_that_print_differently_are_not_the_same_values():
    assert not incremental._same_values({"total": 1}, {"total": 1.0})
    assert not incremental._same_values({"online": True}, {"online": 1})


def test_a_page_of_a_filtered_list_made_anew_is_compared_by_its_records():
    from sunshine.publisher.catalog import FilterPage

    records = [{"code": "511623-ZJ-0001"}, {"code": "511623-ZJ-0002"}]

    def page(items: list) -> FilterPage:
        return FilterPage("department", "items_by_department", "zjj", "住建局的事项", 2, 1, 1, items)

    assert incremental._same_values({"current_filter": page(list(records))}, {"current_filter": page(list(records))})
    # An equal record that is another object is another record version (interning.py): not the same.
    assert not incremental._same_values({"current_filter": page(list(records))},
                                        {"current_filter": page([records[0], dict(records[1])])})


def test_a_long_list_made_anew_is_not_compared_element_by_element():
    codes = [f"511623-ZJ-{n:04d}" for n in range(incremental._PART_SEQUENCE_LIMIT + 1)]
    assert not incremental._same_values({"codes": codes}, {"codes": list(codes)})
    assert incremental._same_values({"codes": codes[:-1]}, {"codes": list(codes[:-1])})


@pytest.mark.parametrize("name", ["notices/N2024-001/index.html", "items-by/department/zjj/index.html"])
def test_pages_whose_values_are_made_anew_take_their_digest_from_the_last_publish(
        name, snapshot_data, write_snapshot, tmp_path):
    """A notice page (breadcrumbs made anew) and a filter page (its page of records made anew): shown
    by planting a wrong digest, as for the item page above."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    key, values, _digest = incremental._VALUES[name]
    incremental._VALUES[name] = (key, values, "0" * 32)
    second = publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    assert (second.build.rendered, second.build.reused) == (1, 48)


def test_a_record_that_is_the_last_snapshots_very_object_is_not_encoded_again(interner, snapshot_data, monkeypatch):
    """The splicer hands unchanged records over undecoded (splicing.py): their digests are known."""
    from sunshine.publisher import interning

    first = decoded(snapshot_data)
    interner.intern(first)
    second = dict(first, items=[*first["items"][:2], decoded(first["items"][2]), *first["items"][3:]])
    second["items"][2]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    encoded: list = []
    real = interning._key
    monkeypatch.setattr(interning, "_key", lambda value: encoded.append(value) or real(value))
    interner.intern(second)
    assert encoded == [second["items"][2]]
    assert second["items"][1] is first["items"][1]


def test_a_changed_record_is_not_taken_for_the_object_it_replaced(interner, snapshot_data):
    first = decoded(snapshot_data)
    interner.intern(first)
    second = decoded(snapshot_data)
    second["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    interner.intern(second)
    third = decoded(snapshot_data)  # the first text again: the last snapshot had the changed one
    interner.intern(third)
    assert third["items"][0]["promised_note"] == snapshot_data["items"][0]["promised_note"]
    assert third["items"][0] is not second["items"][0]
