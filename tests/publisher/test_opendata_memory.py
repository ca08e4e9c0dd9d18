"""What a running publisher keeps between builds for the open data and the site manifest: the
CSV rows of the last build (re-encoded only when what they read changed) and the hashes of the
files of the last site manifest (not read again when hard-linked). Same bytes as a fresh process."""

from __future__ import annotations

import copy
import hashlib
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sunshine.publisher import generator, opendata
from sunshine.publisher.build import build_site
from sunshine.publisher.catalog import build_catalog
from sunshine.publisher.deploy import KEEP_BUILDS, PARTIAL_PREFIX, live_dir, publish
from sunshine.publisher.interning import INTERNER
from sunshine.publisher.opendata import (
    MANIFEST_LINES,
    MANIFEST_ROWS,
    OPEN_DATA_MEMORY,
    SITE_MEMORY,
    Column,
    FileEntry,
    site_files,
    site_manifest_text,
    write_open_data,
)
from sunshine.publisher.page_files import PageFiles

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot-small.json"
SITE_MANIFEST = "data/site-manifest.json"


@pytest.fixture(autouse=True)
def fresh_memory():
    """Every test starts as a fresh process would, and leaves nothing to the next."""
    for memory in (OPEN_DATA_MEMORY, SITE_MEMORY, MANIFEST_ROWS, MANIFEST_LINES, INTERNER):
        memory.forget()
    yield
    for memory in (OPEN_DATA_MEMORY, SITE_MEMORY, MANIFEST_ROWS, MANIFEST_LINES, INTERNER):
        memory.forget()


def _snapshot() -> dict[str, Any]:
    return copy.deepcopy(json.loads(SNAPSHOT.read_text(encoding="utf-8")))


