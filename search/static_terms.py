"""What the public site's search (Pagefind) indexes for a page: a hidden block of analysed terms.

Pagefind 1.5.2 cuts Chinese one way when it indexes (charabia/jieba) and the browser cuts a query
another way (Intl.Segmenter), so words were lost between the two. Segmentation is therefore taken
away from Pagefind: every Pagefind run indexes the site as a language it neither segments nor stems
(``static_index.INDEX_LANGUAGE``), and each searchable page carries a hidden block whose text is
already the terms of the one analysis (``analysis.py``), separated by spaces:

- ``<p data-pagefind-weight="10">``: the title's terms;
- ``<p data-pagefind-weight="6">``: aliases: keywords, the synonyms of the title, keywords and
  department (``Synonyms.related``) and their pinyin (full and initials);
- ``<p data-pagefind-weight="1">``: the body's terms and the filter tokens.

Pagefind matches every query word as a *prefix* of an indexed word. Each Chinese term of three or
more characters is also indexed with its suffixes of two or more (营业执照 → 业执照, 执照), so any
piece of a query that is a substring of an indexed term finds it, however the browser cut the
query (种设 finds 特种设备). Pages without a block are not indexed at all.

Filters (department, item type, case type, kind) are tokens in the block, not
``data-pagefind-filter`` (which makes Pagefind's output differ from run to run): ``filter_token``
spells a value in hex between a prefix and ``z``, so one token is never a prefix of another and
the search page intersects the pages of each chosen token. Result details (kind, department, time
limit, fee, summary) are ``data-pagefind-meta`` attributes on empty elements. Pagefind indexes meta
values too (and boosts pages whose title matches a query word), so each value is written in
characters Pagefind cannot index (``meta_value``: every UTF-16 unit moved into the private use
planes 15 and 16, none of them a letter, digit, space or emoji) and decoded by the search page.
Base64 was used before: Pagefind split each value into dozens of case-and-digit parts (5LqL6aG5 →
5lq, l6a …) and indexed them all, which cost a third of its peak memory at 10,000 pages
(bench/bench_pagefind_memory.py) and tens of thousands of junk words in the index.

Pure text work: no Flask, no models, no engine.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from .analysis import (
    CJK_RUN,
    Analysis,
    Synonyms,
    analysis,
    fillers,
    fold,
    fold_characters,
    pinyin_terms,
)

TITLE_WEIGHT = 10
ALIAS_WEIGHT = 6
BODY_WEIGHT = 1
#: The weights of pages that mention a subject rather than being it (notices, answered questions).
MENTION_WEIGHTS = (4, 3, 1)
#: A department's other names weigh a little more on its own page than on its items' pages (where
#: a synonym group of the item's name may bring them), so the office comes first for its names.
OFFICE_WEIGHTS = (TITLE_WEIGHT, ALIAS_WEIGHT + 1, BODY_WEIGHT)
#: Filter token prefixes, one per filter the search page offers.
FILTER_PREFIXES = {"department": "fdept", "item_type": "ftype", "case_type": "fcase", "kind": "fkind"}
#: Meta keys a result may carry, in the order they are written.
META_KEYS = ("kind", "title", "dept", "limit", "fee", "summary")
SUMMARY_CHARS = 80
_MIN_SUFFIX = 2
#: The blocks of Chinese characters (``analysis.CJK_RUN``'s), first and last code point.
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@lru_cache(maxsize=1 << 16)
def _pinyin(text: str) -> tuple[str, ...]:
    """pinyin_terms of a text, three letters or more (two, such as sp or gl, would start thousands
    of words: too vague to index). Cached: the same names and synonyms recur on many pages."""
    return tuple(p for p in pinyin_terms(text) if len(p) >= 3)


def filter_token(name: str, value: str) -> str:
    """The index word standing for ``name = value``: ``fdept`` + hex of the value + ``z``.

    Hex never contains ``z``, so no token is a prefix of another (Pagefind matches prefixes) and
    any value, Chinese included, becomes one lower-case word Pagefind keeps whole.
    """
    return FILTER_PREFIXES[name] + value.encode("utf-8").hex() + "z"


def _suffixes(term: str) -> list[str]:
    """营业执照 → 业执照, 执照: the suffixes of 2+ characters of an all-Chinese term of 3+."""
    if len(term) < 3 or not CJK_RUN.fullmatch(term):
        return []
    return [term[i:] for i in range(1, len(term) - _MIN_SUFFIX + 1)]


@lru_cache(maxsize=1 << 16)
def _index_words_of(word: str) -> tuple[str, ...]:
    """What one analysed word adds to a page's words: itself and its suffixes, or nothing (a filler,
    a single Chinese character). Cached: a city's texts have 200,000 words, a few thousand distinct."""
    if word in fillers() or (len(word) < 2 and CJK_RUN.fullmatch(word)):
        return ()
    return (word, *_suffixes(word))


def _text_terms(text: str, engine: Analysis) -> list[str]:
    return list(dict.fromkeys(chain.from_iterable(map(_index_words_of, engine.index_words(text)))))


