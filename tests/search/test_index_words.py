"""The analysis's shortcuts give what the plain computation gives.

``Analysis.index_words`` cuts a text into pieces and keeps each piece's words, ``Analysis.run_pinyin``
keeps each run's pinyin forms, the public site's search block keeps each word's index words
(``static_terms._index_words_of``) and merges each part once, synonyms are looked up by word, and
the search data folds and reads characters in one call. Each is checked here against the plain
computation it replaces, over the texts of the search fixtures, awkward texts and random texts.
"""

from __future__ import annotations

import json
import random
import sys

import pytest

from sunshine.search.analysis import (
    _PIECE_BREAK,
    _WORDISH,
    CJK_RUN,
    Analysis,
    Synonyms,
    Term,
    _spelled,
    analysis,
    fillers,
    fold,
    fold_characters,
    pinyin_terms,
    repo_synonyms,
)
from sunshine.search.static_terms import (
    _CJK_BLOCKS,
    SearchFields,
    _suffixes,
    _text_terms,
    filter_token,
    page_terms,
    pinyin_data,
    t2s_map,
    terms_of,
)
from tests.search.conftest import DOCS

NAMES = ["清川县市场监督管理局", "个体工商户设立登记", "县医疗保障事务中心", "建筑工程施工许可证核发"]
AWKWARD = [
    "", " ", "\r\n", "。", "，低保。救助", "ΟΔΟΣ Σ", "İstanbul 营業執照", "a.b c_d 1+1 #x 12%的a&b", "c++/c#",
    "\u3000全角　空格", "①②③", "ＹＹＺＺ１２３", "x\r\ny", "营业执照。。。办理", "𠀀𠀁 中文", "e\u0301",
    "ﬁ营业", "Straße ǅ", "身份证(复印件)；户口簿【原件】", "“一单收费”《办事指南》", "中文…办理——咨询",
    "县政务服务中心，严禁乱收费", "申請營業執照", "开饭馆要办什么证", "\x1c营业\x85执照\u2028",
]
#: Pieces the random texts are made of: words, sub-words, Latin, digits, punctuation, spaces.
PARTS = [
    "营业执照", "政务服务中心", "个体工商户", "设立登记", "申请", "身份证", "复印件", "市场监督管理局", "工商局",
    "县", "的", "了", "怎么", "收费", "服务", "中心", "执照", "身份證", "營業", "ab", "X1", "3.5", "c++", "12%",
    "a&b", "-", ".", "_", "#", ",", "，", "。", "、", ";", "：", " ", "  ", "\r\n", "\n", "\t", "\u3000", "（", "）",
    "(", ")", "《", "》", "“", "”", "'", '"', "/", "…", "—", "①", "ＹＹ", "İ", "Σ", "é", "😀", "𠀀", "\xa0",
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(PARTS) for _ in range(rng.randint(1, 14))) for _ in range(count)]


TEXTS = [*AWKWARD, *NAMES, *(doc.title for doc in DOCS), *(doc.body for doc in DOCS), *_random_texts(3000)]


@pytest.fixture(scope="module")
def engine() -> Analysis:
    return Analysis(NAMES)


def plain_index_terms(engine: Analysis, text: str) -> list[Term]:
    """``index_terms`` as it was written before its rows: one Term a word, one dict entry a character."""
    folded = fold(text)
    terms: list[Term] = []
    starts: dict[int, int] = {}
    spans: set[tuple[int, int]] = set()
    pos, gap = -1, False
    for word, start, end in engine._jieba.tokenize(folded, "default", False):
        if not _WORDISH.search(word):
            gap = gap or not word.isspace()
            continue
        pos += 2 if gap and pos >= 0 else 1
        gap = False
        terms.append(Term(word, pos, start, end))
        spans.add((start, end))
        for offset in range(start, end):
            starts[offset] = pos
    for sub, start, end in engine._dictionary_words(folded):
        if starts.get(start) is not None and (start, end) not in spans:
            terms.append(Term(sub, starts[start], start, end))
    return sorted(terms, key=lambda term: (term.pos, term.start, term.end))


