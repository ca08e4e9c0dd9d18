"""Benchmark: the static search index after one edit at city scale — base + delta against a full index.

Run by hand (never in the suite; writes only under --workdir, a temp dir by default):
    .venv/bin/python bench/bench_search_delta.py [--items 10000] [--workdir DIR] [--keep]

1. The demo snapshot grown to --items items (``bench/city_data.py``), built with
   ``build_site(..., static_index=False)`` and a ledger (site A).
2. **Full index** of site A (``update_static_index(A, None)``, a new base) in a child process: wall time,
   and the indexer's peak RSS (pagefind_extended is the child's child: ``RUSAGE_CHILDREN``).
3. One item edited (new words in its name and conditions, its old unique words gone), site B built
   incrementally from A (unchanged pages hard-linked, as a publish does).
4. **Delta index** of site B (``update_static_index(B, A)``) in a child: wall time, pages in the delta,
   base results hidden. Goal: < 5 s.
5. **Same results**: a fresh full index of B (a hard-linked copy) and base + delta are queried with
   pagefind.js under Node (``tests/search/pagefind_delta_search.mjs``: merge the delta, drop stale base
   results, as the search page does) for real Chinese queries; the URL sets must be equal; the rank
   order is compared too.
6. **First query bytes**: site B served over HTTP and opened in Chromium (Playwright); the search page
   with ?q=营业执照 until the first 10 results are shown; every response's bytes are counted (raw, and
   as a static host would send them with gzip for text files), every response listed. Goal: < 150 KB.
   Measured 2026-12-07 at 10,000 items: 221 KiB on base + delta (216 KiB on a fresh index), 150 KiB of
   it Pagefind's fixed part (its WebAssembly 66, pagefind.js 13, the base's pf_meta 71: one id and word
   count per page), so the goal cannot be met with Pagefind 1.5.2 at this size (docs/architecture.md).

Steps 1-2 are cached in --workdir (delete it to start again). The machine is shared: read seconds as
noisy upper bounds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_city_scale import run_child  # noqa: E402

NODE_SEARCH = ROOT / "tests" / "search" / "pagefind_delta_search.mjs"
EDIT_NEW_NAME = "新能源汽车充电桩报装（智慧联办试点）"
EDIT_NEW_WORDS = "充电桩报装实行智慧联办，申请人通过“一网通办”提交电网接入材料。"
QUERIES = ("充电桩", "智慧联办", "营业执照", "不动产", "社保", "低保", "施工许可", "公积金", "民政局",
           "市场监督管理局", "一网通办", "容缺受理")


def _stage_sites(work: Path, items: int) -> dict:
    """Site A (+ledger) and the edited snapshot; cached in work."""
    snap_a, snap_b = work / "city-a.json", work / "city-b.json"
    site_a, ledger_a = work / "site-a", work / "ledger-a.json"
    if not (site_a / "data" / "site-manifest.json").is_file():
        shutil.rmtree(site_a, ignore_errors=True)
        seconds, mib, _c, _out = run_child(textwrap.dedent(f"""
            import json, sys
            sys.path.insert(0, {str(ROOT / 'bench')!r})
            from pathlib import Path
            from bench_city_scale import demo_snapshot
            from city_data import city_snapshot
            from sunshine.publisher.build import build_site
            work = Path({str(work)!r})
            snapshot = city_snapshot(demo_snapshot(work), {items})
            Path({str(snap_a)!r}).write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
            r = build_site({str(snap_a)!r}, {str(site_a)!r}, static_index=False, ledger=Path({str(ledger_a)!r}))
            print("PAGES", r.pages)
        """))
        print(f"site A built: {seconds:.1f} s, peak {mib:.0f} MiB", flush=True)
    snapshot = json.loads(snap_a.read_text(encoding="utf-8"))
    target = snapshot["items"][len(snapshot["items"]) // 2]
    old_name = target["name"]
    target["name"] = EDIT_NEW_NAME
    target["conditions"] = EDIT_NEW_WORDS
    snap_b.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    return {"snap_b": snap_b, "site_a": site_a, "ledger_a": ledger_a, "code": target["code"],
            "old_name": old_name}


def _query(site: Path, queries: list[str]) -> dict[str, list[str]]:
    run = subprocess.run(["node", str(NODE_SEARCH), str(site), *queries], capture_output=True, text=True,
                         timeout=900, check=True)
    return json.loads(run.stdout)


def _first_query_bytes(site: Path, query: str) -> dict:
    from tests.browser import shared_browser
    from tests.publisher.static_browser import served

    text_types = (".js", ".json", ".css", ".html", ".svg")
    responses: list[tuple[str, int, int]] = []
    with served(site) as base:
        context = shared_browser().new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page = context.new_page()

        def on_response(response) -> None:
            path = response.url.split(base, 1)[-1].split("?", 1)[0]
            try:
                body = response.body()
            except Exception:  # noqa: BLE001 - redirects have no body
                return
            sent = len(gzip.compress(body, 6)) if path.endswith(text_types) or path.endswith("/") else len(body)
            responses.append((path, len(body), sent))

        page.on("response", on_response)
        started = time.perf_counter()
        page.goto(f"{base}/search/?q={query}")
        page.wait_for_selector(".search-result:nth-child(10)", timeout=60000)
        shown = time.perf_counter() - started
        page.wait_for_timeout(300)
        context.close()
    return {"responses": responses, "seconds": shown}


def _pagefind_fixed(path: str) -> bool:
    """What every first query downloads whatever it asks: Pagefind's script, its WebAssembly and
    the base bundle's pf_meta (one id and word count per indexed page: grows with the site)."""
    return path.startswith("/pagefind/") and (
        path.endswith(("pagefind.js", ".pf_meta")) or path.rsplit("/", 1)[-1].startswith("wasm."))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="sunshine-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        staged = _stage_sites(work, args.items)
        site_a = staged["site_a"]

        # 2. Full index of A (a new base): cached (the base must stay the one B's delta refers to).
        if not (site_a / "pagefind" / "sunshine-pages.json").is_file():
            full_s, _own, indexer_mib, out = run_child(textwrap.dedent(f"""
                from pathlib import Path
                from sunshine.search.static_delta import update_static_index
                r = update_static_index(Path({str(site_a)!r}), None)
                print("RESULT", r.pages, r.seconds)
            """))
            pages, seconds = next(line.split()[1:] for line in out.splitlines() if line.startswith("RESULT"))
            (work / "full-index.json").write_text(json.dumps(
                {"wall": full_s, "indexer_mib": indexer_mib, "pages": int(pages), "seconds": float(seconds)}))
        full = json.loads((work / "full-index.json").read_text())
        print(f"full index of site A: {full['wall']:.1f} s wall ({full['seconds']:.1f} s in the step), "
              f"{full['pages']} pages, indexer peak {full['indexer_mib']:.0f} MiB", flush=True)
        bundle = site_a / "pagefind"
        size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
        print(f"base bundle {size / 2**20:.1f} MiB, URL map {(bundle / 'sunshine-pages.json').stat().st_size / 1024:.0f} KiB")

        # 3. Site B: one edited item, incremental build from A.
        site_b, ledger_b = work / "site-b", work / "ledger-b.json"
        shutil.rmtree(site_b, ignore_errors=True)
        build_s, _mib, _c, out = run_child(textwrap.dedent(f"""
            from pathlib import Path
            from sunshine.publisher.build import build_site
            r = build_site(Path({str(staged['snap_b'])!r}), Path({str(site_b)!r}), static_index=False,
                           previous=Path({str(site_a)!r}), previous_ledger=Path({str(staged['ledger_a'])!r}),
                           ledger=Path({str(ledger_b)!r}))
            print("BUILD", r.rendered, r.reused)
        """))
        rendered, reused = next(line.split()[1:] for line in out.splitlines() if line.startswith("BUILD"))
        print(f"site B (one item edited, incremental): {build_s:.1f} s, {rendered} rendered, {reused} reused",
              flush=True)

        # 4. Delta index of B against A.
        delta_wall, _own, delta_mib, out = run_child(textwrap.dedent(f"""
            from pathlib import Path
            from sunshine.search.static_delta import update_static_index
            r = update_static_index(Path({str(site_b)!r}), Path({str(site_a)!r}))
            print("RESULT", r.mode, r.delta_pages, r.stale_pages, r.pages, r.seconds)
        """))
        mode, delta_pages, stale, pages, delta_s = next(
            line.split()[1:] for line in out.splitlines() if line.startswith("RESULT"))
        state = json.loads((site_b / "pagefind-delta" / "sunshine-delta.json").read_text())
        print(f"delta index of site B: {float(delta_s):.2f} s in the step ({delta_wall:.1f} s with Python start-up), "
              f"mode {mode}, {delta_pages} pages in the delta, {stale} base results hidden, indexer peak "
              f"{delta_mib:.0f} MiB; changed pages: {', '.join(state['pages'])}", flush=True)

        # 5. A fresh full index of B, for comparison.
        site_f = work / "site-b-full"
        shutil.rmtree(site_f, ignore_errors=True)
        subprocess.run(["cp", "-al", str(site_b), str(site_f)], check=True)
        for sub in ("pagefind", "pagefind-delta"):
            shutil.rmtree(site_f / sub)
        fresh_s, _own, fresh_mib, _out = run_child(textwrap.dedent(f"""
            from pathlib import Path
            from sunshine.search.static_delta import update_static_index
            update_static_index(Path({str(site_f)!r}), None)
        """))
        print(f"fresh full index of site B: {fresh_s:.1f} s, indexer peak {fresh_mib:.0f} MiB", flush=True)
        queries = [*QUERIES, staged["old_name"]]
        t0 = time.perf_counter()
        merged, fresh = _query(site_b, queries), _query(site_f, queries)
        print(f"queries under Node: {time.perf_counter() - t0:.1f} s")
        same = True
        for q in queries:
            a, b = merged[q], fresh[q]
            equal = set(a) == set(b)
            same &= equal
            order = "same order" if a == b else (
                "top-10 same order" if a[:10] == b[:10] else "top-10 order differs")
            edited = f"/items/{staged['code']}/"
            print(f"  {q}: base+delta {len(a)} / fresh {len(b)} results, sets {'equal' if equal else 'DIFFER'}, "
                  f"{order}; edited page found {a.count(edited)}×/{b.count(edited)}×")
            if not equal:
                print(f"    only base+delta: {sorted(set(a) - set(b))[:5]}; only fresh: {sorted(set(b) - set(a))[:5]}")

        # 6. First query bytes in Chromium.
        for label, site in (("base+delta", site_b), ("fresh full", site_f)):
            measured = _first_query_bytes(site, "营业执照")
            raw = sum(r[1] for r in measured["responses"])
            sent = sum(r[2] for r in measured["responses"])
            search = [r for r in measured["responses"] if "/pagefind" in r[0] or r[0].endswith(".js")]
            fixed = sum(r[2] for r in measured["responses"] if _pagefind_fixed(r[0]))
            print(f"first query (营业执照, 10 results shown) on {label}: {len(measured['responses'])} responses, "
                  f"{raw / 1024:.0f} KiB raw, {sent / 1024:.0f} KiB with gzip on text files; search part "
                  f"{sum(r[2] for r in search) / 1024:.0f} KiB, of which Pagefind's fixed part (pagefind.js, "
                  f"its WebAssembly, the base's page list pf_meta) {fixed / 1024:.0f} KiB; {measured['seconds']:.1f} s")
            for path, raw_b, sent_b in sorted(measured["responses"], key=lambda r: -r[2]):
                print(f"    {sent_b / 1024:6.1f} KiB (raw {raw_b / 1024:6.1f})  {path}")
        print("result sets equal for every query" if same else "RESULT SETS DIFFER")
    finally:
        if args.keep or args.workdir:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
