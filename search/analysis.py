"""The one Chinese analysis of Sunshine's search: what both engines index and what they look up.

The back-office index (Whoosh, ``search/index.py``) and the public site's index (Pagefind,
``search/static_terms.py``) both take their terms from here, so a word is cut, folded and widened
the same way in a page, in the back office and in a query:

- **folding**: full-width forms to half-width (NFKC), letters lowercased, traditional characters to
  simplified (OpenCC ``t2s``), character for character so offsets still point into the original;
- **segmentation**: rjieba (jieba's cut, same output, several times faster) without HMM word
  guessing, with a user dictionary of domain terms, synonym words and words from the data
  (department names, item names, fee names), so names are cut whole;
- **index terms**: the words, numbered by word so phrase queries work, plus every dictionary word of
  two or more Chinese characters inside or across them, at the position of the word it starts in;
- **query words**: the words of a query without punctuation and without the fillers of a question
  (了, 要, 怎么, 什么 …: ``data/fillers.txt``);
- **synonyms**: groups of equivalent words (``data/synonyms.txt``, extended by offices in the back
  office); a record containing one word of a group is indexed with all of them;
- **pinyin**: full pinyin and initials of names (pypinyin), for queries typed as ``yyzz``.

Pure text work: never imports Flask, the models or an engine.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from .terms import DOMAIN_TERMS

DATA_DIR = Path(__file__).parent / "data"
SYNONYMS_FILE = DATA_DIR / "synonyms.txt"
FILLERS_FILE = DATA_DIR / "fillers.txt"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_WORD = re.compile(f"[{_CJK}]{{2,}}")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
#: A word needs a letter, digit or Chinese character; punctuation and spaces are not words.
_WORDISH = re.compile(rf"[\w{_CJK}]")

_lock = threading.Lock()  # the shared analysis's creation
_t2s_lock = threading.Lock()  # one OpenCC converter, not known to be thread-safe


# -- folding --------------------------------------------------------------------------------------


@cache
def _t2s():  # noqa: ANN202 - opencc ships no type information
    import opencc

    return opencc.OpenCC("t2s")


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    # One character in, one out, so offsets into the folded text are offsets into the original.
    if len(folded) == 1:
        return folded
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


class _FoldedCharacters(dict):
    """``_fold_char`` of each character met, by code point: ``str.translate``'s table for texts that
    are not already folded (full-width punctuation: a city's build folded 200,000 characters one
    Python call at a time). Each value is one character, the one ``_fold_char`` gives."""

    def __missing__(self, code: int) -> str:
        found = self[code] = _fold_char(chr(code))
        return found


_FOLDED_CHARACTERS = _FoldedCharacters()


#: Texts up to this long are folded once per process: names, materials and fees recur on thousands of
#: pages (a city build folded 200,000 texts); longer ones are rarely seen twice.
_FOLD_CACHED = 64


def fold(text: str) -> str:
    """Half-width, lower-case, simplified text of the same length as ``text``."""
    if len(text) <= _FOLD_CACHED:
        return _fold_short(text)
    return _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text) and unicodedata.is_normalized("NFKC", text):
        half = lowered  # the common case, without a call per character
    else:
        half = text.translate(_FOLDED_CHARACTERS)  # "".join(_fold_char(ch) for ch in text), in C
    with _t2s_lock:
        simplified = _t2s().convert(half)
    return simplified if len(simplified) == len(half) else half


def fold_characters(characters: str) -> list[str]:
    """``fold`` of each character of ``characters``, with one OpenCC conversion for them all.

    The search data folds the 28,000 characters of the CJK blocks, which took a tenth of a second
    one call each. OpenCC converts phrases, so the characters are converted apart, one a line:
    its dictionaries have no phrase across a line break (tests/search/test_index_words.py checks
    every CJK character). Each is folded alone when a line break is among them or the lines do not
    come back one a character.
    """
    halves = characters.translate(_FOLDED_CHARACTERS)  # ``_fold``'s half-width form of one character
    if "\n" not in halves:
        with _t2s_lock:
            lines = _t2s().convert("\n".join(halves)).split("\n")
        if len(lines) == len(halves):
            return [line if len(line) == 1 else half for line, half in zip(lines, halves, strict=True)]
    return [fold(ch) for ch in characters]


def _read_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@cache
def fillers() -> frozenset[str]:
    """The question fillers removed from queries (``data/fillers.txt``), folded."""
    return frozenset(fold(word) for word in _read_lines(FILLERS_FILE))


# -- synonyms -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Groups of equivalent words; the first word of a group is its official name."""

    groups: tuple[tuple[str, ...], ...] = ()
    #: The groups of each group word (``related`` looks its words up, not every group).
    _by_word: dict[str, list[tuple[str, ...]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_word: dict[str, list[tuple[str, ...]]] = {}
        for group in self.groups:
            for word in group:
                by_word.setdefault(word, []).append(group)
        object.__setattr__(self, "_by_word", by_word)

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Synonyms:
        """Groups from lines of space-separated words (``#`` comments and blanks skipped).

        A group of fewer than two distinct words says nothing and is dropped.
        """
        groups = []
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            words = tuple(dict.fromkeys(fold(w) for w in line.split() if w.strip()))
            if len(words) >= 2:
                groups.append(words)
        return cls(tuple(groups))

    def merged(self, other: Synonyms) -> Synonyms:
        return Synonyms(self.groups + tuple(g for g in other.groups if g not in self.groups))

    def words(self) -> frozenset[str]:
        return frozenset(word for group in self.groups for word in group)

    def related(self, text: str) -> list[str]:
        """Every word of each group one of whose words is a word of text, sorted.

        Words and the dictionary words inside them, never any substring: 市场监督管理局 is found
        in 清川县市场监督管理局 (a name cut whole), but a group word must be a dictionary word where
        it is found, and short ambiguous words are kept out of the groups (工商 of 个体工商户 is not
        the office). Words already in the text are included: callers index them as aliases anyway.
        """
        by_word = self._by_word
        found: set[str] = set()
        for word in by_word.keys() & set(analysis().index_words(text)):
            for group in by_word[word]:
                found.update(group)
        return sorted(found)

    def alternatives(self, word: str) -> list[str]:
        """The other words of the groups this word belongs to (for widening a query)."""
        found: dict[str, None] = {}
        for group in self.groups:
            if word in group:
                found.update((w, None) for w in group if w != word)
        return list(found)


@cache
def repo_synonyms() -> Synonyms:
    """The synonym groups kept in the repository (``data/synonyms.txt``)."""
    return Synonyms.parse(_read_lines(SYNONYMS_FILE))


# -- segmentation ---------------------------------------------------------------------------------


class Word(NamedTuple):
    """A word of a text: its folded form and its character span in the original."""

    text: str
    start: int
    end: int


class Term(NamedTuple):
    """An index term: a word or a dictionary word inside it, with the word's position."""

    text: str
    pos: int
    start: int
    end: int


def _is_word(text: str) -> bool:
    return bool(_WORDISH.search(text))


#: Runs of Chinese characters whose dictionary words one analysis keeps. A web process indexes citizens'
#: texts too, so the memory is bounded: the first runs met are kept (a city's synthetic build meets 2,325).
_RUN_WORDS_KEPT = 20_000
#: Characters at which ``index_words`` cuts a folded text into pieces analysed (and kept) one by one.
#: Each is outside the characters jieba joins into a block (Chinese, ASCII letters, digits, +#&._%-)
#: and is no word, so it stands alone between the words of both sides, which are cut as if it were
#: the text's end and start, and adds no word itself (tests/search/test_index_words.py).
_PIECE_BREAK = re.compile(r"[\s,;:?!()\[\]{}<>\"'/、。“”‘’《》【】]+")
#: Pieces whose words one analysis keeps, about 400 bytes each (every text of a 10,000-item city
#: snapshot has 24,000 distinct pieces).
_PIECE_WORDS_KEPT = 30_000


class Analysis:
    """A segmenter with its user dictionary; add words before indexing and querying with them.

    Words are only ever added, never removed, so a longer-lived process cuts at least as well as
    the one that indexed; the index still holds every dictionary sub-word, so a name cut whole in a
    query still matches a page indexed before the name was known.
    """

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        self._known: set[str] = set()
        self._offered: set[str] = set()  # words as given, before folding
        self._lock = threading.Lock()
        #: Each run of Chinese characters' dictionary words met, by the run: the same sentences,
        #: materials and names recur on thousands of pages. A new dict whenever the dictionary grows.
        self._run_words: dict[str, tuple[tuple[str, int], ...]] = {}
        #: Each piece's index words (``index_words``), by the piece; a new dict whenever the dictionary grows.
        self._piece_words: dict[str, tuple[str, ...]] = {}
        #: Each run's pinyin forms (``run_pinyin``), by the run; a new dict whenever the dictionary grows.
        self._run_pinyin: dict[str, tuple[str, ...]] = {}
        self.add_words((*DOMAIN_TERMS, *repo_synonyms().words(), *user_words))

    def add_words(self, words: Iterable[str]) -> int:
        """Add words (names, synonyms) to the dictionary; returns how many it did not have.

        Only words of two or more characters with a Chinese character are added: a Latin word or
        a single character is cut the same way without help.
        """
        new = []
        for word in words:
            if word in self._offered:  # a running publisher offers the same ten thousand names each build
                continue
            self._offered.add(word)
            word = fold(word.strip())
            if len(word) >= 2 and CJK_RUN.search(word) and word not in self._known and " " not in word:
                new.append(word)
        added = 0
        with self._lock:
            for word in new:
                if word in self._known:
                    continue
                self._known.add(word)
                # A word the dictionary has keeps its frequency: re-adding it would change how
                # everything around it is cut.
                if not self._jieba.has_word(word):
                    self._jieba.add_word(word, None, None)
                    added += 1
            if added:
                # After the words are in: a cut made before them went into the dict dropped here.
                self._run_words = {}
                self._piece_words = {}
                self._run_pinyin = {}
        return added

    def words(self, text: str) -> list[Word]:
        """The words of text (folded), without punctuation and whitespace."""
        folded = fold(text)
        out = []
        for word, start, end in self._jieba.tokenize(folded, "default", False):
            if _is_word(word) and not word.isspace():
                out.append(Word(word, start, end))
        return out

    def segment(self, text: str) -> list[str]:
        """The folded words of text."""
        return [word.text for word in self.words(text)]

    def index_terms(self, text: str) -> list[Term]:
        """What an index stores for text: the words numbered by word, and dictionary sub-words.

        Punctuation between words leaves one empty position, so a phrase never matches across it.
        A dictionary word found inside or across words (服务中心 in 政务服务中心) gets the position
        of the word it starts in, so a query word matches it and a phrase still lines up.
        """
        return [Term(word, pos, start, end) for pos, start, end, word in self._index_rows(fold(text))]

    def index_words(self, text: str) -> list[str]:
        """The texts of ``index_terms(text)``, in the same order, without their positions: what the
        public site's search block and the synonyms take of a text.

        The folded text is cut at ``_PIECE_BREAK`` characters, which end any piece jieba cuts and
        are no word: its words are each piece's words one after the other. A piece's words are kept
        (``_piece_words``): clauses recur across texts (a city's 280,000 characters of distinct
        texts are 27,000 of distinct pieces), and the texts' own cache cannot see inside a text.
        """
        known = self._piece_words
        out: list[str] = []
        for piece in _PIECE_BREAK.split(fold(text)):
            if not piece:
                continue
            words = known.get(piece)
            if words is None:
                words = tuple(row[3] for row in self._index_rows(piece))
                if len(known) < _PIECE_WORDS_KEPT:
                    known[piece] = words
            out += words
        return out

    def _index_rows(self, folded: str) -> list[tuple[int, int, int, str]]:
        """``index_terms`` of a folded text as (pos, start, end, text) rows, in index order.

        Rows as tuples sort by position, then span (two rows of one span have the same text).
        """
        rows: list[tuple[int, int, int, str]] = []
        starts: dict[int, int] = {}  # character offset inside a word → the word's position
        ends: dict[int, int] = {}  # a word's start → its end
        pos = -1
        gap = False
        for word, start, end in self._jieba.tokenize(folded, "default", False):
            # isalnum: a word for sure, without the pattern (most words are all letters or Chinese).
            if not word.isalnum() and not _WORDISH.search(word):
                gap = gap or not word.isspace()
                continue
            pos += 2 if gap and pos >= 0 else 1
            gap = False
            rows.append((pos, start, end, word))
            ends[start] = end
            for offset in range(start, end):
                starts[offset] = pos
        for sub, start, end in self._dictionary_words(folded):
            pos_of = starts.get(start)
            if pos_of is not None and ends.get(start) != end:
                rows.append((pos_of, start, end, sub))
        rows.sort()
        return rows

    def _dictionary_words(self, folded: str) -> list[tuple[str, int, int]]:
        """Every dictionary word of 2+ Chinese characters in the text, with its span."""
        found = []
        known = self._run_words
        for run in CJK_RUN.finditer(folded):
            begin = run.start()
            if run.end() - begin < 2:
                continue
            chunk = run.group()
            words = known.get(chunk)
            if words is None:
                words = self._run_dictionary_words(chunk)
                if len(known) < _RUN_WORDS_KEPT:
                    known[chunk] = words
            found.extend((word, begin + at, begin + at + len(word)) for word, at in words)
        return found

    def _run_dictionary_words(self, chunk: str) -> tuple[tuple[str, int], ...]:
        """The dictionary words of 2+ characters in a run of Chinese characters, with their offsets."""
        found = []
        previous = 0
        for word in self._jieba.cut_all(chunk):
            # cut_all lists words by where they start, every word at each start: the first
            # occurrence at or after the previous word's start is this word's own.
            at = chunk.find(word, previous)
            if at < 0:
                continue
            previous = at
            if len(word) >= 2 and _CJK_WORD.fullmatch(word):
                found.append((word, at))
        return tuple(found)

    def run_pinyin(self, run: str) -> tuple[str, ...]:
        """``pinyin_terms`` of one run of Chinese characters, before the one-letter forms are dropped:
        the whole run's spellings, then each of its words' (by this dictionary), each once.

        Kept by the run until the dictionary grows: a city's names and synonyms have 7,000 runs, 500
        distinct, and cutting a run again and again cost as much as spelling it.
        """
        known = self._run_pinyin
        found = known.get(run)
        if found is not None:
            return found
        whole = _spelled(run)
        if not whole[0]:
            found = ()
        else:
            out = dict.fromkeys(whole)
            words = {word for word in self.segment(run) if len(word) >= 2}
            words.update(word for word, _, _ in self._dictionary_words(run))
            for word in sorted(words):
                if len(word) >= 2:
                    out.update(dict.fromkeys(_spelled(word)))
            found = tuple(out)
        if len(known) < _RUN_WORDS_KEPT:
            known[run] = found
        return found

    def query_words(self, text: str) -> list[str]:
        """The words to look up for a query: folded, without punctuation and question fillers.

        A query of nothing but fillers (怎么办) keeps its words: it is what the user wants.
        """
        words = list(dict.fromkeys(self.segment(text)))
        kept = [word for word in words if word not in fillers()]
        return kept or words


_default: Analysis | None = None


def analysis() -> Analysis:
    """The process's shared analysis (domain terms and the repository's synonym words loaded)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Analysis()
    return _default


# -- pinyin ---------------------------------------------------------------------------------------


def pinyin_terms(text: str) -> list[str]:
    """Pinyin forms of a name: full pinyin and initials, of the whole and of each word.

    ``营业执照`` → ``yingyezhizhao``, ``yyzz``, ``yingye``, ``zhizhao``, ``yy``, ``zz``. Only the
    Chinese characters count (tone marks dropped, heteronyms read as pypinyin's first reading).
    """
    engine = analysis()
    found = dict.fromkeys(chain.from_iterable(map(engine.run_pinyin, CJK_RUN.findall(fold(text)))))
    return [term for term in found if len(term) >= 2]


@lru_cache(maxsize=1 << 17)
def _spelled(chinese: str) -> tuple[str, str]:
    """Full pinyin and initials of a run of Chinese characters. Cached: pypinyin took a tenth of a
    city build, and the same words (营业执照, 申请表) recur on thousands of pages."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(chinese, errors="ignore")
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def pinyin_initials(text: str) -> str:
    """The initials of the Chinese characters in text (``营业执照`` → ``yyzz``)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin("".join(CJK_RUN.findall(fold(text))), style=Style.FIRST_LETTER, errors="ignore"))


def is_latin_query(words: Iterable[str]) -> bool:
    """True when every word is letters/digits only: it may be pinyin."""
    words = list(words)
    return bool(words) and all(_LATIN_WORD.fullmatch(word) for word in words)
