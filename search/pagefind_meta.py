"""The first word of each index chunk of a written Pagefind bundle, read from its pf_meta.

Pagefind 1.5.2 loads, for a query word, only the index chunks whose [from, to] range holds the
word itself (``request_indexes``' strict match), then matches the word as a prefix of every word
loaded: the words starting with the query that run on into the next chunks are missed (清川县
found 6,193 of the 10,313 pages at 10,000 items; ``bench/bench_pagefind_chunks.py``). The search
page therefore also loads every chunk whose first word starts with what it looks up; this module
gives it those first words (``static_delta`` writes them into ``sunshine-delta.json``).

The pf_meta is Pagefind's gzipped ``pagefind_dcd`` + CBOR (``MetaIndex``: version, pages,
index_chunks [from, to, hash], …). Only what this reads is decoded; no dependency.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
#: The position of index_chunks in Pagefind 1.5.2's MetaIndex array.
INDEX_CHUNKS = 2


class PagefindMetaError(ValueError):
    """A pf_meta that is not what Pagefind 1.5.2 writes."""


def _item(data: bytes, at: int) -> tuple[object, int]:
    """One CBOR item at ``at`` (integers, strings, arrays, maps: what MetaIndex holds)."""
    head, at = data[at], at + 1
    major, info = head >> 5, head & 31
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise PagefindMetaError(f"Pagefind 元数据格式未知（CBOR {head:#x}）/ unexpected CBOR item")
    if major in (0, 1):
        return (value if major == 0 else -1 - value), at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs: dict[object, object] = {}
        for _ in range(value):
            key, at = _item(data, at)
            pairs[key], at = _item(data, at)
        return pairs, at
    raise PagefindMetaError(f"Pagefind 元数据格式未知（CBOR {head:#x}）/ unexpected CBOR item")


def chunk_starts(bundle: Path) -> list[str]:
    """The ``from`` word of each index chunk of the bundle but the first, in Pagefind's order.

    Raises PagefindMetaError (Chinese first) when the bundle has no readable pf_meta.
    """
    return [start for start, _end in index_chunks(bundle)[1:]]


def index_chunks(bundle: Path) -> list[tuple[str, str]]:
    """(from, to) of each index chunk of the bundle, in Pagefind's order (as its pf_meta says:
    shortened to the prefixes that tell neighbouring chunks apart)."""
    metas = sorted(Path(bundle).glob("pagefind.*.pf_meta"))
    if len(metas) != 1:
        raise PagefindMetaError(f"Pagefind 索引应有一个 pf_meta 文件，找到 {len(metas)} 个：{bundle} / one pf_meta expected")
    try:
        data = gzip.decompress(metas[0].read_bytes())
        if not data.startswith(SIGNATURE):
            raise PagefindMetaError(f"不是 Pagefind 元数据：{metas[0]} / not a Pagefind meta file")
        meta, _ = _item(data, len(SIGNATURE))
        return [(str(chunk[0]), str(chunk[1])) for chunk in meta[INDEX_CHUNKS]]  # type: ignore[index]
    except (OSError, EOFError, IndexError, TypeError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise PagefindMetaError(f"无法读取 Pagefind 元数据：{metas[0]}（{exc}）/ unreadable pf_meta") from exc
