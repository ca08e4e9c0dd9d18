"""A search index of records on disk (Whoosh), written and searched here.

The same class serves the back-office index (every record, drafts included, filtered by the
user's departments) and the public index (published records only, from the snapshot).

Whoosh allows one writer at a time; writers wait for the index's file lock with backoff, so
several threads or processes may write at once. A commit replaces the index's table of contents
(TOC) in one rename, so a writer that dies mid-rebuild leaves the previous generation readable and
the lock (an OS file lock) free. Never imports Flask or the models.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.query import And, AndMaybe, DisjunctionMax, Every, Not, Or, Query, Require, Term
from whoosh.scoring import BM25F
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, IndexWriter

from .analysis import CJK_RUN, Synonyms, analysis, fold, pinyin_terms, repo_synonyms
from .analyzer import chinese_analyzer
from .documents import Hit, SearchDoc, SearchResult
from .query import (
    ParsedQuery,
    highlight_terms,
    parse,
    phrase_query,
    restriction_query,
    terms_query,
    word_query,
)
from .snippets import make_snippet
from .suggest import suggest

__all__ = ["Hit", "IndexBusyError", "SearchDoc", "SearchIndex", "SearchResult", "SyncReport", "build_schema"]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The user dictionary the index was built with (one word a line), next to its segments: a
#: process that opens the index cuts queries as the indexing process cut the records.
WORDS_FILE = "sunshine-words.txt"

#: Score multiplier per record kind: an item comes before a notice or a long complaint text that
#: merely uses the same common words (類型:投诉 still lists complaints: the filter leaves only them).
KIND_WEIGHTS: dict[str, float] = {
    "item": 1.0,
    "department": 0.95,
    "channel": 0.8,
    "question": 0.75,
    "notice": 0.7,
    "complaint": 0.35,
}
#: Fewer hits than this and the user is offered 您是不是要找.
SUGGEST_BELOW = 3
#: In an index of at least COMMON_MIN_DOCS records, a query word found in more than COMMON_SHARE
#: of them (窗口, 办理, 在) tells nothing apart: it is left out when the query has other words.
COMMON_MIN_DOCS = 200
COMMON_SHARE = 0.4


class IndexBusyError(RuntimeError):
    """Another writer held the index for longer than the lock timeout."""


def build_schema() -> Schema:
    """The fields of an index."""
    analyzer = chinese_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        department=ID(stored=True),
        state=ID(stored=True),
        item_type=ID(stored=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        keywords=TEXT(analyzer=analyzer, stored=True, field_boost=1.5),
        pinyin=KEYWORD(lowercase=True, scorable=True),
        dept_terms=KEYWORD(commas=True, lowercase=True, scorable=True),
        body=TEXT(analyzer=analyzer, stored=True),
        url=STORED(),
        public_url=STORED(),
        department_name=STORED(),
        time_limit=STORED(),
        fee=STORED(),
        digest=STORED(),
    )


SCHEMA = build_schema()


def doc_digest(doc: SearchDoc) -> str:
    """A fingerprint of everything a record contributes to the index."""
    data = json.dumps(asdict(doc), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", "\n").replace(",", "\n").split() if part.strip()]


_multipliers: dict[tuple[str, int | None], list[float]] = {}
_multipliers_lock = threading.Lock()


def kind_multipliers(searcher: Searcher, path: str, weights: dict[str, float]) -> list[float]:
    """The kind multiplier of every document number of the searcher's generation (read once)."""
    reader = searcher.reader()
    generation = reader.generation() if hasattr(reader, "generation") else None
    key = (path, generation)
    with _multipliers_lock:
        cached = _multipliers.get(key) if generation is not None else None
    if cached is None or len(cached) != reader.doc_count_all():
        cached = [weights.get(kind, 1.0) for kind in reader.column_reader("kind")]
        if generation is None:
            return cached
        with _multipliers_lock:
            for old in [k for k in _multipliers if k[0] == key[0]]:
                del _multipliers[old]
            _multipliers[key] = cached
    return cached


