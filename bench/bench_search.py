"""Benchmark: both search engines on the synthetic city data set (issue 9, "Performance").

Run by hand (never in the suite; writes only under --workdir, a temp dir by default):
    .venv/bin/python bench/bench_search.py                 # quick check: 500 items
    .venv/bin/python bench/bench_search.py --items 10000   # the issue's figures

1. A scratch SQLite database: migrated, the demo seeded, grown to --items published items in
   --departments departments (``bench/backoffice_data.py``, as bench_backoffice.py does).
2. **Whoosh build**: ``sunshine.site.search_docs.reindex_all()`` (what ``sunshine reindex`` does for
   the back office), timed.
3. **Back-office latency**: every query of the relevance set (``tests/search/relevance/queries.tsv``)
   searched as the centre's administrator (all departments, 20 results, as the search page asks),
   once to warm up and then --repeat times; p50 / p95 / max of single calls. Goal: p95 < 30 ms.
4. **Pagefind build**: the snapshot exported from the same database, the site rendered without a
   search index, then the static index step alone (``update_static_index(site, None)``: a full base
   index) in a child process, timed with the indexer's peak memory.
5. **Static search in Chromium**: the site served by ``http.server`` in a thread, opened in headless
   Chromium (Playwright, /usr/bin/chromium) at a phone's size. The search page with ``?q=<first>``:
   time to the first result (or the empty state) and every response's bytes; then each later query
   typed into the same page: its bytes and time. Bytes are counted raw and as a static host sends
   them (text files gzip-compressed; Pagefind's files are compressed already). Goal: first query
   < 150 KB.

Ratios use baselines measured in the same run. The machine is shared: read seconds as noisy upper
bounds.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

P95_GOAL_MS = 30.0
FIRST_QUERY_GOAL_KB = 150.0
FIRST_QUERY = "营业执照"
#: Text responses a static host compresses; everything else (Pagefind's .pf_* files, wasm) is sent as is.
TEXT_TYPES = (".js", ".json", ".css", ".html", ".svg", "/")


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def make_app(work: Path):  # noqa: ANN201 - a Flask app
    from sunshine.site import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite3'}", "INSTANCE_PATH": str(work / "instance"),
        "SECRET_KEY": "bench-search", "SUNSHINE_SEARCH_INDEX": str(work / "search-index"),
        "SUNSHINE_WEB_ROOT": str(work / "public"), "SUNSHINE_SNAPSHOT_PATH": str(work / "snapshot.json"),
        "SUNSHINE_STATIC_SEARCH": False,
    })


def load_data(app, items: int, departments: int) -> dict[str, float]:  # noqa: ANN001
    from backoffice_data import grow_to_city
    from flask_migrate import upgrade

    from sunshine.site import MIGRATIONS_DIR
    from sunshine.site.seed import seed_demo

    steps = {}
    with app.app_context():
        started = time.perf_counter()
        upgrade(directory=MIGRATIONS_DIR)
        seed_demo(ROOT / "content" / "demo")
        report = grow_to_city(items, departments)
        steps[f"database: demo + {report.items} items in {report.departments} more departments"] = (
            time.perf_counter() - started)
    return steps


def whoosh_build(app) -> tuple[int, float]:  # noqa: ANN001
    from sunshine.site.search_docs import reindex_all

    with app.app_context():
        started = time.perf_counter()
        indexed = reindex_all()
        return indexed, time.perf_counter() - started


def back_office_latency(app, queries: list[str], repeat: int) -> list[float]:  # noqa: ANN001
    """Milliseconds of each timed search call (after one warm-up pass)."""
    from sunshine.site.search_docs import search_index

    timings = []
    with app.app_context():
        index = search_index()
        for query in queries:
            index.search(query, departments=None, limit=20)
        for _ in range(repeat):
            for query in queries:
                started = time.perf_counter()
                index.search(query, departments=None, limit=20)
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def build_static(app, work: Path) -> dict[str, float]:  # noqa: ANN001
    """Render the site from the exported snapshot, then index it with Pagefind in a child process."""
    from bench_city_scale import run_child

    from sunshine.publisher.build import build_site
    from sunshine.site.export import build_snapshot, write_snapshot

    with app.app_context():
        snapshot = write_snapshot(work / "snapshot.json", build_snapshot())
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    pages = build_site(snapshot, site, static_index=False).pages
    render = time.perf_counter() - started
    wall, _own, indexer_mib, out = run_child(textwrap.dedent(f"""
        from pathlib import Path
        from sunshine.search.static_delta import update_static_index
        r = update_static_index(Path({str(site)!r}), None)
        print("RESULT", r.pages, r.seconds)
    """))
    indexed, seconds = next(line.split()[1:] for line in out.splitlines() if line.startswith("RESULT"))
    bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return {"pages": pages, "render": render, "indexed": int(indexed), "pagefind": float(seconds),
            "pagefind_wall": wall, "indexer_mib": indexer_mib, "bundle_bytes": bundle}


@dataclass
class Visit:
    """What one search on the page cost: seconds to results and the responses it needed."""

    query: str
    seconds: float
    shown: int
    responses: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return sum(r[1] for r in self.responses)

    @property
    def sent(self) -> int:
        return sum(r[2] for r in self.responses)


def browser_visits(site: Path, first: str, later: list[str]) -> list[Visit]:
    from tests.browser import shared_browser
    from tests.publisher.static_browser import served

    visits: list[Visit] = []
    with served(site) as base:
        context = shared_browser().new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page = context.new_page()
        current: list[tuple[str, int, int]] = []

        def on_response(response) -> None:  # noqa: ANN001
            path = response.url.split(base, 1)[-1].split("?", 1)[0]
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - redirects have no body
                return
            sent = len(gzip.compress(body, 6)) if path.endswith(TEXT_TYPES) else len(body)
            current.append((path, len(body), sent))

        def settled() -> int:
            page.wait_for_function(
                """() => { const s = document.getElementById('search-status');
                           const list = document.querySelectorAll('#search-results .search-result');
                           const empty = document.getElementById('search-empty');
                           return s && !s.textContent.startsWith('正在搜索') &&
                                  (list.length > 0 || (empty && !empty.hidden) || s.textContent.includes('无法')); }""",
                timeout=120_000)
            return page.locator("#search-results .search-result").count()

        page.on("response", on_response)
        started = time.perf_counter()
        page.goto(f"{base}/search/?q={first}")
        shown = settled()
        visits.append(Visit(first, time.perf_counter() - started, shown))
        page.wait_for_timeout(300)  # late responses (fragments of the listed results) belong to it
        visits[-1].responses, current[:] = list(current), []
        for query in later:
            page.fill("#site-search-input", query)
            started = time.perf_counter()
            page.press("#site-search-input", "Enter")
            page.wait_for_timeout(20)
            shown = settled()
            visits.append(Visit(query, time.perf_counter() - started, shown))
            page.wait_for_timeout(300)
            visits[-1].responses, current[:] = list(current), []
        context.close()
    return visits


def later_queries(count: int) -> list[str]:
    """The first query of each kind of the relevance set (varied words, so chunks differ)."""
    from tests.search.relevance.queryset import load_queries

    chosen: dict[str, str] = {}
    for query in load_queries():
        if query.text != FIRST_QUERY:
            chosen.setdefault(query.kind, query.text)
    return list(chosen.values())[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=500, help="items in the database (default 500; the issue: 10000)")
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the query set")
    parser.add_argument("--later", type=int, default=10, help="later queries typed in the browser")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    from tests.search.relevance.queryset import load_queries

    work = args.workdir or Path(tempfile.mkdtemp(prefix="sunshine-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    if (work / "bench.sqlite3").exists():
        sys.exit(f"{work} already holds a benchmark database; remove it or choose another --workdir")
    try:
        app = make_app(work)
        for step, seconds in load_data(app, args.items, args.departments).items():
            print(f"{step}: {seconds:.1f} s", flush=True)

        print("\n== build")
        indexed, whoosh_s = whoosh_build(app)
        print(f"Whoosh rebuild (reindex_all): {indexed} records in {whoosh_s:.2f} s", flush=True)
        static = build_static(app, work)
        print(f"site render without index: {static['pages']} pages in {static['render']:.1f} s")
        print(f"Pagefind full index: {static['indexed']} pages in {static['pagefind']:.2f} s "
              f"(child wall {static['pagefind_wall']:.1f} s, indexer peak {static['indexer_mib']:.0f} MiB, "
              f"bundle {static['bundle_bytes'] / 1024:.0f} KiB)")
        print(f"  ratio Pagefind / Whoosh build time: {static['pagefind'] / whoosh_s:.2f}", flush=True)

        print("\n== back-office query latency (centre admin, 20 results)")
        queries = [q.text for q in load_queries()]
        timings = back_office_latency(app, queries, args.repeat)
        p50, p95 = percentile(timings, 0.50), percentile(timings, 0.95)
        print(f"{len(queries)} queries x {args.repeat}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
              f"max {max(timings):.1f} ms, mean {statistics.fmean(timings):.1f} ms")
        print(f"  p95 / goal ({P95_GOAL_MS:.0f} ms): {p95 / P95_GOAL_MS:.2f}  "
              f"{'OK' if p95 < P95_GOAL_MS else 'OVER GOAL'}", flush=True)

        if not args.no_browser:
            print("\n== static search in headless Chromium (360x740)")
            visits = browser_visits(work / "site", FIRST_QUERY, later_queries(args.later))
            first = visits[0]
            print(f"first query {first.query!r}: {first.shown} results shown after {first.seconds * 1000:.0f} ms; "
                  f"{len(first.responses)} responses, {first.raw / 1024:.1f} KiB raw, "
                  f"{first.sent / 1024:.1f} KiB sent (text gzipped)")
            for path, raw, sent in sorted(first.responses, key=lambda r: -r[2])[:12]:
                print(f"    {sent / 1024:7.1f} KiB sent  {raw / 1024:7.1f} KiB raw  {path}")
            print(f"  first query / goal ({FIRST_QUERY_GOAL_KB:.0f} KB): {first.sent / 1000 / FIRST_QUERY_GOAL_KB:.2f}  "
                  f"{'OK' if first.sent / 1000 < FIRST_QUERY_GOAL_KB else 'OVER GOAL'}")
            for visit in visits[1:]:
                print(f"later {visit.query!r}: {visit.shown} shown after {visit.seconds * 1000:.0f} ms; "
                      f"{len(visit.responses)} responses, {visit.sent / 1024:.1f} KiB sent")
            if len(visits) > 1:
                later_sent = [v.sent for v in visits[1:]]
                later_ms = [v.seconds * 1000 for v in visits[1:]]
                print(f"  later queries: median {statistics.median(later_sent) / 1024:.1f} KiB sent "
                      f"(ratio to the first: {statistics.median(later_sent) / max(first.sent, 1):.2f}), "
                      f"max {max(later_sent) / 1024:.1f} KiB; median {statistics.median(later_ms):.0f} ms to results")
    finally:
        if args.keep or args.workdir:
            print(f"\nwork dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
