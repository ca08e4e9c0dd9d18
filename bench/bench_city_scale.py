"""Benchmark: publishing a city-sized site (issue 7) — our build against plain Pelican, and peak memory.

Run by hand (never in the suite; writes only under a temp dir):
    .venv/bin/python bench/bench_city_scale.py [--items 10000] [--departments 40] [--keep]

1. Exports the demo snapshot (a scratch SQLite database) and grows it with ``bench/city_data.py`` to
   --items items (deterministic).
2. **Our full build without the search index** (``build_site(..., static_index=False)``) in a child
   process: wall time and the child's peak RSS (``os.wait4``), pages written.
3. **Plain Pelican** on the same text: one Markdown page per item (name, basis, conditions, materials,
   steps, fees as Markdown) plus one per notice, Pelican's default settings and theme, pages only (no
   articles, so no feeds, tags or archives are generated; the default theme's menu of every page is off, or
   each page would list all the others), in a child process: wall time and peak RSS; at most
   --plain-sample items, since its time per page grows with the number of pages.
   The ratio of the two, per item, is the figure of the issue's goal (≥5× faster per item).
4. **The static search indexer** over our output (Pagefind, the same call as a publish makes) in a child
   process: wall time and peak RSS of the indexer (pagefind_extended is a grandchild: its RSS is read
   from ``RUSAGE_CHILDREN`` of the child).
5. **One edited item**: a full publish into a web root, then one item's text changed and an incremental
   publish (pages whose recorded inputs are unchanged are kept in a spare the publisher made after the
   publish before, or, from the third edit on, in the oldest build recycled as the new one:
   publisher/standby.py), five times in one process — a fresh publisher, then four times the worker that
   keeps running (old builds pruned in a thread and spares made after each, as the resident publisher does): seconds until the new build is live (the swap) and until the publish
   returns, pages rendered and reused. The back office's export and queue are not in this figure.
   Then a restarted publisher that warms first (``publisher/warm.py``, as ``sunshine worker`` does when it
   starts) and publishes one more edit.
6. **A full rebuild of that web root** (``publish --full``): every page rendered again, with the Markdown the
   earlier builds converted and the search blocks they analysed taken from the web root's stores
   (``publisher/markdown_store.py``, ``publisher/search_store.py``), against the same plain Pelican figure.

The machine is shared (2 cores): read the ratios, measured in one run, rather than the seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The edits of step 5: the first two made out of spares, from the third on out of the oldest of three builds.
TAGS = ("COLD", "WARM", "WARM2", "WARM3", "WARM4")
sys.path.insert(0, str(ROOT / "bench"))



def demo_snapshot(workdir: Path) -> dict:
    os.environ["SUNSHINE_INSTANCE_PATH"] = str(workdir / "instance")
    from sunshine.site import create_app
    from sunshine.site.bootstrap import init_database, load_demo
    from sunshine.site.export import build_snapshot

    app = create_app({"SUNSHINE_SEARCH_INDEX": str(workdir / "idx")})
    init_database(app)
    load_demo(app, cases=False)
    with app.app_context():
        return build_snapshot()


def run_child(code: str) -> tuple[float, float, float, str]:
    """Run ``code`` in a fresh Python; returns (seconds, own peak MiB, children's peak MiB, stdout)."""
    wrapper = code + textwrap.dedent("""
        import resource as _r
        print("CHILDREN_MAXRSS_KB", _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss)
        print("SELF_MAXRSS_KB", _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)
    """)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _pid, status, _usage = os.wait4(proc.pid, 0)  # its rusage would mix in the grandchildren
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"child failed:\n{code}\n{out}")
    def kb(tag: str) -> int:
        return next((int(line.split()[1]) for line in out.splitlines() if line.startswith(tag)), 0)

    return seconds, kb("SELF_MAXRSS_KB") / 1024, kb("CHILDREN_MAXRSS_KB") / 1024, out