class KindWeighting(BM25F):
    """BM25F with a final multiplier by record kind (from the kind column, one list per generation)."""

    use_final = True

    def __init__(self, multipliers: Callable[[Searcher], list[float]]) -> None:
        super().__init__()
        self._multipliers = multipliers
        self._table: list[float] | None = None

    def final(self, searcher: Searcher, docnum: int, score: float) -> float:
        table = self._table
        if table is None:
            table = self._table = self._multipliers(searcher)
        return score * table[docnum]


@dataclass(frozen=True)
class SyncReport:
    """What an incremental update changed."""

    added: int
    updated: int
    deleted: int
    unchanged: int


def _same_layout(schema: Schema) -> bool:
    """Whether an index's stored schema has this module's fields, of the same types."""
    return sorted(schema.names()) == sorted(SCHEMA.names()) and all(
        type(schema[name]) is type(SCHEMA[name]) for name in SCHEMA.names())


def _any_of(field: str, values: Collection[str]) -> Query:
    return Or([Term(field, value) for value in sorted(set(values))])


class _DocSets:
    """Document numbers matching a query, by set algebra over posting lists.

    Counting through Whoosh's matchers scores or walks every match in Python (40–110 ms for a
    common word at 10,000 records); unions and intersections of each term's postings give the
    exact count in a few milliseconds.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._terms: dict[tuple[str, str], set[int]] = {}

    def of(self, query: Query) -> set[int]:
        if isinstance(query, Term):
            key = (query.fieldname, str(query.text))
            if key not in self._terms:
                try:
                    self._terms[key] = set(self.searcher.reader().postings(*key).all_ids())
                except Exception:  # a term the index does not hold (TermNotFound), or no such field
                    self._terms[key] = set()
            return self._terms[key]
        if isinstance(query, (Or, DisjunctionMax)):
            out: set[int] = set()
            for sub in query.subqueries:
                out |= self.of(sub)
            return out
        if isinstance(query, And):
            wanted = sorted((self.of(sub) for sub in query.subqueries if not isinstance(sub, Not)), key=len)
            out = set(wanted[0]) if wanted else set(self.searcher.reader().all_doc_ids())
            for other in wanted[1:]:
                out &= other
            for sub in query.subqueries:
                if isinstance(sub, Not):
                    out -= self.of(sub.query)
            return out
        if isinstance(query, AndMaybe):
            return self.of(query.a)
        if isinstance(query, Require):
            return self.of(query.a) & self.of(query.b)
        return set(self.searcher.docs_for_query(query))


class SearchIndex:
    """The index in directory ``path``; created on first use.

    ``lock_timeout`` is how long a write waits for another writer before IndexBusyError;
    ``synonyms`` widen records when indexed and queries when searched (the repository's by default).
    """

    def __init__(self, path: Path, *, lock_timeout: float = 30.0, synonyms: Synonyms | None = None) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.synonyms = synonyms if synonyms is not None else repo_synonyms()
        self._ix: FileIndex | None = None
        self._words: set[str] = set()
        self._loaded_mtime = -1.0
        self._local = threading.local()

    # -- the user dictionary --------------------------------------------------------------------

    def _words_mtime(self) -> float:
        try:
            return (self.path / WORDS_FILE).stat().st_mtime
        except OSError:
            return 0.0

    def _load_words(self) -> None:
        """Teach the analysis the index's dictionary (again, when another process rewrote it)."""
        mtime = self._words_mtime()
        if mtime == self._loaded_mtime and self._words:
            return
        file = self.path / WORDS_FILE
        words = set(self.synonyms.words())
        if mtime:
            words.update(line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip())
        analysis().add_words(words)
        self._words, self._loaded_mtime = words, mtime

    def _write_words(self, words: set[str]) -> None:
        """Store the dictionary (atomically: a reader never sees half a file)."""
        analysis().add_words(words)
        self.path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".words-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{word}\n" for word in sorted(words)))
        os.replace(tmp, self.path / WORDS_FILE)
        self._words, self._loaded_mtime = set(words), self._words_mtime()

    @staticmethod
    def _names(docs: Iterable[SearchDoc]) -> set[str]:
        names: set[str] = set()
        for doc in docs:
            names.update(fold(name.strip()) for name in doc.names if name.strip())
        return names

    def _learn(self, docs: Iterable[SearchDoc]) -> None:
        """Add names of docs the dictionary does not know yet (and store them)."""
        new = self._names(docs) - self._words
        if new:
            self._write_words(self._words | new)

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
        """Open the index, creating the directory and an empty index the first time.

        Retried like a write: another process's commit may remove the table of contents that this open
        (or whoosh's ``exists_in``, which opens too) has just found, a FileNotFoundError; the next attempt
        reads the new one."""
        if self._ix is None:
            self._ix = self._retry_locked(self._open)
        self._load_words()
        return self._ix

    def _open(self) -> FileIndex:
        if not whoosh_index.exists_in(self.path):
            self.path.mkdir(parents=True, exist_ok=True)
            lock = FileStorage(str(self.path)).lock("CREATELOCK")
            self._retry_locked(lambda: lock.acquire() or None)
            try:
                if not whoosh_index.exists_in(self.path):
                    whoosh_index.create_in(self.path, SCHEMA)
            finally:
                lock.release()
        return whoosh_index.open_dir(str(self.path))

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

    def _fields(self, doc: SearchDoc) -> dict[str, str]:
        """The index fields of doc: aliases widened by synonyms, pinyin of names, office terms."""
        keywords = _lines(doc.keywords)
        own = "\n".join([doc.title, *keywords] + ([doc.department_names] if doc.kind == "department" else []))
        related = [word for word in self.synonyms.related(own) if word not in keywords]
        department_names = _lines(doc.department_names)
        pinyin: dict[str, None] = {}
        for name in [doc.title, *keywords, *related, *department_names]:
            pinyin.update((term, None) for term in pinyin_terms(name))
        dept_terms = [doc.department, *(fold(name) for name in department_names)]
        dept_terms += self.synonyms.related("\n".join(department_names))
        return {
            "id": doc.id,
            "kind": doc.kind,
            "department": doc.department,
            "state": doc.state,
            "item_type": fold(doc.item_type),
            "title": doc.title,
            # Punctuation between aliases: a phrase never matches across two of them.
            "keywords": "；".join([*keywords, *related]),
            "pinyin": " ".join(pinyin),
            "dept_terms": ",".join(dict.fromkeys(term.lower() for term in dept_terms if term)),
            "body": doc.body,
            "url": doc.url,
            "public_url": doc.public_url,
            "department_name": doc.department_name,
            "time_limit": doc.time_limit,
            "fee": doc.fee,
            "digest": doc_digest(doc),
        }

    def rebuild(self, docs: Iterable[SearchDoc], *, words: Iterable[str] = ()) -> int:
        """Replace the whole index with docs in one commit; returns how many were indexed.

        A later doc with the same id replaces an earlier one. ``words`` (and the docs' names) become
        the index's user dictionary.
        """
        unique = {doc.id: doc for doc in docs}
        self.create_or_open()
        self._write_words(set(self.synonyms.words()) | self._names(unique.values())
                          | {fold(word) for word in words if word.strip()})
        with self._writer(clear=True) as writer:
            # The schema (analyzer included) is stored in the index; nothing old survives a
            # CLEAR commit, so this is where a changed schema takes effect.
            if writer.schema != SCHEMA:
                writer.schema = SCHEMA
            for doc in unique.values():
                writer.add_document(**self._fields(doc))
        return len(unique)

    def upsert(self, doc: SearchDoc) -> None:
        """Add doc, or replace the record with the same id."""
        self.create_or_open()
        self._learn([doc])

        def attempt() -> bool:
            with self._writer() as writer:
                writer.update_document(**self._fields(doc))
            return True

        self._retry_locked(attempt)

    def delete(self, doc_id: str) -> None:
        """Remove the record with this id (no error if there is none)."""
        with self._writer() as writer:
            writer.delete_by_term("id", doc_id)

    def digests(self) -> dict[str, str]:
        """The id → digest of every record the index holds."""
        with self.create_or_open().searcher() as searcher:
            return {fields["id"]: fields.get("digest", "") for fields in searcher.all_stored_fields()}

    def sync(self, docs: Iterable[SearchDoc]) -> SyncReport:
        """Make the index hold exactly docs, writing only what changed, in one commit."""
        unique = {doc.id: doc for doc in docs}
        if not _same_layout(self.create_or_open().schema):  # an index of an older layout: start over
            count = self.rebuild(unique.values())
            return SyncReport(count, 0, 0, 0)
        self._learn(unique.values())
        held = self.digests()
        changed = [doc for doc in unique.values() if held.get(doc.id) != doc_digest(doc)]
        gone = sorted(set(held) - set(unique))
        if changed or gone:
            with self._writer() as writer:
                for doc_id in gone:
                    writer.delete_by_term("id", doc_id)
                for doc in changed:
                    writer.update_document(**self._fields(doc))
        added = sum(1 for doc in changed if doc.id not in held)
        return SyncReport(added, len(changed) - added, len(gone), len(unique) - len(changed))

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
        """Records matching query, best first (see ``find``)."""
        return self.find(query, departments=departments, kinds=kinds, limit=limit, suggestions=False).hits

    def find(
        self,
        query: str,
        *,
        departments: Collection[str] | None = None,
        kinds: Collection[str] | None = None,
        item_types: Collection[str] | None = None,
        offset: int = 0,
        limit: int = 20,
        suggestions: bool = True,
    ) -> SearchResult:
        """Records matching query, best first, from ``offset``; with the total and suggestions.

        ``departments``/``kinds``/``item_types`` None means no restriction; an empty collection
        means nothing is visible. All words must match; if that finds nothing, any word may, ranked
        by how many did.
        """
        empty = SearchResult([], 0)
        if any(values is not None and not values for values in (departments, kinds, item_types)):
            return empty
        parsed = parse(query)
        if parsed.empty:
            return empty
        restrictions = []
        if departments is not None:
            restrictions.append(_any_of("department", departments))
        if kinds is not None:
            restrictions.append(_any_of("kind", kinds))
        if item_types is not None:
            restrictions.append(_any_of("item_type", [fold(t) for t in item_types]))
        asked = restriction_query(parsed, self.synonyms)
        if asked is not None:
            restrictions.append(asked)
        allowed = And(restrictions) if restrictions else None
        ix = self.create_or_open()
        searcher = self._searcher(ix)  # kept open for the thread's next query
        parsed = self._without_common_words(searcher, parsed)
        terms = highlight_terms(parsed, self.synonyms)
        strict = terms_query(parsed, self.synonyms, conjunctive=True)
        sets = _DocSets(searcher)
        visible = sets.of(allowed) if allowed is not None else None
        if strict is None:  # only 部门:/类型: restrictions: list what they allow
            strict = Every()
            matching = visible if visible is not None else set(searcher.reader().all_doc_ids())
        else:
            matching = sets.of(strict) if visible is None else sets.of(strict) & visible
        total, relaxed, corrected = len(matching), False, ""
        ranked = self._top(searcher, strict, visible, offset + limit) if total else []
        offered: tuple[str, ...] = ()
        # A name cut into single characters (营业|只|照) is the mark of a typo, however much was found.
        broken = any(len(word) == 1 and CJK_RUN.fullmatch(word) for word in parsed.words)
        if parsed.words and (total == 0 or (suggestions and (total < SUGGEST_BELOW or broken))):
            offered = self._suggestions(ix, searcher, parsed.typed or parsed.words, allowed)
        if total == 0 and offered and any(CJK_RUN.search(word) for word in parsed.words):
            # Nothing matched what was typed, but a homophone correction (底保 → 低保) does. Letters
            # are only ever offered a correction: a guess at random letters (asdfgh) is no answer.
            fixed = self._without_common_words(searcher, parse(offered[0]))
            fixed_query = terms_query(fixed, self.synonyms, conjunctive=True)
            fixed_docs = sets.of(fixed_query) if fixed_query is not None else set()
            fixed_docs = fixed_docs if visible is None else fixed_docs & visible
            if fixed_query is not None and fixed_docs:
                ranked = self._top(searcher, fixed_query, visible, offset + limit)
                total, corrected, terms = len(fixed_docs), offered[0], highlight_terms(fixed, self.synonyms)
        chinese = [bool(CJK_RUN.fullmatch(word)) for word in parsed.words]
        if (total == 0 and any(chinese) or total < SUGGEST_BELOW and all(chinese)) and not corrected \
                and len(parsed.words) + len(parsed.phrases) > 1:
            # Nothing (or, for words of a sentence, little) has every word: records with most of
            # them follow. Letters and numbers alone (a code, an address, pinyin) are taken whole:
            # TS-7KQM-3XPA or a@b.cn is either found as typed or not at all.
            strong = self._unknown_word(searcher, parsed)
            others = visible if not matching else (
                set(searcher.reader().all_doc_ids()) - matching if visible is None else visible - matching)
            more, extra = self._relaxed(searcher, sets, parsed, others, offset + limit - len(ranked),
                                        strong_only=strong)
            ranked, total, relaxed = ranked + more, total + extra, extra > 0
        hits = [self._hit(result, terms) for result in ranked[offset:offset + limit]]
        return SearchResult(hits, total, relaxed, offered if suggestions else (), corrected)

    def _unknown_word(self, searcher: Searcher, parsed: ParsedQuery) -> bool:
        """Whether a query word of two or more Chinese characters, and every synonym of it, occurs
        in no record. Then the query may ask for something the centre does not offer (核酸检测,
        火化证明): records sharing only a common word of it (检测, 证明) in their text are no answer,
        while a record named by one of its words (户口 in 户口怎么迁过来) still is."""
        reader = searcher.reader()
        for word in parsed.words:
            if len(word) < 2 or not CJK_RUN.fullmatch(word):
                continue
            forms = [word, *self.synonyms.alternatives(word)]
            if not any(reader.doc_frequency(name, form) for form in forms
                       for name in ("title", "keywords", "body", "dept_terms")):
                return True
        return False

    def _searcher(self, ix: FileIndex) -> Searcher:
        """This thread's searcher of the newest generation.

        Opening a searcher reads every segment file's header (about 9 ms at 10,000 records), so
        each thread keeps one and replaces it only when a commit made a newer generation.
        """
        searcher = getattr(self._local, "searcher", None)
        if searcher is None or not searcher.up_to_date():
            if searcher is not None:
                searcher.close()
            searcher = ix.searcher(weighting=KindWeighting(
                lambda opened: kind_multipliers(opened, str(self.path), KIND_WEIGHTS)))
            self._local.searcher = searcher
        return searcher

    @staticmethod
    def _top(searcher: Searcher, query: Query, allowed: set[int] | None, wanted: int) -> list[WhooshHit]:
        """The best ``wanted`` hits among the allowed document numbers."""
        return list(searcher.search(query, filter=allowed, limit=max(wanted, 1)))

    def _without_common_words(self, searcher: Searcher, parsed: ParsedQuery) -> ParsedQuery:
        """The query without words most records contain, when it has other words."""
        reader = searcher.reader()
        count = reader.doc_count()
        if count < COMMON_MIN_DOCS or len(parsed.words) + len(parsed.phrases) < 2:
            return parsed

        def share(word: str) -> float:
            return max(reader.doc_frequency(name, word) for name in ("title", "keywords", "body")) / count

        shares = {word: share(word) for word in parsed.words}
        kept = [word for word in parsed.words if shares[word] <= COMMON_SHARE]
        if not kept and not parsed.phrases:
            kept = [min(parsed.words, key=lambda word: shares[word])]
        if len(kept) == len(parsed.words):
            return parsed
        return dataclasses.replace(parsed, words=kept)

    def _relaxed(self, searcher: Searcher, sets: _DocSets, parsed: ParsedQuery, visible: set[int] | None,
                 wanted: int, *, strong_only: bool = False) -> tuple[list[WhooshHit], int]:
        """Any word may match; records that match more of the words come first.

        Which words each record matches is counted from document sets (no scoring); then each
        level (all but one word, all but two …) is scored in turn until the page is full.
        ``strong_only`` keeps only records with a query word in their title, aliases or office.
        """
        parts = [word_query(word, self.synonyms) for word in parsed.words]
        parts += [phrase_query(words) for words in parsed.phrases]
        if strong_only:
            named: set[int] = set()
            for word in parsed.words:
                named |= sets.of(Or([Term(name, form) for form in (word, *self.synonyms.alternatives(word))
                                     for name in ("title", "keywords", "dept_terms")]))
            visible = named if visible is None else visible & named
        matched: Counter[int] = Counter()
        held: Counter[int] = Counter()  # characters of the query's words each record holds
        sizes = [len(word) for word in parsed.words] + [sum(map(len, words)) for words in parsed.phrases]
        singles = [size == 1 and bool(CJK_RUN.fullmatch(word)) for word, size in
                   zip(parsed.words, sizes, strict=False)] + [False] * len(parsed.phrases)
        part_docs = [sets.of(part) if visible is None else sets.of(part) & visible for part in parts]
        for docs, size in zip(part_docs, sizes, strict=True):
            matched.update(docs)
            for docnum in docs:
                held[docnum] += size
        # When a word of the query is in no record, a record must also hold more than half of what
        # was asked, counted in characters, as on the public site: a query about something the
        # centre does not do (离婚手续, 火化证明) shares only its generic half with the records. A single character counts only where it is found
        # (the 迁 of 户口迁过来 helps, a stray one never hurts), unless the query has nothing longer.
        longer = sum(size for size, single in zip(sizes, singles, strict=True) if not single)
        single_docs = [docs for docs, single in zip(part_docs, singles, strict=True) if single]

        def enough(docnum: int) -> bool:
            if not longer:
                return matched[docnum] == len(parts)
            found_singles = sum(1 for docs in single_docs if docnum in docs)
            return held[docnum] * 2 > longer + found_singles

        if strong_only or not longer:
            matched = Counter({docnum: count for docnum, count in matched.items() if enough(docnum)})
        levels: dict[int, set[int]] = {}
        for docnum, count in matched.items():
            levels.setdefault(count, set()).add(docnum)
        loose = Or(parts)
        ranked: list[WhooshHit] = []
        for count in sorted(levels, reverse=True):
            if len(ranked) >= wanted:
                break
            ranked.extend(self._top(searcher, loose, levels[count], wanted - len(ranked)))
        return ranked, len(matched)

    def _suggestions(self, ix: FileIndex, searcher: Searcher, words: list[str], allowed: Query | None) -> tuple[str, ...]:
        """Corrected queries that find something the user may see."""
        offered = []
        for candidate in suggest(searcher, words, key=(str(self.path), ix.latest_generation())):
            query = terms_query(parse(candidate), self.synonyms, conjunctive=True)
            if query is not None and not searcher.search(query, filter=allowed, limit=1).is_empty():
                offered.append(candidate)
        return tuple(offered)

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
            public_url=result.get("public_url", "") or "",
            department_name=result.get("department_name", "") or "",
            item_type=result.get("item_type", "") or "",
            time_limit=result.get("time_limit", "") or "",
            fee=result.get("fee", "") or "",
        )
