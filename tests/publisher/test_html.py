"""Structural checks over every HTML page of the built site (html.parser based)."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.publisher.pagecheck import html_files, parse, target_file, url_of

SKIPPED_PREFIXES = ("/intake/", "/pagefind/", "/display.css")  # the Flask intake / Pagefind / by cookie


@pytest.fixture(scope="module")
def pages(site_dir):
    return {url_of(site_dir, f): parse(f.read_text(encoding="utf-8")) for f in html_files(site_dir)}


def test_every_page_kind_was_written(pages):
    expected = {
        "/", "/items/", "/items/511623-ZJ-0001/", "/departments/", "/departments/mzj/",
        "/fees/", "/channels/", "/notices/", "/notices/N2024-001/", "/search/", "/data/",
        "/pages/about/", "/pages/privacy/", "/404.html", "/figures/", "/figures/rectifications/",
        "/figures/complaints/", "/questions/", "/questions/ZX-3HQK-7MNA/",
        "/items/511623-ZJ-0009/", "/items-by/online/", "/items-by/department/zjj/",
        "/fees/xzsyxsf/", "/fees/zfxjj/", "/fees/jyfwxsf/", "/fees/bills/",
    }  # fmt: skip
    assert expected <= set(pages)
    assert len(pages) == 51  # 13 of them filtered item lists, 4 fee lists, 2 withdrawn items, a withdrawn department and notice


def test_every_page_declares_chinese_and_a_charset(pages):
    for url, facts in pages.items():
        assert facts.html_lang == "zh-CN", url
        assert facts.charset, url


def test_every_page_has_exactly_one_h1(pages):
    assert {url: f.h1 for url, f in pages.items() if f.h1 != 1} == {}


def test_every_page_is_well_nested(pages):
    assert {url: f.nesting_errors for url, f in pages.items() if f.nesting_errors} == {}


def test_ids_are_unique_and_labels_point_at_them(pages):
    for url, facts in pages.items():
        duplicates = [i for i, n in Counter(facts.ids).items() if n > 1]
        assert duplicates == [], url
        assert set(facts.labelledby) <= set(facts.ids), url


def test_every_page_has_a_skip_link_to_main(pages):
    for url, facts in pages.items():
        assert "#main" in facts.links, url
        assert facts.main_attrs is not None and facts.main_attrs.get("id") == "main", url


def test_every_internal_link_resolves_to_a_written_file(site_dir, pages):
    broken = []
    for url, facts in pages.items():
        for link in facts.links:
            if not link.startswith("/") or link.startswith("//"):
                continue
            if link.startswith(SKIPPED_PREFIXES):
                continue
            target = target_file(site_dir, link)
            if not target.is_file():
                broken.append((url, link))
                continue
            fragment = urlsplit(link).fragment
            if fragment and target.suffix == ".html":
                if fragment not in pages[url_of(site_dir, target)].ids:
                    broken.append((url, link))
    assert broken == []


def test_no_link_uses_an_unsafe_scheme(pages):
    for url, facts in pages.items():
        for link in facts.links:
            assert not link.lower().startswith(("javascript:", "data:", "vbscript:")), (url, link)


def test_pages_load_nothing_from_other_sites_except_form_downloads(pages):
    for url, facts in pages.items():
        external = [link for link in facts.links if link.startswith(("http:", "https:", "//"))]
        assert external in ([], ["https://zwfw.qingchuan.example/files/sgxk-sqb.docx"]), url
