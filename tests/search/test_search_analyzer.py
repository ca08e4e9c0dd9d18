"""The Chinese analyzer: how text becomes index terms."""

from __future__ import annotations

import pickle
import subprocess
import sys

from sunshine.search.analyzer import chinese_analyzer, segment
from sunshine.search.terms import DOMAIN_TERMS


def tokens(text: str, **options):
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in chinese_analyzer()(text, positions=True, chars=True, **options)
    ]


def test_positions_count_words_not_characters():
    words = [(text, pos) for text, pos, _, _ in tokens("申请临时救助", mode="query")]
    assert words == [("申请", 0), ("临时", 1), ("救助", 2)]


def test_dictionary_words_inside_a_word_share_its_position():
    index_tokens = {(text, pos) for text, pos, _, _ in tokens("县政务服务中心")}
    assert {("政务服务中心", 1), ("政务", 1), ("服务", 1), ("服务中心", 1), ("中心", 1)} <= index_tokens


def test_query_mode_emits_only_the_words():
    assert [text for text, _, _, _ in tokens("县政务服务中心", mode="query")] == ["县", "政务服务中心"]


def test_character_offsets_are_kept_for_highlighting():
    text = "严禁乱收费"
    for word, _, start, end in tokens(text):
        assert text[start:end] == word


def test_punctuation_and_whitespace_are_dropped():
    assert segment("低保、 临时救助！（）…… ") == ["低保", "临时", "救助"]


def test_latin_letters_are_lowercased():
    assert segment("ISO9001认证 PDF") == ["iso9001", "认证", "pdf"]


def test_domain_terms_are_cut_whole():
    for term in DOMAIN_TERMS:
        assert segment(term) == [term]


def test_analyzer_survives_pickling_as_whoosh_stores_it_in_the_index():
    analyzer = chinese_analyzer()
    assert pickle.loads(pickle.dumps(analyzer)) == analyzer


def test_jieba_dictionary_loads_quietly():
    code = "from sunshine.search.analyzer import segment; print(segment('即办件'))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['即办件']"
    assert run.stderr == ""


def test_a_word_added_after_a_run_was_cut_is_found_in_it():
    """The dictionary words of each run are kept (Analysis._run_words) until the dictionary grows."""
    from sunshine.search.analysis import Analysis

    engine = Analysis()
    before = [word for word, _start, _end in engine._dictionary_words("青川县雪藤坝片区")]
    engine.add_words(["雪藤坝"])
    after = [word for word, _start, _end in engine._dictionary_words("青川县雪藤坝片区")]
    assert ("雪藤坝" in before, "雪藤坝" in after) == (False, True)