def _edited(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The same snapshot with one item's 承诺时限说明 changed (a clerk's one-item save)."""
    edited = copy.copy(snapshot)
    edited["items"] = list(snapshot["items"])
    edited["items"][0] = {**snapshot["items"][0], "promised_note": "- 材料齐全的，当场办结"}
    return edited


def _open_data(snapshot: dict[str, Any], data_dir: Path) -> dict[str, bytes]:
    raw = json.dumps(snapshot, ensure_ascii=False).encode("utf-8")
    write_open_data(build_catalog(snapshot), raw, data_dir)
    return {path.name: path.read_bytes() for path in sorted(data_dir.iterdir())}


def _count_encoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    encoded: list[tuple[Any, ...]] = []
    row_bytes = opendata._CsvRows._row_bytes

    def spy(self: Any, values: list[Any]) -> bytes:
        encoded.append(tuple(values))
        return row_bytes(self, values)

    monkeypatch.setattr(opendata._CsvRows, "_row_bytes", spy)
    return encoded


def test_open_data_after_an_edit_is_what_a_fresh_process_writes(tmp_path):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    remembered = _open_data(_edited(snapshot), tmp_path / "second")
    OPEN_DATA_MEMORY.forget()
    SITE_MEMORY.forget()
    assert remembered == _open_data(_edited(snapshot), tmp_path / "fresh")


def test_edited_cell_is_escaped_in_the_new_row(tmp_path):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    files = _open_data(_edited(snapshot), tmp_path / "second")
    assert ",'- 材料齐全的，当场办结," in files["items.csv"].decode("utf-8-sig")


def test_one_edited_item_encodes_only_the_rows_made_from_it(tmp_path, monkeypatch):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    encoded = _count_encoded(monkeypatch)
    _open_data(_edited(snapshot), tmp_path / "second")
    code = snapshot["items"][0]["code"]
    # items.csv's row, then its 8 fees, then the complaint outcome and the question about it
    assert [(row[0], row[8]) for row in encoded[:1]] == [(code, "- 材料齐全的，当场办结")]
    assert [(row[0], row[4]) for row in encoded[1:9]] == [(code, fee["name"]) for fee in snapshot["items"][0]["fees"]]
    assert [(row[0], row[3]) for row in encoded[9:]] == [("TS-9MWD-4HRT", code), ("ZX-8RTD-2WFE", code)]


def test_an_interned_decode_of_the_same_snapshot_encodes_no_row(tmp_path, monkeypatch):
    INTERNER.intern(_snapshot())
    first = _open_data(_interned(_snapshot()), tmp_path / "first")
    encoded = _count_encoded(monkeypatch)
    second = _open_data(_interned(_snapshot()), tmp_path / "second")  # decoded anew, then interned
    assert encoded == []
    assert second == first


def test_a_decode_that_is_not_interned_encodes_its_records_rows_again(tmp_path, monkeypatch):
    first = _open_data(_snapshot(), tmp_path / "first")
    encoded = _count_encoded(monkeypatch)
    second = _open_data(_snapshot(), tmp_path / "second")  # new objects, same values
    assert second == first
    snapshot = _snapshot()
    fees = sum(len(item["fees"]) for item in snapshot["items"])
    records = ("items", "departments", "channels", "notices", "rectifications", "complaint_outcomes", "questions")
    assert len(encoded) == fees + sum(len(snapshot[name]) for name in records)  # all but the figures'


def _interned(snapshot: dict[str, Any]) -> dict[str, Any]:
    INTERNER.intern(snapshot)
    return snapshot


def _replaced(snapshot: dict[str, Any], collection: str, code: str, **changes: Any) -> dict[str, Any]:
    """The snapshot with one record replaced by a changed copy, every other record the same object
    (what interning makes of a snapshot where one record changed)."""
    edited = copy.copy(snapshot)
    edited[collection] = [{**r, **changes} if r["code"] == code else r for r in snapshot[collection]]
    return edited


def _site_renamed(snapshot: dict[str, Any]) -> dict[str, Any]:
    edited = copy.copy(snapshot)
    edited["site"] = {**snapshot["site"], "name": "清川县人民政府政务服务中心"}
    return edited


def _item_moved(snapshot: dict[str, Any]) -> dict[str, Any]:
    """An item of 住建局 now belongs to 市场监管局: both departments' 事项数 change, no department does."""
    return _replaced(snapshot, "items", "511623-ZJ-0001", department="scjgj")


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        # 实施部门 of its items and fees, 部门 of its work orders, outcomes, questions and notices
        (lambda s: _replaced(s, "departments", "zjj", name="清川县住房和城乡建设管理局"),
         {"items.csv", "departments.csv", "fees.csv", "notices.csv", "rectifications.csv",
          "complaint_outcomes.csv", "questions.csv", "figures.csv"}),
        # 事项名称 of the work orders, outcomes, questions and fees about it
        (lambda s: _replaced(s, "items", "511623-MZ-0001", name="最低生活保障金给付"),
         {"items.csv", "rectifications.csv", "complaint_outcomes.csv", "questions.csv"}),
        # 发布部门 of the centre's own notices
        (_site_renamed, {"notices.csv"}),
        # 事项数 of two departments
        (_item_moved, {"items.csv", "departments.csv", "fees.csv"}),
    ],
    ids=["department-renamed", "item-renamed", "site-renamed", "item-moved"],
)
def test_a_row_follows_every_record_it_reads(tmp_path, edit, changed):
    snapshot = _snapshot()
    before = _open_data(snapshot, tmp_path / "first")
    remembered = _open_data(edit(snapshot), tmp_path / "second")
    OPEN_DATA_MEMORY.forget()
    fresh = _open_data(edit(snapshot), tmp_path / "fresh")
    assert remembered == fresh  # a stale row would be the first build's
    csv_files = {name for name in fresh if name.endswith(".csv")}
    assert {name for name in csv_files if fresh[name] != before[name]} == changed


def test_an_edited_fee_changes_its_row(tmp_path):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    fees = [{**fee, "standard": "=每件 10 元"} if n == 0 else fee for n, fee in enumerate(snapshot["items"][0]["fees"])]
    edited = _replaced(snapshot, "items", "511623-ZJ-0001", fees=fees)
    remembered = _open_data(edited, tmp_path / "second")
    assert ",'=每件 10 元," in remembered["fees.csv"].decode("utf-8-sig")
    OPEN_DATA_MEMORY.forget()
    assert remembered == _open_data(edited, tmp_path / "fresh")


