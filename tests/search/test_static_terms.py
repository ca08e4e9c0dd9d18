"""What the public site's search indexes of a page (search/static_terms.py), and the search it gives.

The unit tests pin the terms of a realistic item. The site tests build a demo-like site once (the
small snapshot plus a food-licence item, an ID-card item and a special-equipment item, with their
office) with the real publisher and Pagefind, then query it through the search page's own code under
Node (tests/search/static_engine.py): everyday phrasing, traditional characters, pinyin initials,
services the centre does not offer, filters, and the pages that must never be results.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from sunshine.contract.urls import search_url
from sunshine.search.analysis import Analysis, Synonyms
from sunshine.search.static_index import INDEX_LANGUAGE
from sunshine.search.static_terms import (
    SearchFields,
    decode_meta_value,
    filter_token,
    meta_value,
    page_terms,
    query_data,
    search_block,
    summary_text,
    t2s_map,
    terms_of,
)
from tests.publisher.conftest import SMALL_SNAPSHOT
from tests.search.static_engine import StaticEngine

SYNONYMS = Synonyms.parse(["营业执照 执照 营业证", "市场监督管理局 市场监管局 工商局"])
ITEM = SearchFields(
    kind="事项",
    title="个体工商户设立登记",
    aliases=("营业执照",),
    body=("申请人身份证明",),
    department="清川县市场监督管理局",
    meta={"limit": "承诺 1 个工作日", "fee": "不收费"},
    filters={"department": "scjgj", "case_type": "immediate"},
)


@pytest.fixture(scope="module")
def engine() -> Analysis:
    return Analysis(["个体工商户设立登记", "清川县市场监督管理局"])


# -- terms ----------------------------------------------------------------------------------------


def test_title_terms_of_an_item_are_its_words_and_their_suffixes(engine):
    assert page_terms(ITEM, SYNONYMS, engine).title == [
        "个体", "个体工商户", "体工商户", "工商户", "商户", "个体工商户设立登记", "体工商户设立登记",
        "工商户设立登记", "商户设立登记", "户设立登记", "设立登记", "立登记", "登记", "工商", "设立"]


def test_aliases_of_an_item_are_keywords_synonyms_and_pinyin(engine):
    assert page_terms(ITEM, SYNONYMS, engine).aliases == [
        "营业", "营业执照", "业执照", "执照", "营业证", "业证",
        "getigongshanghushelidengji", "gtgshsldj", "geti", "getigongshanghu", "gtgsh", "shanghu", "gongshang",
        "gongshanghu", "gsh", "dengji", "sheli", "shelidengji", "sldj", "yingyezhizhao", "yyzz", "zhizhao",
        "yingye", "yingyezheng", "yyz"]


def test_the_departments_other_names_are_body_words_of_its_items(engine):
    terms = page_terms(ITEM, SYNONYMS, engine)
    assert "工商局" in terms.body and "市场监管局" in terms.body
    assert "工商局" not in terms.aliases


def test_filter_tokens_are_body_words(engine):
    assert page_terms(ITEM, SYNONYMS, engine).body[-2:] == ["fcase696d6d656469617465z", "fdept73636a676az"]


def test_a_word_is_indexed_once_in_its_heaviest_part(engine):
    terms = page_terms(ITEM, SYNONYMS, engine)
    words = terms.title + terms.aliases + terms.body
    assert len(words) == len(set(words))
    assert "登记" in terms.title  # also a word of the keywords' pinyin source, kept in the title


def test_every_chinese_term_of_three_or_more_characters_brings_its_suffixes(engine):
    assert terms_of(["特种设备安全"], engine) == ["特种", "特种设备", "种设备", "设备", "安全"]


def test_single_characters_and_fillers_are_not_indexed(engine):
    assert terms_of(["证 照 请问我要怎么办呢"], engine) == []


def test_traditional_text_is_indexed_simplified(engine):
    assert terms_of(["營業執照"], engine) == terms_of(["营业执照"], engine)


def test_two_letter_pinyin_is_not_indexed(engine):
    terms = page_terms(SearchFields(kind="事项", title="食品经营许可"), Synonyms(), engine)
    assert "sp" not in terms.aliases and "spjyxk" in terms.aliases


# -- filter tokens and meta -----------------------------------------------------------------------


def test_filter_token_spells_the_value_in_hex_between_prefix_and_z():
    assert filter_token("department", "mzj") == "fdept6d7a6az"
    assert filter_token("item_type", "行政许可") == "ftypee8a18ce694bfe8aeb8e58fafz"


def test_no_filter_token_is_a_prefix_of_another():
    tokens = [filter_token("department", code) for code in ("a", "ab", "abc", "b", "民政", "民政局")]
    assert not [(a, b) for a in tokens for b in tokens if a != b and b.startswith(a)]


def test_unknown_filter_is_refused():
    with pytest.raises(KeyError):
        filter_token("author", "张三")


def test_meta_value_moves_each_utf16_unit_into_the_private_use_plane():
    assert meta_value("事项") == "\U000f4e8b\U000f9879"


def test_meta_value_has_nothing_pagefind_indexes():
    """Pagefind indexes a meta value's letters and digits (and emoji), split at spaces."""
    value = meta_value("承诺 1 个工作日，收费 20 元（Ab-c）")
    assert [ch for ch in value if ch.isalnum() or ch.isspace() or ch in "#*"] == []


