"""Snippets for search results: a window of the text with the query's words marked.

Output is HTML: every match wrapped in <mark>…</mark>, everything else escaped, so templates can
insert it as is. Pure string work: this module never imports Flask, the models or the engine.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape

ELLIPSIS = "…"


def _match_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Every occurrence of any term in text, overlapping ones merged, in order."""
    folded = text.lower()
    if len(folded) != len(text):  # a few letters change length when lowercased
        folded = text
    spans: list[tuple[int, int]] = []
    for term in {t.lower() for t in terms if t}:
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