def test_only_the_last_builds_rows_are_kept(tmp_path):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    fewer = copy.copy(snapshot)
    fewer["notices"] = snapshot["notices"][:1]
    _open_data(fewer, tmp_path / "second")
    kept = OPEN_DATA_MEMORY.get("notices.csv")
    assert kept is not None
    assert (len(kept.sourced()), len(kept.by_row), len(kept.order)) == (1, 1, 1)
    assert [made_of[0]["code"] for made_of, _row in kept.sourced().values()] == [snapshot["notices"][0]["code"]]


@pytest.mark.parametrize(
    ("before", "after", "cell"),
    [
        (1, 1.0, "1.0"),  # equal in Python, printed differently
        (1.0, 1, "1"),
        (1, True, "True"),
        (None, math.nan, "nan"),  # orjson writes NaN as null
        (None, math.inf, "inf"),
        (["窗口"], ("窗口",), "\"('窗口',)\""),  # the same JSON, another text
        (Decimal("98.9"), Decimal("98.90"), "98.90"),
    ],
)
def test_values_with_the_same_json_but_another_cell_are_encoded_again(before, after, cell):
    """Rows without sources (figures.csv) are found by their values' JSON."""
    columns = [Column("事项编码", lambda r: r[0]), Column("值", lambda r: r[1])]
    opendata.OPEN_DATA_MEMORY.keep(
        {"t.csv": opendata._csv_file("t.csv", columns, [("XK-001", before)])[2]}
    )
    content, sha256, _kept = opendata._csv_file("t.csv", columns, [("XK-001", after)])
    assert content.decode("utf-8-sig").splitlines()[1] == f"XK-001,{cell}"
    assert sha256 == hashlib.sha256(content).hexdigest()


def test_an_unchanged_file_keeps_its_hash_without_hashing_again(monkeypatch):
    columns = [Column("部门", lambda r: r)]
    rows = ["市场监督管理局", "- 税务局"]
    OPEN_DATA_MEMORY.keep({"d.csv": opendata._csv_file("d.csv", columns, rows)[2]})
    hashed: list[bytes] = []
    real_sha256 = hashlib.sha256

    def spy(data: bytes = b"") -> Any:
        hashed.append(data)
        return real_sha256(data)

    monkeypatch.setattr(opendata.hashlib, "sha256", spy)
    content, sha256, _kept = opendata._csv_file("d.csv", columns, list(rows))
    assert content == "部门\r\n市场监督管理局\r\n'- 税务局\r\n".encode("utf-8-sig")
    assert sha256 == "4038bf77fc789665c53ebeacd3fc88a9ff3f12332068dbb6bf9f70c0d8783a47"
    assert content not in hashed  # only the rows' keys were hashed


# -- the site manifest -------------------------------------------------------------------------


@pytest.fixture
def two_publishes(tmp_path):
    """A web root published twice in this process, the second time after a one-item edit."""
    snapshot = _snapshot()
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    second.write_text(json.dumps(_edited(snapshot), ensure_ascii=False), encoding="utf-8")
    web = tmp_path / "web"
    publish(first, web, static_index=False, durable=False)
    return web, second


def test_manifest_of_an_incremental_publish_is_the_hash_of_every_file(two_publishes):
    web, second = two_publishes
    publish(second, web, static_index=False, durable=False)
    live = live_dir(web)
    manifest = json.loads((live / SITE_MANIFEST).read_text(encoding="utf-8"))
    written = [FileEntry(f["path"], f["sha256"], f["bytes"]) for f in manifest["files"]]
    assert written == site_files(live)  # site_files alone reads and hashes every file


