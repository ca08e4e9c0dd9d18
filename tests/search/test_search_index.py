"""The back-office index: what staff find, what they may see, and how writes land."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sunshine.search.index import IndexBusyError, SearchDoc, SearchIndex

# Departments of the records in conftest.DOCS.
HOUSING, MARKET, CIVIL = "zhujianju", "shichangju", "minzhengju"


def found(hits) -> set[str]:
    return {hit.id for hit in hits}


# -- finding -------------------------------------------------------------------------------


def test_phrase_query_matches_document_containing_the_phrase(index):
    assert found(index.search('"政务服务中心"')) == {"notice-201"}


def test_phrase_query_spanning_two_words_matches(index):
    # 施工 ends the word 工程施工 and 许可 starts 许可证: still adjacent words.
    assert "item-101" in found(index.search('"施工许可"'))


def test_phrase_query_with_words_in_wrong_order_does_not_match(index):
    assert index.search('"核发许可证"') == []  # the title says 许可证核发


def test_phrase_query_does_not_match_across_punctuation(index):
    assert index.search('"许可施工"') == []  # the body says 规划许可证、施工合同


def test_chinese_quotes_work_as_phrase_quotes(index):
    assert found(index.search("“一单收费”")) == {"notice-201"}


def test_word_query_matches_through_jieba_segmentation(index):
    # The title is cut 建筑/工程施工/许可证/核发; the query 施工许可 is cut 施工/许可.
    assert found(index.search("施工许可")) == {"item-101"}


def test_word_inside_a_longer_word_is_found(index):
    # 服务中心 is a dictionary word inside the domain term 政务服务中心.
    assert "notice-201" in found(index.search("服务中心"))


def test_word_across_two_words_is_found(index):
    # 建筑工程 straddles jieba's cut 建筑/工程施工.
    assert found(index.search("建筑工程")) == {"item-101"}


def test_domain_term_is_searchable_whole(index):
    assert found(index.search("好差评")) == {"notice-202"}


def test_title_match_ranks_above_body_match(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    search_index.rebuild([
        SearchDoc("notice-1", "notice", "", "published", "关于延时服务的通知",
                  "窗口提供预约办理，群众可以电话预约。", "/n/1"),
        SearchDoc("notice-2", "notice", "", "published", "预约办理须知", "工作日可以办理。", "/n/2"),
    ])
    assert [hit.id for hit in search_index.search("预约")] == ["notice-2", "notice-1"]


def test_all_words_must_match_when_some_record_has_all(index):
    result = index.find("食品 许可证")
    # item-102 alone has both words; with so few, records with one of them follow it.
    assert (result.hits[0].id, result.relaxed) == ("item-102", True)


def test_falls_back_to_any_word_when_no_record_has_all(index):
    assert found(index.search("低保 餐饮")) == {"item-102", "item-103"}


def test_latin_letters_match_regardless_of_case(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    search_index.upsert(
        SearchDoc("item-9", "item", "", "published", "ISO9001认证咨询", "质量体系", "/i/9")
    )
    assert found(search_index.search("iso9001")) == {"item-9"}


def test_hit_carries_the_stored_fields(index):
    hit = index.search("食品经营")[0]
    assert (hit.id, hit.kind, hit.department, hit.state, hit.title, hit.url) == (
        "item-102",
        "item",
        MARKET,
        "published",
        "食品经营许可",
        "/items/102/",
    )
    assert hit.score > 0


def test_limit_caps_the_number_of_hits(index):
    assert len(index.search("投诉", limit=1)) == 1


@pytest.mark.parametrize("query", ['"未闭合', "AND OR (", "((", ")", '""', "~", "title:", "[a TO"])
def test_malformed_query_never_raises(index, query):
    assert isinstance(index.search(query), list)


def test_unclosed_quote_still_searches_its_words(index):
    # 效能投诉 is in a synonym group with 投诉 and 举报, so the hotline channel matches too.
    assert [hit.id for hit in index.search('"效能投诉')] == ["notice-202", "channel-301"]


@pytest.mark.parametrize("query", ["", "   ", "，。！"])
def test_empty_query_finds_nothing(index, query):
    assert index.search(query) == []


# -- who sees what -------------------------------------------------------------------------


def test_department_filter_hides_other_departments_records(index):
    assert found(index.search("许可证", departments={HOUSING})) == {"item-101"}


def test_department_filter_shows_records_of_every_listed_department(index):
    assert found(index.search("许可证", departments=[HOUSING, MARKET])) == {
        "item-101",
        "item-102",
    }


def test_no_department_restriction_shows_everything(index):
    assert found(index.search("许可证", departments=None)) == {"item-101", "item-102"}


def test_empty_department_collection_hides_everything(index):
    assert index.search("许可证", departments=set()) == []


def test_records_without_department_need_the_empty_department(index):
    assert index.search("一单收费", departments={CIVIL}) == []
    assert found(index.search("一单收费", departments={""})) == {"notice-201"}


def test_kinds_filter_keeps_only_those_kinds(index):
    assert found(index.search("投诉", kinds={"channel"})) == {"channel-301"}


def test_empty_kinds_collection_hides_everything(index):
    assert index.search("投诉", kinds=()) == []


# -- snippets ------------------------------------------------------------------------------


def test_snippet_marks_matches(index):
    (hit,) = index.search("即办件")
    assert "<mark>即办件</mark>" in hit.snippet


def test_snippet_escapes_html_of_the_record(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    body = '请携带<script>alert("x")</script><b>身份证</b>原件 & 复印件办理户口迁移。'
    search_index.upsert(SearchDoc("item-8", "item", "", "published", "户口迁移", body, "/i/8"))
    (hit,) = search_index.search("身份证")
    assert "<script>" not in hit.snippet
    assert "&lt;b&gt;<mark>身份证</mark>&lt;/b&gt;原件 &amp; 复印件" in hit.snippet


def test_snippet_starts_near_the_match_in_a_long_body(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    body = "本事项依据相关法律法规设立。" * 30 + "逾期未办结的，可以向效能投诉窗口反映。"
    search_index.upsert(SearchDoc("item-7", "item", "", "published", "某事项", body, "/i/7"))
    (hit,) = search_index.search("效能投诉")
    assert hit.snippet.startswith("…")
    assert "<mark>效能投诉</mark>" in hit.snippet


# -- writing -------------------------------------------------------------------------------


def test_upsert_replaces_the_record_with_the_same_id(index, docs):
    changed = dataclasses.replace(
        docs[1], title="食品经营许可（新办）", body="食品经营许可证新办，本事项为承诺件。"
    )
    index.upsert(changed)
    assert index.doc_count() == len(docs)
    titles = [hit.title for hit in index.search("食品经营")]
    assert titles[0] == "食品经营许可（新办）" and "食品经营许可" not in titles
    assert index.search("即办件") == []


def test_upsert_adds_a_new_record(index, docs):
    index.upsert(
        SearchDoc("item-104", "item", CIVIL, "draft", "临时救助审批", "遭遇突发困难的家庭。", "/i/104")
    )
    assert index.doc_count() == len(docs) + 1
    assert found(index.search("临时救助")) == {"item-104"}


def test_delete_removes_the_record(index, docs):
    index.delete("item-103")
    assert index.search("低保") == []
    assert index.doc_count() == len(docs) - 1


def test_delete_of_unknown_id_is_harmless(index, docs):
    index.delete("no-such-record")
    assert index.doc_count() == len(docs)


def test_rebuild_replaces_everything(index):
    index.rebuild([SearchDoc("item-1", "item", "", "published", "不动产登记", "", "/i/1")])
    assert index.doc_count() == 1
    assert index.search("施工许可") == []
    assert found(index.search("不动产登记")) == {"item-1"}


def test_rebuild_keeps_the_last_of_duplicate_ids(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    old = SearchDoc("item-1", "item", "", "published", "旧标题", "", "/i/1")
    new = SearchDoc("item-1", "item", "", "published", "新标题", "", "/i/1")
    assert search_index.rebuild([old, new]) == 1
    assert [hit.title for hit in search_index.search("标题")] == ["新标题"]


def test_searching_a_new_directory_creates_an_empty_index(tmp_path):
    assert SearchIndex(tmp_path / "fresh").search("低保") == []
    assert (tmp_path / "fresh").is_dir()


def test_unknown_kind_is_rejected_with_a_chinese_message():
    with pytest.raises(ValueError, match="未知的记录类型"):
        SearchDoc("x-1", "page", "", "published", "标题", "", "/x/")


def test_concurrent_writers_both_land(tmp_path):
    path = tmp_path / "index"
    SearchIndex(path).create_or_open()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        search_index = SearchIndex(path)  # its own handle, as another process would have
        try:
            start.wait()
            for n in range(10):
                search_index.upsert(
                    SearchDoc(f"{prefix}-{n}", "complaint", "", "received", f"{prefix} 投诉 {n}", "", "")
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("east", "west")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SearchIndex(path).doc_count() == 20


def test_an_index_whose_table_of_contents_goes_while_it_is_opened_is_opened_again(tmp_path, monkeypatch):
    """Another process's commit removes the table of contents an open has just found: the open is tried
    again (as a write is), not failed."""
    from sunshine.search import index as index_module

    path = tmp_path / "index"
    SearchIndex(path).create_or_open()
    real, calls = index_module.whoosh_index.open_dir, []

    def open_dir(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError(str(path / "_MAIN_1.toc"))
        return real(*args, **kwargs)

    monkeypatch.setattr(index_module.whoosh_index, "open_dir", open_dir)
    SearchIndex(path).upsert(SearchDoc("east-1", "complaint", "", "received", "east 投诉 1", "", ""))
    assert len(calls) == 3  # whoosh's exists_in opens too: it failed once, then it and the open succeeded
    assert SearchIndex(path).doc_count() == 1


def test_writer_waits_for_the_lock_holder(tmp_path):
    path = tmp_path / "index"
    holder = SearchIndex(path).create_or_open().writer()  # another writer holds the lock
    threading.Timer(0.3, holder.cancel).start()
    SearchIndex(path, lock_timeout=10).upsert(
        SearchDoc("item-1", "item", "", "published", "低保", "", "/i/1")
    )
    assert SearchIndex(path).doc_count() == 1


def test_writer_gives_up_with_a_chinese_message_when_lock_is_held_too_long(tmp_path: Path):
    path = tmp_path / "index"
    holder = SearchIndex(path).create_or_open().writer()
    try:
        with pytest.raises(IndexBusyError, match="检索索引正被其他进程写入"):
            SearchIndex(path, lock_timeout=0.2).delete("item-1")
    finally:
        holder.cancel()


WRITER_PROCESS = """
import sys
from pathlib import Path
from sunshine.search.index import SearchDoc, SearchIndex
path, prefix = Path(sys.argv[1]), sys.argv[2]
search_index = SearchIndex(path)
for n in range(5):
    search_index.upsert(SearchDoc(f"{prefix}-{n}", "complaint", "", "received", "效能投诉", "", ""))
