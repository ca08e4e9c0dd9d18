"""A running publisher makes an item page's fields and values again only when what they read changed."""

from __future__ import annotations

import copy

import pytest

from sunshine.publisher import generator
from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import publish
from tests.publisher.conftest import tree

ITEM = "511623-ZJ-0001"
OTHER = "511623-MZ-0001"  # another department's item


@pytest.fixture
def republish(snapshot_data, write_snapshot, tmp_path):
    """Publish ``snapshot_data`` once; the returned function publishes a changed copy into the same web root."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)

    def again(data: dict):
        return publish(write_snapshot(data), web, static_index=False, durable=False)

    return again


@pytest.fixture
def pages_before(republish) -> dict[str, generator.RecordPage]:
    return dict(generator._ITEM_PAGES)


def test_an_unchanged_snapshot_keeps_every_item_pages_values(republish, pages_before, snapshot_data):
    republish(snapshot_data)
    assert sorted(generator._ITEM_PAGES) == sorted(pages_before)
    assert all(generator._ITEM_PAGES[code] is page for code, page in pages_before.items())


def test_an_edited_item_is_made_again_and_no_other(republish, pages_before, snapshot_data):
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    republish(snapshot_data)
    assert generator._ITEM_PAGES[ITEM] is not pages_before[ITEM]
    assert generator._ITEM_PAGES[ITEM].values["item"]["promised_note"] == "材料齐全当场受理，三个工作日内发证"
    assert [code for code, page in generator._ITEM_PAGES.items() if page is not pages_before[code]] == [ITEM]


def test_a_renamed_department_makes_its_items_pages_again(
        republish, pages_before, snapshot_data, write_snapshot, tmp_path):
    snapshot_data["departments"][0]["name"] = "清川县住房和城乡建设局（不动产登记中心）"
    result = republish(snapshot_data)
    page = generator._ITEM_PAGES[ITEM]
    assert page is not pages_before[ITEM]
    assert page.fields.department == "清川县住房和城乡建设局（不动产登记中心）"
    assert generator._ITEM_PAGES[OTHER] is pages_before[OTHER]
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert tree(result.live) == tree(full.out_dir)


def test_a_new_answered_question_makes_its_items_page_again(republish, pages_before, snapshot_data):
    question = copy.deepcopy(snapshot_data["questions"][0])
    question.update(code="ZX-9PQR-4XYZ", item=OTHER, subject="低保申请需要多久审批")
    snapshot_data["questions"].append(question)
    republish(snapshot_data)
    page = generator._ITEM_PAGES[OTHER]
    assert page is not pages_before[OTHER]
    assert [q["code"] for q in page.values["item_questions"]].count("ZX-9PQR-4XYZ") == 1


def test_a_new_intake_address_makes_every_items_page_again(republish, pages_before, snapshot_data):
    snapshot_data["site"]["intake_url"] = "https://zwfw.qingchuan.gov.cn/intake"
    republish(snapshot_data)
    assert all(generator._ITEM_PAGES[code] is not page for code, page in pages_before.items())
    assert generator._ITEM_PAGES[ITEM].values["complaint_url"].startswith("https://zwfw.qingchuan.gov.cn/intake")


def test_a_build_without_a_ledger_remembers_nothing(snapshot_data, write_snapshot, tmp_path):
    build_site(write_snapshot(snapshot_data), tmp_path / "once", static_index=False)
    assert generator._ITEM_PAGES == {}


def test_a_publish_keeps_the_search_keys_of_the_fields_it_used(republish, pages_before):
    kept = {id(page.fields) for page in pages_before.values()}
    assert kept <= set(generator._FIELDS_KEYS)
    assert all(fields is not None for fields, _key in generator._FIELDS_KEYS.values())


def test_an_edit_forgets_the_search_key_of_the_fields_it_replaced(republish, pages_before, snapshot_data):
    edited = copy.deepcopy(snapshot_data)
    edited["items"][0]["name"] = "建设工程施工许可证核发（含变更）"
    republish(edited)
    old = pages_before[edited["items"][0]["code"]].fields
    assert id(old) not in generator._FIELDS_KEYS or generator._FIELDS_KEYS[id(old)][0] is not old
    assert id(generator._ITEM_PAGES[edited["items"][0]["code"]].fields) in generator._FIELDS_KEYS


def test_a_build_that_is_not_a_publish_keeps_no_search_keys(republish, write_snapshot, snapshot_data, tmp_path):
    build_site(write_snapshot(snapshot_data), tmp_path / "site", static_index=False)
    assert generator._FIELDS_KEYS == {}