def test_incremental_manifest_reads_only_the_new_files(two_publishes, monkeypatch):
    web, second = two_publishes
    opened: list[str] = []
    real_open = open

    def spy(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "rb":
            opened.append(str(path))
        return real_open(path, mode, *args, **kwargs)

    hashing = opendata._site_files

    def listing(site_dir: Path, *args: Any, **kwargs: Any) -> list[FileEntry]:
        monkeypatch.setattr(opendata, "open", spy, raising=False)
        try:
            return hashing(site_dir, *args, **kwargs)
        finally:
            monkeypatch.delattr(opendata, "open")

    monkeypatch.setattr(opendata, "_site_files", listing)
    rendered: list[str] = []  # pages hashed as they were written (page_files.PageFiles)
    write = PageFiles.write

    def noting(self: PageFiles, name: str, *args: Any) -> None:
        rendered.append(name)
        write(self, name, *args)

    monkeypatch.setattr(PageFiles, "write", noting)
    publish(second, web, static_index=False, durable=False)
    live = live_dir(web)
    new_files = {
        path.relative_to(live).as_posix()
        for path in live.rglob("*")
        if path.is_file() and path.stat().st_nlink == 1
    }
    written_by_open_data = {f"data/{name}" for name in _open_data_names(live)}
    assert rendered and set(rendered) <= new_files
    expected = new_files - written_by_open_data - set(rendered) - {"data/site-manifest.json", "data/SHA256SUMS"}
    partial = live.parent / (PARTIAL_PREFIX + live.name)  # where the build was made
    assert {Path(p).relative_to(partial).as_posix() for p in opened} == expected


def _open_data_names(live: Path) -> list[str]:
    manifest = json.loads((live / "data/manifest.json").read_text(encoding="utf-8"))
    return [entry["path"] for entry in manifest["files"]]


@pytest.fixture
def recycling(tmp_path):
    """A web root published KEEP_BUILDS times in this process: the next publish recycles the oldest
    build (standby.py). Returns (web root, snapshot of a one-item edit, where to write snapshots)."""
    snapshot = _snapshot()
    web = tmp_path / "web"
    for n in range(KEEP_BUILDS):
        snapshot["items"][1]["promised_note"] = f"材料齐全的，当场办结（第 {n} 版）"
        path = tmp_path / f"snapshot-{n}.json"
        path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
        publish(path, web, static_index=False, durable=False)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(_edited(snapshot), ensure_ascii=False), encoding="utf-8")
    return web, edited


def _walked_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    walked: list[str] = []
    walk = opendata._walk

    def spy(root: str, prefix: str = "") -> Any:
        walked.append(prefix)
        return walk(root, prefix)

    monkeypatch.setattr(opendata, "_walk", spy)
    return walked


def test_a_recycled_builds_manifest_is_a_full_builds_without_walking_the_site(recycling, tmp_path, monkeypatch):
    web, edited = recycling
    walked = _walked_folders(monkeypatch)
    result = publish(edited, web, static_index=False, durable=False)
    assert result.recycled is not None
    assert walked == []  # no folder at all: nor the search folders, which a build without the index lacks
    full = build_site(edited, tmp_path / "full", static_index=False)
    for name in ("data/site-manifest.json", "data/SHA256SUMS"):
        assert (result.live / name).read_bytes() == (full.out_dir / name).read_bytes(), name


def test_a_recycled_builds_manifest_lists_a_removed_and_an_added_page(recycling, tmp_path):
    web, edited = recycling
    snapshot = json.loads(edited.read_text(encoding="utf-8"))
    gone = snapshot["items"].pop()
    snapshot["items"].append({**gone, "code": "511623-ZJ-0099", "name": "城镇污水排入排水管网许可（新设）"})
    edited.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    result = publish(edited, web, static_index=False, durable=False)
    assert result.recycled is not None
    paths = [row["path"] for row in json.loads((result.live / SITE_MANIFEST).read_text(encoding="utf-8"))["files"]]
    assert f"items/{gone['code']}/index.html" not in paths
    assert "items/511623-ZJ-0099/index.html" in paths
    full = build_site(edited, tmp_path / "full", static_index=False)
    assert (result.live / SITE_MANIFEST).read_bytes() == (full.out_dir / SITE_MANIFEST).read_bytes()