def test_meta_value_reads_back_whatever_the_text():
    for text in ("承诺 1 个工作日", "", "𠮷野家 \uffff\ufffe 末尾", "不收费"):
        assert decode_meta_value(meta_value(text)) == text


def test_decoding_a_value_meta_value_never_wrote_is_refused():
    with pytest.raises(ValueError):
        decode_meta_value("5LqL6aG5")


def test_summary_is_cut_with_an_ellipsis():
    assert summary_text(["一二三四五六"], limit=4) == "一二三…"
    assert summary_text(["  一二\n三  ", "", "四"]) == "一二 三 四"


# -- the block ------------------------------------------------------------------------------------


def test_block_is_hidden_and_marks_itself_as_the_pages_search_body(engine):
    block = search_block(ITEM, SYNONYMS, engine)
    assert block.startswith('<div class="search-terms" hidden data-pagefind-body>')
    assert [int(w) for w in re.findall(r'data-pagefind-weight="(\d+)"', block)] == [10, 6, 1]


def test_block_carries_the_result_details_as_encoded_meta(engine):
    block = search_block(ITEM, SYNONYMS, engine)
    meta = dict(re.findall(r'data-pagefind-meta="(\w+)\[data-value\]" data-value="([^"]*)"', block))
    assert {k: decode_meta_value(v) for k, v in meta.items()} == {
        "kind": "事项", "title": "个体工商户设立登记", "dept": "清川县市场监督管理局",
        "limit": "承诺 1 个工作日", "fee": "不收费"}


def test_block_escapes_markup_in_terms(engine):
    block = search_block(SearchFields(kind="公告", title="a<b>c", body=("x&y",)), Synonyms(), engine)
    assert "<b>" not in block


def test_mention_weights_are_written(engine):
    fields = SearchFields(kind="公告", title="关于一单收费的公告", weights=(4, 3, 1))
    # the title's terms, and its pinyin among the aliases; no body
    assert re.findall(r'data-pagefind-weight="(\d+)"', search_block(fields, Synonyms(), engine)) == ["4", "3"]


# -- query data -----------------------------------------------------------------------------------


def test_t2s_map_holds_only_characters_the_site_indexes():
    assert t2s_map("证营") == {"營": "营", "証": "证", "證": "证"}


def test_query_data_is_sorted_compact_json():
    data = query_data({"證": "证", "營": "营"})
    assert data == query_data({"營": "营", "證": "证"})
    value = json.loads(data)
    assert value["t2s"] == {"營": "营", "證": "证"}
    assert "怎么" in value["fillers"] and value["fillers"] == sorted(value["fillers"])


# -- a built site ---------------------------------------------------------------------------------

FOOD = "511623-SC-0002"
ID_CARD = "511623-GA-0001"
BOILER = "511623-SC-0003"


def demo_snapshot() -> dict:
    """The small snapshot plus the items citizens ask about most in these tests."""
    data = json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8"))
    market_item = next(i for i in data["items"] if i["code"] == "511623-SC-0001")
    police = copy.deepcopy(next(d for d in data["departments"] if d["code"] == "mzj"))
    police.update(code="gaj", name="清川县公安局", short_name="公安局", window="15号窗口",
                  duties="负责户籍管理、居民身份证办理等公安服务事项。", consult_phone="0838-6215010")
    data["departments"].append(police)

    def item(code: str, department: str, name: str, keywords: list[str], conditions: str,
             case_type: str, item_type: str) -> dict:
        new = copy.deepcopy(market_item)
        new.update(code=code, department=department, name=name, keywords=keywords,
                   conditions=conditions, case_type=case_type, item_type=item_type)
        return new

    data["search_synonyms"] = ["结婚登记 扯证 扯结婚证"]  # an office's own group (检索同义词)
    data["items"] += [
        item(FOOD, "scjgj", "食品经营许可", ["餐饮许可", "食品许可证"],
             "- 有与经营的食品品种、数量相适应的经营场所\n- 有食品安全管理人员和规章制度",
             "promised", "行政许可"),
        item(ID_CARD, "gaj", "居民身份证申领", ["身份证补办", "换领身份证"],
             "- 本县户籍居民\n- 身份证丢失、损坏或有效期满",
             "immediate", "公共服务"),
        item(BOILER, "scjgj", "特种设备使用登记", ["锅炉登记", "电梯登记"],
             "- 特种设备投入使用前或者投入使用后三十日内办理", "promised", "行政许可"),
    ]
    return data


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the browser test covers the search page")
    from sunshine.publisher.build import build_site

    work = tmp_path_factory.mktemp("demo-search")
    snapshot = work / "snapshot.json"
    snapshot.write_text(json.dumps(demo_snapshot(), ensure_ascii=False), encoding="utf-8")
    return build_site(snapshot, work / "site").out_dir


