"""What the catalog keeps from one build to the next in a running publisher (its records interned:
an unchanged record is the last build's very object): the figures, the groupings by item and the
items' lists, made again (or patched) only where a record they read is another object. Same values
as a fresh process's catalog."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sunshine.publisher import catalog as catalog_module
from sunshine.publisher.catalog import FIGURES_MEMO, FeePage, build_catalog

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot-small.json"


@pytest.fixture(autouse=True)
def fresh_memory():
    FIGURES_MEMO.forget()
    catalog_module._BY_ITEM.forget()
    catalog_module._ITEMS_MEMO.forget()
    yield
    FIGURES_MEMO.forget()
    catalog_module._BY_ITEM.forget()
    catalog_module._ITEMS_MEMO.forget()


def _snapshot() -> dict[str, Any]:
    return copy.deepcopy(json.loads(SNAPSHOT.read_text(encoding="utf-8")))


def _replaced(snapshot: dict[str, Any], collection: str, code: str, **changes: Any) -> dict[str, Any]:
    """The snapshot with one record replaced by a changed copy, every other record the same object."""
    edited = copy.copy(snapshot)
    edited[collection] = [{**r, **changes} if r["code"] == code else r for r in snapshot[collection]]
    return edited


def test_the_same_records_give_the_last_catalogs_figures():
    snapshot = _snapshot()
    first = build_catalog(snapshot)
    assert build_catalog(_replaced(snapshot, "items", "511623-ZJ-0002", name="新名称")).figures is first.figures


def test_a_renamed_department_is_in_the_figures_made_again():
    snapshot = _snapshot()
    build_catalog(snapshot)
    figures = build_catalog(_replaced(snapshot, "departments", "zjj", name="清川县住房和城乡建设管理局")).figures
    assert figures.of("zjj").name == "清川县住房和城乡建设管理局"


def test_changed_figures_are_the_new_ones():
    snapshot = _snapshot()
    build_catalog(snapshot)
    edited = copy.copy(snapshot)
    edited["figures"] = {**snapshot["figures"], "as_of": "2030-01-31"}
    assert build_catalog(edited).figures.as_of == "2030-01-31"


def test_a_renamed_site_is_the_centres_name_in_the_figures():
    snapshot = _snapshot()
    build_catalog(snapshot)
    edited = copy.copy(snapshot)
    edited["site"] = {**snapshot["site"], "name": "清川县人民政府政务服务中心"}
    assert build_catalog(edited).figures.centre.name == "清川县人民政府政务服务中心"


def test_departments_in_another_order_give_figures_in_that_order():
    snapshot = _snapshot()
    build_catalog(snapshot)
    windows = {"zjj": "9号窗口", "scjgj": "1号窗口", "mzj": "5号窗口"}
    edited = copy.copy(snapshot)
    edited["departments"] = [{**d, "window": windows[d["code"]]} for d in snapshot["departments"]]
    assert [unit.code for unit in build_catalog(edited).figures.departments] == ["scjgj", "mzj", "zjj"]


def test_the_same_outcomes_give_the_last_catalogs_grouping_by_item():
    snapshot = _snapshot()
    first = build_catalog(snapshot)
    second = build_catalog(_replaced(snapshot, "items", "511623-ZJ-0002", name="新名称"))
    assert second.outcomes_by_item is first.outcomes_by_item
    assert second.questions_by_item is first.questions_by_item


def test_a_removed_outcome_leaves_its_items_list():
    snapshot = _snapshot()
    build_catalog(snapshot)
    edited = copy.copy(snapshot)
    edited["complaint_outcomes"] = [o for o in snapshot["complaint_outcomes"] if o["item"] != "511623-MZ-0001"]
    assert build_catalog(edited).outcomes_by_item["511623-MZ-0001"] == []


def test_an_outcome_moved_to_another_item_is_listed_under_it():
    snapshot = _snapshot()
    build_catalog(snapshot)
    code = next(o["code"] for o in snapshot["complaint_outcomes"] if o["item"] == "511623-MZ-0001")
    catalog = build_catalog(_replaced(snapshot, "complaint_outcomes", code, item="511623-ZJ-0002"))
    assert [o["code"] for o in catalog.outcomes_by_item["511623-ZJ-0002"]] == [code]
    assert catalog.outcomes_by_item["511623-MZ-0001"] == []


def test_a_new_item_gets_its_empty_lists():
    snapshot = _snapshot()
    build_catalog(snapshot)
    edited = copy.copy(snapshot)
    edited["items"] = [*snapshot["items"], {**snapshot["items"][1], "code": "511623-ZJ-0003"}]
    catalog = build_catalog(edited)
    assert (catalog.outcomes_by_item["511623-ZJ-0003"], catalog.questions_by_item["511623-ZJ-0003"]) == ([], [])


def test_a_page_of_the_bills_list_shows_the_parts_of_the_bills_on_it(monkeypatch):
    """Two bills over three pages of three fees: 乙单 (4 fees) then 甲单 (3 fees), by name."""
    monkeypatch.setattr(catalog_module, "FEES_PER_PAGE", 3)
    monkeypatch.setattr(FeePage, "per_page", 3)
    snapshot = _snapshot()
    item = snapshot["items"][0]
    item["fees"] = [{**fee, "combined_bill": "甲单" if n < 3 else "乙单"} for n, fee in enumerate(item["fees"][:7])]
    names = [fee["name"] for fee in item["fees"]]
    catalog = build_catalog(snapshot)
    pages = [
        [(s.anchor, s.name, s.fees, s.continued, [row.fee["name"] for row in s.rows]) for s in catalog.bill_sections(page)]
        for page in catalog.bill_pages()
    ]
    assert pages == [
        [("bill-1", "乙单", 4, False, names[3:6])],
        [("bill-1", "乙单", 4, True, names[6:7]), ("bill-2", "甲单", 3, False, names[0:2])],
        [("bill-2", "甲单", 3, True, names[2:3])],
    ]


def _item_lists(catalog: catalog_module.Catalog) -> dict[str, Any]:
    """Everything the catalog derives from the items, by the records' identities (the same objects
    as a fresh process's catalog of the same snapshot) and the filters' other fields."""
    ids = lambda records: [id(record) for record in records]  # noqa: E731
    return {
        "items": ids(catalog.items),
        "index": {code: id(item) for code, item in catalog.item_index.items()},
        "by_department": {code: ids(items) for code, items in catalog.items_by_department.items()},
        "fee_rows": [(id(row.fee), id(row.item), id(row.department)) for row in catalog.fee_rows],
        "counts": catalog.counts,
        "filters": [(f.group, f.kind, f.code, f.label, f.title, ids(f.items)) for f in catalog.item_filters],
    }


def _fresh(snapshot: dict[str, Any]) -> catalog_module.Catalog:
    catalog_module._ITEMS_MEMO.forget()
    return build_catalog(snapshot)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: _replaced(s, "items", "511623-ZJ-0002", name="新名称", conditions="材料齐全当场受理"),
        lambda s: _replaced(s, "items", "511623-MZ-0001", item_type="行政确认"),
        lambda s: _replaced(s, "items", "511623-MZ-0001", online=not s["items"][3]["online"]),
        lambda s: _replaced(s, "items", "511623-ZJ-0001", department="scjgj"),
        lambda s: _replaced(s, "items", "511623-ZJ-0001",
                            fees=[{**fee, "standard": "每件 10 元"} for fee in s["items"][0]["fees"]]),
        lambda s: _replaced(s, "items", "511623-ZJ-0001", fees=s["items"][0]["fees"][:2]),
        lambda s: {**s, "items": s["items"][:-1]},
        lambda s: {**s, "items": [*s["items"][1:], s["items"][0]]},
    ],
    ids=["text", "item-type", "online", "department", "fee-text", "fewer-fees", "removed", "reordered"],
)
def test_an_edited_items_lists_are_a_fresh_catalogs(edit):
    snapshot = _snapshot()
    build_catalog(snapshot)
    edited = edit(snapshot)
    remembered = _item_lists(build_catalog(edited))
    assert remembered == _item_lists(_fresh(edited))


def test_an_edited_items_text_puts_it_in_the_last_catalogs_lists():
    snapshot = _snapshot()
    first = build_catalog(snapshot)
    edited = _replaced(snapshot, "items", "511623-ZJ-0002", name="新名称")
    second = build_catalog(edited)
    assert second.item_index["511623-ZJ-0002"]["name"] == "新名称"
    assert second.items_by_department["scjgj"] is first.items_by_department["scjgj"]  # not made again
    assert second.items_by_department["zjj"] is not first.items_by_department["zjj"]
    assert [item["name"] for item in first.items_by_department["zjj"]][1] != "新名称"
