"""Benchmark: from the save in the back office to the changed page live, at a city's size.

Run by hand (never in the suite; writes only under a temp dir):
    .venv/bin/python bench/bench_export.py [--items 10000] [--search]

Loads the demo into a scratch SQLite database, copies its published items under new codes up to
--items (each a published row with its own published JSON), then times in one process:
1. the first export (every record validated) and writing the snapshot file;
2. the next export after one item's published text changed (the worker's case: only that record is
   read, validated and encoded again, the others handed again as they were) and writing it;
3. the back office's publish as the worker runs it (``publish_site``: export, then the resident publisher
   process): a first full publish, then one item edited and published (``workflow.publish``) and the site
   published again — seconds from the save to the changed page in the live directory, EDITS times (each
   made out of a spare the publisher made after the full publish, or from the third on out of the oldest
   build: publisher/standby.py), split into the save, the export, writing the snapshot, and
   the rest (the publisher's build, and the public search index with ``--search-inline``). ``--search``
   includes the static search index (base + delta): by default the publisher answers once the pages are
   live and indexes them right after (``SUNSHINE_SEARCH_LATER``), and the seconds from the save until the
   live build holds the edit with its index current are printed too (a thread watches ``current``);
   ``--search-inline`` makes the index before the swap. The page is live when the publisher answers
   (the swap is done); the back office then updates its public search API (``update_after_publish``),
   printed apart.
The demo-sized export, measured first in the same run, is the baseline of the ratios.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

#: Edits published one after the other: from the third on, the web root holds three builds and the
#: oldest is recycled as the next (publisher/standby.py), the steady state of a day's publishing.
EDITS = 4


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--search", action="store_true", help="publish with the static search index")
    parser.add_argument("--search-inline", action="store_true",
                        help="with --search: make the index before the swap (SUNSHINE_SEARCH_LATER=0)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (its database and web root)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sunshine-bench-export-"))
    try:
        return run(args, work)
    finally:
        from sunshine.site.resident_publisher import PUBLISHER

        PUBLISHER.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    os.environ["SUNSHINE_INSTANCE_PATH"] = str(work / "instance")
    from sqlalchemy import insert, select

    from sunshine.site import create_app
    from sunshine.site.bootstrap import init_database, load_demo
    from sunshine.site.db import db
    from sunshine.site.export import build_snapshot, write_snapshot
    from sunshine.site.models import ServiceItem

    app = create_app({"SUNSHINE_SEARCH_INDEX": str(work / "idx"), "SUNSHINE_STATIC_SEARCH": args.search,
                      "SUNSHINE_SEARCH_LATER": not args.search_inline})
    init_database(app)
    load_demo(app, cases=False)

    def export(label: str) -> float:
        started = time.perf_counter()
        snapshot = build_snapshot(remember=True)  # as the worker exports
        built = time.perf_counter()
        write_snapshot(work / "snapshot.json", snapshot, remember=True)  # as the worker writes
        done = time.perf_counter()
        print(f"{label}: {len(snapshot['items'])} items, export {built - started:.2f} s + write "
              f"{done - built:.2f} s = {done - started:.2f} s", flush=True)
        return done - started

    with app.app_context():
        base = export("demo, first export")
        base_again = export("demo, next export")
        table = ServiceItem.__table__
        rows = [dict(r._mapping) for r in db.session.execute(select(table).where(table.c.state == "published"))]
        copies = []
        for n in range(args.items - len(rows)):
            row = copy.deepcopy(rows[n % len(rows)])
            row.pop("id")
            row["code"] = f"{row['code']}-{n:05d}"
            row["published_data"] = {**row["published_data"], "code": row["code"],
                                     "name": f"{row['published_data']['name']}（{n}）"}
            copies.append(row)
        db.session.execute(insert(table), copies)
        db.session.commit()
        first = export(f"{args.items} items, first export")
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == copies[len(copies) // 2]["code"])).one()
        item.published_data = {**item.published_data, "promised_note": "材料齐全的当场受理（基准测试）"}
        item.revision += 1
        db.session.commit()
        again = export(f"{args.items} items, next export after one edit")
    from sunshine.search.static_delta import search_pending
    from sunshine.site import publishing
    from sunshine.site.publishing import publish_site
    from sunshine.site.workflow import publish

    spent: dict[str, float] = {}  # seconds of the last publish's export and snapshot writing

    def timed(name: str, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = time.perf_counter() - started
        return run

    publishing.build_snapshot = timed("export", publishing.build_snapshot)
    publishing.write_snapshot = timed("write", publishing.write_snapshot)
    answered: dict[str, float] = {}  # when the publisher answered: the swap is done, the page is live
    real_request = publishing.PUBLISHER.request

    def request(*args, **kwargs):
        try:
            answer = real_request(*args, **kwargs)
            answered["swap"] = answer.get("live_seconds") or 0.0
            return answer
        finally:
            answered["at"] = time.perf_counter()

    publishing.PUBLISHER.request = request
    current = Path(app.config["SUNSHINE_WEB_ROOT"]) / "current"

    def watch(page: str, marker: str, seen: dict[str, float], stop: threading.Event) -> None:
        """The first moment the live build holds the edit with its search index current."""
        while not stop.is_set():
            live = current.resolve()
            try:
                holds = marker in (live / page).read_text(encoding="utf-8")
            except OSError:
                holds = False
            if holds and not search_pending(live):
                seen["search"] = time.perf_counter()
                return
            time.sleep(0.002)

    started = time.perf_counter()
    publish_site(app, full=True)
    print(f"first publish (full{', with the search index' if args.search else ''}): "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    time.sleep(10)  # the clerk's first edit comes later: the publisher makes its spares meanwhile (make_spares)
    save_to_live, save_to_search = [], []
    builds = Path(app.config["SUNSHINE_WEB_ROOT"]) / "builds"
    for n in range(EDITS):
        with app.app_context():
            code = rows[n]["code"]  # a demo item, with its materials and steps (the copies have none)
            item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == code)).one()
            item.promised_note = f"材料齐全的当场受理（基准测试第{n + 1}次修改）"
            started = time.perf_counter()
            publish(item)
            db.session.commit()
        saved = time.perf_counter()
        before = {p.name for p in builds.iterdir()}
        seen: dict[str, float] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(f"items/{code}/index.html", f"基准测试第{n + 1}次修改", seen, stop))
        if args.search:  # the publisher indexes the changed pages after answering (SUNSHINE_SEARCH_LATER)
            watcher.start()
        outcome = publish_site(app)
        returned = time.perf_counter()
        recycled = bool(before - {p.name for p in builds.iterdir()})  # the oldest build became the new one
        seconds = answered["at"] - started
        page = outcome.live_dir / "items" / code / "index.html"
        assert f"基准测试第{n + 1}次修改" in page.read_text(encoding="utf-8")
        save_to_live.append(seconds)
        rest = seconds - (saved - started) - spent["export"] - spent["write"]
        searched = ""
        if args.search:
            watcher.join(timeout=60)
            stop.set()
            save_to_search.append(seen["search"] - started)
            searched = f"; search index current {save_to_search[-1]:.2f} s after the save"
        print(f"edit {n + 1}: save → changed page live {seconds:.2f} s (the save {saved - started:.2f} s, "
              f"export {spent['export']:.2f} s, write {spent['write']:.2f} s, publisher"
              f"{' and search' if args.search and args.search_inline else ''} {rest:.2f} s, of which its publish until the "
              f"swap {answered['swap']:.2f} s; then the public "
              f"search API {returned - answered['at']:.2f} s){searched}"
              f"{'; the oldest build recycled' if recycled else ''}", flush=True)
        time.sleep(10)  # a clerk's next save comes later: the publisher prunes the oldest build meanwhile
    print()
    print(f"export of {args.items} items: first {first:.2f} s ({first / base:.0f}x the demo's), after one edit "
          f"{again:.2f} s ({again / base_again:.0f}x the demo's next export)")
    print(f"save → live at {args.items} items{' with the search index' if args.search else ''}: "
          f"{', then '.join(f'{s:.2f} s' for s in save_to_live)} (goal <1 s)")
    if save_to_search:
        print(f"save → search index current: {', then '.join(f'{s:.2f} s' for s in save_to_search)} (goal <5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