def terms_of(texts: Iterable[str], engine: Analysis | None = None,
             cache: dict[str, list[str]] | None = None) -> list[str]:
    """The index words of texts, in first-seen order: analysed terms and their suffixes.

    Single Chinese characters are left out (the search page drops them from queries when a longer
    piece exists, and alone they would match every word they start) and so are fillers.
    ``cache``: text → its words, for one build whose dictionary no longer changes (names,
    materials and conditions recur on many pages).
    """
    return list(dict.fromkeys(chain.from_iterable(_words_of_texts(texts, engine or analysis(), cache))))


def _words_of_texts(texts: Iterable[str], engine: Analysis, cache: dict[str, list[str]] | None) -> list[list[str]]:
    """The index words of each text that is not empty (``terms_of`` before the words are merged)."""
    found: list[list[str]] = []
    for text in texts:
        if not text:
            continue
        words = cache.get(text) if cache is not None else None
        if words is None:
            words = _text_terms(text, engine)
            if cache is not None:
                cache[text] = words
        found.append(words)
    return found


@dataclass(frozen=True, slots=True)
class SearchFields:
    """A page as search sees it; the publisher fills one per searchable page."""

    kind: str  # label shown beside the result (事项, 部门 …)
    title: str
    aliases: Sequence[str] = ()  # keywords, short names, everyday names
    body: Sequence[str] = ()
    department: str = ""  # the department's name, for synonyms, pinyin and the result line
    meta: dict[str, str] = field(default_factory=dict)  # limit, fee, summary …
    filters: dict[str, str] = field(default_factory=dict)  # FILTER_PREFIXES name → value
    #: Pagefind weights of title, aliases and body: lower for records that only mention a subject
    #: (a notice, an answered question), so the item or department itself comes first.
    weights: tuple[int, int, int] = (TITLE_WEIGHT, ALIAS_WEIGHT, BODY_WEIGHT)


@dataclass(frozen=True, slots=True)
class PageTerms:
    """The three weighted parts of a page's block, each a list of index words."""

    title: list[str]
    aliases: list[str]
    body: list[str]


def _related(synonyms: Synonyms, text: str, cache: dict | None) -> list[str]:
    """``synonyms.related(text)``, once per build for a text many pages share (a department's name:
    its items' pages). Kept in the build's ``cache`` under a key no text is: (``_related``, text)."""
    if cache is None:
        return synonyms.related(text)
    key = (_related, text)
    found = cache.get(key)
    if found is None:
        found = cache[key] = synonyms.related(text)
    return found


def page_terms(fields: SearchFields, synonyms: Synonyms, engine: Analysis | None = None,
               cache: dict[str, list[str]] | None = None) -> PageTerms:
    """The index words of a page, each word in the heaviest part it belongs to.

    Traditional forms are not added: the query side folds them to simplified.
    """
    engine = engine or analysis()
    title = dict.fromkeys(chain.from_iterable(_words_of_texts([fields.title], engine, cache)))
    related = synonyms.related(" ".join([fields.title, *fields.aliases]))
    # The department's other names (工商局 for 市场监督管理局) belong to its page; on the pages of
    # its items they are body words, so a query for the office finds the office first.
    office = [w for w in _related(synonyms, fields.department, cache) if w not in related] if fields.department else []
    alias_texts = [*fields.aliases, *related]
    aliases = dict.fromkeys(chain(
        chain.from_iterable(_words_of_texts(alias_texts, engine, cache)),
        # Whole alias words too: 开饭店 is cut 开 饭店, but a query typed as one word must match it.
        [fold(a) for a in alias_texts if " " not in a.strip() and len(a.strip()) >= 2],
        *[_pinyin(text) for text in [fields.title, *alias_texts] if text],
    ))
    body = dict.fromkeys(chain(
        chain.from_iterable(_words_of_texts([*fields.body, fields.department, *office], engine, cache)),
        _pinyin(fields.department) if fields.department else (),
        [filter_token(name, value) for name, value in sorted(fields.filters.items()) if value],
    ))
    # Each word in the heaviest part only: removing keeps the order of the words left.
    for word in title:
        aliases.pop(word, None)
        body.pop(word, None)
    for word in aliases:
        body.pop(word, None)
    return PageTerms(list(title), list(aliases), list(body))


def summary_text(texts: Iterable[str], limit: int = SUMMARY_CHARS) -> str:
    """The first ``limit`` characters of the texts joined, whitespace collapsed, with an ellipsis."""
    text = " ".join(" ".join(t.split()) for t in texts if t and t.strip())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Where meta_value puts a UTF-16 unit u: U+F0000 + u (plane 15, private use), except the two units
#: that would land on plane 15's noncharacters (U+FFFFE, U+FFFFF), which go to the start of plane 16.
_META_PLANE = 0xF0000
_META_SPILL = 0x100000
_META_SPILL_FROM = 0xFFFE


class _MetaCharacters(dict):
    """``str.translate``'s table for ``meta_value`` of text in which each character is one UTF-16 unit
    that maps to plane 15 (``_META_PLAIN``): character u → U+F0000 + u."""

    def __missing__(self, code: int) -> str:
        found = self[code] = chr(_META_PLANE + code)
        return found


