"""The relevance query set: ``queries.tsv`` next to this module, one query a line.

Columns (tab-separated): ``kind``, ``query``, ``expected`` — the public URL paths of the pages
that answer the query, space-separated, or nothing for a query that must find nothing. Lines
starting with ``#`` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

QUERIES_FILE = Path(__file__).with_name("queries.tsv")

#: The kinds of query, in the order the report lists them.
KINDS: tuple[str, ...] = (
    "colloquial", "synonym", "abbreviation", "partial", "pinyin", "traditional",
    "misspelling", "fee", "department", "intake", "none",
)  # fmt: skip
#: The kind whose queries must find nothing.
NONE_KIND = "none"


class QuerySetError(ValueError):
    """A line of the query file is malformed."""


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str
    #: The answering pages' URL paths; empty for a query that must find nothing.
    expected: tuple[str, ...]

    @property
    def must_be_empty(self) -> bool:
        return not self.expected


def parse_queries(lines: list[str]) -> list[Query]:
    """Queries from the lines of a query file; refuses unknown kinds and inconsistent answers.

    A none-query with an answer, or another query without one, is a mistake in the data, not a
    query the measurement can score.
    """
    queries = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise QuerySetError(f"line {number}: expected 3 tab-separated columns, got {len(parts)}")
        kind, text, expected = parts
        if kind not in KINDS:
            raise QuerySetError(f"line {number}: unknown kind {kind!r}")
        if not text.strip():
            raise QuerySetError(f"line {number}: empty query")
        urls = tuple(expected.split())
        if (kind == NONE_KIND) != (not urls):
            raise QuerySetError(f"line {number}: a {kind} query {'must not' if urls else 'must'} list pages")
        if any(not url.startswith("/") for url in urls):
            raise QuerySetError(f"line {number}: expected pages must be root-relative paths")
        queries.append(Query(kind, text, urls))
    return queries


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    """The query set kept in the repository."""
    return parse_queries(path.read_text(encoding="utf-8").splitlines())
