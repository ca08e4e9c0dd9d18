"""Benchmark: how publishing scales with the number of service items.

Run by hand (never in the suite):  .venv/bin/python bench/bench_publish.py [--sizes 45,500,2000]

It exports the demo snapshot, then makes larger snapshots by cloning the demo
items under new codes, and times a full build (Pelican + open data) with and
without the Pagefind index. Machines here are noisy, so every size is also
given as a ratio to the demo-size build measured in the same run.
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

from sunshine.publisher.build import build_site


def demo_snapshot(workdir: Path) -> dict:
    import os

    os.environ["SUNSHINE_INSTANCE_PATH"] = str(workdir / "instance")
    from sunshine.site import create_app
    from sunshine.site.bootstrap import init_database, load_demo
    from sunshine.site.export import build_snapshot

    app = create_app({"SUNSHINE_SEARCH_INDEX": str(workdir / "idx")})
    init_database(app)
    load_demo(app)
    with app.app_context():
        return build_snapshot()


def scaled(snapshot: dict, n_items: int) -> dict:
    base = snapshot["items"]
    items = []
    for i in range(n_items):
        item = copy.deepcopy(base[i % len(base)])
        if i >= len(base):
            item["code"] = f"{item['code']}-{i:05d}"
            item["name"] = f"{item['name']}（{i}号）"
        items.append(item)
    return {**snapshot, "items": sorted(items, key=lambda it: it["code"])}


def timed_build(snapshot: dict, workdir: Path, label: str, static_index: bool) -> float:
    path = workdir / f"{label}.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    result = build_site(path, workdir / f"out-{label}-{static_index}", static_index=static_index)
    seconds = time.perf_counter() - started
    print(f"  {label:>6} items={len(snapshot['items']):>5} pages={result.pages:>5} "
          f"search_pages={result.search_pages:>5} {seconds:6.2f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="45,500,2000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        demo = demo_snapshot(workdir)
        for static_index in (False, True):
            print(f"build with static search index: {static_index}")
            times = {n: timed_build(scaled(demo, n), workdir, str(n), static_index) for n in sizes}
            baseline = times[sizes[0]]
            for n in sizes:
                print(f"    {n:>5} items: {times[n] / baseline:5.1f}× the {sizes[0]}-item build, "
                      f"{1000 * times[n] / n:6.1f} ms per item")


if __name__ == "__main__":
    main()
