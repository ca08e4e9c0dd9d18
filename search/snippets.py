"""Snippets for search results: a window of the text with the query's words marked.

Output is HTML: every match wrapped in <mark>…</mark>, everything else escaped, so templates can
insert it as is. Pure string work: this module never imports Flask, the models or the engine.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from html import escape

ELLIPSIS = "…"
_LATIN = re.compile(r"[A-Za-z0-9]")


def _pattern(terms: Collection[str]) -> re.Pattern[str] | None:
    """One regex for all terms, longest first; Latin words and numbers only match whole."""
    alternatives = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        pattern = re.escape(term)
        if _LATIN.match(term[0]):
            pattern = rf"(?<![A-Za-z0-9]){pattern}"
        if _LATIN.match(term[-1]):
            pattern = rf"{pattern}(?![A-Za-z0-9])"
        alternatives.append(pattern)
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _match_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Where the terms occur in text, in order, without overlaps."""
    pattern = _pattern(terms)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def make_snippet(text: str, terms: Collection[str], *, width: int = 120, before: int = 20) -> str:
    """HTML snippet of about ``width`` characters of text, starting shortly before the first match.

    Without a match, the snippet is the start of the text.
    """
    text = " ".join(text.split())
    spans = _match_spans(text, terms)
    start = max(0, spans[0][0] - before) if spans else 0
    end = min(len(text), start + width)
    if spans and spans[0][1] > end:  # a very long match: show it whole
        end = spans[0][1]
    parts = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)
