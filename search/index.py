"""The back-office search index: a Whoosh index of records on disk, written and searched here.

Whoosh allows one writer at a time; writers wait for the index's file lock with backoff, so
several threads or processes may write at once. Results are filtered by department and kind
here, so callers pass what the user may see. Never imports Flask or the models.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.query import And, Or, Query, Term
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, IndexWriter

from .analyzer import chinese_analyzer
from .documents import Hit, SearchDoc
from .query import parse_query, plain_query, query_terms
from .snippets import make_snippet

__all__ = ["Hit", "IndexBusyError", "SearchDoc", "SearchIndex", "build_schema"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class IndexBusyError(RuntimeError):
    """Another writer held the index for longer than the lock timeout."""


def build_schema() -> Schema:
    """The fields of the back-office index."""
    analyzer = chinese_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True),
        department=ID(stored=True),
        state=ID(stored=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        body=TEXT(analyzer=analyzer, stored=True),
        url=STORED(),
    )


SCHEMA = build_schema()


def _fields(doc: SearchDoc) -> dict[str, str]:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "department": doc.department,
        "state": doc.state,
        "title": doc.title,
        "body": doc.body,
        "url": doc.url,
    }


def _any_of(field: str, values: Collection[str]) -> Query:
    return Or([Term(field, value) for value in sorted(set(values))])


class SearchIndex:
    """The index in directory ``path``; created on first use.

    ``lock_timeout`` is how long a write waits for another writer before IndexBusyError.
    """

    def __init__(self, path: Path, *, lock_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._ix: FileIndex | None = None

    # -- opening and writing ------------------------------------------------------------------

    def _retry_locked(self, attempt: Callable[[], T | None]) -> T:
        """Call attempt until it returns a value, backing off while the lock is taken."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            try:
                result = attempt()
            except (LockError, FileNotFoundError):
                # FileNotFoundError: another writer's commit removed the segment files this
                # attempt had just listed; the next attempt reads the new table of contents.
                result = None
            if result is not None:
                return result
            if time.monotonic() >= deadline:
                raise IndexBusyError(
                    f"检索索引正被其他进程写入，{self.lock_timeout:g} 秒内未能获得写锁，请稍后重试"
                    f"（search index {self.path} is locked by another writer）"
                )
            time.sleep(delay * random.uniform(1.0, 2.0))
            delay = min(delay * 2, 0.5)

    def create_or_open(self) -> FileIndex:
        """Open the index, creating the directory and an empty index the first time."""
        if self._ix is None:
            if not whoosh_index.exists_in(self.path):
                self.path.mkdir(parents=True, exist_ok=True)
                lock = FileStorage(str(self.path)).lock("CREATELOCK")
                self._retry_locked(lambda: lock.acquire() or None)
                try:
                    if not whoosh_index.exists_in(self.path):
                        whoosh_index.create_in(self.path, SCHEMA)
                finally:
                    lock.release()
            self._ix = whoosh_index.open_dir(str(self.path))
        return self._ix

    @contextmanager
    def _writer(self, *, clear: bool = False) -> Iterator[IndexWriter]:
        """A writer holding the index lock; commits on success, cancels on error."""
        ix = self.create_or_open()
        writer = self._retry_locked(ix.writer)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        if clear:
            writer.commit(mergetype=CLEAR)
        else:
            writer.commit()

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace the whole index with docs in one commit; returns how many were indexed.

        A later doc with the same id replaces an earlier one.
        """
        unique = {doc.id: doc for doc in docs}
        with self._writer(clear=True) as writer:
            # The schema (analyzer included) is stored in the index; nothing old survives a
            # CLEAR commit, so this is where a changed schema takes effect.
            if writer.schema != SCHEMA:
                writer.schema = SCHEMA
            for doc in unique.values():
                writer.add_document(**_fields(doc))
        return len(unique)

    def upsert(self, doc: SearchDoc) -> None:
        """Add doc, or replace the record with the same id."""

        def attempt() -> bool:
            with self._writer() as writer:
                writer.update_document(**_fields(doc))
            return True

        self._retry_locked(attempt)

    def delete(self, doc_id: str) -> None:
        """Remove the record with this id (no error if there is none)."""
        with self._writer() as writer:
            writer.delete_by_term("id", doc_id)

    def doc_count(self) -> int:
        """How many records the index holds."""
        return self.create_or_open().doc_count()

    # -- searching ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        departments: Collection[str] | None = None,
        kinds: Collection[str] | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Records matching query, best first.

        ``departments``/``kinds`` None means no restriction; an empty collection means nothing
        is visible. All words must match; if that finds nothing, any word may match.
        """
        if (departments is not None and not departments) or (kinds is not None and not kinds):
            return []
        restrictions = []
        if departments is not None:
            restrictions.append(_any_of("department", departments))
        if kinds is not None:
            restrictions.append(_any_of("kind", kinds))
        allowed = And(restrictions) if restrictions else None
        tried: Query | None = None
        with self.create_or_open().searcher() as searcher:
            for conjunctive in (True, False):
                parsed = parse_query(query, SCHEMA, conjunctive=conjunctive)
                if parsed is None or parsed == tried:
                    return []
                tried = parsed
                results, used = self._run(searcher, query, parsed, allowed, limit, conjunctive)
                if results:
                    terms = query_terms(used)
                    return [self._hit(result, terms) for result in results]
        return []

    @staticmethod
    def _run(
        searcher: Searcher,
        text: str,
        parsed: Query,
        allowed: Query | None,
        limit: int,
        conjunctive: bool,
    ) -> tuple[list[WhooshHit], Query]:
        try:
            return list(searcher.search(parsed, filter=allowed, limit=limit)), parsed
        except Exception:  # a parsed query Whoosh cannot run: search the plain words instead
            log.info("query %r failed, searching its plain words", text, exc_info=True)
            plain = plain_query(text, conjunctive=conjunctive)
            if plain is None:
                return [], parsed
            return list(searcher.search(plain, filter=allowed, limit=limit)), plain

    @staticmethod
    def _hit(result: WhooshHit, terms: set[str]) -> Hit:
        return Hit(
            id=result["id"],
            kind=result["kind"],
            department=result.get("department", ""),
            state=result.get("state", ""),
            title=result.get("title", ""),
            url=result.get("url", ""),
            snippet=make_snippet(result.get("body", ""), terms),
            score=float(result.score or 0.0),
        )
