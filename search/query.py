"""Turning what a user typed into a Whoosh query over the title and body fields.

Whoosh's syntax is kept ("quoted phrases", AND/OR/NOT, prefix*), Chinese runs are cut into
words first so each word may match in either field, and input that does not parse becomes a
query of its plain words: nothing here raises on bad syntax. Never imports Flask or the models.
"""

from __future__ import annotations

import logging
import re

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.query import And, NullQuery, Or, Query, Term

from .analyzer import segment

log = logging.getLogger(__name__)

TEXT_FIELDS: tuple[str, ...] = ("title", "body")

# Quotes and spaces a Chinese input method produces, mapped to the ASCII ones Whoosh knows.
_NORMALIZE = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"', "\u3000": " "})
_QUOTED = re.compile(r'"[^"]*"?')
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalize(text: str) -> str:
    """Map full-width quotes and spaces to ASCII, strip the ends."""
    return text.translate(_NORMALIZE).strip()


def _split_chinese(text: str) -> str:
    """Put spaces between the words of Chinese runs outside quotes (县政务服务中心 → 县 政务服务中心)."""

    def cut(match: re.Match[str]) -> str:
        return " ".join(segment(match.group())) or match.group()

    out, last = [], 0
    for quoted in _QUOTED.finditer(text):
        out.append(_CJK_RUN.sub(cut, text[last : quoted.start()]))
        out.append(quoted.group())
        last = quoted.end()
    out.append(_CJK_RUN.sub(cut, text[last:]))
    return "".join(out)


def plain_query(text: str, *, conjunctive: bool = True) -> Query | None:
    """The words of text, each in title or body, all (or any) of them; None if no words."""
    words = segment(text)
    if not words:
        return None
    per_word = [Or([Term(field, word) for field in TEXT_FIELDS]) for word in dict.fromkeys(words)]
    return (And if conjunctive else Or)(per_word).normalize()


def parse_query(text: str, schema: Schema, *, conjunctive: bool = True) -> Query | None:
    """Parse user input; words are ANDed (or ORed). None when there is nothing to search."""
    text = normalize(text)
    if not text:
        return None
    group = qparser.AndGroup if conjunctive else qparser.OrGroup
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=group)
    try:
        parsed = parser.parse(_split_chinese(text))
    except Exception:  # Whoosh's parser is lenient, but user input must never raise
        log.info("unparsable query %r, searching its plain words", text, exc_info=True)
        return plain_query(text, conjunctive=conjunctive)
    if parsed is None or isinstance(parsed, type(NullQuery)):
        return plain_query(text, conjunctive=conjunctive)
    return parsed


def query_terms(query: Query) -> set[str]:
    """The words a query looks for in the text fields, for marking them in snippets."""
    terms: set[str] = set()
    for field, text in query.iter_all_terms(phrases=True):
        if field in TEXT_FIELDS:
            terms.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
    return terms
