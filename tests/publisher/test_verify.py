"""verify: a published site checks out against its manifest, and the manifest against a
rebuild of the published snapshot; every way of tampering is named."""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib import metadata
from pathlib import Path

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.opendata import FileEntry, site_manifest_text, sums_text
from sunshine.publisher.verify import Problem, VerifyError, verify_site

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot-small.json"
ITEM_PAGE = "items/511623-ZJ-0001/index.html"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small snapshot built once with the Pagefind index (never modified)."""
    return build_site(SNAPSHOT, tmp_path_factory.mktemp("published") / "site").out_dir


@pytest.fixture
def site(published: Path, tmp_path: Path) -> Path:
    """A copy of the published site that a test may tamper with."""
    return Path(shutil.copytree(published, tmp_path / "copy"))


def _forge(site: Path, path: str, text_from: str, text_to: str, **manifest_changes) -> None:
    """Change one file AND update both manifest files to match, as a careful forger would."""
    target = site / path
    target.write_text(target.read_text(encoding="utf-8").replace(text_from, text_to), "utf-8")
    manifest = json.loads((site / "data/site-manifest.json").read_text(encoding="utf-8"))
    entries = []
    for f in manifest["files"]:
        if f["path"] == path:
            content = target.read_bytes()
            f = {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
        entries.append(FileEntry(f["path"], f["sha256"], f["bytes"]))
    text = site_manifest_text(
        entries,
        snapshot_sha256=manifest["snapshot_sha256"],
        search_index=manifest["search_index"],
        tools=manifest_changes.get("tools", manifest["tools"]),
    )
    (site / "data/site-manifest.json").write_text(text, encoding="utf-8")
    (site / "data/SHA256SUMS").write_text(sums_text(entries), encoding="utf-8")


def test_the_published_site_verifies(published):
    result = verify_site(published)
    count = len(json.loads((published / "data/site-manifest.json").read_bytes())["files"])
    assert result.ok is True
    assert result.problems == ()
    assert (result.listed, result.rebuilt) == (count, count)
    assert result.search_index is True
    assert result.line() == (
        f"校验通过：清单列出的 {count} 个文件与网站一致，且与从快照重新生成的结果逐字节相同"
        f"（快照 SHA-256 {hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()[:12]}…）"
        f" / verified: {count} files match the manifest and a rebuild from the snapshot"
    )


def test_an_edited_page_differs_from_the_manifest(site):
    page = site / ITEM_PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("3 个工作日", "1 个工作日"), "utf-8")
    assert verify_site(site).problems == (Problem(ITEM_PAGE, "changed"),)


def test_a_deleted_page_is_missing(site):
    (site / ITEM_PAGE).unlink()
    assert verify_site(site).problems == (Problem(ITEM_PAGE, "missing"),)


def test_an_added_file_is_unlisted(site):
    (site / "items" / "通知.html").write_text("<p>请到三楼缴费</p>", encoding="utf-8")
    assert verify_site(site).problems == (Problem("items/通知.html", "unlisted"),)


def test_an_edited_sums_file_disagrees_with_the_manifest(site):
    sums = site / "data/SHA256SUMS"
    sums.write_text(
        sums.read_text(encoding="utf-8").replace("  404.html\n", "  404.htm\n"), "utf-8"
    )
    assert verify_site(site).problems == (Problem("data/SHA256SUMS", "sums"),)


def test_a_page_forged_together_with_its_manifest_is_caught_by_the_rebuild(site):
    _forge(site, ITEM_PAGE, "3 个工作日", "1 个工作日")
    result = verify_site(site)
    assert result.problems == (Problem(ITEM_PAGE, "not_reproduced"),)
    assert result.line() == (
        f"校验失败：1 处不一致：{ITEM_PAGE}（从快照重新生成的文件与清单不同）"
        f" / verification failed: 1 problem: {ITEM_PAGE} (rebuild differs from the manifest)"
    )


def test_a_snapshot_forged_with_its_pages_is_caught_by_the_rebuild(site):
    # The forger publishes another snapshot but keeps the old pages and manifest entries.
    snapshot = site / "data/snapshot.json"
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    data["items"][0]["promised_days"] = 1
    snapshot.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = verify_site(site)
    kinds = {(p.path, p.kind) for p in result.problems}
    assert ("data/snapshot.json", "changed") in kinds
    assert (str(snapshot.resolve()), "snapshot") in kinds
    assert ("data/snapshot.json", "not_reproduced") in kinds
    assert result.ok is False


def test_another_snapshot_copy_can_be_given(site, tmp_path):
    copy = tmp_path / "下载的快照.json"
    copy.write_bytes(SNAPSHOT.read_bytes())
    result = verify_site(site, snapshot=copy)
    assert result.ok is True
    assert result.snapshot == copy


def test_a_different_snapshot_copy_is_named(site, snapshot_data, write_snapshot):
    snapshot_data["items"][0]["name"] = "建筑工程施工许可证核发（改）"
    other = write_snapshot(snapshot_data)
    problems = verify_site(site, snapshot=other).problems
    assert problems[0] == Problem(str(other), "snapshot")
    assert Problem(ITEM_PAGE, "not_reproduced") in problems


def test_an_unreproduced_search_file_is_explained(site):
    _forge(site, "pagefind/pagefind-entry.json", '"version":"', '"version":"0.')
    result = verify_site(site)
    assert result.problems == (Problem("pagefind/pagefind-entry.json", "not_reproduced"),)
    assert result.unreproduced_search_files == ("pagefind/pagefind-entry.json",)
    line = result.line()
    assert "站内搜索索引由 Pagefind 生成" in line
    assert "见 Pagefind 问题 #638" in line
    assert "Pagefind issue #638" in line


def test_differing_tool_versions_are_named_when_files_differ(site):
    forged_tools = json.loads((site / "data/site-manifest.json").read_bytes())["tools"]
    forged_tools["pelican"] = "4.9.1"
    _forge(site, ITEM_PAGE, "3 个工作日", "1 个工作日", tools=forged_tools)
    result = verify_site(site)
    assert result.tool_differences == (f"pelican 4.9.1 → {metadata.version('pelican')}",)
    assert (
        f"本机软件版本与发布时不同：pelican 4.9.1 → {metadata.version('pelican')}" in result.line()
    )


def test_the_report_names_five_problems_and_counts_the_rest(site):
    for name in ["a", "b", "c", "d", "e", "f", "g"]:
        (site / f"{name}.html").write_text("<p>多余页面</p>", encoding="utf-8")
    line = verify_site(site).line()
    assert line.startswith(
        "校验失败：7 处不一致：a.html（网站中有但清单未列出）；b.html（网站中有但清单未列出）；"
    )
    assert "e.html（网站中有但清单未列出）；另有 2 处 / verification failed: 7 problems:" in line
    assert "f.html" not in line
    assert line.count("\n") == 0


def test_a_site_without_a_manifest_cannot_be_verified(site):
    (site / "data/site-manifest.json").unlink()
    with pytest.raises(
        VerifyError, match=r"^找不到网站文件清单：.*site-manifest.json / site manifest"
    ):
        verify_site(site)


def test_a_missing_site_directory_cannot_be_verified(tmp_path):
    with pytest.raises(VerifyError, match=r"^网站目录不存在："):
        verify_site(tmp_path / "没有这个目录")


def test_a_site_built_without_the_search_index_is_rebuilt_without_it(site_dir):
    result = verify_site(site_dir)
    assert result.ok is True
    assert result.search_index is False


def test_a_file_name_with_a_newline_keeps_the_report_on_one_line(site):
    (site / "坏\n文件.html").write_text("<p>多余</p>", encoding="utf-8")
    result = verify_site(site)
    assert result.problems == (Problem("坏\n文件.html", "unlisted"),)
    assert result.line() == (
        "校验失败：1 处不一致：坏\\n文件.html（网站中有但清单未列出）"
        " / verification failed: 1 problem: 坏\\n文件.html (not in the manifest)"
    )


@pytest.fixture(scope="module")
def published_with_delta(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small snapshot published, then one item edited and published again: its search index is
    the first build's base plus a delta of the changed pages."""
    from sunshine.publisher.deploy import publish

    work = tmp_path_factory.mktemp("delta")
    publish(SNAPSHOT, work / "web", durable=False)
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    next(i for i in data["items"] if i["code"] == "511623-ZJ-0001")["promised_note"] = "材料齐全的当场受理"
    (work / "edited.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return publish(work / "edited.json", work / "web", durable=False).live


def test_a_site_with_an_incremental_search_index_verifies_all_but_the_index_by_rebuilding(published_with_delta):
    manifest = json.loads((published_with_delta / "data/site-manifest.json").read_bytes())
    bundle = [f["path"] for f in manifest["files"] if f["path"].startswith(("pagefind/", "pagefind-delta/"))]
    result = verify_site(published_with_delta)
    assert result.ok is True
    assert result.search_checked_only == len(bundle) > 0
    assert f"另 {len(bundle)} 个是增量站内搜索索引的文件" in result.line()


def test_a_forged_delta_index_file_is_still_caught_against_the_manifest(published_with_delta, tmp_path):
    site = Path(shutil.copytree(published_with_delta, tmp_path / "copy"))
    state = site / "pagefind-delta" / "sunshine-delta.json"
    state.write_text(state.read_text(encoding="utf-8").replace('"stale":[', '"stale":["x",'), "utf-8")
    result = verify_site(site)
    assert result.problems == (Problem("pagefind-delta/sunshine-delta.json", "changed"),)