def test_a_data_file_changed_after_it_was_written_is_hashed_as_it_is(recycling, monkeypatch):
    """The manifest takes a data file's hash from its writing only while it is the file written then
    (inode, size and time); one changed behind the build's back is read, as a walk would."""
    web, edited = recycling
    write = generator.write_open_data

    def write_then_change(catalog: Any, snapshot_bytes: bytes, data_dir: Path, **kwargs: Any) -> Any:
        manifest = write(catalog, snapshot_bytes, data_dir, **kwargs)
        with open(data_dir / "channels.csv", "ab") as handle:  # in place: the inode noted is this one
            handle.write("QD-99,投诉电话,12345 热线\r\n".encode())
        return manifest

    monkeypatch.setattr(generator, "write_open_data", write_then_change)
    result = publish(edited, web, static_index=False, durable=False)
    assert result.recycled is not None
    rows = {row["path"]: row for row in json.loads((result.live / SITE_MANIFEST).read_text(encoding="utf-8"))["files"]}
    content = (result.live / "data/channels.csv").read_bytes()
    assert content.endswith("QD-99,投诉电话,12345 热线\r\n".encode())
    assert (rows["data/channels.csv"]["sha256"], rows["data/channels.csv"]["bytes"]) == (
        hashlib.sha256(content).hexdigest(), len(content))
    assert [FileEntry(r["path"], r["sha256"], r["bytes"]) for r in rows.values()] == site_files(result.live)


def test_manifest_rows_are_read_once_per_manifest(recycling, monkeypatch):
    web, edited = recycling
    parsed: list[Path] = []
    parse = opendata._parsed_site_manifest

    def spy(path: Path, data: bytes) -> Any:
        parsed.append(path)
        return parse(path, data)

    monkeypatch.setattr(opendata, "_parsed_site_manifest", spy)
    publish(edited, web, static_index=False, durable=False)
    assert parsed == []  # the live build's and the recycled one's were written by this process
    MANIFEST_ROWS.forget()
    edited.write_text(json.dumps(_snapshot(), ensure_ascii=False), encoding="utf-8")
    publish(edited, web, static_index=False, durable=False)
    assert len(parsed) == len(set(parsed)) == 2  # the live build's and the recycled one's, once each


def test_manifest_rows_are_those_of_the_manifest_file(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "index.html").write_text("<h1>阳光政务</h1>", encoding="utf-8")
    entries = opendata.write_site_manifest(site, snapshot_sha256="0" * 64, search_index=False, tools={})
    assert dict(opendata._manifest_rows(site)) == {entry.path: entry for entry in entries}
    manifest = site / SITE_MANIFEST
    text = manifest.read_text(encoding="utf-8")
    manifest.unlink()  # another file now (a new inode): read, not remembered
    manifest.write_text(text.replace('"bytes": 21', '"bytes": 210'), encoding="utf-8")
    assert opendata._manifest_rows(site)["index.html"].bytes == 210


def test_a_manifest_written_after_another_has_the_lines_of_its_own_files(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "index.html").write_text("<h1>阳光政务</h1>", encoding="utf-8")
    (site / "items.html").write_text("<h1>事项</h1>", encoding="utf-8")
    opendata.write_site_manifest(site, snapshot_sha256="0" * 64, search_index=False, tools={})
    (site / "items.html").unlink()  # a new file (and inode): its hash is read again
    (site / "items.html").write_text("<h1>政务服务事项</h1>", encoding="utf-8")
    (site / "notices.html").write_text("<h1>通知公告</h1>", encoding="utf-8")
    entries = opendata.write_site_manifest(site, snapshot_sha256="1" * 64, search_index=True, tools={})
    assert entries == site_files(site)
    assert (site / SITE_MANIFEST).read_text(encoding="utf-8") == site_manifest_text(
        site_files(site), snapshot_sha256="1" * 64, search_index=True, tools={})
    assert (site / "data/SHA256SUMS").read_text(encoding="utf-8") == opendata.sums_text(site_files(site))


def test_memory_of_another_build_is_not_used(tmp_path):
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "index.html").write_text("<h1>阳光政务</h1>", encoding="utf-8")
    opendata.write_site_manifest(site, snapshot_sha256="0" * 64, search_index=False, tools={})
    other = tmp_path / "other"
    (other / "data").mkdir(parents=True)
    (other / "index.html").write_text("<h1>阳光政务</h1>", encoding="utf-8")
    opendata.write_site_manifest(other, snapshot_sha256="0" * 64, search_index=False, tools={})
    assert SITE_MEMORY.of_previous(site) == {}
    assert len(SITE_MEMORY.of_previous(other)) == 1


