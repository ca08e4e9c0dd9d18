"""Search blocks analysed once per page's fields, kept between the builds of a web root
(publisher/search_store.py)."""

from __future__ import annotations

import json

import pytest

from sunshine.publisher import search_store
from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import SEARCH_STORE, publish
from sunshine.publisher.search_store import SearchBlockStore

CONDITIONS = "持营业执照副本原件办理。"
#: The small snapshot's searchable pages, but Pelican's two hand-written ones (made every build).
SEARCHABLE = 20


def full(snapshot, web_root):
    return publish(snapshot, web_root, static_index=False, durable=False, full=True)


def files(result):
    return json.loads((result.live / "data" / "site-manifest.json").read_bytes())["files"]


def stored(web_root):
    return json.loads((web_root / SEARCH_STORE).read_bytes())


@pytest.fixture
def published(tmp_path, snapshot_file):
    web_root = tmp_path / "web"
    return web_root, full(snapshot_file, web_root)


def test_the_first_build_analyses_every_block_and_stores_it(published):
    web_root, first = published
    assert first.build.search_analysed == SEARCHABLE
    assert len(stored(web_root)["entries"]) == SEARCHABLE


def test_a_full_rebuild_analyses_nothing_the_store_has(published, snapshot_file):
    web_root, _first = published
    assert full(snapshot_file, web_root).build.search_analysed == 0


def test_a_full_rebuild_with_the_store_writes_the_bytes_of_a_build_without_it(published, snapshot_file, tmp_path):
    web_root, _first = published
    again = full(snapshot_file, web_root)
    alone = build_site(snapshot_file, tmp_path / "alone", static_index=False)
    without = {row["path"]: row["sha256"] for row in
               json.loads((alone.out_dir / "data" / "site-manifest.json").read_bytes())["files"]}
    assert {row["path"]: row["sha256"] for row in files(again)} == without


def test_a_changed_text_misses_and_only_its_block_is_analysed(published, snapshot_data, write_snapshot):
    web_root, _first = published
    before = set(stored(web_root)["entries"])
    snapshot_data["items"][0]["conditions"] = CONDITIONS
    again = full(write_snapshot(snapshot_data), web_root)
    assert again.build.search_analysed == 1
    after = set(stored(web_root)["entries"])
    assert (len(after - before), len(before - after)) == (1, 1)  # the edited item's block replaced


def test_another_analyser_key_misses(published, snapshot_file, monkeypatch):
    from sunshine.publisher import generator

    web_root, _first = published
    monkeypatch.setattr(generator, "_search_code_key", lambda: "an-edited-analysis")
    again = full(snapshot_file, web_root)
    assert again.build.search_analysed == SEARCHABLE


def test_a_block_of_another_analyser_key_is_never_shown(published, snapshot_file, tmp_path):
    web_root, first = published
    store = stored(web_root)
    store["analyser"] = "an-older-analysis"
    store["entries"] = {key: '<div class="search-terms">planted</div>' for key in store["entries"]}
    (web_root / SEARCH_STORE).write_text(json.dumps(store))
    again = full(snapshot_file, web_root)
    assert again.build.search_analysed == SEARCHABLE
    assert files(again) == files(first)


def test_a_stored_block_is_what_the_page_shows(published, snapshot_file):
    """The store is read: a planted block of the right key reaches its page (never done but here)."""
    web_root, _first = published
    store = stored(web_root)
    store["entries"] = {key: f'<div class="planted">{n}</div>' for n, key in enumerate(sorted(store["entries"]))}
    (web_root / SEARCH_STORE).write_text(json.dumps(store))
    again = full(snapshot_file, web_root)
    assert again.build.search_analysed == 0
    pages = [p.read_text(encoding="utf-8") for p in again.live.rglob("*.html")]
    assert sum('<div class="planted">' in page for page in pages) == SEARCHABLE


def test_an_unreadable_store_means_analysing_again(published, snapshot_file):
    web_root, _first = published
    (web_root / SEARCH_STORE).write_bytes(b"{not json")
    assert full(snapshot_file, web_root).build.search_analysed == SEARCHABLE
    assert len(stored(web_root)["entries"]) == SEARCHABLE  # and written anew


def test_an_incremental_edit_leaves_the_store_file_alone(published, snapshot_data, write_snapshot):
    web_root, _first = published
    written = (web_root / SEARCH_STORE).stat().st_mtime_ns
    snapshot_data["items"][0]["conditions"] = CONDITIONS
    again = publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert again.build.search_analysed == 1  # the item's page; the two others it re-renders are in the store
    assert (web_root / SEARCH_STORE).stat().st_mtime_ns == written


def test_a_page_rendered_again_with_the_same_fields_takes_its_block_from_the_store(
        published, snapshot_data, write_snapshot, tmp_path):
    web_root, _first = published
    snapshot_data["items"][0]["conditions"] = CONDITIONS
    edited = write_snapshot(snapshot_data)
    again = publish(edited, web_root, static_index=False, durable=False)
    fresh = publish(edited, tmp_path / "fresh", static_index=False, durable=False)
    assert again.build.rendered == 8
    assert again.build.search_analysed == 1
    pages = sorted(page.relative_to(again.live) for page in again.live.rglob("*.html"))
    assert pages == sorted(page.relative_to(fresh.live) for page in fresh.live.rglob("*.html"))
    assert all((again.live / page).read_bytes() == (fresh.live / page).read_bytes() for page in pages)


def test_many_blocks_analysed_anew_are_stored_by_an_incremental_build(tmp_path, monkeypatch):
    path = tmp_path / "search-blocks.json"
    store = SearchBlockStore(path)
    store.use("key")
    store.note(["a", "b"])
    monkeypatch.setattr(search_store, "SAVE_AFTER", 2)
    store.add("a", "<div>a</div>")
    assert not store.save(rendered_everything=False)  # one new block: not worth the write
    store.add("b", "<div>b</div>")
    assert store.save(rendered_everything=False)
    assert json.loads(path.read_bytes()) == {"version": 1, "analyser": "key",
                                             "entries": {"a": "<div>a</div>", "b": "<div>b</div>"}}


def test_a_full_build_keeps_only_the_blocks_of_its_pages(tmp_path):
    path = tmp_path / "search-blocks.json"
    path.write_text(json.dumps({"version": 1, "analyser": "key", "entries": {"gone": "x", "kept": "y"}}))
    store = SearchBlockStore(path)
    store.use("key")
    store.note(["kept"])
    assert store.save(rendered_everything=True)
    assert json.loads(path.read_bytes())["entries"] == {"kept": "y"}


def test_blocks_made_in_render_processes_reach_the_store(tmp_path, snapshot_file, monkeypatch):
    from sunshine.publisher import parallel

    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    web_root = tmp_path / "web"
    first = full(snapshot_file, web_root)
    assert len(stored(web_root)["entries"]) == SEARCHABLE
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    again = full(snapshot_file, web_root)
    assert again.build.search_analysed == 0
    assert files(again) == files(first)
