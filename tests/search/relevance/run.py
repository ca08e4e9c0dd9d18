"""Run the query set over both engines and report: shared by the test and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from .engines import Prepared
from .metrics import Report, failure_list, measure, table
from .queryset import Query, load_queries


@dataclass
class Measurement:
    queries: list[Query]
    reports: list[Report]

    def report(self, name: str) -> Report:
        return next(r for r in self.reports if r.engine == name)

    def text(self, *, failures: bool = False) -> str:
        out = [table(self.reports)]
        if failures:
            for report in self.reports:
                out.append(f"\n{report.engine}: {len(report.failures())} queries wrong")
                out.append(failure_list(report))
        return "\n".join(out)


def run(prepared: Prepared, queries: list[Query] | None = None) -> Measurement:
    queries = queries if queries is not None else load_queries()
    texts = [q.text for q in queries]
    reports = [measure(name, queries, engine.search(texts, limit=5)) for name, engine in prepared.engines()]
    return Measurement(queries, reports)
