"""What a running publisher keeps of the search side between publishes (the characters of the
search data, the catalog's names and the salt): an edit's search data, blocks and pages are
those of a full build."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from sunshine.publisher import generator
from sunshine.publisher.build import build_site
from sunshine.publisher.catalog import build_catalog
from sunshine.publisher.deploy import publish
from sunshine.publisher.generator import (
    SEARCH_DATA_FILE,
    CatalogNames,
    CharacterCounts,
    SiteSearch,
    item_search_fields,
)
from sunshine.publisher.sitemap import SitemapEntry, sitemap_xml
from sunshine.search.analysis import analysis, fold
from tests.publisher.conftest import tree

RARE = "鸾"  # in no text of the small snapshot; its traditional form is 鸞
RARE_TRADITIONAL = "鸞"


def _t2s(site: Path) -> dict[str, str]:
    return json.loads((site / SEARCH_DATA_FILE).read_bytes())["t2s"]


@pytest.fixture
def republish(snapshot_data, write_snapshot, tmp_path):
    """Publish ``snapshot_data`` once; the returned function publishes a changed copy into the same
    web root, checks the whole live site against a full build and returns the live site."""
    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    builds = iter(range(100))

    def again(data: dict) -> Path:
        live = publish(write_snapshot(data), web, static_index=False, durable=False).live
        full = build_site(write_snapshot(data), tmp_path / f"full-{next(builds)}", static_index=False).out_dir
        assert (live / SEARCH_DATA_FILE).read_bytes() == (full / SEARCH_DATA_FILE).read_bytes()
        assert tree(live) == tree(full)
        # The full build (not a publish) forgot what the publish kept: publish again from it.
        publish(write_snapshot(data), web, static_index=False, durable=False)
        return live

    return again


# -- the characters of the search data ------------------------------------------------------------


def test_counted_characters_are_those_of_the_pages_given():
    counts = CharacterCounts()
    assert counts.union({"a": "营业执照", "b": "执照鸾"}) == set("营业执照鸾")
    assert counts.union({"a": "营业执照", "b": "执照鸾", "c": "鸾凤"}) == set("营业执照鸾凤")
    assert counts.union({"a": "营业执照", "c": "鸾凤"}) == set("营业执照鸾凤")  # 鸾 still on page c
    assert counts.union({"a": "营业执照"}) == set("营业执照")
    assert counts.union({}) == set()
    assert counts.union({"d": "许可"}) == {"许", "可"}


def test_counting_after_forgetting_starts_from_nothing():
    counts = CharacterCounts()
    counts.union({"a": "营业执照", "b": "鸾"})
    counts.forget()
    assert counts.pages == {}
    assert counts.union({"b": "鸾"}) == {"鸾"}


def test_a_rare_character_added_and_removed_again_is_in_the_search_data_as_in_a_full_build(
        republish, snapshot_data):
    name = snapshot_data["items"][3]["name"]
    snapshot_data["items"][3]["name"] = f"{name}（{RARE}凤和鸣）"
    assert _t2s(republish(snapshot_data)).get(RARE_TRADITIONAL) == RARE
    snapshot_data["items"][3]["name"] = name
    assert RARE_TRADITIONAL not in _t2s(republish(snapshot_data))


def test_a_rare_character_stays_while_one_page_has_it(republish, snapshot_data):
    snapshot_data["items"][0]["keywords"] = [*snapshot_data["items"][0].get("keywords", []), f"青{RARE}"]
    snapshot_data["notices"][0]["body"] += f"\n\n{RARE}鸟图案的告示牌已更换。"
    assert _t2s(republish(snapshot_data)).get(RARE_TRADITIONAL) == RARE
    snapshot_data["items"][0]["keywords"].pop()
    assert _t2s(republish(snapshot_data)).get(RARE_TRADITIONAL) == RARE  # still in the notice
    snapshot_data["notices"][0]["body"] = snapshot_data["notices"][0]["body"].replace(f"{RARE}鸟", "")
    assert RARE_TRADITIONAL not in _t2s(republish(snapshot_data))


def test_a_rare_character_of_a_new_synonym_is_in_the_search_data(republish, snapshot_data):
    snapshot_data["search_synonyms"] = [f"结婚登记 {RARE}凤登记"]
    assert _t2s(republish(snapshot_data)).get(RARE_TRADITIONAL) == RARE
    snapshot_data["search_synonyms"] = []
    assert RARE_TRADITIONAL not in _t2s(republish(snapshot_data))


# -- the catalog's names and the salt --------------------------------------------------------------


class _Engine:
    """An analysis that notes the words it is offered."""

    def __init__(self) -> None:
        self.offered: list[list[str]] = []

    def add_words(self, words) -> int:
        self.offered.append(list(words))
        return 0


def _catalog(departments: list[dict], items: list[dict]) -> SimpleNamespace:
    return SimpleNamespace(departments=departments, items=items)


HOUSING = {"code": "zjj", "name": "清川县住房和城乡建设局", "short_name": "住建局"}
CIVIL = {"code": "mzj", "name": "清川县民政局", "short_name": None}
PERMIT = {"code": "511623-ZJ-0001", "name": "建筑工程施工许可证核发", "fees": [{"name": "城市基础设施配套费"}]}
MARRIAGE = {"code": "511623-MZ-0001", "name": "结婚登记", "fees": []}


def test_the_catalogs_names_are_counted_by_record_and_only_new_ones_offered():
    names, engine = CatalogNames(), _Engine()
    assert names.update(_catalog([HOUSING, CIVIL], [PERMIT, MARRIAGE]), engine) == (
        "", "住建局", "城市基础设施配套费", "建筑工程施工许可证核发", "清川县住房和城乡建设局", "清川县民政局", "结婚登记")
    assert engine.offered == [["清川县住房和城乡建设局", "住建局", "清川县民政局", "建筑工程施工许可证核发",
                               "城市基础设施配套费", "结婚登记"]]
    renamed = {**MARRIAGE, "name": "结婚登记（涉外）"}
    twin = {**MARRIAGE, "code": "511623-MZ-0009"}  # another record of the same name
    assert names.update(_catalog([HOUSING, CIVIL], [PERMIT, renamed, twin]), engine) == (
        "", "住建局", "城市基础设施配套费", "建筑工程施工许可证核发", "清川县住房和城乡建设局", "清川县民政局",
        "结婚登记", "结婚登记（涉外）")
    assert engine.offered[1:] == [["结婚登记（涉外）", "结婚登记"]]
    assert names.update(_catalog([HOUSING, CIVIL], [PERMIT, renamed]), engine) == (
        "", "住建局", "城市基础设施配套费", "建筑工程施工许可证核发", "清川县住房和城乡建设局", "清川县民政局",
        "结婚登记（涉外）")
    assert engine.offered[2:] == []  # nothing new: the analysis is not called
    assert names.update(_catalog([HOUSING], [PERMIT]), engine) == (
        "住建局", "城市基础设施配套费", "建筑工程施工许可证核发", "清川县住房和城乡建设局")


def test_another_analysis_is_offered_every_name():
    names, first, second = CatalogNames(), _Engine(), _Engine()
    names.update(_catalog([CIVIL], [MARRIAGE]), first)
    assert names.update(_catalog([CIVIL], [MARRIAGE]), second) == ("", "清川县民政局", "结婚登记")
    assert second.offered == [["清川县民政局", "结婚登记"]]


def _decoded(data: dict):
    """The catalog of ``data`` decoded anew, as a publish decodes its snapshot: records are never
    modified in place, a changed record is a new object."""
    return build_catalog(copy.deepcopy(data))


def _fresh_salt(catalog) -> str:
    """The salt of ``catalog`` made with nothing remembered."""
    generator._NAMES.forget()
    generator._SALTS.clear()
    return SiteSearch(catalog, "code").salt


def test_a_renamed_item_changes_the_salt_as_a_fresh_search_makes_it(snapshot_data):
    catalog = _decoded(snapshot_data)
    first = SiteSearch(catalog, "code").salt
    assert SiteSearch(catalog, "code").salt == first
    snapshot_data["items"][1]["name"] = "二级建造师执业资格注册初审（鸾城专区）"
    catalog = _decoded(snapshot_data)
    renamed = SiteSearch(catalog, "code").salt
    assert renamed != first
    assert renamed == _fresh_salt(catalog)


def test_a_new_fee_name_changes_the_salt_and_is_cut_whole(snapshot_data):
    first = SiteSearch(_decoded(snapshot_data), "code").salt
    item = next(i for i in snapshot_data["items"] if i["fees"])
    item["fees"][0]["name"] = "鸾城特种设备检验费"
    catalog = _decoded(snapshot_data)
    search = SiteSearch(catalog, "code")
    assert search.salt != first
    assert search.salt == _fresh_salt(catalog)
    assert fold("鸾城特种设备检验费") in analysis().segment("鸾城特种设备检验费")


def test_the_same_names_with_other_code_or_synonyms_make_another_salt(snapshot_data):
    catalog = _decoded(snapshot_data)
    salt = SiteSearch(catalog, "code").salt
    assert SiteSearch(catalog, "other code").salt != salt
    snapshot_data["search_synonyms"] = ["结婚登记 扯证 领证"]
    assert SiteSearch(_decoded(snapshot_data), "code").salt != salt


def test_a_preview_keeps_the_search_keys_a_publish_kept(republish, snapshot_data):
    kept = dict(generator._FIELDS_KEYS)
    catalog = build_catalog(snapshot_data)
    fields = item_search_fields(catalog, catalog.items[0])
    assert SiteSearch(catalog).block(fields)
    assert generator._FIELDS_KEYS == kept


# -- the sitemap's lines ---------------------------------------------------------------------------


def test_a_remembered_sitemap_line_is_never_another_sites_or_dates():
    entries = [SitemapEntry("/items/511623-ZJ-0001/", "2024-07-01T10:00:00+08:00"), SitemapEntry("/items/")]
    assert sitemap_xml(entries, "https://gk.qingchuan.example").decode().splitlines()[2:4] == [
        "  <url><loc>https://gk.qingchuan.example/items/</loc></url>",
        "  <url><loc>https://gk.qingchuan.example/items/511623-ZJ-0001/</loc>"
        "<lastmod>2024-07-01T10:00:00+08:00</lastmod></url>",
    ]
    entries[0] = SitemapEntry("/items/511623-ZJ-0001/", "2024-08-02T09:30:00+08:00")
    assert sitemap_xml(entries, "https://zwgk.qingchuan.example").decode().splitlines()[2:4] == [
        "  <url><loc>https://zwgk.qingchuan.example/items/</loc></url>",
        "  <url><loc>https://zwgk.qingchuan.example/items/511623-ZJ-0001/</loc>"
        "<lastmod>2024-08-02T09:30:00+08:00</lastmod></url>",
    ]
    assert sitemap_xml(entries, "").decode().splitlines()[2] == "  <url><loc>/items/</loc></url>"


# -- the search page's filters and the figures pages ---------------------------------------------


def _filter_options(site: Path, name: str) -> list[str]:
    import re

    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_an_item_type_no_other_item_has_reaches_the_search_pages_filter(republish, snapshot_data):
    before = snapshot_data["items"][4]["item_type"]
    snapshot_data["items"][4]["item_type"] = "公共服务"
    live = republish(snapshot_data)
    assert "公共服务" in _filter_options(live, "item_type")
    assert before not in _filter_options(live, "item_type")


def test_new_figures_reach_the_figures_page(republish, snapshot_data):
    snapshot_data["figures"]["centre"]["months"][0]["cases_received"] += 1000
    live = republish(snapshot_data)  # the same bytes as a full build
    assert generator._FIGURES[0][2].centre.months[0].count("cases_received") == \
        snapshot_data["figures"]["centre"]["months"][0]["cases_received"]
    assert (live / "figures" / "index.html").is_file()
