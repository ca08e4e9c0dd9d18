"""The publisher's side of the preview: a record's page from a snapshot given as data, by the build's
own path, and the marks that make it a preview. No database: the publisher's small test snapshot."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import orjson
import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.preview import (
    BANNER,
    PreviewError,
    mark_preview,
    render_page,
    render_preview,
)
from sunshine.publisher.service import handle

SMALL_SNAPSHOT = Path(__file__).parent.parent / "publisher" / "fixtures" / "snapshot-small.json"


@pytest.fixture(scope="module")
def built_small(tmp_path_factory) -> Path:
    return build_site(SMALL_SNAPSHOT, tmp_path_factory.mktemp("small") / "out", static_index=False).out_dir


@pytest.fixture
def small() -> dict:
    return copy.deepcopy(json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("collection", "code", "page"), [
    ("items", "511623-ZJ-0001", "items/511623-ZJ-0001/index.html"),
    ("departments", "zjj", "departments/zjj/index.html"),
    ("notices", "N2024-001", "notices/N2024-001/index.html"),
    ("channels", "hotline", "channels/index.html"),
])
def test_page_is_byte_for_byte_the_built_page(built_small, small, collection, code, page):
    assert render_page(small, collection, code) == (built_small / page).read_text(encoding="utf-8")


def test_unknown_record_is_refused(small):
    with pytest.raises(PreviewError, match="^无法预览：预览数据中没有编码为 ZJ-404 的内容。$"):
        render_preview(small, "items", "ZJ-404")


def test_snapshot_breaking_the_contract_is_refused_with_the_reason(small):
    small["items"][0]["case_type"] = "sometimes"

    with pytest.raises(PreviewError, match=r"^无法预览：快照格式错误：items\[0\]\.case_type：取值 'sometimes' 不在允许范围内"):
        render_preview(small, "items", small["items"][0]["code"])


def test_record_broken_after_a_good_preview_is_still_refused(small):
    render_preview(small, "items", small["items"][0]["code"])  # its records are now known valid
    small["items"][0]["visits_required"] = -1

    with pytest.raises(PreviewError, match=r"^无法预览：快照格式错误：items\[0\]\.visits_required：不能小于 0"):
        render_preview(small, "items", small["items"][0]["code"])


def test_collection_without_pages_is_refused(small):
    with pytest.raises(PreviewError, match="^无法预览：questions 没有公开页面。$"):
        render_preview(small, "questions", "ZX-0001")


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<link rel="stylesheet" href="/theme/css/site.css">
</head>
<body>
<a href="#main">跳到主要内容</a> <a href="//cdn.example/x">x</a> <a href="https://gov.cn/">国务院</a>
<p>示例：href=&#34;/items/&#34;</p><form action="/intake/complaint" method="get"></form>
</body>
</html>
"""


def test_marks_go_into_head_and_top_of_body():
    marked = mark_preview(PAGE)

    assert marked == PAGE.replace("</head>", '<meta name="robots" content="noindex">\n</head>').replace(
        "<body>\n", "<body>\n" + BANNER)


def test_public_address_goes_before_root_relative_addresses_only():
    marked = mark_preview(PAGE, "https://zwfw.qingchuan.gov.cn/")

    assert '<link rel="stylesheet" href="https://zwfw.qingchuan.gov.cn/theme/css/site.css">' in marked
    assert 'action="https://zwfw.qingchuan.gov.cn/intake/complaint"' in marked
    assert '<a href="#main">' in marked
    assert '<a href="//cdn.example/x">' in marked
    assert '<a href="https://gov.cn/">' in marked
    assert "<p>示例：href=&#34;/items/&#34;</p>" in marked


def test_page_without_body_is_refused():
    with pytest.raises(PreviewError, match="^无法预览：页面模板缺少 <head> 或 <body>。$"):
        mark_preview("<p>只有片段</p>")


def _request(**fields) -> bytes:
    """A service request line; ``env`` as this process has it (the service takes the caller's over)."""
    env = {name: value for name, value in os.environ.items() if name.startswith("SUNSHINE_")}
    return orjson.dumps({"op": "preview", "env": env, **fields})


def test_service_answers_a_preview_request(small):
    answer = handle(_request(snapshot=small, collection="departments", code="zjj"))

    assert answer["ok"] is True
    assert "<h1>清川县住房和城乡建设局</h1>" in answer["html"]
    assert BANNER in answer["html"]


def test_service_answers_a_refused_preview_in_the_users_words(small):
    answer = handle(_request(snapshot=small, collection="items", code="ZJ-404"))

    assert answer == {"ok": False, "error": "无法预览：预览数据中没有编码为 ZJ-404 的内容。"}
