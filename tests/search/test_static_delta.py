"""The search index after an edit: the previous build's base bundle plus a delta bundle.

Builds are made the way the publisher makes them: a new directory whose unchanged pages are
hard-links to the previous build's, and whose re-rendered pages are new files. Each page carries a
search block of analysed terms as the theme writes it (search/static_terms.py). Searches run the
search page's own code under Node (tests/search/static_engine.py), merging the delta and dropping
stale base results the way the search page does.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from sunshine.search.analysis import Synonyms
from sunshine.search.pagefind_meta import chunk_starts, index_chunks
from sunshine.search.static_delta import (
    DELTA_STATE_NAME,
    DELTA_SUBDIR,
    PAGES_MAP_NAME,
    page_changes,
    page_url,
    reproducible_from_snapshot,
    update_static_index,
)
from sunshine.search.static_index import INDEX_LANGUAGE
from sunshine.search.static_terms import SearchFields, search_block
from tests.search.static_engine import StaticEngine

NODE = shutil.which("node")

PAGE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{title} - 阳光政务</title></head>
<body>
<nav>首页 办事指南 通知公告 站内搜索</nav>
<main><h1>{title}</h1>{paragraphs}{block}</main>
<footer>清川县政务服务中心 版权所有</footer>
</body>
</html>
"""

# path → (kind, title, paragraphs)
PAGES: dict[str, tuple[str, str, list[str]]] = {
    "items/511623-ZJ-0001/index.html": ("事项", "建筑工程施工许可证核发", [
        "在本县行政区域内从事建筑工程施工的建设单位，应当在开工前申请领取施工许可证。",
        "申请材料：建设工程规划许可证、施工合同、安全生产措施材料。本事项为承诺件。",
    ]),
    "items/511623-SC-0001/index.html": ("事项", "个体工商户设立登记", [
        "有经营能力的公民申请个体工商户设立登记，领取营业执照。材料齐全的当场办结。",
    ]),
    "items/511623-MZ-0002/index.html": ("事项", "城乡居民最低生活保障审批", [
        "共同生活的家庭成员人均收入低于当地最低生活保障标准的，可以申请低保。",
        "乡镇人民政府负责受理，县民政局审批。",
    ]),
    "departments/mzj/index.html": ("部门", "清川县民政局", [
        "负责最低生活保障、婚姻登记、殡葬管理等工作。办公地点：政务服务中心二楼。",
    ]),
    "notices/2024-01/index.html": ("公告", "关于全面推行一单收费的公告", [
        "自即日起，县政务服务中心全面推行一单收费，办事群众凭一张缴费通知单一次缴清费用。",
    ]),
    "notices/2024-02/index.html": ("公告", "关于不动产登记延时服务的通知", [
        "不动产登记窗口周六上午提供延时服务，办理不动产抵押登记、查询。",
    ]),
}
SEARCH_PAGE = "search/index.html"

EDITED = "items/511623-SC-0001/index.html"
EDITED_TEXT = ("事项", "个体工商户设立登记", [
    "有经营能力的公民申请个体工商户设立登记。实行容缺受理，通过“智慧联办”专窗一次办好。",
])


def render(kind: str, title: str, paragraphs: list[str]) -> str:
    block = search_block(SearchFields(kind=kind, title=title, body=tuple(paragraphs)), Synonyms())
    return PAGE.format(title=title, block=block, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))


def first_build(site: Path) -> Path:
    for path, page in PAGES.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(render(*page), encoding="utf-8")
    (site / "search").mkdir(parents=True, exist_ok=True)
    (site / SEARCH_PAGE).write_text(PAGE.format(title="搜索", block="", paragraphs="<p>输入关键词</p>"),
                                    encoding="utf-8")
    return site


def next_build(previous: Path, site: Path, *, changed: dict[str, str] | None = None,
               removed: tuple[str, ...] = ()) -> Path:
    """A build as the publisher makes it: unchanged pages hard-linked, the others written anew.

    The previous build's search bundles are not carried over (the index step links what it keeps).
    """
    changed = changed or {}
    for folder, dirs, files in os.walk(previous):
        dirs[:] = [d for d in dirs if Path(folder, d).relative_to(previous).parts[0]
                   not in ("pagefind", DELTA_SUBDIR)]
        for name in files:
            rel = Path(folder, name).relative_to(previous).as_posix()
            if rel in changed or rel in removed:
                continue
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(previous / rel, site / rel)
    for rel, text in changed.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def state(site: Path) -> dict:
    return json.loads((site / DELTA_SUBDIR / DELTA_STATE_NAME).read_text(encoding="utf-8"))


