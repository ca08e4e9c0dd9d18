"""Markdown converted once per text, kept between the builds of a web root (publisher/markdown_store.py)."""

from __future__ import annotations

import json

import pytest

from sunshine.publisher import markup
from sunshine.publisher.deploy import MARKDOWN_STORE, publish
from sunshine.publisher.markdown_store import MarkdownStore, text_key

CONDITIONS = "持**营业执照**副本原件办理。"


@pytest.fixture
def converted(monkeypatch):
    """The texts the converter is actually run on."""
    seen: list[str] = []
    real = markup._convert
    monkeypatch.setattr(markup, "_convert", lambda text: seen.append(text) or real(text))
    markup._cached.cache_clear()
    return seen


@pytest.fixture
def published(tmp_path, snapshot_file):
    web_root = tmp_path / "web"
    first = publish(snapshot_file, web_root, static_index=False, durable=False)
    return web_root, first


def test_a_full_rebuild_converts_nothing_the_store_has(published, snapshot_file, converted):
    web_root, _first = published
    publish(snapshot_file, web_root, static_index=False, durable=False, full=True)
    assert converted == []


def test_a_full_rebuild_with_the_store_writes_the_same_bytes(published, snapshot_file):
    web_root, first = published
    again = publish(snapshot_file, web_root, static_index=False, durable=False, full=True)
    listed = [json.loads(p.read_bytes())["files"] for p in
              (first.live / "data" / "site-manifest.json", again.live / "data" / "site-manifest.json")]
    assert listed[0] == listed[1]


def test_an_edited_text_is_converted_once_and_kept(published, snapshot_data, write_snapshot, converted):
    web_root, _first = published
    snapshot_data["items"][0]["conditions"] = CONDITIONS
    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert converted == [CONDITIONS]
    store = json.loads((web_root / MARKDOWN_STORE).read_bytes())
    assert store["entries"][text_key(CONDITIONS)] == "<p>持<strong>营业执照</strong>副本原件办理。</p>"


def test_a_full_render_keeps_only_the_texts_it_used(published, snapshot_data, write_snapshot):
    web_root, _first = published
    snapshot_data["items"][0]["conditions"] = CONDITIONS
    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    old = snapshot_data["items"][0]["conditions"] = "持身份证原件办理。"
    publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False, full=True)
    entries = json.loads((web_root / MARKDOWN_STORE).read_bytes())["entries"]
    assert text_key(CONDITIONS) not in entries
    assert text_key(old) in entries


def test_another_converters_store_is_not_used(tmp_path, converted):
    path = tmp_path / "markdown.json"
    path.write_text(json.dumps({"version": 1, "renderer": "an-older-converter",
                                "entries": {text_key(CONDITIONS): "<script>alert(1)</script>"}}))
    store = MarkdownStore(path)
    assert store.rendered(CONDITIONS, markup._convert) == "<p>持<strong>营业执照</strong>副本原件办理。</p>"
    assert converted == [CONDITIONS]


def test_an_unreadable_store_means_converting_again(tmp_path, converted):
    path = tmp_path / "markdown.json"
    path.write_bytes(b"{not json")
    MarkdownStore(path).rendered(CONDITIONS, markup._convert)
    assert converted == [CONDITIONS]


def test_texts_converted_in_render_processes_reach_the_store(tmp_path, snapshot_file, monkeypatch, converted):
    from sunshine.publisher import parallel

    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    web_root = tmp_path / "web"
    publish(snapshot_file, web_root, static_index=False, durable=False)
    in_this_process = len(converted)
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    publish(snapshot_file, web_root, static_index=False, durable=False, full=True)
    assert len(converted) == in_this_process  # the second build converted nothing, here or there
    entries = json.loads((web_root / MARKDOWN_STORE).read_bytes())["entries"]
    assert len(entries) > in_this_process  # the other process's texts came back in its payload