def test_manifest_text_escapes_paths_as_json_does():
    paths = [
        'a"b.html',
        "a\\b.html",
        "tab\there.html",
        "行\u2028分隔.html",
        "事项/办事指南.html",
        "\x7f.html",
    ]
    entries = [FileEntry(path, "ab" * 32, 7) for path in sorted(paths)]
    text = site_manifest_text(entries, snapshot_sha256="cd" * 32, search_index=False, tools={})
    rows = [line.strip().rstrip(",") for line in text.split("\n") if line.startswith('    {"path"')]
    assert rows == [
        json.dumps({"path": e.path, "sha256": e.sha256, "bytes": e.bytes}, ensure_ascii=False)
        for e in entries
    ]


def test_site_files_lists_a_link_to_a_file_but_not_into_a_linked_folder(tmp_path):
    site = tmp_path / "site"
    (site / "items" / "XK-001").mkdir(parents=True)
    (site / "items" / "XK-001" / "index.html").write_bytes("营业执照".encode())
    (site / "latest.html").symlink_to(site / "items" / "XK-001" / "index.html")
    (site / "mirror").symlink_to(site / "items")
    digest = hashlib.sha256("营业执照".encode()).hexdigest()
    assert site_files(site) == [
        FileEntry("items/XK-001/index.html", digest, 12),
        FileEntry("latest.html", digest, 12),
    ]