def markdown_page(item: dict) -> str:
    """An item as plain Markdown with the same text our item page shows."""
    lines = [f"Title: {item['name']}", f"Slug: {item['code'].lower()}", "", f"# {item['name']}", "",
             "## 设定依据", "", item.get("legal_basis") or "", "", "## 申请条件", "", item.get("conditions") or "", "",
             "## 申请材料", ""]
    lines += [f"- {m['name']}（{m.get('form', '')}，{m.get('copies', 1)}份）{m.get('notes', '')}" for m in item["materials"]]
    lines += ["", "## 办理流程", ""]
    lines += [f"{n}. {s['name']}（{s.get('office', '')}）：{s.get('description', '')}"
              for n, s in enumerate(item["steps"], 1)]
    lines += ["", "## 收费", ""]
    if item["fees"]:
        lines += ["| 项目 | 标准 | 依据 |", "|---|---|---|"]
        lines += [f"| {f.get('name', '')} | {f.get('standard', '')} | {f.get('basis', '')} |" for f in item["fees"]]
    else:
        lines.append("不收费")
    lines += ["", f"承诺时限：{item['promised_days']}个工作日；{item.get('promised_note') or ''}",
              f"办理地点：{item.get('location') or ''}；时间：{item.get('hours') or ''}"]
    return "\n".join(lines) + "\n"


