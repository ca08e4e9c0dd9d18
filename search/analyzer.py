"""The Whoosh side of the one analysis (``search/analysis.py``): a tokenizer Whoosh can store.

Index mode emits the analysis's index terms (words numbered by word, so phrase queries work, and
the dictionary words inside them at the word's position); query mode emits the words alone.
Whoosh pickles the analyzer into the index's schema, so the tokenizer holds no state: it asks the
process's shared analysis, whose dictionary the index extends with the words of its data.
This module never imports Flask or the models.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Analyzer, Token, Tokenizer

from .analysis import analysis


def segment(text: str) -> list[str]:
    """Cut text into folded query words, as the analyzer does in query mode."""
    return analysis().segment(text)


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer on the shared analysis; positions count words, not characters."""

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
            yield self._fill(token, value, start_pos, start_char, start_char + len(value), keeporiginal)
            return
        if mode == "query":
            for pos, word in enumerate(analysis().words(value)):
                yield self._fill(token, word.text, start_pos + pos, start_char + word.start,
                                 start_char + word.end, keeporiginal)
            return
        for term in analysis().index_terms(value):
            yield self._fill(token, term.text, start_pos + term.pos, start_char + term.start,
                             start_char + term.end, keeporiginal)

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
    """The analyzer for Chinese text fields of the back-office index (folding is the analysis's)."""
    return ChineseTokenizer()