def plain_text_terms(engine: Analysis, text: str) -> list[str]:
    out: dict[str, None] = {}
    for term in engine.index_terms(text):
        word = term.text
        if word in fillers() or (len(word) < 2 and CJK_RUN.fullmatch(word)):
            continue
        out[word] = None
        out.update(dict.fromkeys(_suffixes(word)))
    return list(out)


def plain_run_pinyin(engine: Analysis, run: str) -> tuple[str, ...]:
    whole = _spelled(run)
    if not whole[0]:
        return ()
    out = dict.fromkeys(whole)
    words = {word for word in engine.segment(run) if len(word) >= 2}
    words.update(word for word, _, _ in engine._dictionary_words(run))
    for word in sorted(words):
        out.update(dict.fromkeys(_spelled(word)))
    return tuple(out)


def test_index_terms_are_the_plain_computations(engine):
    for text in TEXTS:
        assert engine.index_terms(text) == plain_index_terms(engine, text), text


def test_index_words_are_the_texts_of_the_index_terms_cold_and_kept(engine):
    for text in TEXTS:
        expected = [term.text for term in plain_index_terms(engine, text)]
        assert engine.index_words(text) == expected, text
        assert engine.index_words(text) == expected, text  # every piece kept now


def test_a_break_stands_alone_and_is_no_word():
    """Every character index_words cuts at is a token of its own, whatever surrounds it, and no word."""
    engine = Analysis()
    breaks = [ch for ch in map(chr, range(sys.maxunicode + 1)) if _PIECE_BREAK.fullmatch(ch)]
    assert len(breaks) > 20
    for ch in breaks:
        assert not _WORDISH.search(ch), repr(ch)
        for left, right in (("营业", "执照"), ("ab", "cd"), ("3", ".5"), ("c+", "+")):
            tokens = [word for word, _, _ in engine._jieba.tokenize(left + ch + right, "default", False)]
            assert ch in tokens and "".join(tokens) == left + ch + right, repr(ch)
            before = tokens[: tokens.index(ch)]
            assert "".join(before) == left, repr(ch)


def test_a_word_added_after_a_piece_was_kept_is_found_in_it():
    engine = Analysis()
    before = engine.index_words("青川县雪藤坝片区，地址")
    engine.add_words(["雪藤坝"])
    after = engine.index_words("青川县雪藤坝片区，地址")
    assert ("雪藤坝" in before, "雪藤坝" in after) == (False, True)
    assert after == [term.text for term in plain_index_terms(engine, "青川县雪藤坝片区，地址")]


def test_search_block_words_are_the_plain_computation(engine):
    cache: dict[str, list[str]] = {}
    for text in TEXTS:
        expected = plain_text_terms(engine, text)
        assert _text_terms(text, engine) == expected, text
        assert terms_of([text, text], engine, cache) == (expected if text else []), text


def test_run_pinyin_is_the_plain_computation_cold_kept_and_after_new_words():
    engine = Analysis()
    runs = list(dict.fromkeys(run for text in TEXTS for run in CJK_RUN.findall(fold(text))))
    for run in runs:
        assert engine.run_pinyin(run) == plain_run_pinyin(engine, run), run
        assert engine.run_pinyin(run) == plain_run_pinyin(engine, run), run
    before = engine.run_pinyin("青川县雪藤坝片区")
    engine.add_words(["雪藤坝"])
    after = engine.run_pinyin("青川县雪藤坝片区")
    assert ("xuetengba" in before, "xuetengba" in after) == (False, True)
    assert after == plain_run_pinyin(engine, "青川县雪藤坝片区")



def plain_related(synonyms: Synonyms, text: str) -> list[str]:
    words = {term.text for term in analysis().index_terms(text)}
    return sorted({word for group in synonyms.groups if not words.isdisjoint(group) for word in group})