"""


def test_concurrent_writer_processes_both_land(tmp_path):
    path = tmp_path / "index"
    SearchIndex(path).create_or_open()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER_PROCESS, str(path), prefix])
        for prefix in ("east", "west")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    assert SearchIndex(path).doc_count() == 10


# -- crash safety ------------------------------------------------------------------------------

KILLED_REBUILD = """
import sys
from pathlib import Path
from sunshine.search.index import SearchDoc, SearchIndex
search_index = SearchIndex(Path(sys.argv[1]))
docs = [SearchDoc(f"item-{n}", "item", "zhujianju", "draft", f"临时事项第{n}号",
                  "建设单位申请办理临时占用城市道路许可，提交申请书和施工方案。" * 20, "/x") for n in range(20000)]
print("rebuilding", flush=True)
search_index.rebuild(docs)
print("finished", flush=True)
"""


def test_writer_killed_mid_rebuild_leaves_a_usable_index(tmp_path, docs):
    import os
    import signal
    import time

    path = tmp_path / "index"
    SearchIndex(path).rebuild(docs)
    before = set(os.listdir(path))
    child = subprocess.Popen([sys.executable, "-c", KILLED_REBUILD, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "rebuilding\n"
    deadline = time.monotonic() + 30
    while not set(os.listdir(path)) - before - {"sunshine-words.txt"} and time.monotonic() < deadline:
        time.sleep(0.05)  # until the rebuild has written segment files of its own
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert set(os.listdir(path)) - before, "the writer was killed before it wrote anything"
    reopened = SearchIndex(path, lock_timeout=2.0)
    assert reopened.doc_count() == len(docs)  # the last committed generation, untouched
    assert found(reopened.search("食品经营许可")) == {"item-102"}
    assert not {hit.id for hit in reopened.search("临时事项")} - found(docs)  # nothing of the killed rebuild
    reopened.upsert(SearchDoc("item-104", "item", CIVIL, "draft", "临时救助", "遭遇突发困难的家庭可以申请临时救助。", "/i/4"))
    assert found(reopened.search("临时救助")) == {"item-104"}  # the killed writer's lock is gone


# -- what citizens and staff type ----------------------------------------------------------------

FOOD = SearchDoc("item-1", "item", "scjg", "published", "食品经营许可",
                 "从事食品销售和餐饮服务活动，应当依法取得食品经营许可证。申请材料：营业执照、食品安全管理制度。",
                 "/admin/items/1/edit", keywords="开饭店\n开餐馆\n小吃店", department_names="清川县市场监督管理局\n市场监管局",
                 item_type="行政许可", public_url="/items/SCJG-XK-001/", department_name="清川县市场监督管理局",
                 names=("食品经营许可", "清川县市场监督管理局", "市场监管局"))
SHOP = SearchDoc("item-2", "item", "scjg", "published", "个体工商户设立登记",
                 "个体工商户申请设立登记，领取营业执照。材料：经营者身份证明、经营场所证明。", "/admin/items/2/edit",
                 keywords="开店\n办执照", department_names="清川县市场监督管理局\n市场监管局", item_type="行政确认",
                 public_url="/items/SCJG-XK-002/", names=("个体工商户设立登记",))
PERMIT = SearchDoc("item-3", "item", "zjj", "draft", "建筑工程施工许可证核发",
                   "建设单位在开工前申请领取施工许可证。材料：建设工程规划许可证、施工合同。", "/admin/items/3/edit",
                   keywords="开工证\n盖房子", department_names="清川县住房和城乡建设局\n住建局", item_type="行政许可",
                   public_url="", names=("建筑工程施工许可证核发", "清川县住房和城乡建设局", "住建局"))
MARKET_DEPT = SearchDoc("department-1", "department", "scjg", "published", "清川县市场监督管理局",
                        "市场监管局\n3号窗口\n咨询电话 0827-5220301", "/admin/departments/1/edit",
                        department_names="清川县市场监督管理局\n市场监管局", public_url="/departments/scjg/",
                        names=("清川县市场监督管理局", "市场监管局"))
LONG_COMPLAINT = SearchDoc("complaint-1", "complaint", "scjg", "received", "TS-AAAA-BBBB 办许可跑了三趟",
                           "食品经营许可办理，许可窗口要求补交许可材料，许可证迟迟不发，许可科说还要等。" * 5,
                           "/admin/complaints/1", department_names="清川县市场监督管理局\n市场监管局")
HOUSING_COMPLAINT = SearchDoc("complaint-2", "complaint", "zjj", "received", "TS-CCCC-DDDD 施工许可拖延",
                              "施工许可证申请超过承诺时限仍未办结。", "/admin/complaints/2",
                              department_names="清川县住房和城乡建设局\n住建局")
CITIZEN_DOCS = [FOOD, SHOP, PERMIT, MARKET_DEPT, LONG_COMPLAINT, HOUSING_COMPLAINT]


@pytest.fixture(scope="module")
def citizen_index(tmp_path_factory) -> SearchIndex:
    search_index = SearchIndex(tmp_path_factory.mktemp("citizen") / "index")
    search_index.rebuild(CITIZEN_DOCS)
    return search_index


def ids(hits) -> list[str]:
    return [hit.id for hit in hits]


def test_keyword_alias_finds_the_item(citizen_index):
    # The complaint says 食品经营许可 (a synonym of 开饭店) only in its text: synonyms widen a query
    # over names and aliases, so the complaint is not an answer.
    assert ids(citizen_index.search("开饭店")) == ["item-1"]


def test_question_fillers_are_dropped(citizen_index):
    assert ids(citizen_index.search("开饭店要办什么证"))[0] == "item-1"


def test_synonym_of_a_department_finds_it(citizen_index):
    assert ids(citizen_index.search("工商局 电话"))[0] == "department-1"


def test_traditional_characters_are_folded(citizen_index):
    assert ids(citizen_index.search("營業執照"))[:2] == ["item-2", "item-1"]


def test_full_width_letters_are_folded(citizen_index):
    assert ids(citizen_index.search("ｙｙｚｚ"))[0] == "item-2"


def test_pinyin_initials_find_the_name(citizen_index):
    assert ids(citizen_index.search("spjyxk")) == ["item-1"]


def test_full_pinyin_prefix_finds_the_name(citizen_index):
    assert ids(citizen_index.search("shipinjingying")) == ["item-1"]


def test_items_come_before_a_long_complaint_on_common_words(citizen_index):
    # complaint-1 says 许可 eight times in a long text, yet comes last.
    assert ids(citizen_index.search("许可")) == ["item-1", "item-3", "complaint-2", "complaint-1"]


def test_type_complaint_lists_only_complaints(citizen_index):
    assert set(ids(citizen_index.search("类型:投诉 许可"))) == {"complaint-1", "complaint-2"}


def test_type_with_full_width_colon_and_item_type(citizen_index):
    assert ids(citizen_index.search("类型：行政确认 执照")) == ["item-2"]


def test_type_alone_lists_that_kind(citizen_index):
    assert ids(citizen_index.search("类型:部门")) == ["department-1"]


@pytest.mark.parametrize("value", ["住建局", "zjj", "清川县住房和城乡建设局", "住房和城乡建设"])
def test_department_field_by_short_name_code_or_part_of_the_name(citizen_index, value):
    assert set(ids(citizen_index.search(f"部门:{value} 许可"))) == {"item-3", "complaint-2"}


def test_department_field_accepts_a_synonym(citizen_index):
    assert set(ids(citizen_index.search("部门:工商局 执照"))) == {"item-1", "item-2"}


def test_traditional_field_name_works(citizen_index):
    assert set(ids(citizen_index.search("部門:住建局"))) == {"item-3", "complaint-2"}


def test_excluded_word_leaves_records_out(citizen_index):
    assert "item-2" not in ids(citizen_index.search("营业执照 -个体"))
    assert "item-1" in ids(citizen_index.search("营业执照 -个体"))


def test_relaxed_search_ranks_by_how_many_words_matched(citizen_index):
    found_ = citizen_index.find("食品 营业执照 潜水")
    assert found_.relaxed
    assert ids(found_.hits)[0] == "item-1"  # 食品 and 营业执照; item-2 has only 营业执照


def test_snippet_marks_a_synonym_match(citizen_index):
    hit = citizen_index.search("工商局 电话")[0]
    assert "<mark>电话</mark>" in hit.snippet and "<mark>市场监管局</mark>" in hit.snippet


def test_hit_carries_public_url_kind_and_department(citizen_index):
    hit = citizen_index.search("开饭店")[0]
    assert (hit.public_url, hit.kind, hit.department, hit.department_name) == (
        "/items/SCJG-XK-001/", "item", "scjg", "清川县市场监督管理局")


def test_draft_never_published_has_no_public_url(citizen_index):
    assert citizen_index.search("开工证")[0].public_url == ""


def test_homophone_typo_is_corrected(citizen_index):
    assert citizen_index.find("营业只照").suggestions == ("营业执照",)


def test_latin_typo_is_corrected_to_the_name(citizen_index):
    assert citizen_index.find("spjyxl").suggestions == ("食品经营许可",)


def test_no_suggestion_when_enough_is_found(citizen_index):
    assert citizen_index.find("许可").suggestions == ()


def test_suggestion_is_offered_only_if_the_user_may_see_what_it_finds(citizen_index):
    # 施工许可证 is only in 住建局's records; a 市场监管局 clerk typing 施公许可证 gets no hint at it.
    assert citizen_index.find("施公许可证", departments={"zjj"}).suggestions == ("施工许可证",)
    assert citizen_index.find("施公许可证", departments={"scjg"}).suggestions == ()


def test_paging_with_offset_and_total(citizen_index):
    first = citizen_index.find("许可", limit=2)
    second = citizen_index.find("许可", limit=2, offset=2)
    assert first.total == second.total == 4
    assert not set(ids(first.hits)) & set(ids(second.hits))


# -- the user dictionary -----------------------------------------------------------------------

CUT_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from sunshine.search.analysis import analysis
from sunshine.search.index import SearchIndex
before = analysis().segment(sys.argv[2])
SearchIndex(Path(sys.argv[1])).create_or_open()
print("|".join(before), "|".join(analysis().segment(sys.argv[2])))
"""


