"""Benchmark: the back office's export of a city-sized snapshot (the first step of every publish).

Run by hand (never in the suite; writes only under a temp dir):
    .venv/bin/python bench/bench_export.py [--items 10000]

Loads the demo into a scratch SQLite database, copies its published items under new codes up to
--items (each a published row with its own published JSON), then times in one process:
1. the first export (every record validated) and writing the snapshot file;
2. the next export after one item's published text changed (the worker's case: only that record is
   validated again) and writing it.
The demo-sized export, measured first in the same run, is the baseline of the ratios.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sunshine-bench-export-"))
    os.environ["SUNSHINE_INSTANCE_PATH"] = str(work / "instance")
    from sqlalchemy import insert, select

    from sunshine.site import create_app
    from sunshine.site.bootstrap import init_database, load_demo
    from sunshine.site.db import db
    from sunshine.site.export import build_snapshot, write_snapshot
    from sunshine.site.models import ServiceItem

    app = create_app({"SUNSHINE_SEARCH_INDEX": str(work / "idx")})
    init_database(app)
    load_demo(app, cases=False)

    def export(label: str) -> float:
        started = time.perf_counter()
        snapshot = build_snapshot()
        built = time.perf_counter()
        write_snapshot(work / "snapshot.json", snapshot)
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
    print()
    print(f"export of {args.items} items: first {first:.2f} s ({first / base:.0f}x the demo's), after one edit "
          f"{again:.2f} s ({again / base_again:.0f}x the demo's next export)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
