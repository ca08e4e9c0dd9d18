"""Reuse decisions' shortcuts: what a one-item publish need not check again, and what it must."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sunshine.publisher import incremental
from sunshine.publisher.deploy import publish
from sunshine.publisher.incremental import Fingerprints, _catalog_group, _Evaluator

ROOT = ("r", "sunshine")
NOTICES = ("len", (ROOT, ("a", "notices")))
FIRST_TITLE = ("v", (ROOT, ("a", "notices"), ("i", 0), ("k", "title")))
DEPARTMENT_OF = ("v", (ROOT, ("a", "department_of"), ("c", '[["511623-ZJ-0001"],{}]'), ("k", "name")))
ITEM = "items/511623-ZJ-0001/index.html"


class CountingEvaluator(_Evaluator):
    """An evaluator that counts the dependencies it evaluates."""

    def __init__(self, catalog) -> None:
        super().__init__(catalog, Fingerprints())
        self.evaluated: list[tuple] = []

    def digest(self, dep, values, page_values):
        self.evaluated.append(dep)
        return super().digest(dep, values, page_values)


def checked_group(catalog, deps: list[tuple]) -> tuple:
    """The group of ``deps`` with their digests in ``catalog`` (as a ledger notes them), checked once
    against that catalog, as the build that rendered the pages would."""
    evaluator = CountingEvaluator(catalog)
    group = _catalog_group((dep, evaluator.digest(dep, {}, {})) for dep in deps)
    assert evaluator.still_valid(group)
    return group


@pytest.fixture(autouse=True)
def no_parts_checked_before():
    incremental._PART_ROOTS.clear()
    yield
    incremental._PART_ROOTS.clear()


def notices(*titles: str) -> list[dict]:
    return [{"code": f"TZ-{n}", "title": title} for n, title in enumerate(titles)]


def test_a_part_read_from_an_attribute_equal_to_the_last_builds_is_not_evaluated_again():
    records = notices("关于调整办公时间的公告", "关于启用新窗口的公告")
    group = checked_group(SimpleNamespace(notices=records), [NOTICES, FIRST_TITLE])
    evaluator = CountingEvaluator(SimpleNamespace(notices=list(records)))  # a new list of the same records
    assert evaluator.still_valid(group)
    assert evaluator.evaluated == []


def test_a_field_changed_deep_inside_the_attribute_fails_the_part():
    group = checked_group(SimpleNamespace(notices=notices("关于调整办公时间的公告", "关于启用新窗口的公告")),
                          [NOTICES, FIRST_TITLE])
    changed = SimpleNamespace(notices=notices("关于调整周末办公时间的公告", "关于启用新窗口的公告"))
    assert not CountingEvaluator(changed).still_valid(group)


def test_a_number_printed_differently_deep_inside_the_attribute_fails_the_part():
    """1 == 1.0: equal, yet a page prints them differently."""
    count = ("v", (ROOT, ("a", "counts"), ("k", "items")))
    group = checked_group(SimpleNamespace(counts={"items": 1}), [count])
    assert not CountingEvaluator(SimpleNamespace(counts={"items": 1.0})).still_valid(group)


def test_a_part_read_through_a_call_is_evaluated_again():
    """A call on the catalog may read anything of it: its answer is never taken from the last build."""
    department = {"name": "清川县住房和城乡建设局"}
    group = checked_group(SimpleNamespace(department_of=lambda code: department), [DEPARTMENT_OF])
    evaluator = CountingEvaluator(SimpleNamespace(department_of=lambda code: department))
    assert evaluator.still_valid(group)
    assert evaluator.evaluated == [DEPARTMENT_OF]


def test_a_part_keeps_no_attribute_compared_by_identity_alone():
    """An object of the catalog (not data) could be, or hold, the catalog: it is not kept for the next build."""
    marker = ("v", (ROOT, ("a", "helper"), ("k", "x")))
    checked_group(SimpleNamespace(helper=SimpleNamespace()), [marker])
    assert [entry[2] for entry in incremental._PART_ROOTS.values()] == [None]


def publish_indexed(data, write_snapshot, web_root):
    return publish(write_snapshot(data), web_root, static_index=True, durable=False)


def test_an_unchanged_searchable_page_is_handed_the_last_publishs_values(snapshot_data, write_snapshot, web_root):
    publish_indexed(snapshot_data, write_snapshot, web_root)
    values, _digest = incremental._VALUES[ITEM]
    second = publish_indexed(snapshot_data, write_snapshot, web_root)
    assert incremental._VALUES[ITEM][0] is values
    assert second.build.rendered == 0


def test_the_last_publishs_values_carry_this_builds_search_block(snapshot_data, write_snapshot, web_root):
    publish_indexed(snapshot_data, write_snapshot, web_root)
    block = incremental._VALUES[ITEM][0]["search_block"]
    publish_indexed(snapshot_data, write_snapshot, web_root)
    now = incremental._VALUES[ITEM][0]["search_block"]
    assert now is not block
    assert now.ledger_digest == block.ledger_digest


def test_a_searchable_page_changed_deep_inside_its_record_is_rendered_again(snapshot_data, write_snapshot, web_root):
    first = publish_indexed(snapshot_data, write_snapshot, web_root)
    values, _digest = incremental._VALUES[ITEM]
    item = next(i for i in snapshot_data["items"] if i["code"] == "511623-ZJ-0001")
    item["materials"][0]["name"] = "建筑工程施工许可证申请表（新版）"
    second = publish_indexed(snapshot_data, write_snapshot, web_root)
    assert incremental._VALUES[ITEM][0] is not values
    assert "建筑工程施工许可证申请表（新版）" in (second.live / ITEM).read_text("utf-8")
    assert (second.live / ITEM).stat().st_ino != (first.live / ITEM).stat().st_ino


def test_a_searchable_page_whose_block_digest_changed_is_not_handed_the_last_values(
        snapshot_data, write_snapshot, web_root):
    """Shown by planting another block digest for the last publish: the values are made anew."""
    from sunshine.publisher import generator

    publish_indexed(snapshot_data, write_snapshot, web_root)
    values, _digest = incremental._VALUES[ITEM]
    made_of, block, earlier = generator._SEARCHABLE_VALUES[ITEM]
    generator._SEARCHABLE_VALUES[ITEM] = (made_of, SimpleNamespace(ledger_digest="0" * 32), earlier)
    second = publish_indexed(snapshot_data, write_snapshot, web_root)
    assert incremental._VALUES[ITEM][0] is not values
    assert second.build.rendered == 0  # made anew of the same values: compared, found the same


def test_a_pinned_value_carries_its_digest_to_the_next_build():
    shared = {"months": [{"completed": 12}, {"completed": 15}]}
    fingerprint = Fingerprints()
    found = fingerprint(shared)
    fingerprint.pin(shared)
    assert fingerprint.carry(set()) == {id(shared): (shared, found)}


def test_a_value_neither_pinned_nor_a_record_is_not_carried():
    fingerprint = Fingerprints()
    fingerprint({"months": [{"completed": 12}]})
    assert fingerprint.carry(set()) == {}


def test_a_changed_department_page_carries_the_digest_of_the_figures_it_shares(
        snapshot_data, write_snapshot, web_root):
    """Every department page is handed the same figures: the next publish that renders another
    department's page finds their digest made."""
    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    figures = incremental._VALUES["departments/zjj/index.html"][0]["figures"]
    assert incremental._CARRIED[id(figures)][0] is figures


def test_a_department_page_is_handed_the_last_publishs_figures_when_made_of_the_same(
        snapshot_data, write_snapshot, web_root):
    from sunshine.publisher import generator

    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    figures = generator._FIGURES[0][2]
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert incremental._VALUES["departments/zjj/index.html"][0]["figures"] is figures
