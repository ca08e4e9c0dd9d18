"""Pages are written as Pelican's writer writes them (same bytes, same template context), and the
site manifest takes a page's hash from its writing only while the file is the one written."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import jinja2
import pytest
from pelican.writers import FileOverwriteFailedError, Writer

from sunshine.publisher.build import build_site
from sunshine.publisher.incremental import Ledger, _dep_to_json
from sunshine.publisher.opendata import (
    SITE_MANIFEST_NAME,
    data_path,
    site_files,
    write_site_manifest,
)
from sunshine.publisher.page_files import PageFiles
from tests.publisher.conftest import SMALL_SNAPSHOT

#: Prints what the writer hands a template, with text that a text-mode file might have changed.
TEMPLATE = jinja2.Environment().from_string(
    "{{ output_file }}|{{ localsiteurl }}|{{ SITEURL }}|{{ title }}\n办事指南\r\n\tend"
)


@pytest.mark.parametrize("relative", [False, True])
def test_a_page_is_the_bytes_and_context_of_pelicans_writer(tmp_path, relative):
    names = ["index.html", "items/510-1/index.html", "items-by/free/2/index.html"]
    for name in names:
        context = {"SITEURL": "https://example.cn", "localsiteurl": "https://example.cn"}
        Writer(str(tmp_path / "pelican"), settings={}).write_file(
            name, TEMPLATE, context, relative_urls=relative, title="首页")
        ours_context = {"SITEURL": "https://example.cn", "localsiteurl": "https://example.cn"}
        PageFiles(str(tmp_path / "ours"), relative).write(name, TEMPLATE, ours_context, {"title": "首页"})
        assert ours_context == context  # the same side effect on the shared context
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "pelican" / name).read_bytes()
        mode = os.stat(tmp_path / "ours" / name).st_mode
        assert mode == os.stat(tmp_path / "pelican" / name).st_mode


def test_a_page_written_twice_fails_like_pelicans_second_write(tmp_path):
    files = PageFiles(str(tmp_path), False)
    files.write("items/1/index.html", TEMPLATE, {}, {})
    with pytest.raises(FileOverwriteFailedError):
        PageFiles(str(tmp_path), False).write("items/1/index.html", TEMPLATE, {}, {})  # another process's


def test_a_page_cannot_leave_the_output(tmp_path):
    with pytest.raises(RuntimeError, match="break out"):
        PageFiles(str(tmp_path / "out"), False).write("../escaped.html", TEMPLATE, {}, {})


def test_the_noted_hashes_are_the_files_and_travel_between_processes(tmp_path):
    files = PageFiles(str(tmp_path), False)
    files.write("a/index.html", TEMPLATE, {}, {"title": "甲"})
    mark = files.mark()
    files.write("b/index.html", TEMPLATE, {}, {"title": "乙"})
    parent = PageFiles(str(tmp_path), False)
    parent.adopt(json.loads(json.dumps(files.since(mark))))
    assert len(parent.hashed) == 1
    stat = os.stat(tmp_path / "b/index.html")
    (size, mtime, digest), = parent.hashed.values()
    assert (size, mtime) == (stat.st_size, stat.st_mtime_ns)
    assert digest == hashlib.sha256((tmp_path / "b/index.html").read_bytes()).digest()
    assert parent.hashed == dict(list(files.hashed.items())[1:])


@pytest.mark.parametrize("processes", ["1", "2"])
def test_the_manifest_of_written_pages_is_the_hash_of_the_files(tmp_path, monkeypatch, processes):
    monkeypatch.setenv("SUNSHINE_PUBLISH_PROCESSES", processes)
    built = build_site(SMALL_SNAPSHOT, tmp_path / "out", static_index=False)
    manifest = json.loads((built.out_dir / data_path(SITE_MANIFEST_NAME)).read_text(encoding="utf-8"))
    rows = {row["path"]: (row["sha256"], row["bytes"]) for row in manifest["files"]}
    assert rows == {entry.path: (entry.sha256, entry.bytes) for entry in site_files(built.out_dir)}


def test_a_page_changed_after_writing_is_hashed_from_the_disk(tmp_path):
    out = tmp_path / "out"
    files = PageFiles(str(out), False)
    files.write("a/index.html", TEMPLATE, {}, {"title": "甲"})
    page = out / "a/index.html"
    page.write_bytes(page.read_bytes() + b"<!-- changed -->")  # another size and time: not the file written
    entries = write_site_manifest(out, snapshot_sha256="0" * 64, search_index=False, tools={},
                                  written=files.hashed)
    assert [(e.path, e.sha256) for e in entries] == [("a/index.html", hashlib.sha256(page.read_bytes()).hexdigest())]
    assert entries == site_files(out)


def test_the_folders_made_are_the_writers(tmp_path):
    files = PageFiles(str(tmp_path / "out"), False)
    for name in ("x/1/index.html", "x/2/index.html", "x/2/more.html", "top.html"):
        files.write(name, TEMPLATE, {}, {})
    found = sorted(p.relative_to(tmp_path / "out").as_posix() for p in Path(tmp_path / "out").rglob("*"))
    assert found == ["top.html", "x", "x/1", "x/1/index.html", "x/2", "x/2/index.html", "x/2/more.html"]


def test_the_ledger_of_rendered_pages_is_each_dependency_in_its_json_form(tmp_path, monkeypatch):
    # IncrementalPages.render makes each distinct (dependency, digest) pair's JSON form once per build.
    monkeypatch.setenv("SUNSHINE_PUBLISH_PROCESSES", "1")
    built = build_site(SMALL_SNAPSHOT, tmp_path / "out", static_index=False, ledger=tmp_path / "ledger.json",
                       ledger_later=True)
    assert built.ledger is not None and built.ledger.pages
    for entry in built.ledger.pages.values():
        assert entry.deps == [_dep_to_json(dep, found) for dep, found in entry.dependencies()]
    assert Ledger._read(_dumped(built.ledger, tmp_path / "again.json")).pages == built.ledger.pages


def _dumped(ledger: Ledger, path: Path) -> Path:
    ledger.dump(path)
    return path
