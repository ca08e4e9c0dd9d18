"""The one Chinese analysis both engines share: folding, cutting, fillers, synonyms, pinyin."""

from __future__ import annotations

from sunshine.search.analysis import (
    Analysis,
    Synonyms,
    analysis,
    fillers,
    fold,
    is_latin_query,
    pinyin_initials,
    pinyin_terms,
    repo_synonyms,
)


def test_fold_turns_traditional_into_simplified():
    assert fold("身份證遺失補辦") == "身份证遗失补办"


def test_fold_makes_full_width_half_width_and_lowercase():
    assert fold("ＹＹＺＺ１２３") == "yyzz123"


def test_fold_keeps_the_length_so_offsets_still_point_into_the_original():
    text = "營業執照①ＡＢ"
    assert len(fold(text)) == len(text)


def test_query_words_drop_question_fillers():
    assert analysis().query_words("开饭馆要办什么证") == ["开", "饭馆", "证"]


def test_query_words_fold_traditional_questions():
    assert analysis().query_words("身份證丟了怎麼辦") == ["身份证", "丢"]


def test_a_query_of_only_fillers_keeps_its_words():
    assert analysis().query_words("怎么办") == ["怎么办"]


def test_synonym_words_are_cut_whole():
    assert analysis().segment("机动车驾驶证换证") == ["机动车驾驶证", "换证"]


def test_added_names_are_cut_whole():
    fresh = Analysis()
    assert fresh.segment("县医疗保障事务中心") != ["县医疗保障事务中心"]
    assert fresh.add_words(["县医疗保障事务中心", "中心", "x"]) == 1
    assert fresh.segment("县医疗保障事务中心地址") == ["县医疗保障事务中心", "地址"]


def test_index_terms_number_words_and_share_positions_with_sub_words():
    terms = {(t.text, t.pos) for t in analysis().index_terms("县政务服务中心，严禁乱收费")}
    assert {("县", 0), ("政务服务中心", 1), ("服务中心", 1), ("中心", 1), ("严禁", 3), ("乱收费", 4), ("收费", 4)} <= terms


def test_punctuation_leaves_a_gap_between_positions():
    positions = [t.pos for t in analysis().index_terms("低保。救助") if t.text in {"低保", "救助"}]
    assert positions == [0, 2]


def test_index_term_offsets_point_into_the_original_text():
    text = "申請營業執照"
    for term in analysis().index_terms(text):
        assert fold(text[term.start : term.end]) == term.text


def test_synonyms_relate_everyday_names_to_the_official_one():
    related = repo_synonyms().related("县工商局窗口")
    assert "市场监督管理局" in related and "市监局" in related


def test_synonym_alternatives_exclude_the_word_itself():
    groups = Synonyms.parse(["机动车驾驶证 驾照 驾驶证"])
    assert groups.alternatives("驾照") == ["机动车驾驶证", "驾驶证"]


def test_synonym_lines_need_two_distinct_words():
    assert Synonyms.parse(["# 注释", "", "驾照 驾照", "低保 最低生活保障"]).groups == (("低保", "最低生活保障"),)


def test_merged_synonyms_keep_repo_groups_first_and_skip_repeats():
    office = Synonyms.parse(["不动产登记 房产证 房本 不动产权证书 过户", "网格员 社区专干"])
    merged = repo_synonyms().merged(office)
    assert merged.groups[: len(repo_synonyms().groups)] == repo_synonyms().groups
    assert merged.groups[-1] == ("网格员", "社区专干")
    assert len(merged.groups) == len(repo_synonyms().groups) + 1


def test_fillers_are_folded():
    assert "怎么" in fillers() and "什么" in fillers()


def test_pinyin_terms_give_full_pinyin_and_initials_of_the_whole_and_its_words():
    assert set(pinyin_terms("营业执照")) == {"yingyezhizhao", "yyzz", "yingye", "yy", "zhizhao", "zz"}


def test_pinyin_initials_ignore_everything_but_chinese():
    assert pinyin_initials("居民身份证（补领）") == "jmsfzbl"


def test_latin_queries_may_be_pinyin():
    assert is_latin_query(["yyzz"]) and not is_latin_query(["营业", "yyzz"]) and not is_latin_query([])


def test_synonyms_relate_whole_words_only():
    assert "市场监督管理局" not in repo_synonyms().related("个体工商户设立登记")
