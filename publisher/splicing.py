"""Splice decoding: decode only the bytes of a snapshot that changed since this process's last one.

A running publisher decodes one city snapshot after another (30 MB, ten thousand items) where a
clerk's save changed one item: decoding it whole took a fifth of a second, and interning then
hashed and freed ten thousand new records equal to the last ones. The bytes of an unchanged record
are the same bytes as last time, usually at the same place or shifted by what changed before it.

So each record of the last snapshot's top-level lists is remembered with the bytes it was decoded
from (a slice of the last snapshot, kept). The next snapshot's bytes are searched for those slices
in order; each one found is replaced by a unique number (a placeholder), and what is left — the
changed records, the other top-level values, the separators — is decoded, a few kilobytes. Every
placeholder must then be found exactly once, as an element of a top-level list, where the last
snapshot's object is put back. JSON is context-free: a complete value replaced by another complete
value leaves every other token where it was, so the result is what decoding the whole gives, with
unchanged records being the very objects of last time. Anything else (a slice found inside a string,
a placeholder elsewhere, bytes that do not decode) falls back to decoding the whole.

The invariant, for every remembered record: decoding its bytes alone gives exactly that object (the
same types, values and key order). After a whole decode the records' bytes are found by encoding each
record the ways snapshots are written (orjson or json, compact or indented) and checking that those
very bytes are there; a record whose bytes are not found is simply decoded every time.
Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import json
import operator
import secrets
import threading
from collections.abc import Callable
from typing import Any

import orjson

#: How far past its expected place an unchanged record's bytes are searched (what changed before it
#: may have grown by that much).
WINDOW = 1 << 20
#: A record found this close after the last one found is taken (a separator and white space between).
_NEAR = 64
#: More records not found than this: most of the snapshot changed, decode it whole.
MAX_MISSES = 2048
#: Placeholders are 18-digit numbers sharing their first 12 digits (``_PREFIX_DIGITS``).
_PREFIX_DIGITS = 12

#: (start, end, record): the bytes ``raw[start:end]`` of the remembered snapshot decode to ``record``.
Span = tuple[int, int, Any]

#: The ways a record of a top-level list is written: orjson or json, compact or indented by two
#: spaces (a record of a top-level list then sits at depth 2: four more spaces on each line).
ENCODERS: tuple[Callable[[Any], bytes], ...] = (
    orjson.dumps,
    lambda record: json.dumps(record, ensure_ascii=False).encode("utf-8"),
    lambda record: orjson.dumps(record, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    "),
    lambda record: json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    ").encode("utf-8"),
)
#: How far before a list's first record its bytes are searched for (other top-level values between).
_FIRST_SLACK = 1 << 18
#: How far past the last record's end the next record's bytes are searched for (a separator).
_SLACK = 1 << 10


class SnapshotSplicer:
    """Decodes snapshot bytes, sharing the records whose bytes are unchanged since the last decode."""

    def __init__(self) -> None:
        self._raw: bytes | None = None
        self._spans: list[Span] = []
        self._lock = threading.Lock()
        self.spliced = False  # whether the last decode was a splice (for tests and profiles)

    def decode(self, raw: bytes) -> Any:
        """``orjson.loads(raw)`` (raising its JSONDecodeError), with the records whose bytes are the
        last decode's being that decode's objects."""
        with self._lock:
            result = self._splice(raw) if self._raw is not None and self._spans else None
            self.spliced = result is not None
            if result is None:
                data = orjson.loads(raw)
                spans = _found_spans(raw, data)
            else:
                data, spans = result
            self._raw, self._spans = raw, spans
            return data

    def forget(self) -> None:
        with self._lock:
            self._raw, self._spans, self.spliced = None, [], False

    def _splice(self, raw: bytes) -> tuple[Any, list[Span]] | None:
        assert self._raw is not None
        if len(self._spans) >= 10 ** 6:
            return None  # more records than placeholders sharing their first digits
        old = memoryview(self._raw)
        base = 10 ** 17 + secrets.randbelow(8 * 10 ** 10) * 10 ** 6  # 18 digits, the low 6 free
        size = len(raw)
        pieces: list[bytes] = []
        found: dict[int, tuple[int, int, Any]] = {}
        cursor = shift = misses = 0
        spans = self._spans
        for number, (start, end, record) in enumerate(spans, start=base):
            length = end - start
            place = start + shift
            if place < cursor or not raw.startswith(old[start:end], place):
                place = raw.find(old[start:end], cursor, min(size, start + shift + length + WINDOW))
                if place - cursor > _NEAR and number - base + 1 < len(spans):
                    # Found further on: taken only if the next record follows it as before (not a
                    # record moved far ahead, which would leave every record between unfound).
                    after, after_end, _record = spans[number - base + 1]
                    if not raw.startswith(old[after:after_end], after + place - start):
                        place = -1
                if place < 0:
                    misses += 1
                    if misses > MAX_MISSES:
                        return None
                    continue
                shift = place - start
            pieces.append(raw[cursor:place])
            pieces.append(b"%d" % number)
            found[number] = (place, place + length, record)
            cursor = place + length
        pieces.append(raw[cursor:])
        skeleton = b"".join(pieces)
        if skeleton.count(str(base)[:_PREFIX_DIGITS].encode()) != len(found):
            return None  # those digits are in the snapshot's own text: a placeholder would not be known
        try:
            data = orjson.loads(skeleton)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        return _put_back(raw, data, found, base)


_START = operator.itemgetter(0)


def _put_back(raw: bytes, data: dict[str, Any], found: dict[int, tuple[int, int, Any]],
              base: int) -> tuple[Any, list[Span]] | None:
    """Replace each placeholder of ``data``'s top-level lists by its record; None unless every
    placeholder is there exactly once. Returns the document and the spans of its records in ``raw``."""
    limit = base + 10 ** 6
    left = dict(found)
    spans: list[Span] = []
    for value in data.values():
        if type(value) is not list:
            continue
        placed: dict[int, tuple[int, int]] = {}
        fresh: list[int] = []
        for index, element in enumerate(value):
            if type(element) is int and base <= element < limit:
                hit = left.pop(element, None)
                if hit is None:
                    return None
                start, end, record = hit
                value[index] = record
                placed[index] = (start, end)
                spans.append(hit)
            else:
                fresh.append(index)
        if placed and fresh:
            spans.extend(_between(raw, value, placed, fresh))
    if left:
        return None  # a placeholder elsewhere (inside a changed record…): not what decoding gives
    spans.sort(key=_START)  # in C: a city has ten thousand spans
    return data, spans


def _between(raw: bytes, records: list[Any], placed: dict[int, tuple[int, int]], fresh: list[int]) -> list[Span]:
    """The spans of changed records (``fresh``: their indices) that sit alone between two records put
    back: the bytes between those two are a comma, the record and a comma, with white space around."""
    spans: list[Span] = []
    for index in fresh:
        record = records[index]
        if index - 1 not in placed or index + 1 not in placed:
            continue
        if not isinstance(record, (dict, list)):
            continue
        start, end = placed[index - 1][1], placed[index + 1][0]
        gap = raw[start:end]
        inner = gap.strip()
        if not (inner.startswith(b",") and inner.endswith(b",") and len(inner) > 2):
            continue
        text = inner[1:-1].strip()
        first = start + gap.index(text)
        try:
            if orjson.dumps(orjson.loads(text)) != orjson.dumps(record):
                continue
        except (orjson.JSONDecodeError, TypeError):
            continue
        spans.append((first, first + len(text), record))
    return spans


def _found_spans(raw: bytes, data: Any) -> list[Span]:
    """The spans of the records of ``data``'s top-level lists, found by encoding each record as
    snapshots are written; a record not found this way has none (it is decoded every time)."""
    if not isinstance(data, dict):
        return []
    spans: list[Span] = []
    cursor = 0
    for value in data.values():
        if type(value) is not list:
            continue
        encode = None
        for record in value:
            if not isinstance(record, (dict, list)):
                continue
            if encode is None:
                encode, cursor = _encoder_of(raw, record, cursor)
                if encode is None:
                    break  # written some other way: this list's records are decoded every time
            try:
                text = encode(record)
            except (TypeError, ValueError):
                continue
            place = raw.find(text, cursor, cursor + len(text) + _SLACK)
            if place < 0:
                continue
            spans.append((place, place + len(text), record))
            cursor = place + len(text)
    return spans


def _encoder_of(raw: bytes, record: Any, cursor: int) -> tuple[Callable[[Any], bytes] | None, int]:
    """The first of ``ENCODERS`` whose bytes of ``record`` are in ``raw`` shortly after ``cursor``,
    and where they begin."""
    for encode in ENCODERS:
        try:
            text = encode(record)
        except (TypeError, ValueError):
            continue
        place = raw.find(text, cursor, cursor + len(text) + _FIRST_SLACK)
        if place >= 0:
            return encode, place
    return None, cursor


#: This process's splicer (a running publisher's: ``parse_snapshot`` with an interner).
SPLICER = SnapshotSplicer()