def base_ids(site: Path) -> dict[str, str]:
    return json.loads((site / "pagefind" / PAGES_MAP_NAME).read_text(encoding="utf-8"))["pages"]


def fragment_urls(bundle: Path) -> list[str]:
    return sorted(
        json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])["url"]
        for f in (bundle / "fragment").glob("*.pf_fragment")
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def search(site: Path, *queries: str) -> dict[str, list[str]]:
    if NODE is None:
        pytest.skip("node is not installed: the browser test covers searching the merged bundles")
    return dict(zip(queries, StaticEngine(site).search(list(queries), limit=1000), strict=True))


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = first_build(tmp_path_factory.mktemp("a"))
    update_static_index(site, None)
    return site


@pytest.fixture(scope="module")
def edited_site(base_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    site = next_build(base_site, tmp_path_factory.mktemp("b"), changed={EDITED: render(*EDITED_TEXT)})
    return site, update_static_index(site, base_site)


def test_page_url_is_pagefinds_url_of_the_file():
    assert [page_url(p) for p in ("index.html", "items/A-1/index.html", "about.html")] == [
        "/", "/items/A-1/", "/about.html"]


def test_no_previous_build_gives_a_full_index_with_its_url_map(base_site):
    assert sorted(base_ids(base_site)) == sorted(page_url(p) for p in PAGES)
    assert state(base_site) == {"version": 1, "bundle": False, "pages": [], "stale": [], "delta": [],
                                "chunks": []}


def test_full_index_reports_mode_and_pages(tmp_path):
    result = update_static_index(first_build(tmp_path), None)
    assert (result.mode, result.pages, result.delta_pages, result.stale_pages) == ("full", 6, 0, 0)


def test_only_the_rewritten_page_counts_as_changed(base_site, tmp_path):
    same_bytes = (base_site / "notices/2024-01/index.html").read_text(encoding="utf-8")
    site = next_build(base_site, tmp_path, changed={
        EDITED: render(*EDITED_TEXT), "notices/2024-01/index.html": same_bytes})
    assert page_changes(site, base_site).changed == {EDITED}


def test_one_changed_page_gives_a_delta_of_exactly_that_page(edited_site):
    site, result = edited_site
    assert (result.mode, result.delta_pages, result.stale_pages) == ("delta", 1, 1)
    assert fragment_urls(site / DELTA_SUBDIR) == ["/items/511623-SC-0001/"]


def test_delta_hides_the_base_result_of_the_changed_page(edited_site, base_site):
    site, _ = edited_site
    delta_id = json.loads((site / DELTA_SUBDIR / "pagefind-entry.json").read_text())
    assert state(site) == {"version": 1, "bundle": True, "pages": [EDITED],
                           "stale": [base_ids(base_site)["/items/511623-SC-0001/"]],
                           "delta": [p.stem for p in (site / DELTA_SUBDIR / "fragment").iterdir()],
                           "chunks": []}
    assert delta_id["languages"][INDEX_LANGUAGE]["page_count"] == 1


def test_delta_keeps_the_base_bundle_as_the_same_files(edited_site, base_site):
    site, _ = edited_site
    base = sorted(p.relative_to(base_site) for p in (base_site / "pagefind").rglob("*") if p.is_file())
    assert base == sorted(p.relative_to(site) for p in (site / "pagefind").rglob("*") if p.is_file())
    assert all((site / p).stat().st_ino == (base_site / p).stat().st_ino for p in base)


def test_delta_bundle_holds_only_what_a_merged_index_reads(edited_site):
    site, _ = edited_site
    names = sorted(p.name for p in (site / DELTA_SUBDIR).iterdir())
    assert [n for n in names if not n.endswith(".pf_meta")] == [
        "fragment", "index", "pagefind-entry.json", DELTA_STATE_NAME]


def test_delta_leaves_no_scratch_folder(edited_site):
    site, _ = edited_site
    assert [p.name for p in site.iterdir() if p.name.startswith(".")] == []


def test_merged_search_finds_the_edited_page_once_by_its_new_words(edited_site):
    site, _ = edited_site
    assert search(site, "智慧联办")["智慧联办"] == ["/items/511623-SC-0001/"]


def test_merged_search_no_longer_finds_the_edited_page_by_its_old_words(edited_site):
    site, _ = edited_site
    assert search(site, "营业执照")["营业执照"] == []


def test_merged_search_still_finds_unchanged_pages(edited_site):
    site, _ = edited_site
    assert sorted(search(site, "不动产")["不动产"]) == ["/notices/2024-02/"]


def test_merged_search_equals_a_fresh_full_index(edited_site, tmp_path):
    site, _ = edited_site
    fresh = next_build(site, tmp_path)
    update_static_index(fresh, None)
    # Words of the new text only, of the old text only, of unchanged pages, and mixtures of them
    # (Pagefind drops a query word its index lacks: each bundle alone would answer differently).
    queries = ("智慧联办", "营业执照", "个体工商户", "最低生活保障", "民政局", "不动产", "一单收费", "施工许可",
               "智慧联办 登记", "营业执照 登记", "容缺受理 民政局", "智慧 低保", "当场办结 容缺")
    merged, single = search(site, *queries), search(fresh, *queries)
    assert {q: sorted(urls) for q, urls in merged.items()} == {q: sorted(urls) for q, urls in single.items()}


def test_removed_page_is_hidden_without_a_delta_bundle(base_site, tmp_path):
    site = next_build(base_site, tmp_path, removed=("notices/2024-02/index.html",))
    result = update_static_index(site, base_site)
    assert (result.mode, result.delta_pages, result.pages) == ("delta", 0, 5)
    assert state(site)["stale"] == [base_ids(base_site)["/notices/2024-02/"]]
    assert state(site)["bundle"] is False
    assert search(site, "不动产")["不动产"] == []


def test_changed_page_without_search_body_is_not_indexed(base_site, tmp_path):
    site = next_build(base_site, tmp_path, changed={
        SEARCH_PAGE: PAGE.format(title="搜索", block="", paragraphs="<p>输入事项名称</p>")})
    result = update_static_index(site, base_site)
    assert (result.mode, result.delta_pages, result.stale_pages) == ("delta", 0, 0)
    assert not (site / DELTA_SUBDIR / "pagefind-entry.json").exists()


def test_delta_accumulates_every_change_since_the_base(edited_site, base_site, tmp_path):
    site_b, _ = edited_site
    notice = "notices/2024-01/index.html"
    site_c = next_build(site_b, tmp_path, changed={
        notice: render("公告", "关于全面推行一单收费的公告", ["一单收费改为扫码缴费，办事群众不再排队缴费。"])})
    result = update_static_index(site_c, site_b)
    assert (result.mode, result.delta_pages) == ("delta", 2)
    assert fragment_urls(site_c / DELTA_SUBDIR) == ["/items/511623-SC-0001/", "/notices/2024-01/"]
    assert (site_c / "pagefind" / PAGES_MAP_NAME).stat().st_ino == \
        (base_site / "pagefind" / PAGES_MAP_NAME).stat().st_ino


def test_more_changes_than_the_threshold_build_a_new_base(base_site, tmp_path):
    site = next_build(base_site, tmp_path, changed={EDITED: render(*EDITED_TEXT)})
    result = update_static_index(site, base_site, max_delta_pages=0)
    assert (result.mode, result.pages) == ("full", 6)
    assert "超过" in result.reason
    assert state(site) == {"version": 1, "bundle": False, "pages": [], "stale": [], "delta": [],
                           "chunks": []}
    assert (site / "pagefind" / PAGES_MAP_NAME).stat().st_ino != \
        (base_site / "pagefind" / PAGES_MAP_NAME).stat().st_ino


def test_fraction_threshold_counts_against_the_base_pages(base_site, tmp_path):
    site = next_build(base_site, tmp_path, changed={EDITED: render(*EDITED_TEXT)})
    # One page of six is 17 %: over a 10 % limit once no number of pages is always allowed.
    assert update_static_index(site, base_site, max_delta_fraction=0.10, min_delta_pages=0).mode == "full"


def test_a_few_pages_are_a_delta_whatever_the_fraction(base_site, tmp_path):
    site = next_build(base_site, tmp_path, changed={EDITED: render(*EDITED_TEXT)})
    assert update_static_index(site, base_site, max_delta_fraction=0.10, min_delta_pages=1).mode == "delta"


def test_previous_build_without_a_base_gives_a_full_index(tmp_path):
    previous = first_build(tmp_path / "a")
    site = next_build(previous, tmp_path / "b", changed={EDITED: render(*EDITED_TEXT)})
    result = update_static_index(site, previous)
    assert (result.mode, result.reason) == ("full", "上一版本没有可复用的搜索索引")


def test_base_of_another_pagefind_version_gives_a_full_index(tmp_path):
    previous = first_build(tmp_path / "a")
    update_static_index(previous, None)
    url_map = previous / "pagefind" / PAGES_MAP_NAME
    url_map.write_text(url_map.read_text(encoding="utf-8").replace('"1.5.2"', '"1.4.0"'), encoding="utf-8")
    site = next_build(previous, tmp_path / "b", changed={EDITED: render(*EDITED_TEXT)})
    assert update_static_index(site, previous).reason == "Pagefind 版本不同"


def test_two_delta_builds_from_the_same_inputs_give_the_same_bytes(base_site, tmp_path):
    sites = []
    for name in ("one", "two"):
        site = next_build(base_site, tmp_path / name, changed={EDITED: render(*EDITED_TEXT)})
        update_static_index(site, base_site)
        sites.append(site)
    for sub in ("pagefind", DELTA_SUBDIR):
        assert files_of(sites[0] / sub) == files_of(sites[1] / sub)


def test_two_full_builds_give_the_same_bytes(tmp_path):
    sites = [first_build(tmp_path / name) for name in ("one", "two")]
    for site in sites:
        update_static_index(site, None)
    for sub in ("pagefind", DELTA_SUBDIR):
        assert files_of(sites[0] / sub) == files_of(sites[1] / sub)


def test_a_full_index_is_reproducible_from_the_snapshot(base_site):
    assert reproducible_from_snapshot(base_site) is True


def test_a_delta_is_not_reproducible_from_the_snapshot(edited_site):
    site, _ = edited_site
    assert reproducible_from_snapshot(site) is False


#: Pagefind's index chunk size in word locations (20,000 by default): tiny here, so that the six pages'
#: words fall into many chunks, as a city's do.
CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


@pytest.fixture(scope="module")
def chunked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    patch = pytest.MonkeyPatch()
    patch.setenv(CHUNK_SIZE_ENV, "40")
    try:
        site = first_build(tmp_path_factory.mktemp("chunked"))
        update_static_index(site, None)
    finally:
        patch.undo()
    return site


def edge_prefixes(site: Path) -> list[str]:
    """The prefixes (two characters or more) a chunk's last word shares with the next chunk's first."""
    chunks = index_chunks(site / "pagefind")
    out = set()
    for (_start, last), (first, _end) in zip(chunks, chunks[1:], strict=False):
        shared = next((i for i, (a, b) in enumerate(zip(last, first, strict=False)) if a != b),
                      min(len(last), len(first)))
        if shared >= 2:
            out.add(last[:shared])
    return sorted(out)


def test_the_state_lists_the_first_word_of_every_index_chunk_but_the_first(chunked_site):
    starts = chunk_starts(chunked_site / "pagefind")
    assert len(starts) == len(index_chunks(chunked_site / "pagefind")) - 1 > 10
    assert state(chunked_site)["chunks"] == sorted(starts)


def test_words_running_on_into_further_chunks_find_what_one_chunk_finds(chunked_site, base_site):
    """Pagefind alone loads only the chunk whose range holds the query word, and misses the words
    starting with it in the next chunks; the search page loads those chunks too."""
    queries = edge_prefixes(chunked_site)
    assert len(queries) >= 3
    assert search(chunked_site, *queries) == search(base_site, *queries)