_META_CHARACTERS = _MetaCharacters()
#: A character that is not one such unit: a surrogate (two units, or none encodable), U+FFFE and up.
_META_NOT_PLAIN = re.compile("[\ud800-\udfff\ufffe-\U0010ffff]")


def meta_value(value: str) -> str:
    """A meta value as the block stores it, in characters Pagefind never indexes.

    Pagefind indexes the letters and digits of meta values (split into case-and-digit parts), so
    each UTF-16 unit of the value becomes one private use character (plane 15 or 16): not a letter,
    digit, space or emoji, so Pagefind finds no word in it and no query matches it. A Chinese
    character takes 4 bytes of UTF-8, as its base64 did. The search page (search.js
    ``decodeMeta``) and ``decode_meta_value`` turn it back.
    """
    if not _META_NOT_PLAIN.search(value):
        return value.translate(_META_CHARACTERS)  # the loop below, in C, for the usual text
    units = value.encode("utf-16-le")
    return "".join(
        chr(_META_PLANE + unit if unit < _META_SPILL_FROM else _META_SPILL + unit - _META_SPILL_FROM)
        for unit in (units[i] | units[i + 1] << 8 for i in range(0, len(units), 2))
    )


def decode_meta_value(encoded: str) -> str:
    """The text of a ``meta_value`` (as read back from a Pagefind fragment's meta).

    Raises ValueError for a character meta_value never writes.
    """
    units = bytearray()
    for ch in encoded:
        code = ord(ch)
        if _META_PLANE <= code < _META_PLANE + _META_SPILL_FROM:
            unit = code - _META_PLANE
        elif _META_SPILL <= code < _META_SPILL + 0x10000 - _META_SPILL_FROM:
            unit = code - _META_SPILL + _META_SPILL_FROM
        else:
            raise ValueError(f"not a search meta value: U+{code:04X}")
        units += unit.to_bytes(2, "little")
    return units.decode("utf-16-le")


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def search_block(fields: SearchFields, synonyms: Synonyms, engine: Analysis | None = None,
                 cache: dict[str, list[str]] | None = None) -> str:
    """The hidden ``data-pagefind-body`` block of a page (HTML, safe to insert as is)."""
    terms = page_terms(fields, synonyms, engine, cache)
    meta = {"kind": fields.kind, "title": fields.title, "dept": fields.department, **fields.meta}
    spans = "".join(
        f'<span data-pagefind-meta="{key}[data-value]" data-value="{meta_value(meta[key])}"></span>'
        for key in META_KEYS if meta.get(key)
    )
    parts = "".join(
        f'<p data-pagefind-weight="{weight}">{_attr(" ".join(words))}</p>'
        for weight, words in zip(fields.weights, (terms.title, terms.aliases, terms.body), strict=True)
        if words
    )
    return f'<div class="search-terms" hidden data-pagefind-body>{spans}{parts}</div>'


def query_data(t2s: dict[str, str], extra_fillers: Iterable[str] = ()) -> bytes:
    """The search page's folding data (``search-data.json``): the t2s map and the fillers.

    Sorted and compact, so the same inputs give the same bytes.
    """
    value = {"version": 1, "fillers": sorted({*fillers(), *extra_fillers}), "t2s": dict(sorted(t2s.items()))}
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def t2s_map(characters: Iterable[str]) -> dict[str, str]:
    """Traditional → simplified for every character folding to one of ``characters``.

    Scans the CJK blocks once (OpenCC, the analysis's fold) and keeps only pairs whose simplified
    form is a character the site indexes, so the map the browser loads stays small.
    """
    wanted = set(characters)
    out: dict[str, str] = {}
    for block_start, block_end in _CJK_BLOCKS:
        # Each character alone (fold_characters): OpenCC converts phrases, and a block is not a phrase.
        block = "".join(map(chr, range(block_start, block_end + 1)))
        for ch, simple in zip(block, fold_characters(block), strict=True):
            if simple != ch and simple in wanted:
                out[ch] = simple
    return out


def pinyin_data() -> bytes:
    """The characters' readings (``search-pinyin.json``): ``{syllable: characters}``, toneless.

    Every character of GB 2312 (the 6,763 in everyday use), at its commonest reading. The search
    page loads it only when a Chinese piece of a query is found nowhere, to look the piece up by
    its sound: a homophone typo (底保) then finds the page whose name has that pinyin (低保).
    """
    from pypinyin import lazy_pinyin

    characters = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    # One call for all: a list is read item by item, each character as it is read alone. Each
    # character has one reading; should one have none, each is read alone to keep them in step.
    syllables = lazy_pinyin(characters, errors="ignore")
    if len(syllables) != len(characters):
        syllables = [(lazy_pinyin(ch, errors="ignore") or [""])[0] for ch in characters]
    readings: dict[str, list[str]] = {}
    for ch, syllable in zip(characters, syllables, strict=True):
        if syllable and syllable.isascii() and syllable.isalpha():
            readings.setdefault(syllable, []).append(ch)
    value = {syllable: "".join(chars) for syllable, chars in sorted(readings.items())}
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
