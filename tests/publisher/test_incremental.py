"""Incremental publishing: only what changed is rendered, and the site is the same bytes as a full build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import ledger_of, publish
from tests.publisher.conftest import tree

ITEM = "items/511623-ZJ-0001/index.html"
OTHER_ITEM = "items/511623-MZ-0001/index.html"


def publish_again(data, write_snapshot, web_root, **kwargs):
    return publish(write_snapshot(data), web_root, static_index=False, durable=False, **kwargs)


def assert_same_as_full_build(result, data, write_snapshot, tmp_path) -> None:
    full = build_site(write_snapshot(data), tmp_path / "full", static_index=False)
    one, two = tree(result.live), tree(full.out_dir)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def same_file(a: Path, b: Path) -> bool:
    return os.stat(a).st_ino == os.stat(b).st_ino


def test_a_first_publish_renders_every_page(first):
    assert first.build.reused == 0
    assert first.build.rendered == 49


def test_republishing_the_same_snapshot_renders_nothing(first, snapshot_data, write_snapshot, web_root, tmp_path):
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert (second.build.rendered, second.build.reused) == (0, 49)
    assert same_file(second.live / ITEM, first.live / ITEM)
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_an_edited_item_renders_its_page_and_the_lists_that_show_it(
        first, snapshot_data, write_snapshot, web_root, tmp_path):
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert "材料齐全当场受理，三个工作日内发证" in (second.live / ITEM).read_text("utf-8")
    assert not same_file(second.live / ITEM, first.live / ITEM)
    assert same_file(second.live / OTHER_ITEM, first.live / OTHER_ITEM)
    rendered = sorted(str(p.relative_to(second.live)) for p in second.live.rglob("*.html")
                      if (first.live / p.relative_to(second.live)).exists()
                      and not same_file(p, first.live / p.relative_to(second.live)))
    # The item, the pages that are handed the item record (its department, the filter lists, a question
    # about it), the open-data page (file sizes); Pelican's own two hand-written pages are always written
    # again. The fee pages show its fees, name and code, not this text: reused, as the fee overview.
    assert rendered == ["data/index.html", "departments/zjj/index.html",
                        "items-by/case-type/promised/index.html", "items-by/department/zjj/index.html",
                        "items-by/online/index.html", "items-by/type/xzxk/index.html", ITEM,
                        "pages/about/index.html", "pages/privacy/index.html", "questions/ZX-8RTD-2WFE/index.html"]
    assert (second.build.rendered, second.build.reused) == (8, 41)
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_changed_hotline_renders_every_page_that_shows_it(first, snapshot_data, write_snapshot, web_root, tmp_path):
    snapshot_data["site"]["phone"] = "0827-5229999"
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert second.build.reused == 0
    assert "0827-5229999" in (second.live / OTHER_ITEM).read_text("utf-8")
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_renamed_department_reaches_its_items_and_lists(first, snapshot_data, write_snapshot, web_root, tmp_path):
    department = snapshot_data["departments"][0]
    department["name"] = department["name"] + "（行政审批服务股）"
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert 0 < second.build.reused < 49
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_new_notice_and_a_removed_item_match_a_full_build(first, snapshot_data, write_snapshot, web_root, tmp_path):
    notice = dict(snapshot_data["notices"][0], code="N2026-099", title="关于元旦假期窗口值班安排的公告")
    snapshot_data["notices"].append(notice)
    removed = snapshot_data["items"].pop()
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert (second.live / "notices" / "N2026-099" / "index.html").is_file()
    assert not (second.live / "items" / removed["code"] / "index.html").exists()
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_template_change_renders_everything(first, snapshot_data, write_snapshot, web_root, tmp_path, project_root):
    theme = tmp_path / "theme"
    shutil.copytree(project_root / "themes" / "sunshine", theme)
    footer = theme / "templates" / "_chrome.html"
    footer.write_text(footer.read_text("utf-8") + "\n", encoding="utf-8")
    second = publish_again(snapshot_data, write_snapshot, web_root, theme=theme)
    assert second.build.reused == 0


def test_full_renders_everything_even_when_nothing_changed(first, snapshot_data, write_snapshot, web_root):
    second = publish_again(snapshot_data, write_snapshot, web_root, full=True)
    assert (second.build.rendered, second.build.reused) == (49, 0)


def test_a_lost_ledger_means_a_full_render(first, snapshot_data, write_snapshot, web_root, tmp_path):
    ledger_of(web_root, first.live).unlink()
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert second.build.reused == 0
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_damaged_ledger_means_a_full_render(first, snapshot_data, write_snapshot, web_root):
    ledger_of(web_root, first.live).write_text("{不是 JSON", encoding="utf-8")
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert second.build.reused == 0


def test_ledgers_of_pruned_builds_are_removed(first, snapshot_data, write_snapshot, web_root):
    for n in range(4):
        snapshot_data["items"][0]["promised_note"] = f"第{n}次修改"
        publish_again(snapshot_data, write_snapshot, web_root)
    builds = sorted(p.name for p in (web_root / "builds").iterdir())
    assert sorted(p.stem for p in (web_root / "ledgers").iterdir()) == builds
    assert len(builds) == 3


def test_no_ledger_is_published_inside_the_site(first):
    assert not any("ledger" in p.name for p in first.live.rglob("*"))


def test_an_invalid_record_is_refused_with_its_place_as_in_a_full_check(
        first, snapshot_data, write_snapshot, web_root):
    from sunshine.publisher.snapshot import SnapshotError

    snapshot_data["items"][2]["case_type"] = "当天办"
    with pytest.raises(SnapshotError) as incremental:
        publish_again(snapshot_data, write_snapshot, web_root)
    with pytest.raises(SnapshotError) as full:
        publish_again(snapshot_data, write_snapshot, web_root, full=True)
    assert str(incremental.value) == str(full.value)
    assert "items[2].case_type" in str(incremental.value)


def test_a_running_publisher_keeps_the_ledger_it_wrote_in_memory(first, web_root, monkeypatch):
    # The worker publishes again and again: the ledger it wrote (then renamed with its build) is not read back.
    from sunshine.publisher.incremental import Ledger

    monkeypatch.setattr(Ledger, "_read", classmethod(lambda cls, path: pytest.fail(f"read {path} again")))
    ledger = Ledger.load(ledger_of(web_root, first.live))
    assert ledger is not None and len(ledger.pages) == 49


def test_a_ledger_written_by_another_process_is_read_from_disk(first, web_root):
    from sunshine.publisher.incremental import Ledger

    path = ledger_of(web_root, first.live)
    copy = path.with_name("copy.json")
    shutil.copyfile(path, copy)  # a new inode: nothing this process has seen
    assert len(Ledger.load(copy).pages) == 49


def test_files_linked_from_the_live_build_keep_their_manifest_hash_without_rereading(
        first, snapshot_data, write_snapshot, web_root, monkeypatch):
    import builtins

    from sunshine.publisher import opendata

    read = []
    real = builtins.open

    def spy(file, mode="r", *args, **kwargs):
        if mode == "rb":
            read.append(os.fspath(file))
        return real(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    second = publish_again(snapshot_data, write_snapshot, web_root)
    monkeypatch.undo()
    assert second.build.reused == 49
    # Only Pelican's two hand-written pages are written anew; the 49 linked pages' hashes come from
    # the live build's manifest.
    assert sorted(path.rsplit("/", 2)[-2] for path in read if path.endswith("/index.html")) == ["about", "privacy"]
    listed = {row["path"]: row["sha256"] for row in opendata.read_site_manifest(second.live)["files"]}
    assert listed[ITEM] == {row["path"]: row["sha256"] for row in
                            opendata.read_site_manifest(first.live)["files"]}[ITEM]


def test_republishing_takes_the_search_blocks_from_the_previous_ledger(first, snapshot_data, write_snapshot,
                                                                        web_root):
    assert first.build.search_analysed == 20  # the 22 indexed pages but the 2 hand-written ones
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert second.build.search_analysed == 0


def test_an_edited_item_has_only_the_blocks_of_the_pages_rendered_again_analysed(
        first, snapshot_data, write_snapshot, web_root, tmp_path, monkeypatch):
    from sunshine.publisher import generator

    made = []
    real = generator.search_block
    monkeypatch.setattr(generator, "search_block", lambda fields, *a: made.append(fields.title) or real(fields, *a))
    snapshot_data["items"][0]["conditions"] = "持营业执照副本原件办理。"
    second = publish_again(snapshot_data, write_snapshot, web_root)
    # The item's own page, whose block changed. The two searchable pages that show it and are rendered
    # again (its department, the answered question about it) have the same fields: their blocks come
    # from the web root's store. Pelican's two hand-written pages are made every time; reused pages are
    # known by their blocks' digests in the ledger.
    hand_written = {"关于本站", "隐私说明"}
    assert sorted(set(made) - hand_written) == [snapshot_data["items"][0]["name"]]
    assert second.build.search_analysed == 1
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_other_search_code_analyses_every_search_block_again(first, snapshot_data, write_snapshot, web_root,
                                                             monkeypatch):
    from sunshine.publisher import generator

    monkeypatch.setattr(generator, "_search_code_key", lambda: "an-edited-analysis")
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert second.build.search_analysed == 20


def test_new_synonyms_analyse_every_search_block_again(first, snapshot_data, write_snapshot, web_root):
    snapshot_data["search_synonyms"] = ["结婚登记 扯证 领证"]
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert second.build.search_analysed == 20


#: The filter pages that list an item of 市场监督管理局 (scjgj), with its name beside the item.
SCJGJ_FILTER_PAGES = ["items-by/case-type/immediate/index.html", "items-by/department/scjgj/index.html",
                      "items-by/no-fee/index.html", "items-by/online/index.html", "items-by/type/xzxk/index.html",
                      "items-by/zero-visits/index.html"]


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The pages the next publishes render (the small site's few pages render in this process)."""
    from sunshine.publisher.incremental import IncrementalPages

    names: list[str] = []
    real = IncrementalPages.render

    def spy(self, name, *args, **kwargs):
        names.append(name)
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(IncrementalPages, "render", spy)
    return names


