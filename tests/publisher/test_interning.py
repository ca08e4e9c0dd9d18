"""Interning: a running publisher's next build shares the records that did not change."""

from __future__ import annotations

import copy
from decimal import Decimal

import orjson
import pytest
from markupsafe import Markup

from sunshine.publisher import incremental
from sunshine.publisher.deploy import publish
from sunshine.publisher.interning import RecordInterner, record_ids


@pytest.fixture
def interner() -> RecordInterner:
    return RecordInterner()


def decoded(data: dict) -> dict:
    """The snapshot as a build decodes it: new objects throughout."""
    return orjson.loads(orjson.dumps(data))


def interned_twice(interner, snapshot_data: dict) -> tuple[dict, dict]:
    """The snapshot interned as decoded, then again with its first item's promised note changed."""
    first = decoded(snapshot_data)
    interner.intern(first)
    second = decoded(snapshot_data)
    second["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    interner.intern(second)
    return first, second


def test_unchanged_records_become_the_last_builds_objects(interner, snapshot_data):
    first, second = interned_twice(interner, snapshot_data)
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
    assert carried  # the records the ledger hashed, by identity, and the values of pages changed since the last
    page_values = {id(value) for values, _digest in incremental._VALUES.values() for value in values.values()}
    assert all(isinstance(value, (dict, list)) or key in page_values for key, (value, _digest) in carried.items())
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    second = publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    assert second.build.rendered == 8
    assert any(key in carried for key in incremental._CARRIED)  # unchanged records: the same objects


def test_values_are_known_by_type_and_value_or_by_identity():
    record = {"code": "511623-ZJ-0001"}
    assert not incremental._same_values({"n": 1}, {"n": True})
    assert not incremental._same_values({"n": 1}, {"n": 1.0})
    assert incremental._same_values({"item": record}, {"item": record})
    assert not incremental._same_values({"item": record}, {"item": object()})
    assert not incremental._same_values({"item": object()}, {"item": object()})  # not comparable: not the same


def test_a_running_publisher_takes_unchanged_values_digests_from_its_last_publish(
        snapshot_data, write_snapshot, tmp_path):
    """Shown by planting a wrong digest: the page whose values are the same objects is rendered again."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    name = "items/511623-ZJ-0001/index.html"
    values, _digest = incremental._VALUES[name]
    incremental._VALUES[name] = (values, "0" * 32)
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
    # Equal, yet printed differently: a rate of 92.50 is not one of 92.5, nor -0.0 a 0.0.
    assert not incremental._same_values({"rates": {"on_time": Decimal("92.50")}}, {"rates": {"on_time": Decimal("92.5")}})
    assert incremental._same_values({"rates": {"on_time": Decimal("92.50")}}, {"rates": {"on_time": Decimal("92.50")}})
    assert not incremental._same_values({"change": -0.0}, {"change": 0.0})
    assert not incremental._same_values({"chart": Markup("<svg>办件量</svg>")}, {"chart": "<svg>办件量</svg>"})


def test_charts_and_tallies_made_anew_are_compared_by_their_parts():
    """A department page's charts (a dict of markup) and figures (frozen dataclasses holding dicts)
    are made anew for each catalog."""
    def charts(cases: str) -> dict:
        return {"cases": Markup(f"<svg><title>{cases}</title></svg>"), "satisfaction": Markup("<svg>满意率</svg>")}

    assert incremental._same_values({"unit_charts": charts("受理 40 件")}, {"unit_charts": charts("受理 40 件")})
    assert not incremental._same_values({"unit_charts": charts("受理 40 件")}, {"unit_charts": charts("受理 41 件")})
    reordered = dict(reversed(list(charts("受理 40 件").items())))  # a template iterating it prints another order
    assert not incremental._same_values({"unit_charts": charts("受理 40 件")}, {"unit_charts": reordered})


def test_a_container_many_pages_share_is_compared_once_per_build():
    """The memo of one build keeps both containers compared, so their identities stay theirs."""
    new, old = [("首页", "/"), ("部门窗口", "/departments/")], [("首页", "/"), ("部门窗口", "/departments/")]
    memo: dict = {}
    assert incremental._same_values({"crumbs": new}, {"crumbs": old}, memo)
    assert memo[(id(new), id(old))] == (new, old, True)
    memo[(id(new), id(old))] = (new, old, False)  # what the memo says is taken
    assert not incremental._same_values({"crumbs": new}, {"crumbs": old}, memo)


def test_dataclasses_of_one_field_or_none_are_compared_too():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Crumbs:
        trail: list

    @dataclass(frozen=True)
    class Nothing:
        pass

    assert incremental._same_values({"crumbs": Crumbs([("首页", "/")])}, {"crumbs": Crumbs([("首页", "/")])})
    assert not incremental._same_values({"crumbs": Crumbs([("首页", "/")])}, {"crumbs": Crumbs([("办事指南", "/items/")])})
    assert incremental._same_values({"empty": Nothing()}, {"empty": Nothing()})


def test_a_page_of_a_filtered_list_made_anew_is_compared_by_its_records():
    from sunshine.publisher.catalog import FilterPage

    records = [{"code": "511623-ZJ-0001"}, {"code": "511623-ZJ-0002"}]

    def page(items: list) -> FilterPage:
        return FilterPage("department", "items_by_department", "zjj", "住建局的事项", 2, 1, 1, items)

    assert incremental._same_values({"current_filter": page(list(records))}, {"current_filter": page(list(records))})
    # An equal record that is another object (a record repeated in a snapshot, interning.py) is
    # compared by its fields; one field changed, or printed differently, is another record.
    assert incremental._same_values({"current_filter": page(list(records))},
                                    {"current_filter": page([records[0], dict(records[1])])})
    assert not incremental._same_values({"current_filter": page(list(records))},
                                        {"current_filter": page([records[0], {"code": "511623-ZJ-0003"}])})
    assert not incremental._same_values({"current_filter": page([{"code": "511623-ZJ-0001", "visits": 1}])},
                                        {"current_filter": page([{"code": "511623-ZJ-0001", "visits": 1.0}])})


def test_a_long_list_made_anew_is_compared_element_by_element():
    """A department's list of items is made anew for each catalog, of the same (interned) records."""
    records = [{"code": f"511623-ZJ-{n:04d}", "name": "建设工程消防验收"} for n in range(10_000)]
    assert incremental._same_values({"items": records}, {"items": list(records)})
    changed = list(records)
    changed[9_999] = dict(records[9_999], name="建设工程消防验收备案")
    assert not incremental._same_values({"items": records}, {"items": changed})
    assert not incremental._same_values({"items": records}, {"items": records[:-1]})


@pytest.mark.parametrize("name", ["notices/N2024-001/index.html", "items-by/department/zjj/index.html",
                                  "departments/zjj/index.html", "fees/bills/index.html", "figures/index.html",
                                  "search/index.html"])
def test_pages_whose_values_are_made_anew_take_their_digest_from_the_last_publish(
        name, snapshot_data, write_snapshot, tmp_path):
    """A notice page (breadcrumbs made anew), a filter page (its page of records made anew), a department
    page (the figures, its unit and charts made anew), the bills' page (its sections), the figures page
    and the search page (its filters): shown by planting a wrong digest, as for the item page above."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    values, _digest = incremental._VALUES[name]
    incremental._VALUES[name] = (values, "0" * 32)
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
    _first, second = interned_twice(interner, snapshot_data)
    third = decoded(snapshot_data)  # the first text again: the last snapshot had the changed one
    interner.intern(third)
    assert third["items"][0]["promised_note"] == snapshot_data["items"][0]["promised_note"]
    assert third["items"][0] is not second["items"][0]
