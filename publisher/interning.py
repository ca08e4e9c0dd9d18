"""Interning: a record unchanged since this process's last build is that build's very object.

A running publisher (the worker) builds one snapshot after another, and between two of them a
clerk's save changes a handful of records out of ten thousand. Each build decodes its snapshot
anew, so every record is a new object and every cache keyed by object identity (the ledger's
``Fingerprints``, which digests each record once per build) starts empty: a one-item publish
hashed all ten thousand items again. Replacing each record whose canonical bytes are unchanged
with the object the last build used lets those caches carry over from build to build.

Records are compared by their canonical encoding (orjson, sorted keys), never by ``==``: ``1``,
``1.0`` and ``true`` are equal in Python but print differently on a page. Objects are never
modified (the publisher treats a snapshot as read-only), so sharing them is safe. One snapshot's
records are kept between builds, no more. Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SORT_KEYS


def _key(value: Any) -> bytes | None:
    """The digest of ``value``'s canonical encoding; None for what orjson cannot encode exactly."""
    try:
        return hashlib.sha256(orjson.dumps(value, option=_OPTIONS)).digest()
    except TypeError:  # e.g. an integer beyond 64 bits: not interned, simply decoded anew
        return None


def _records(snapshot: dict[str, Any]) -> list[tuple[str, int | None, Any]]:
    """(top-level key, index or None, record): each list element, or the whole value of another key."""
    found: list[tuple[str, int | None, Any]] = []
    for name, value in snapshot.items():
        if isinstance(value, list):
            found.extend((name, index, record) for index, record in enumerate(value))
        else:
            found.append((name, None, value))
    return found


class RecordInterner:
    """Keeps the records of the last snapshot it saw, by (top-level key, canonical digest)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, bytes], Any] = {}
        # id → (record, digest) of every record of the last snapshot that has a digest: a record that
        # is one of those very objects again (splicing.py hands them over undecoded) is not encoded
        # again. The records are kept, so an id here is never another object's.
        self._digests: dict[int, tuple[Any, bytes]] = {}
        self._lock = threading.Lock()

    def intern(self, snapshot: dict[str, Any]) -> int:
        """Replace, in place, each record of ``snapshot`` that the last snapshot had unchanged by
        that snapshot's object; remember this snapshot's records instead. Returns how many
        records were replaced (or were that object already).

        Each earlier object is used at most once, so two equal records of one list stay two
        objects, as decoded.
        """
        with self._lock:
            previous, known = self._known, {}
            digests_before, digests = self._digests, {}
            reused = 0
            for name, index, record in _records(snapshot):
                if not isinstance(record, (dict, list)):
                    continue
                held = digests_before.get(id(record))
                key = held[1] if held is not None and held[0] is record else _key(record)
                if key is None:
                    continue
                earlier = previous.pop((name, key), None)
                if earlier is not None:
                    record = earlier
                    reused += 1
                    if index is None:
                        snapshot[name] = record
                    else:
                        snapshot[name][index] = record
                known.setdefault((name, key), record)
                digests[id(record)] = (record, key)
            self._known, self._digests = known, digests
            return reused

    def forget(self) -> None:
        with self._lock:
            self._known, self._digests = {}, {}


#: This process's interner (the worker's publisher and the CLI share one; each build interns once).
INTERNER = RecordInterner()


def record_ids(snapshot: dict[str, Any]) -> set[int]:
    """The identities of ``snapshot``'s records (those ``intern`` may share with the next build)."""
    return {id(record) for _name, _index, record in _records(snapshot) if isinstance(record, (dict, list))}