def publish_rendering(data, write_snapshot, web_root, rendered: list[str], under: str) -> list[str]:
    """Publish ``data``; the pages rendered whose names start with ``under``."""
    rendered.clear()
    publish_again(data, write_snapshot, web_root)
    return sorted(name for name in rendered if name.startswith(under))


def test_a_renamed_department_renders_exactly_the_filter_pages_that_read_its_name(
        first, snapshot_data, write_snapshot, web_root, tmp_path, rendered):
    """A filter page's values (its page of records) stay the same: only the catalog dependency it read
    (``department_by_code.scjgj.name``) changed. The pages reading the same catalog dependencies are
    checked together once per build (``PageEntry.checks``): the other filter pages must still be
    reused, and these rendered, though the same groups were found valid by the publish before."""
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    assert publish_rendering(snapshot_data, write_snapshot, web_root, rendered, "items-by/") == [
        "items-by/case-type/promised/index.html", "items-by/department/zjj/index.html",
        "items-by/online/index.html", "items-by/type/xzxk/index.html"]
    department = next(d for d in snapshot_data["departments"] if d["code"] == "scjgj")
    department["name"] = "清川县市场监督管理局（知识产权局）"
    assert publish_rendering(snapshot_data, write_snapshot, web_root, rendered, "items-by/") == SCJGJ_FILTER_PAGES
    third = publish_again(snapshot_data, write_snapshot, web_root)
    assert "清川县市场监督管理局（知识产权局）" in (third.live / SCJGJ_FILTER_PAGES[-1]).read_text("utf-8")
    assert_same_as_full_build(third, snapshot_data, write_snapshot, tmp_path)
    department["name"] = "清川县市场监督管理局"  # named back: the same pages render again
    assert publish_rendering(snapshot_data, write_snapshot, web_root, rendered, "items-by/") == SCJGJ_FILTER_PAGES
    fifth = publish_again(snapshot_data, write_snapshot, web_root)
    assert (fifth.build.rendered, fifth.build.reused) == (0, 49)
    assert_same_as_full_build(fifth, snapshot_data, write_snapshot, tmp_path / "named-back")


