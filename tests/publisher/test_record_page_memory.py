"""A running publisher makes a department's or a notice's page values, or a page of a fee list or
of a filtered item list, again only when what they read changed; the site is then the same bytes
as a full build."""

from __future__ import annotations

import copy

import pytest

from sunshine.publisher import generator
from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import publish
from tests.publisher.conftest import tree

HOUSING = "zjj"  # 清川县住房和城乡建设局: items 511623-ZJ-0001/0002, notice N2024-002
CIVIL = "mzj"  # 清川县民政局


def _memos() -> dict[str, dict]:
    return {"departments": dict(generator._DEPARTMENT_PAGES), "notices": dict(generator._NOTICE_PAGES),
            "fees": dict(generator._FEE_PAGES), "filters": dict(generator._FILTER_PAGES)}


@pytest.fixture
def republish(snapshot_data, write_snapshot, tmp_path):
    """Publish ``snapshot_data`` once; the returned function publishes a changed copy into the same
    web root, checks the live site against a full build of it and returns the pages the publish
    remembered (the full build, not a publish, forgets them)."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)

    def again(data: dict) -> dict[str, dict[str, generator.RecordPage]]:
        result = publish(write_snapshot(data), web, static_index=False, durable=False)
        kept = _memos()
        full = build_site(write_snapshot(data), tmp_path / "full", static_index=False)
        assert tree(result.live) == tree(full.out_dir)
        return kept

    return again


@pytest.fixture
def before(republish) -> dict[str, dict[str, generator.RecordPage]]:
    return _memos()


def _made_again(memo: dict[str, generator.RecordPage], earlier: dict[str, generator.RecordPage]) -> list[str]:
    return sorted(code for code, page in memo.items() if page is not earlier.get(code))


def test_an_unchanged_snapshot_keeps_every_department_and_notice_page(republish, before, snapshot_data):
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == []
    assert _made_again(after["notices"], before["notices"]) == []
    assert sorted(after["departments"]) == [CIVIL, "scjgj", HOUSING]
    assert sorted(after["notices"]) == ["N2024-001", "N2024-002", "N2024-003"]


def test_an_edited_item_makes_its_departments_page_again_and_no_other(republish, before, snapshot_data):
    snapshot_data["items"][0]["name"] = "建筑工程施工许可证核发（含变更）"
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == [HOUSING]
    page = after["departments"][HOUSING]
    assert [item["name"] for item in page.values["department_items"]][0] == "建筑工程施工许可证核发（含变更）"
    assert "建筑工程施工许可证核发（含变更）" in page.fields.body
    assert _made_again(after["notices"], before["notices"]) == []


def test_new_figures_make_every_departments_page_again(republish, before, snapshot_data):
    row = next(r for r in snapshot_data["figures"]["departments"] if r["department"] == CIVIL)
    row["total"]["cases_received"] += 7
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == [CIVIL, "scjgj", HOUSING]
    unit = after["departments"][CIVIL].values["unit"]
    assert unit.total.count("cases_received") == row["total"]["cases_received"]


def test_another_departments_new_name_reaches_every_departments_figures(republish, before, snapshot_data):
    """A department page shows the figures of every department (the ranking), by name."""
    snapshot_data["departments"][2]["short_name"] = "民政"
    snapshot_data["departments"][2]["name"] = "清川县民政和社会事务局"
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == [CIVIL, "scjgj", HOUSING]
    figures = after["departments"][HOUSING].values["figures"]
    assert [unit.name for unit in figures.departments if unit.code == CIVIL] == ["清川县民政和社会事务局"]


def test_a_new_centre_name_makes_the_figures_again(republish, before, snapshot_data):
    snapshot_data["site"]["name"] = "清川县政务服务中心（便民服务中心）"
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == [CIVIL, "scjgj", HOUSING]
    assert after["departments"][HOUSING].values["figures"].centre.name == "清川县政务服务中心（便民服务中心）"


def test_a_new_notice_makes_its_departments_page_again(republish, before, snapshot_data):
    notice = copy.deepcopy(snapshot_data["notices"][1])
    notice.update(code="N2024-009", title="关于建设工程竣工验收备案材料调整的通知")
    snapshot_data["notices"].append(notice)
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == [HOUSING]
    titles = [n["title"] for n in after["departments"][HOUSING].values["department_notices"]]
    assert "关于建设工程竣工验收备案材料调整的通知" in titles
    assert _made_again(after["notices"], before["notices"]) == ["N2024-009"]


def test_an_edited_notice_is_made_again_and_no_other(republish, before, snapshot_data):
    snapshot_data["notices"][0]["title"] = "关于调整春节期间窗口服务时间的通知"
    after = republish(snapshot_data)
    code = snapshot_data["notices"][0]["code"]
    assert _made_again(after["notices"], before["notices"]) == [code]
    page = after["notices"][code]
    assert page.values["title"] == page.fields.title == "关于调整春节期间窗口服务时间的通知"


def test_a_renamed_department_makes_its_notices_pages_again(republish, before, snapshot_data):
    snapshot_data["departments"][0]["name"] = "清川县住房和城乡建设局（不动产登记中心）"
    after = republish(snapshot_data)
    assert _made_again(after["notices"], before["notices"]) == ["N2024-002"]
    assert after["notices"]["N2024-002"].fields.department == "清川县住房和城乡建设局（不动产登记中心）"


def test_a_new_intake_address_makes_every_departments_page_again(republish, before, snapshot_data):
    snapshot_data["site"]["intake_url"] = "https://zwfw.qingchuan.gov.cn/intake"
    after = republish(snapshot_data)
    assert _made_again(after["departments"], before["departments"]) == [CIVIL, "scjgj", HOUSING]
    assert after["departments"][HOUSING].values["complaint_url"].startswith(
        "https://zwfw.qingchuan.gov.cn/intake")


def test_a_build_without_a_ledger_remembers_no_record_or_list_page(snapshot_data, write_snapshot, tmp_path):
    build_site(write_snapshot(snapshot_data), tmp_path / "once", static_index=False)
    assert generator._DEPARTMENT_PAGES == {}
    assert generator._NOTICE_PAGES == {}
    assert generator._FEE_PAGES == {}
    assert generator._FILTER_PAGES == {}


def test_an_items_new_name_reaches_its_fee_and_bill_pages(republish, before, snapshot_data):
    snapshot_data["items"][0]["name"] = "建筑工程施工许可证核发（含变更）"
    after = republish(snapshot_data)  # the same bytes as a full build
    pages = [page for key, page in after["fees"].items() if key[0] != "sections"]
    sections = [section for key, found in after["fees"].items() if key[0] == "sections" for section in found]
    assert sorted({page.kind for page in pages}) == ["fee_bills", "fees_by_category"]
    assert {row.item_name for page in pages for row in page.rows} == {"建筑工程施工许可证核发（含变更）"}
    assert {row.item_name for section in sections for row in section.rows} == {"建筑工程施工许可证核发（含变更）"}
    assert all(page is not before["fees"].get(key) for key, page in after["fees"].items())


def test_an_edit_of_an_item_without_fees_keeps_every_fee_page_and_the_lists_without_it(
        republish, before, snapshot_data):
    marriage = snapshot_data["items"][3]
    marriage["promised_note"] = "材料齐全当场办结"
    after = republish(snapshot_data)
    assert after["fees"].keys() == before["fees"].keys()
    assert all(page is before["fees"][key] for key, page in after["fees"].items())
    assert after["filters"].keys() != before["filters"].keys()  # the new record's pages
    for key, page in after["filters"].items():
        shows_it = marriage["code"] in [item["code"] for item in page.items]
        assert (page is not before["filters"].get(key)) == shows_it