def plain_pelican_content(snapshot: dict, content: Path, limit: int | None = None) -> int:
    """Markdown pages of the items and notices (the first ``limit`` of each when given)."""
    pages = content / "pages"
    pages.mkdir(parents=True)
    for item in snapshot["items"][:limit]:
        (pages / f"{item['code']}.md").write_text(markdown_page(item), encoding="utf-8")
    for notice in snapshot["notices"][:limit]:
        (pages / f"{notice['code']}.md").write_text(
            f"Title: {notice['title']}\nSlug: {notice['code'].lower()}\n\n{notice['body']}\n", encoding="utf-8")
    return len(snapshot["items"][:limit]) + len(snapshot["notices"][:limit])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--plain-sample", type=int, default=2000,
                        help="plain Pelican builds at most this many items (+ notices): it slows down more than "
                             "linearly (10,000 pages ran over 10 minutes), so its time per page at the sample is "
                             "a lower bound for the full size, and the ratio a conservative one")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    if not 45 <= args.items <= 20000:
        parser.error("45-20000 items")
    work = Path(tempfile.mkdtemp(prefix="sunshine-bench-city-"))
    began = time.monotonic()
    try:
        # Every heavy step runs in a child, so that each child's peak RSS is its own (a fork of a big
        # parent would count the parent's pages) and this process stays small.
        snap = work / "city.json"
        _s, _mb, _c, out = run_child(textwrap.dedent(f"""
            import json, sys
            sys.path.insert(0, {str(ROOT / 'bench')!r})
            from pathlib import Path
            from bench_city_scale import demo_snapshot, plain_pelican_content
            from city_data import city_snapshot
            work = Path({str(work)!r})
            snapshot = city_snapshot(demo_snapshot(work), {args.items}, {args.departments})
            Path({str(snap)!r}).write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
            print("PAGES", plain_pelican_content(snapshot, work / "md", {args.plain_sample}))
            print(f"city snapshot: {{len(snapshot['items'])}} items, {{len(snapshot['departments'])}} departments, "
                  f"{{len(snapshot['notices'])}} notices")
        """))
        md_pages = int(next(line.split()[1] for line in out.splitlines() if line.startswith("PAGES")))
        print(next(line for line in out.splitlines() if line.startswith("city snapshot")),
              f"{snap.stat().st_size / 2**20:.1f} MiB", flush=True)

        ours_s, ours_mb, renderers_mb, out = run_child(textwrap.dedent(f"""
            from sunshine.publisher.build import build_site
            r = build_site({str(snap)!r}, {str(work / 'ours')!r}, static_index=False)
            print("PAGES", r.pages)
        """))
        ours_pages = int(next(line.split()[1] for line in out.splitlines() if line.startswith("PAGES")))
        print(f"ours (no search index): {ours_s:.1f} s, {ours_pages} pages, peak {ours_mb:.0f} MiB "
              f"(forked render processes: the largest {renderers_mb:.0f} MiB, sharing the parent's pages)", flush=True)

        plain_s, plain_mb, _c, _out = run_child(textwrap.dedent(f"""
            from pelican import Pelican
            from pelican.settings import read_settings
            settings = read_settings(override={{"PATH": {str(work / 'md')!r}, "OUTPUT_PATH": {str(work / 'plain')!r},
                "SITEURL": "", "TIMEZONE": "Asia/Shanghai", "DEFAULT_LANG": "zh", "FEED_ALL_ATOM": None,
                "CATEGORY_FEED_ATOM": None, "TRANSLATION_FEED_ATOM": None, "AUTHOR_FEED_ATOM": None,
                "AUTHOR_FEED_RSS": None, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
                "DISPLAY_PAGES_ON_MENU": False}})
            Pelican(settings).run()
        """))
        print(f"plain Pelican: {plain_s:.1f} s for {md_pages} Markdown pages, peak {plain_mb:.0f} MiB", flush=True)

        index_s, index_mb, indexer_mb, out = run_child(textwrap.dedent(f"""
            from sunshine.search.static_index import build_static_index
            print("INDEXED", build_static_index(__import__("pathlib").Path({str(work / 'ours')!r})).pages)
        """))
        print(f"search index: {index_s:.1f} s, our side peak {index_mb:.0f} MiB, indexer (pagefind) peak "
              f"{indexer_mb:.0f} MiB", flush=True)

        # 5. One edited item through the real publish (atomic swap), full then incremental.
        web = work / "web"
        full_s, _mb, _c, out = run_child(textwrap.dedent(f"""
            from sunshine.publisher.deploy import publish
            r = publish({str(snap)!r}, {str(web)!r}, static_index=False, full=True)
            print("BUILD", r.build.rendered, r.build.reused)
        """))
        # Three edits in one process: the first as a fresh process (reads the live build's ledger from
        # disk), then twice as the worker that keeps running (its last ledger, records and open data in memory).
        edit_s, edit_mb, _c, out = run_child(textwrap.dedent(f"""
            import json, time
            from pathlib import Path
            from sunshine.publisher.deploy import make_spares, prune_builds, publish
            snap = Path({str(snap)!r})
            make_spares({str(web)!r})  # as the resident publisher does after the full publish's answer
            for n, tag in enumerate({TAGS!r}):
                edited = json.loads(snap.read_text(encoding="utf-8"))
                target = edited["items"][len(edited["items"]) // 2 + n]
                target["promised_note"] = f"材料齐全当场办结（基准测试修改{{n}}）"
                snap.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
                t0 = time.perf_counter()
                r = publish(snap, {str(web)!r}, static_index=False, prune=False)
                print(tag, time.perf_counter() - t0, r.live_seconds, r.build.rendered, r.build.reused, target["code"],
                      int(r.recycled is not None))
                prune_builds({str(web)!r}, background=True)  # as the resident publisher does after answering
                make_spares({str(web)!r})  # (none once the web root holds its three builds)
        """))
        edits = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith(("COLD", "WARM"))}
        # 5b. A restarted publisher that warms first (publisher/warm.py, as ``sunshine worker`` does on start),
        # then one edit.
        _s, _mb, _c, out = run_child(textwrap.dedent(f"""
            import json, time
            from pathlib import Path
            from sunshine.publisher.deploy import publish
            from sunshine.publisher.warm import warm
            snap = Path({str(snap)!r})
            t0 = time.perf_counter()
            warmed = warm(Path({str(web)!r}), static_index=False)
            print("WARMUP", time.perf_counter() - t0, warmed.reused)
            edited = json.loads(snap.read_text(encoding="utf-8"))
            target = edited["items"][len(edited["items"]) // 3]
            target["promised_note"] = "材料齐全当场办结（基准测试：预热后的修改）"
            snap.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
            r = publish(snap, {str(web)!r}, static_index=False, prune=False)
            print("AFTERWARM", r.live_seconds, r.build.rendered, r.build.reused)
        """))
        warmup = next(line.split()[1:] for line in out.splitlines() if line.startswith("WARMUP"))
        after_warm = next(line.split()[1:] for line in out.splitlines() if line.startswith("AFTERWARM"))
        # 6. A full rebuild of the same web root (``publish --full``, e.g. after a template change): every
        # page rendered again, the Markdown converted by the builds before taken from the web root's store.
        rebuild_s, rebuild_mb, rebuild_children_mb, out = run_child(textwrap.dedent(f"""
            from sunshine.publisher.deploy import publish
            r = publish({str(snap)!r}, {str(web)!r}, static_index=False, full=True)
            print("BUILD", r.build.rendered, r.build.reused)
        """))
        for n, tag in enumerate(TAGS):
            page = web / "current" / "items" / edits[tag][4] / "index.html"
            assert f"基准测试修改{n}" in page.read_text(encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    per_ours, per_plain = ours_s / args.items, plain_s / md_pages
    print()
    print(f"City scale, {args.items} items, {os.cpu_count()} cores, {time.monotonic() - began:.0f} s in all")
    print(f"full build, no search index: ours {ours_s:.1f} s ({per_ours * 1000:.2f} ms/item) vs plain Pelican "
          f"{plain_s:.1f} s for {md_pages} pages ({per_plain * 1000:.2f} ms/page): {per_plain / per_ours:.2f}x per "
          f"item (goal ≥5x)")
    per_rebuild = rebuild_s / args.items
    print(f"full rebuild of a web root (publish --full, Markdown and search block stores warm): {rebuild_s:.1f} s "
          f"({per_rebuild * 1000:.2f} ms/item): {per_plain / per_rebuild:.2f}x per item; peak {rebuild_mb:.0f} MiB "
          f"(render processes {rebuild_children_mb:.0f} MiB)")
    print(f"peak memory: ours {ours_mb:.0f} MiB (goal <500; the largest forked render process {renderers_mb:.0f} MiB, "
          f"mostly pages shared with it), plain Pelican {plain_mb:.0f} MiB, search indexer "
          f"{indexer_mb:.0f} MiB (today's 1.8 GB to beat), index step {index_s:.1f} s")
    print(f"one edited item, publish (atomic swap, no search index): full {full_s:.1f} s; incremental:")
    for tag, who in zip(TAGS, ("a fresh publisher process", "the running worker, next edit",
                               "the running worker, third edit", "the running worker, fourth edit",
                               "the running worker, fifth edit"), strict=True):
        total, live, rendered, reused, _code, recycled = edits[tag]
        how = "a spare or the oldest build recycled (standby.py)" if recycled == "1" else "unchanged pages linked"
        print(f"  {who}: live after {float(live):.2f} s ({float(total):.2f} s until publish returned), "
              f"{rendered} pages rendered, {reused} reused, {how} (goal <1 s from the save)")
    print(f"  a restarted publisher, warmed first (warm.py: {float(warmup[0]):.1f} s, {warmup[1]} pages reused, "
          f"nothing public changed): live after {float(after_warm[0]):.2f} s, {after_warm[1]} pages rendered, "
          f"{after_warm[2]} reused")
    print(f"  (the {len(TAGS)} edits: {edit_s:.1f} s with Python start-up and the JSON edits, peak {edit_mb:.0f} MiB)")
    print(f"(this orchestrating process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
