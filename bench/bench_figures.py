"""Benchmark: the published figures (办件统计) and the snapshot at a year of cases, and at five.

Run by hand (never in the suite):  .venv/bin/python bench/bench_figures.py [--scales 1,5] [--repeat 3]

For each scale it migrates a fresh SQLite database, loads the demo data set and
generates the demo year (content/demo/cases.yaml) with every department's monthly
volume multiplied by the scale, at a pinned clock (2026-11-23 10:00 China time
unless --as-of says otherwise). Then it times ``compute_figures`` (the figures
section alone) and ``build_snapshot`` (the whole export, figures and public
rectifications included), best of --repeat runs. Machines here are shared and
noisy, so every time is also given as a ratio to the 1× year measured in the
same run, and CPU seconds are printed beside wall seconds for the seeding.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def measure(scale: float, workdir: Path, as_of: str, repeat: int) -> dict[str, float]:
    os.environ["SUNSHINE_INSTANCE_PATH"] = str(workdir / f"instance-{scale}")
    from sqlalchemy import func, select

    from sunshine.site import clock, create_app
    from sunshine.site.bootstrap import demo_dir, init_database
    from sunshine.site.db import db
    from sunshine.site.demo_year import seed_demo_year
    from sunshine.site.export import build_snapshot
    from sunshine.site.figures import compute_figures, public_departments
    from sunshine.site.models import Rating, Rectification, ServiceCase
    from sunshine.site.seed import seed_demo

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / f'bench-{scale}.sqlite3'}",
        "SUNSHINE_SEARCH_INDEX": str(workdir / f"idx-{scale}"),
    })
    init_database(app)
    result: dict[str, float] = {}
    with clock.frozen(as_of), app.app_context():
        directory = demo_dir(app)
        seed_demo(directory)
        wall, cpu = time.perf_counter(), time.process_time()
        seed_demo_year(directory, scale=scale)
        result["seed_wall"] = time.perf_counter() - wall
        result["seed_cpu"] = time.process_time() - cpu
        result["cases"] = db.session.scalar(select(func.count()).select_from(ServiceCase))
        result["ratings"] = db.session.scalar(select(func.count()).select_from(Rating))
        result["orders"] = db.session.scalar(select(func.count()).select_from(Rectification))
        departments = public_departments()
        result["figures"] = _best(lambda: compute_figures(departments), repeat)
        result["snapshot"] = _best(build_snapshot, repeat)
        result["snapshot_kb"] = len(json.dumps(build_snapshot(), ensure_ascii=False).encode()) / 1024
        db.session.remove()
        db.engine.dispose()
    return result


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,5", help="volume multipliers; the first is the baseline")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (the best is kept)")
    parser.add_argument("--as-of", default="2026-11-23T10:00:00+08:00", help="the pinned clock")
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        results = {s: measure(s, Path(tmp), args.as_of, args.repeat) for s in scales}
    base = results[scales[0]]
    print(f"as of {args.as_of}; best of {args.repeat}; SQLite; ratios vs the {scales[0]:g}× year")
    print(f"{'scale':>5} {'cases':>7} {'ratings':>7} {'orders':>6} {'seed s':>7} {'seed cpu':>8} "
          f"{'figures s':>9} {'ratio':>6} {'snapshot s':>10} {'ratio':>6} {'snap KB':>8}")
    for scale in scales:
        r = results[scale]
        print(f"{scale:>4g}× {r['cases']:>7.0f} {r['ratings']:>7.0f} {r['orders']:>6.0f} {r['seed_wall']:>7.1f} "
              f"{r['seed_cpu']:>8.1f} {r['figures']:>9.3f} {r['figures'] / base['figures']:>5.1f}× "
              f"{r['snapshot']:>10.3f} {r['snapshot'] / base['snapshot']:>5.1f}× {r['snapshot_kb']:>8.0f}")


if __name__ == "__main__":
    main()
