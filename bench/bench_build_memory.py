"""Benchmark: peak memory of a full build (issue 7: under 500 MB at 10,000 items), honestly counted.

Run by hand (never in the suite; writes only under a temp dir):
    .venv/bin/python bench/bench_build_memory.py --snapshot city.json [--repeat 3] [--code DIR ...] [--phases]

Each run is a full build without the search index (``build_site(..., static_index=False)``, no Markdown
store: cold, as step 2 of ``bench_city_scale.py``) in a fresh Python. A watcher in this process samples
the build process and every process it forks (the render processes) every ``--interval`` seconds:

* **parent peak**: the build process's own peak RSS (``VmHWM``, kernel-counted, not sampled);
* **tree peak PSS**: the largest sum, over one sample, of the processes' PSS (``smaps_rollup``): a page
  shared by the parent and its forked children is counted once, split among them — the memory the
  build really occupies;
* **tree peak USS**: the same for private pages only (what ending the tree would free, minus sharing);
* **children peak**: the largest RSS of one render process (most of it the parent's shared pages).

``--code DIR`` runs the build with another checkout's code (e.g. ``git archive HEAD | tar -x -C DIR``
to compare before/after in one run): ``DIR/shim/sunshine`` must hold links ``publisher``, ``search``,
``contract``, ``site`` to that checkout's folders, and is put first on ``PYTHONPATH``. Runs alternate
between the code trees, and medians are printed: the machine is shared, read the ratios.

``--phases`` also prints the build process's RSS after each phase of the generator (catalog, search
analysis, pages collected, search blocks, rendering), through wrappers set up in the child.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PHASES = textwrap.dedent("""
    import resource
    def _rss():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    def _phase(owner, name, label):
        original = getattr(owner, name)
        def wrapped(*args, **kwargs):
            result = original(*args, **kwargs)
            print(f"PHASE {label}: RSS {_rss()} MiB", flush=True)
            return result
        setattr(owner, name, wrapped)
    import sunshine.publisher.build as _b
    import sunshine.publisher.generator as _g
    _phase(_b, "parse_snapshot", "snapshot parsed")
    _phase(_g.SunshineGenerator, "use_snapshot", "catalog built")
    _phase(_g.SiteSearch, "__init__", "search analysis ready")
    _phase(_g.SunshineGenerator, "_write_pages", "pages collected")
    _phase(_g.SunshineGenerator, "_write_searchable", "search blocks made")
    _phase(_g.SunshineGenerator, "_render_jobs", "pages rendered")
""")

BUILD = textwrap.dedent("""
    import time
    from pathlib import Path
    from sunshine.publisher.build import build_site
    started = time.perf_counter()
    result = build_site(Path({snapshot!r}), Path({out!r}), static_index=False)
    print("SECONDS", time.perf_counter() - started)
    print("PAGES", result.pages, result.rendered)
""")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _rollup(pid: int) -> tuple[int, int, int] | None:
    """(RSS, PSS, USS) of a process in KiB, or None when it is gone."""
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                    values[parts[0][:-1]] = int(parts[1])
    except OSError:
        return None
    if "Rss" not in values:
        return None
    return values["Rss"], values["Pss"], values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)


class Watcher(threading.Thread):
    """Samples a process tree's memory until stopped."""

    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.tree_pss = self.tree_uss = self.child_rss = self.parent_rss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = [self.pid]
            for pid in pids:  # grows while walked: grandchildren too
                pids += _children(pid)
            pss = uss = 0
            for pid in pids:
                found = _rollup(pid)
                if found is None:
                    continue
                rss, p, u = found
                pss, uss = pss + p, uss + u
                if pid == self.pid:
                    self.parent_rss = max(self.parent_rss, rss)
                else:
                    self.child_rss = max(self.child_rss, rss)
            self.tree_pss, self.tree_uss = max(self.tree_pss, pss), max(self.tree_uss, uss)
            self.done.wait(self.interval)


def measure(snapshot: Path, code: Path | None, interval: float, phases: bool, processes: str | None) -> dict:
    out = Path(tempfile.mkdtemp(prefix="helper-build-memory-")) / "site"
    script = (PHASES if phases else "") + BUILD.format(snapshot=str(snapshot), out=str(out)) + textwrap.dedent("""
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM"):
                print("HWM_KB", line.split()[1])
    """)
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code / "shim") + os.pathsep + env.get("PYTHONPATH", "")
    if processes:
        env["SUNSHINE_PUBLISH_PROCESSES"] = processes
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    watcher = Watcher(proc.pid, interval)
    watcher.start()
    text = proc.stdout.read()
    # Stop sampling before the exit: a zombie has no smaps.
    proc.wait()
    watcher.done.set()
    watcher.join()
    subprocess.run(["rm", "-rf", str(out.parent)], check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}):\n{text}")
    lines = text.splitlines()

    def value(tag: str) -> list[str]:
        return next(line.split()[1:] for line in lines if line.startswith(tag))

    for line in lines:
        if line.startswith("PHASE"):
            print("   ", line, flush=True)
    return {
        "seconds": float(value("SECONDS")[0]),
        "pages": int(value("PAGES")[0]),
        "parent_peak": int(value("HWM_KB")[0]) / 1024,
        "parent_sampled": watcher.parent_rss / 1024,
        "tree_pss": watcher.tree_pss / 1024,
        "tree_uss": watcher.tree_uss / 1024,
        "child_rss": watcher.child_rss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--snapshot", type=Path, required=True, help="a city's snapshot (bench_city_scale.py writes one)")
    parser.add_argument("--code", type=Path, action="append", default=[],
                        help="another checkout to measure too (see the docstring); this tree is always measured")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between samples")
    parser.add_argument("--phases", action="store_true")
    parser.add_argument("--processes", help="SUNSHINE_PUBLISH_PROCESSES for the builds")
    args = parser.parse_args()
    trees: list[Path | None] = [*args.code, None]
    results: dict[str, list[dict]] = {str(t or "this tree"): [] for t in trees}
    for n in range(args.repeat):
        for tree in trees:
            name = str(tree or "this tree")
            print(f"run {n + 1}, {name}:", flush=True)
            found = measure(args.snapshot, tree, args.interval, args.phases, args.processes)
            results[name].append(found)
            print(f"  {found['seconds']:.1f} s, {found['pages']} pages; parent peak {found['parent_peak']:.0f} MiB; "
                  f"tree peak PSS {found['tree_pss']:.0f} MiB, USS {found['tree_uss']:.0f} MiB; "
                  f"largest render process RSS {found['child_rss']:.0f} MiB", flush=True)
    print("medians:")
    for name, runs in results.items():
        def med(key: str, runs: list[dict] = runs) -> float:
            return statistics.median(r[key] for r in runs)
        print(f"  {name}: {med('seconds'):.1f} s; parent peak {med('parent_peak'):.0f} MiB; tree peak PSS "
              f"{med('tree_pss'):.0f} MiB, USS {med('tree_uss'):.0f} MiB; render process RSS {med('child_rss'):.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
