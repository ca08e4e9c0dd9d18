"""The site manifest: after the pages and the Pagefind bundle, data/site-manifest.json and
data/SHA256SUMS list every other published file with its SHA-256 and size."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from sunshine.publisher.build import BuildResult, build_site
from sunshine.publisher.opendata import FileEntry, site_manifest_text, sums_text

MANIFEST_FILES = {"data/site-manifest.json", "data/SHA256SUMS"}
SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot-small.json"


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The small snapshot built once with the Pagefind index."""
    return build_site(SNAPSHOT, tmp_path_factory.mktemp("indexed") / "site")


def _manifest(site: Path) -> dict:
    return json.loads((site / "data/site-manifest.json").read_text(encoding="utf-8"))


def _on_disk(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).as_posix() not in MANIFEST_FILES
    }


def test_manifest_lists_every_other_file_with_its_hash_and_size(indexed):
    site = indexed.out_dir
    listed = {f["path"]: (f["sha256"], f["bytes"]) for f in _manifest(site)["files"]}
    expected = {
        path: (hashlib.sha256(content).hexdigest(), len(content))
        for path, content in _on_disk(site).items()
    }
    assert listed == expected


def test_manifest_does_not_list_itself_or_the_sums_file(indexed):
    paths = {f["path"] for f in _manifest(indexed.out_dir)["files"]}
    assert paths & MANIFEST_FILES == set()


def test_manifest_lists_the_pagefind_bundle(indexed):
    paths = [f["path"] for f in _manifest(indexed.out_dir)["files"]]
    assert "pagefind/pagefind-entry.json" in paths
    assert "pagefind/pagefind.js" in paths


def test_manifest_lists_files_in_path_order(indexed):
    paths = [f["path"] for f in _manifest(indexed.out_dir)["files"]]
    assert paths == sorted(paths)
    assert paths[0] == "404.html"


def test_manifest_records_the_snapshot_the_index_and_the_counts(indexed):
    manifest = _manifest(indexed.out_dir)
    files = manifest["files"]
    assert manifest["format"] == 1
    assert manifest["snapshot"] == "data/snapshot.json"
    assert manifest["snapshot_sha256"] == hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    assert manifest["search_index"] is True
    assert manifest["file_count"] == len(files) == indexed.files
    assert manifest["total_bytes"] == sum(f["bytes"] for f in files)
    assert manifest["verify_command"] == "python -m sunshine.publisher verify --site <网站目录>"


def test_manifest_records_the_versions_of_the_tools(indexed):
    tools = _manifest(indexed.out_dir)["tools"]
    assert tools["pelican"] == metadata.version("pelican")
    assert tools["pagefind_bin_extended"] == metadata.version("pagefind_bin_extended")
    assert sorted(tools) == [
        "Jinja2", "Markdown", "nh3", "pagefind_bin_extended", "pelican", "python", "sunshine"
    ]  # fmt: skip


def test_sums_file_says_what_the_manifest_says(indexed):
    site = indexed.out_dir
    lines = (site / "data/SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert lines == [f"{f['sha256']}  {f['path']}" for f in _manifest(site)["files"]]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="GNU coreutils sha256sum not found")
def test_sha256sum_checks_the_site_against_the_sums_file(indexed):
    run = subprocess.run(
        ["sha256sum", "--check", "--strict", "--quiet", "data/SHA256SUMS"],
        cwd=indexed.out_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_a_build_without_the_search_index_says_so_and_lists_no_bundle(site_dir):
    manifest = _manifest(site_dir)
    assert manifest["search_index"] is False
    assert "pagefind_bin_extended" not in manifest["tools"]
    assert [f["path"] for f in manifest["files"] if f["path"].startswith("pagefind/")] == []


def test_two_builds_write_the_same_manifest(indexed, tmp_path):
    again = build_site(SNAPSHOT, tmp_path / "again")
    for name in sorted(MANIFEST_FILES):
        assert (again.out_dir / name).read_bytes() == (indexed.out_dir / name).read_bytes(), name


def test_manifest_text_has_one_file_per_line():
    entries = [
        FileEntry("data/items.csv", "a" * 64, 2048),
        FileEntry("items/511623-ZJ-0001/index.html", "b" * 64, 10240),
    ]
    text = site_manifest_text(
        entries, snapshot_sha256="c" * 64, search_index=False, tools={"pelican": "4.12.0"}
    )
    assert text == (
        "{\n"
        '  "file_count": 2,\n'
        '  "format": 1,\n'
        '  "search_index": false,\n'
        '  "sha256sums": "data/SHA256SUMS",\n'
        '  "snapshot": "data/snapshot.json",\n'
        f'  "snapshot_sha256": "{"c" * 64}",\n'
        '  "tools": {"pelican": "4.12.0"},\n'
        '  "total_bytes": 12288,\n'
        '  "verify_command": "python -m sunshine.publisher verify --site <网站目录>",\n'
        '  "files": [\n'
        f'    {{"path": "data/items.csv", "sha256": "{"a" * 64}", "bytes": 2048}},\n'
        f'    {{"path": "items/511623-ZJ-0001/index.html", "sha256": "{"b" * 64}", "bytes": 10240}}\n'
        "  ]\n"
        "}\n"
    )
    assert json.loads(text)["files"][1]["bytes"] == 10240


def test_sums_text_is_the_sha256sum_format():
    entries = [FileEntry("data/items.csv", "a" * 64, 2048), FileEntry("index.html", "b" * 64, 5)]
    assert sums_text(entries) == f"{'a' * 64}  data/items.csv\n{'b' * 64}  index.html\n"


def test_a_file_name_with_a_newline_cannot_be_listed():
    with pytest.raises(ValueError, match=r"^文件名含换行或反斜杠，无法写入 SHA256SUMS"):
        sums_text([FileEntry("data/坏\n名字.csv", "a" * 64, 1)])


def test_data_page_links_the_site_manifest_and_tells_how_to_verify(page):
    html = page("/data/")
    assert '<a href="/data/site-manifest.json">site-manifest.json</a>' in html
    assert '<a href="/data/SHA256SUMS">SHA256SUMS</a>' in html
    assert "<code>python -m sunshine.publisher verify --site 网站目录</code>" in html
    assert "<code>sha256sum -c data/SHA256SUMS</code>" in html