def test_names_are_stored_with_the_index_and_loaded_by_a_query_process(tmp_path):
    path = tmp_path / "index"
    name = "瓦屋山林场管护站"
    SearchIndex(path).rebuild([SearchDoc("department-9", "department", "wws", "draft", name, "", "/d/9",
                                         names=(name,))])
    assert name in (path / "sunshine-words.txt").read_text(encoding="utf-8").splitlines()
    out = subprocess.run([sys.executable, "-c", CUT_IN_ANOTHER_PROCESS, str(path), name],
                         capture_output=True, text=True, check=True).stdout.split()
    assert out[0] != name and out[1] == name  # cut into pieces before opening, whole after


def test_upsert_adds_a_new_name_to_the_stored_dictionary(tmp_path):
    path = tmp_path / "index"
    search_index = SearchIndex(path)
    search_index.rebuild([])
    search_index.upsert(SearchDoc("item-7", "item", "slj", "draft", "取水许可延续审批", "", "/i/7",
                                  names=("取水许可延续审批",)))
    assert "取水许可延续审批" in (path / "sunshine-words.txt").read_text(encoding="utf-8").splitlines()


# -- nothing found as typed, honest "not found", common words ------------------------------------


def test_homophone_typo_that_finds_nothing_shows_the_corrections_results(citizen_index):
    result = citizen_index.find("开餐官")  # 餐官 sounds like 餐馆
    assert (result.corrected, ids(result.hits)) == ("开餐馆", ["item-1"])


