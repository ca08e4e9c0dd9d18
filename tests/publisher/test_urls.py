"""Addresses come from stable codes and end with "/"; intake links follow the configured base."""

from __future__ import annotations

import pytest

from sunshine.contract.urls import complaint_url, lookup_url, save_as, url_for
from sunshine.publisher.build import build_site


def test_record_pages_are_directories_named_by_code():
    assert url_for("item", "511623-ZJ-0001") == "/items/511623-ZJ-0001/"
    assert save_as("item", "511623-ZJ-0001") == "items/511623-ZJ-0001/index.html"
    assert save_as("home") == "index.html"
    assert save_as("data_file", "fees.csv") == "data/fees.csv"


def test_record_page_without_code_is_a_programming_error():
    with pytest.raises(ValueError):
        url_for("department")


def test_complaint_links_on_the_same_origin():
    assert complaint_url("", item="511623-ZJ-0001") == "/intake/complaint?item=511623-ZJ-0001"
    assert complaint_url("", department="zjj") == "/intake/complaint?department=zjj"
    assert complaint_url("") == "/intake/complaint"
    assert lookup_url("") == "/intake/lookup"


def test_complaint_links_to_a_separate_intake_host():
    base = "https://zwfw.qingchuan.example/"
    assert complaint_url(base, item="511623-MZ-0001") == (
        "https://zwfw.qingchuan.example/intake/complaint?item=511623-MZ-0001"
    )
    assert lookup_url(base) == "https://zwfw.qingchuan.example/intake/lookup"


def test_item_page_uses_the_snapshot_intake_url(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["site"]["intake_url"] = "https://zwfw.qingchuan.example"
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    html = (result.out_dir / "items/511623-SC-0001/index.html").read_text(encoding="utf-8")
    assert 'href="https://zwfw.qingchuan.example/intake/complaint?item=511623-SC-0001"' in html