def test_a_snapshot_hash_given_is_not_computed_again(tmp_path, monkeypatch):
    snapshot = _snapshot()
    raw = json.dumps(snapshot, ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    hashed: list[bytes] = []
    real_sha256 = hashlib.sha256

    def spy(data: bytes = b"") -> Any:
        hashed.append(data)
        return real_sha256(data)

    monkeypatch.setattr(opendata.hashlib, "sha256", spy)
    manifest = write_open_data(
        build_catalog(snapshot), raw, tmp_path / "data", snapshot_sha256=digest
    )
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert listed["snapshot.json"] == digest
    assert raw not in hashed


@pytest.mark.parametrize(
    "text",
    [
        "=SUM(A1)",
        "+86 0851",
        "-3天",
        "@王科长",
        "\t窗口",
        "\r窗口",
        "\0窗口",
        "'A座",
        "身份证",
        "",
        "a=b",
    ],
)
def test_cell_of_a_text_is_escape_cell(text):
    assert opendata._cell(text) == opendata.escape_cell(text)


def _count_sources(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    """The rows of file ``name`` whose sources (``row_sources``) are asked for, in order."""
    asked: list[Any] = []
    real = opendata.row_sources

    def row_sources(catalog: Any) -> dict[str, Any]:
        sources = real(catalog)
        inner = sources[name]

        def counted(row: Any) -> tuple[Any, ...]:
            asked.append(row)
            return inner(row)

        return {**sources, name: counted}

    monkeypatch.setattr(opendata, "row_sources", row_sources)
    return asked


def test_rows_of_items_are_found_by_the_item_while_the_departments_are_the_same(tmp_path, monkeypatch):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    asked = _count_sources(monkeypatch, "items.csv")
    encoded = _count_encoded(monkeypatch)
    _open_data(_replaced(snapshot, "items", "511623-ZJ-0002", name="新的事项名称"), tmp_path / "second")
    assert asked == []
    assert [row[:2] for row in encoded[:1]] == [("511623-ZJ-0002", "新的事项名称")]


def test_a_department_renamed_after_an_edit_found_by_item_changes_its_items_rows(tmp_path):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    edited = _replaced(snapshot, "items", "511623-ZJ-0002", name="新的事项名称")
    _open_data(edited, tmp_path / "second")  # rows found by item: nothing kept by their sources
    renamed = _replaced(edited, "departments", "zjj", name="清川县住房和城乡建设管理局")
    remembered = _open_data(renamed, tmp_path / "third")
    OPEN_DATA_MEMORY.forget()
    assert remembered == _open_data(renamed, tmp_path / "fresh")
    assert remembered["items.csv"].decode("utf-8-sig").count(",清川县住房和城乡建设管理局,") == 2


def test_a_department_renamed_after_an_edit_encodes_only_its_items_rows(tmp_path, monkeypatch):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    edited = _replaced(snapshot, "items", "511623-ZJ-0002", name="新的事项名称")
    _open_data(edited, tmp_path / "second")
    encoded = _count_encoded(monkeypatch)
    _open_data(_replaced(edited, "departments", "zjj", name="清川县住房和城乡建设管理局"), tmp_path / "third")
    # its two items' rows in items.csv, then its own row in departments.csv
    assert [row[0] for row in encoded[:3]] == ["511623-ZJ-0001", "511623-ZJ-0002", "zjj"]


def test_a_removed_item_leaves_items_csv_found_by_item(tmp_path):
    snapshot = _snapshot()
    _open_data(snapshot, tmp_path / "first")
    fewer = copy.copy(snapshot)
    fewer["items"] = [item for item in snapshot["items"] if item["code"] != "511623-MZ-0002"]
    fewer["questions"] = [q for q in snapshot["questions"] if q["item"] != "511623-MZ-0002"]
    fewer["complaint_outcomes"] = [o for o in snapshot["complaint_outcomes"] if o["item"] != "511623-MZ-0002"]
    remembered = _open_data(fewer, tmp_path / "second")
    assert "511623-MZ-0002" not in remembered["items.csv"].decode("utf-8-sig")
    OPEN_DATA_MEMORY.forget()
    assert remembered == _open_data(fewer, tmp_path / "fresh")


def test_the_same_figures_are_the_last_builds_figures_csv(tmp_path, monkeypatch):
    snapshot = _snapshot()
    first = _open_data(snapshot, tmp_path / "first")
    encode = opendata._CsvRows.encode
    calls: list[int] = []

    def spy(self: Any, rows: list[Any], known: Any) -> Any:
        calls.append(len(rows))
        return encode(self, rows, known)

    monkeypatch.setattr(opendata._CsvRows, "encode", spy)
    second = _open_data(_replaced(snapshot, "items", "511623-ZJ-0002", name="新的事项名称"), tmp_path / "second")
    assert calls == []
    assert second["figures.csv"] == first["figures.csv"]


def test_a_file_hashed_on_another_thread_is_listed_with_its_hash(tmp_path, monkeypatch):
    monkeypatch.setattr(opendata, "_HASH_ASIDE_BYTES", 0)
    snapshot = _snapshot()
    raw = json.dumps(snapshot, ensure_ascii=False).encode("utf-8")
    manifest = write_open_data(build_catalog(snapshot), raw, tmp_path / "data")
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert listed == {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
                      for path in (tmp_path / "data").iterdir() if path.name != "manifest.json"}
    kept = OPEN_DATA_MEMORY.get("items.csv")
    assert kept is not None and kept.sha256 == listed["items.csv"]


def test_unchanged_rows_leave_out_a_folder_and_only_it():
    paths = ["a.html", "pagefind-delta/x.pf", "pagefind.txt", "pagefind/a.pf", "pagefind/z/b.pf", "z.html"]
    base = {path: FileEntry(path, "0" * 64, 1) for path in paths}
    kept = opendata._unchanged_rows(base, {"z.html"}, ("pagefind/",))
    assert [entry.path for entry in kept] == ["a.html", "pagefind-delta/x.pf", "pagefind.txt"]


def test_unchanged_rows_of_rows_out_of_order_are_filtered_all_the_same():
    paths = ["z.html", "pagefind/a.pf", "a.html", "pagefind.txt"]
    base = {path: FileEntry(path, "0" * 64, 1) for path in paths}
    kept = opendata._unchanged_rows(base, {"a.html"}, ("pagefind/",))
    assert [entry.path for entry in kept] == ["z.html", "pagefind.txt"]


def test_tool_versions_are_read_once_per_process(tmp_path, monkeypatch):
    from sunshine.publisher import build

    calls: list[bool] = []

    def tool_versions(static_index: bool) -> dict[str, str]:
        calls.append(static_index)
        return {"python": "3.11.7"}

    monkeypatch.setattr(build, "tool_versions", tool_versions)
    build._manifest_tools.cache_clear()
    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    try:
        for _ in range(2):
            build._site_manifest(tmp_path, "0" * 64, False, None)
    finally:
        build._manifest_tools.cache_clear()
    assert calls == [False]
    assert json.loads((tmp_path / SITE_MANIFEST).read_text(encoding="utf-8"))["tools"] == {"python": "3.11.7"}
