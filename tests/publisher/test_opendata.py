"""Open data: the snapshot byte for byte, CSVs Excel can open, a manifest that checks out."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from sunshine.contract.schema import schema_bytes


def _rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_snapshot_is_published_byte_for_byte(site_dir, snapshot_file):
    assert (site_dir / "data/snapshot.json").read_bytes() == snapshot_file.read_bytes()


def test_schema_is_published_with_the_data(site_dir):
    assert (site_dir / "data/snapshot.schema.json").read_bytes() == schema_bytes()


def test_manifest_lists_every_data_file_with_matching_hash_and_size(site_dir):
    manifest = json.loads((site_dir / "data/manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {p.name for p in (site_dir / "data").iterdir()} - {"manifest.json", "index.html"}
    assert set(listed) == on_disk == {
        "snapshot.json", "snapshot.schema.json", "items.csv", "departments.csv",
        "fees.csv", "channels.csv", "notices.csv", "figures.csv", "rectifications.csv",
        "complaint_outcomes.csv", "questions.csv",
    }  # fmt: skip
    for name, entry in listed.items():
        content = (site_dir / "data" / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), name
        assert entry["bytes"] == len(content), name
        assert entry["url"] == f"/data/{name}"
    assert manifest["snapshot_generated_at"] == "2024-07-08T09:30:00+08:00"


def test_data_page_shows_the_hashes(site_dir, page):
    manifest = json.loads((site_dir / "data/manifest.json").read_text(encoding="utf-8"))
    html = page("/data/")
    for entry in manifest["files"]:
        assert entry["sha256"] in html
    assert '<a href="/data/snapshot.schema.json">' in html


def test_items_csv_has_chinese_headers_and_rows_in_code_order(site_dir):
    header, *rows = _rows(site_dir / "data/items.csv")
    assert header[:3] == ["事项编码", "事项名称", "事项类型"]
    codes = [row[0] for row in rows]
    assert codes == sorted(codes) and len(codes) == 5
    building = dict(zip(header, rows[codes.index("511623-ZJ-0001")], strict=True))
    assert building["承诺办结时限（工作日）"] == "3"
    assert building["办件类型"] == "承诺件" and building["是否网办"] == "是"
    assert building["网页地址"] == "/items/511623-ZJ-0001/"


def test_fees_csv_has_one_row_per_fee_with_its_bill(site_dir):
    header, *rows = _rows(site_dir / "data/fees.csv")
    assert len(rows) == 8
    bill = header.index("一单收费")
    assert sum(1 for row in rows if row[bill] == "建设项目一单收费") == 7


def test_departments_csv_carries_chief_and_backup(site_dir):
    header, *rows = _rows(site_dir / "data/departments.csv")
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_code["zjj"]["首席代表"] == "王建国" and by_code["zjj"]["B角"] == "李秀梅"
    assert by_code["mzj"]["B角"] == ""


def test_channels_and_notices_csv_are_written(site_dir):
    assert len(_rows(site_dir / "data/channels.csv")) == 3
    header, *rows = _rows(site_dir / "data/notices.csv")
    assert [row[0] for row in rows] == ["N2024-003", "N2024-001", "N2024-002"]
    assert b"\r\n" in (site_dir / "data/notices.csv").read_bytes()
