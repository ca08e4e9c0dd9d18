"""Chinese text analysis for Whoosh, built on jieba.

Index mode emits jieba's words (numbered by word, not by character offset, so phrase queries
work) plus every dictionary word of two or more Chinese characters found in the text, at the
position of the word it starts in; query mode emits the words alone. Punctuation and whitespace
are dropped, letters lowercased. This module never imports Flask or the models.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterator

from whoosh.analysis import Analyzer, LowercaseFilter, Token, Tokenizer

from .terms import DOMAIN_TERMS

with warnings.catch_warnings():
    # jieba 0.42.1 warns on import: invalid escape sequences (Python 3.12+, first compile) and
    # its use of the deprecated pkg_resources. Nothing to act on; keep test output clean.
    for category in (SyntaxWarning, DeprecationWarning, UserWarning):
        warnings.simplefilter("ignore", category)
    import jieba

# Hidden Markov word discovery is off: it guesses words from context, so the same string could
# be cut one way in a page and another way in a query, and then never match.
_HMM = False
_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")

_lock = threading.Lock()
_segmenter: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    """Return the shared jieba tokenizer, loading its dictionary once, quietly."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                jieba.setLogLevel(logging.WARNING)
                segmenter = jieba.Tokenizer()
                segmenter.initialize()
                for word in DOMAIN_TERMS:
                    segmenter.add_word(word)
                _segmenter = segmenter
    return _segmenter


def _is_word(text: str) -> bool:
    """True unless the text is only whitespace or punctuation."""
    return any(ch.isalnum() for ch in text)


def _words(text: str, start_pos: int = 0) -> list[tuple[str, int, int, int]]:
    """jieba's words as (text, position, start, end), whitespace and punctuation dropped.

    Punctuation leaves a gap in the positions, so a phrase never matches across it.
    """
    words = []
    pos = start_pos
    for word, start, end in _jieba().tokenize(text, mode="default", HMM=_HMM):
        if _is_word(word):
            words.append((word, pos, start, end))
            pos += 1
        elif not word.isspace() and words and words[-1][1] == pos - 1:
            pos += 1
    return words


def _dictionary_words(text: str) -> dict[int, list[tuple[int, int]]]:
    """Every dictionary word of 2+ Chinese characters in text, as spans keyed by start."""
    segmenter = _jieba()
    dag = segmenter.get_DAG(text)
    spans: dict[int, list[tuple[int, int]]] = {}
    for start, ends in dag.items():
        for end in ends:
            if end > start and _CJK_WORD.fullmatch(text, start, end + 1):
                spans.setdefault(start, []).append((start, end + 1))
    return spans


def segment(text: str) -> list[str]:
    """Cut text into lowercased query words, as the analyzer does in query mode."""
    return [word.lower() for word, _, _, _ in _words(text)]


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer cutting Chinese with jieba; positions count words, not characters.

    Punctuation between words leaves one empty position, so phrases stop at it.

    In index mode a dictionary word found inside or across jieba's words (服务中心 in
    政务服务中心, 建筑工程 in 建筑/工程施工) gets the position of the word it starts in, so a
    query word matches it and a phrase of consecutive words still lines up.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield self._fill(token, value, start_pos, start_char, start_char + len(value))
            return
        extra = _dictionary_words(value) if mode != "query" else {}
        for word, pos, start, end in _words(value, start_pos):
            yield self._fill(token, word, pos, start_char + start, start_char + end, keeporiginal)
            for sub_start in range(start, end):
                for s, e in extra.get(sub_start, ()):
                    if (s, e) != (start, end):
                        text = value[s:e]
                        yield self._fill(
                            token, text, pos, start_char + s, start_char + e, keeporiginal
                        )

    @staticmethod
    def _fill(
        token: Token, text: str, pos: int, startchar: int, endchar: int, keeporiginal: bool = True
    ) -> Token:
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text
        if token.positions:
            token.pos = pos
        if token.chars:
            token.startchar = startchar
            token.endchar = endchar
        return token


def chinese_analyzer() -> Analyzer:
    """The analyzer for Chinese text fields (title, body) of the back-office index."""
    return ChineseTokenizer() | LowercaseFilter()