def test_query_found_as_typed_is_not_corrected(citizen_index):
    assert citizen_index.find("开餐馆").corrected == ""


def test_unknown_subject_keeps_text_only_matches_out(citizen_index):
    # 潜水 is in no record: records that only share 证明 in their text are no answer, and a diving
    # licence is not a business licence either, though 执照 names those records: a record must hold
    # more than half of what was asked.
    assert citizen_index.find("潜水证明办理").hits == []
    assert citizen_index.find("潜水执照办理").hits == []


def test_single_character_is_not_required_next_to_longer_words(citizen_index):
    assert ids(citizen_index.search("开饭店在"))[0] == "item-1"  # no record says 在 with 开饭店


@pytest.fixture(scope="module")
def large_index(tmp_path_factory) -> SearchIndex:
    """250 items that all mention 窗口, and one that is about 电梯."""
    docs = [SearchDoc(f"item-{n}", "item", "scjg", "published", f"第{n}号事项", "请到政务服务中心窗口办理。", "/i")
            for n in range(250)]
    docs.append(SearchDoc("item-lift", "item", "scjg", "published", "特种设备使用登记",
                          "电梯投入使用前办理登记。", "/i/lift"))
    search_index = SearchIndex(tmp_path_factory.mktemp("large") / "index")
    search_index.rebuild(docs)
    return search_index


def test_word_most_records_contain_is_left_out(large_index):
    # 窗口 is in 250 of 251 records: 电梯窗口 asks about 电梯.
    assert ids(large_index.search("电梯窗口")) == ["item-lift"]


def test_a_query_of_only_a_common_word_still_searches_it(large_index):
    assert large_index.find("窗口").total == 250


def test_a_code_is_found_exactly_or_not_at_all(citizen_index):
    assert ids(citizen_index.search("TS-AAAA-BBBB")) == ["complaint-1"]
    assert citizen_index.search("TS-AAAA-XXXX") == []  # no record shares 'ts' and 'aaaa' by chance
