"""Probe: query words that Pagefind 1.5.2 answers with fewer pages than its index holds, at chunk edges.

Run by hand (never in the suite; reads a built site, writes nothing):
    .venv/bin/python bench/bench_pagefind_chunks.py SITE_DIR [--limit 40]

Pagefind cuts its word list into index chunks (about 20,000 word locations each) and, for a query
word, loads only the chunks whose [from, to] range holds the word itself ("strict" match,
``pagefind_web/src/lib.rs`` ``request_indexes``). It then matches the word as a prefix of every
word loaded. When the words starting with the query run on into the next chunks, those chunks are
not loaded and their pages are missing from the answer: 清川县 finds 6,193 pages, 10,313 once the
chunks of 清川县民… are loaded too. Which words lose pages depends on where the chunks' edges fall,
so a base bundle and a fresh index of the same pages can answer differently.

For every pair of neighbouring chunks whose edge words share a prefix of two or more characters,
this opens the site's search page in Chromium (a new page each time, nothing loaded) and searches
that prefix with pagefind.js as it is (not through the search page, which loads those chunks since
``search/pagefind_meta.py``): once alone, then again after searching the ``from`` of
every chunk starting with the prefix (which loads them). Printed: the prefixes that gain pages.
Measured 2026-12-07 on the 10,000-item bench site (bench_search_delta.py --workdir W: W/site-a):
144 edges checked, 35 prefixes lose pages (清川县 6,193 pages found of 10,313; 市场监 833 of 971;
zhi 293 of 738; guo 702 of 2,043; yingy 445 of 667).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sunshine.search.pagefind_meta import index_chunks  # noqa: E402

PROBE = """async ([prefix, froms]) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({baseUrl: '/', noWorker: true, ranking: {pageLength: 0}});
  const alone = (await pf.search(prefix)).results.length;
  for (const word of froms) { await pf.search(word); }
  return [alone, (await pf.search(prefix)).results.length];
}"""


def edge_prefixes(chunks: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each prefix (2+ characters) shared by a chunk's last word and the next chunk's first, with
    the ``from`` of every chunk starting with it."""
    out: dict[str, list[str]] = {}
    for (_f, last), (first, _t) in zip(chunks, chunks[1:], strict=False):
        shared = 0
        while shared < min(len(last), len(first)) and last[shared] == first[shared]:
            shared += 1
        if shared >= 2:
            prefix = last[:shared]
            out[prefix] = [f for f, _ in chunks if f.startswith(prefix)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--limit", type=int, default=40, help="prefixes printed")
    args = parser.parse_args()
    from tests.browser import shared_browser
    from tests.publisher.static_browser import served

    prefixes = edge_prefixes(index_chunks(args.site / "pagefind"))
    losing = []
    with served(args.site) as base:
        context = shared_browser().new_context(locale="zh-CN")
        for prefix, froms in prefixes.items():
            page = context.new_page()
            page.goto(f"{base}/search/")
            alone, loaded = page.evaluate(PROBE, [prefix, froms])
            page.close()
            if loaded != alone:
                losing.append((prefix, alone, loaded))
        context.close()
    print(f"{len(prefixes)} chunk edges with a shared prefix checked; {len(losing)} prefixes lose pages")
    for prefix, alone, loaded in losing[:args.limit]:
        print(f"  {prefix}: {alone} pages found, {loaded} held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
