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


def test_title_match_ranks_above_body_match(index):
    hits = index.search("投诉")
    assert hits[0].id == "notice-202"  # 效能投诉受理办法: in the title and the body


def test_all_words_must_match_when_some_record_has_all(index):
    assert found(index.search("食品 许可证")) == {"item-102"}


def test_falls_back_to_any_word_when_no_record_has_all(index):
    assert found(index.search("低保 餐饮")) == {"item-102", "item-103"}


def test_latin_letters_match_regardless_of_case(tmp_path):
    search_index = SearchIndex(tmp_path / "index")
    search_index.upsert(
        SearchDoc("item-9", "item", "", "published", "ISO9001认证咨询", "质量体系", "/i/9")
    )
    assert found(search_index.search("iso9001")) == {"item-9"}


def test_hit_carries_the_stored_fields(index):
    (hit,) = index.search("食品经营")
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
    assert found(index.search('"效能投诉')) == {"notice-202"}


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
    assert [hit.title for hit in index.search("食品经营")] == ["食品经营许可（新办）"]
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