def test_related_words_are_the_plain_computation():
    synonyms = repo_synonyms().merged(Synonyms.parse(["营业执照 执照 营业证", "市场监督管理局 市场监管局 工商局", "执照 牌照"]))
    for text in [*TEXTS, "营业证和牌照", "县工商局窗口"]:
        assert synonyms.related(text) == plain_related(synonyms, text), text


def plain_page_terms(fields: SearchFields, synonyms: Synonyms, engine: Analysis) -> tuple[list[str], ...]:
    """``page_terms`` as written before it merged each part once."""
    title = terms_of([fields.title], engine)
    related = synonyms.related(" ".join([fields.title, *fields.aliases]))
    office = [w for w in synonyms.related(fields.department) if w not in related] if fields.department else []
    alias_texts = [*fields.aliases, *related]
    aliases = terms_of(alias_texts, engine)
    aliases += [fold(a) for a in alias_texts if " " not in a.strip() and len(a.strip()) >= 2]
    for text in [fields.title, *alias_texts]:
        aliases += [p for p in pinyin_terms(text) if len(p) >= 3] if text else []
    body = terms_of([*fields.body, fields.department, *office], engine)
    body += [p for p in pinyin_terms(fields.department) if len(p) >= 3] if fields.department else []
    body += [filter_token(name, value) for name, value in sorted(fields.filters.items()) if value]
    seen: set[str] = set()
    parts = []
    for words in (title, aliases, body):
        kept = [w for w in dict.fromkeys(words) if w not in seen]
        seen.update(kept)
        parts.append(kept)
    return tuple(parts)


def test_page_terms_are_the_plain_computation(engine):
    synonyms = Synonyms.parse(["营业执照 执照 营业证", "市场监督管理局 市场监管局 工商局"])
    rng = random.Random(11)
    cache: dict[str, list[str]] = {}
    for _ in range(300):
        fields = SearchFields(
            kind="事项", title=rng.choice(TEXTS), aliases=tuple(rng.sample(TEXTS, rng.randint(0, 3))),
            body=tuple(rng.sample(TEXTS, rng.randint(0, 6))), department=rng.choice(["", *NAMES, "市场监督管理局"]),
            filters={"department": rng.choice(["", "scjgj"]), "kind": "事项"},
        )
        terms = page_terms(fields, synonyms, engine, cache)
        assert (terms.title, terms.aliases, terms.body) == plain_page_terms(fields, synonyms, engine), fields


def test_fold_characters_folds_every_chinese_character_as_fold_does():
    for start, end in _CJK_BLOCKS:
        block = "".join(map(chr, range(start, end + 1)))
        assert fold_characters(block) == [fold(ch) for ch in block]
    odd = "營ＡＢ①\n\u3000ǅİΣ"
    assert fold_characters(odd) == [fold(ch) for ch in odd]  # a line break: one at a time
    assert fold_characters(odd.replace("\n", "")) == [fold(ch) for ch in odd.replace("\n", "")]


def test_t2s_map_is_the_plain_scan():
    wanted = set("营业执照申请个体工商户设立登记县市场监督管理局乾干后")
    plain = {ch: fold(ch) for start, end in _CJK_BLOCKS for ch in map(chr, range(start, end + 1))
             if fold(ch) != ch and fold(ch) in wanted}
    assert t2s_map(wanted) == plain


def test_pinyin_data_reads_each_character_as_alone():
    from pypinyin import lazy_pinyin

    readings: dict[str, list[str]] = {}
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                ch = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            syllable = lazy_pinyin(ch, errors="ignore")
            if syllable and syllable[0].isascii() and syllable[0].isalpha():
                readings.setdefault(syllable[0], []).append(ch)
    assert json.loads(pinyin_data()) == {syllable: "".join(chars) for syllable, chars in readings.items()}