@pytest.fixture(scope="module")
def site_search(demo_site: Path) -> StaticEngine:
    return StaticEngine(demo_site)


def top(site_search: StaticEngine, query: str, **filters: str) -> list[str]:
    return site_search.search([query], limit=5, filters=filters or None)[0]


def test_everyday_phrasing_finds_the_food_licence(site_search):
    assert top(site_search, "开饭馆要办什么证")[0] == f"/items/{FOOD}/"


def test_traditional_characters_find_the_id_card_item(site_search):
    assert top(site_search, "身份證")[0] == f"/items/{ID_CARD}/"


def test_pinyin_initials_find_the_business_licence_item(site_search):
    assert top(site_search, "yyzz")[0] == "/items/511623-SC-0001/"


def test_a_piece_inside_a_word_finds_it(site_search):
    assert top(site_search, "种设")[0] == f"/items/{BOILER}/"


def test_an_offices_own_synonyms_reach_the_index(site_search):
    assert top(site_search, "扯证")[0] == "/items/511623-MZ-0001/"


def test_an_office_by_its_old_name_finds_the_office_first(site_search):
    assert top(site_search, "工商局")[0] == "/departments/scjgj/"


@pytest.mark.parametrize("query", ["公积金", "医保", "公积金提取", "火星移民"])
def test_services_the_centre_does_not_offer_find_nothing(site_search, query):
    assert top(site_search, query) == []


def test_department_filter_keeps_only_its_pages(site_search):
    assert set(top(site_search, "登记")) - {f"/items/{BOILER}/"}
    found = site_search.search(["登记"], limit=50, filters={"department": "mzj"})[0]
    assert found and all("MZ" in url or url.endswith("/mzj/") or url.startswith("/questions/") for url in found)


def test_case_type_filter_keeps_only_items_of_that_type(site_search):
    found = site_search.search(["登记"], limit=50, filters={"case_type": "immediate"})[0]
    assert sorted(found) == [f"/items/{ID_CARD}/", "/items/511623-MZ-0001/", "/items/511623-SC-0001/"]


def test_an_unknown_filter_value_finds_nothing(site_search):
    assert site_search.search(["登记"], limit=50, filters={"department": "nosuch"})[0] == []


@pytest.mark.parametrize("query", ["办事指南", "收费", "部门", "通知公告", "施工许可"])
def test_listing_pages_are_never_results(site_search, query):
    found = site_search.search([query], limit=100)[0]
    assert not {"/items/", "/fees/", "/departments/", "/notices/", "/", "/search/"} & set(found)


@pytest.mark.parametrize(("query", "page"), [("投诉", "/channels/"), ("查询办件", "/channels/"),
                                             ("网上咨询", "/questions/")])
def test_intake_pages_are_found(site_search, query, page):
    assert top(site_search, query)[0] == page


def test_listing_pages_carry_no_search_block(demo_site):
    for page in ("items/index.html", "fees/index.html", "departments/index.html", "index.html"):
        assert "data-pagefind-body" not in (demo_site / page).read_text(encoding="utf-8")


def test_the_site_is_indexed_in_the_language_pagefind_does_not_segment(demo_site):
    entry = json.loads((demo_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [INDEX_LANGUAGE]


def test_the_site_ships_the_query_folding_data(demo_site):
    data = json.loads((demo_site / "search-data.json").read_text(encoding="utf-8"))
    assert data["t2s"]["證"] == "证" and "了" in data["fillers"]


def test_the_search_form_goes_to_the_intake_without_javascript(demo_site):
    html = (demo_site / "search" / "index.html").read_text(encoding="utf-8")
    intake = json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8"))["site"]["intake_url"]
    assert f'action="{search_url(intake)}"' in html
