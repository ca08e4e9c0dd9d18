"""Relevance figures of one engine over the query set: recall@k, MRR and none-precision.

Definitions (k = 5 unless told otherwise):

- A query's **results** are the engine's URL paths, best first, normalised by ``normalise_url``
  and cut to the first k.
- **rank** of an answered query (one with expected pages): the 1-based position of the first
  result that is one of its expected pages, or None when none of the first k is.
- **recall@k** of a set of answered queries: the share of them with a rank (an expected page in
  the first k). 0.0 for an empty set is never reported: a kind without queries has no row.
- **MRR** (mean reciprocal rank) of a set of answered queries: the mean of 1/rank, a query
  without rank counting 0. Only the best-ranked expected page counts.
- **none-precision**: the share of must-find-nothing queries for which the engine returned no
  result at all. These queries enter neither recall nor MRR.
- **overall** recall@k and MRR are over every answered query of every kind (not a mean of the
  per-kind figures), so a kind weighs by its number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .queryset import KINDS, NONE_KIND, Query

K = 5


def normalise_url(url: str) -> str:
    """The path of a result URL: no scheme/host, query or fragment, ``index.html`` dropped.

    ``https://x/items/A/index.html#fees`` and ``/items/A/`` are the same page; "" stays "".
    """
    if not url:
        return ""  # a hit without a public page: it keeps its slot and matches nothing
    path = urlsplit(url).path or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def rank(results: Sequence[str], expected: Sequence[str], k: int = K) -> int | None:
    """1-based position of the first of the first k results that is an expected page, else None."""
    wanted = {normalise_url(url) for url in expected}
    for position, url in enumerate(results[:k], 1):
        if normalise_url(url) in wanted:
            return position
    return None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one engine did with one query."""

    query: Query
    results: tuple[str, ...]
    rank: int | None

    @property
    def correct(self) -> bool:
        """Found an expected page in the first k, or, for a none-query, returned nothing."""
        return not self.results if self.query.must_be_empty else self.rank is not None


def score(query: Query, results: Sequence[str], k: int = K) -> Outcome:
    cut = tuple(normalise_url(url) for url in results[:k])
    return Outcome(query, cut, None if query.must_be_empty else rank(cut, query.expected, k))


@dataclass(frozen=True, slots=True)
class Figures:
    """recall@k and MRR over answered queries (n of them), or none-precision over none-queries."""

    n: int
    recall: float | None = None
    mrr: float | None = None
    none_precision: float | None = None


def answered_figures(outcomes: Sequence[Outcome]) -> Figures:
    answered = [o for o in outcomes if not o.query.must_be_empty]
    if not answered:
        return Figures(0)
    found = sum(1 for o in answered if o.rank is not None)
    reciprocal = sum(1.0 / o.rank for o in answered if o.rank is not None)
    return Figures(len(answered), recall=found / len(answered), mrr=reciprocal / len(answered))


def none_figures(outcomes: Sequence[Outcome]) -> Figures:
    empty = [o for o in outcomes if o.query.must_be_empty]
    if not empty:
        return Figures(0)
    return Figures(len(empty), none_precision=sum(1 for o in empty if not o.results) / len(empty))


@dataclass
class Report:
    """One engine's outcomes, with figures per kind and overall."""

    engine: str
    outcomes: list[Outcome] = field(default_factory=list)

    def kinds(self) -> list[str]:
        present = {o.query.kind for o in self.outcomes}
        return [kind for kind in KINDS if kind in present]

    def by_kind(self, kind: str) -> Figures:
        chosen = [o for o in self.outcomes if o.query.kind == kind]
        return none_figures(chosen) if kind == NONE_KIND else answered_figures(chosen)

    def overall(self) -> Figures:
        answered = answered_figures(self.outcomes)
        empty = none_figures(self.outcomes)
        return Figures(answered.n, answered.recall, answered.mrr, empty.none_precision)

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


def measure(engine: str, queries: Sequence[Query], results: Sequence[Sequence[str]], k: int = K) -> Report:
    """The report of an engine that returned ``results[i]`` for ``queries[i]``."""
    if len(queries) != len(results):
        raise ValueError(f"{len(queries)} queries but {len(results)} result lists")
    return Report(engine, [score(q, r, k) for q, r in zip(queries, results, strict=True)])


def _cell(figures: Figures) -> str:
    if figures.none_precision is not None and figures.recall is None:
        return f"{'none-precision ' + format(figures.none_precision, '.2f'):>21}"
    if figures.recall is None:
        return f"{'-':>21}"
    return f"{figures.recall:>10.2f} {figures.mrr:>10.2f}"


def table(reports: Sequence[Report]) -> str:
    """The per-kind table: recall@k and MRR for each engine, none-precision on the none row."""
    head = f"{'kind':<13}{'n':>4}  " + "  ".join(f"{r.engine[:21]:>21}" for r in reports)
    sub = f"{'':<13}{'':>4}  " + "  ".join(f"{'recall@5':>10} {'MRR':>10}" for _ in reports)
    lines = [head, sub]
    kinds = [kind for kind in KINDS if any(kind in r.kinds() for r in reports)]
    for kind in kinds:
        n = max(r.by_kind(kind).n for r in reports)
        lines.append(f"{kind:<13}{n:>4}  " + "  ".join(_cell(r.by_kind(kind)) for r in reports))
    overall = [r.overall() for r in reports]
    lines.append(f"{'overall':<13}{overall[0].n:>4}  " + "  ".join(
        f"{o.recall or 0.0:>10.2f} {o.mrr or 0.0:>10.2f}" for o in overall))
    lines.append(f"{'none-prec.':<13}{'':>4}  " + "  ".join(
        f"{(o.none_precision if o.none_precision is not None else float('nan')):>21.2f}" for o in overall))
    return "\n".join(lines)


def failure_list(report: Report) -> str:
    """One line per query the engine got wrong: kind, query, what it returned, what was expected."""
    lines = []
    for o in report.failures():
        got = " ".join(o.results) or "(nothing)"
        want = " ".join(o.query.expected) or "(nothing)"
        lines.append(f"  [{o.query.kind}] {o.query.text}: got {got} — want {want}")
    return "\n".join(lines)
