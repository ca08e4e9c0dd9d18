"""Benchmark: the static search indexer's peak memory and time at a city's size (issue 7).

Run by hand (never in the suite; writes only under --workdir, a temp dir by default):
    .venv/bin/python bench/bench_pagefind_memory.py --site /path/to/built/site [--site other] [--repeat 3]
    .venv/bin/python bench/bench_pagefind_memory.py --snapshot /path/to/city.json   # builds the site first
    .venv/bin/python bench/bench_pagefind_memory.py --site DIR --allocator both        # with and without

Each run is the call a publish makes (``static_index.pagefind_command`` with ``pagefind_env``: the
extended binary, ``--force-language``, the allocator setting ``ALLOCATOR_ENV``) over a site
directory, writing the bundle under --workdir (never into the site). Pagefind is this process's own
child, so its peak RSS is exact (``os.wait4``). Printed per run: seconds, peak MiB, the words and
pages Pagefind reports, the bundle's size; then the median per site and setting.

Several sites (or ``--allocator both``) are measured in turns, run after run, so that the
comparison shares the machine's load: the machine is shared (2 cores), so read the ratios and the
medians, not single seconds. ``--snapshot`` builds the site with ``build_site(...,
static_index=False)`` first (about a minute and a half at 10,000 items), as bench_city_scale.py does.

Measured 2026-12-07 at 10,000 items (bench city snapshot, 10,553 indexed pages), medians of 3:
meta in base64 without the allocator setting (before) 2,048 MiB, 39.7 s, 37,883 words; meta in private
use characters 1,350 MiB, 32.0 s, 14,949 words; with the allocator setting too 1,191 MiB, 33.7 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(snapshot: Path, out_dir: Path) -> Path:
    """The site of ``snapshot`` without a search index, built as a publish builds it."""
    from sunshine.publisher.build import build_site

    started = time.perf_counter()
    build_site(snapshot, out_dir, static_index=False)
    print(f"built {out_dir} in {time.perf_counter() - started:.1f} s", flush=True)
    return out_dir


def index_once(site: Path, output: Path, *, allocator: bool) -> dict[str, float | int | str]:
    """One Pagefind run over ``site`` into ``output``: seconds, peak MiB, words, pages, bundle bytes."""
    from sunshine.search.static_index import ALLOCATOR_ENV, pagefind_command, pagefind_env

    shutil.rmtree(output, ignore_errors=True)
    env = pagefind_env() if allocator else {k: v for k, v in os.environ.items() if k not in ALLOCATOR_ENV}
    started = time.perf_counter()
    proc = subprocess.Popen(pagefind_command(site, output), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env)
    out = proc.stdout.read().decode("utf-8", errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"pagefind exited {proc.returncode}:\n{out[-2000:]}")

    def count(label: str) -> int:
        found = re.search(rf"Indexed (\d+) {label}", out)
        return int(found.group(1)) if found else -1

    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    shutil.rmtree(output, ignore_errors=True)
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "words": count("words"),
            "pages": count("pages"), "bundle_bytes": size}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--site", action="append", type=Path, default=[], help="a built site (repeatable)")
    parser.add_argument("--snapshot", type=Path, help="build this snapshot's site first and measure it")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--allocator", choices=("on", "off", "both"), default="on",
                        help="the allocator setting of static_index.ALLOCATOR_ENV (default: on, as a publish runs)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temp dir, removed)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-pagefind-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sites = list(args.site)
        if args.snapshot:
            sites.append(build(args.snapshot, work / "site"))
        if not sites:
            parser.error("give --site or --snapshot")
        settings = {"on": [True], "off": [False], "both": [False, True]}[args.allocator]
        runs: dict[tuple[str, bool], list[dict]] = {}
        for rep in range(args.repeat):
            for site in sites:
                for allocator in settings:
                    got = index_once(site, work / "bundle", allocator=allocator)
                    runs.setdefault((str(site), allocator), []).append(got)
                    print(f"run {rep + 1} {site} allocator={'on' if allocator else 'off'}: "
                          f"{got['seconds']:.1f} s, peak {got['peak_mib']:.0f} MiB, {got['pages']} pages, "
                          f"{got['words']} words, bundle {got['bundle_bytes'] / 2**20:.1f} MiB", flush=True)
        print("\nmedians (peak RSS of pagefind_extended, wall seconds):")
        for (site, allocator), got in runs.items():
            print(f"  {site} allocator={'on' if allocator else 'off'}: "
                  f"peak {statistics.median(g['peak_mib'] for g in got):.0f} MiB "
                  f"({statistics.median(g['peak_mib'] for g in got) * 1.048576:.0f} MB), "
                  f"{statistics.median(g['seconds'] for g in got):.1f} s, {got[0]['words']} words")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