def test_a_ledger_read_from_disk_checks_the_same_groups_of_catalog_dependencies(
        first, snapshot_data, write_snapshot, web_root, tmp_path, rendered):
    """A publisher started anew reads the live build's ledger: its pages' dependencies are grouped
    as those of a ledger kept in memory."""
    from sunshine.publisher import incremental

    incremental._RECENT_LEDGERS.clear()
    incremental._CATALOG_GROUPS.clear()
    incremental._VALUES.clear()
    department = next(d for d in snapshot_data["departments"] if d["code"] == "scjgj")
    department["name"] = "清川县市场监督管理局（知识产权局）"
    assert publish_rendering(snapshot_data, write_snapshot, web_root, rendered, "items-by/") == SCJGJ_FILTER_PAGES
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert (second.build.rendered, second.build.reused) == (0, 49)
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_figure_changed_deep_inside_the_department_pages_values_renders_them(
        first, snapshot_data, write_snapshot, web_root, tmp_path, rendered):
    """Every department page is handed the whole figures (made anew each build, compared part by part
    with the last publish's): one month of one department counted anew changes them all (not ybj's
    page: withdrawn, it shows no figures), and the two figures pages."""
    month = snapshot_data["figures"]["departments"][0]["months"][0]
    month["completed_on_time"] -= 1
    assert publish_rendering(snapshot_data, write_snapshot, web_root, rendered, "") == [
        "data/index.html", "departments/mzj/index.html", "departments/scjgj/index.html",
        "departments/zjj/index.html", "figures/index.html", "figures/rectifications/index.html"]
    second = publish_again(snapshot_data, write_snapshot, web_root)
    assert (second.build.rendered, second.build.reused) == (0, 49)
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)
