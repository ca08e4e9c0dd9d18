"""A city's fee catalog: the overview counts and links, each category's fees and the combined bills' fees
come in pages of FEES_PER_PAGE, so that a phone gets a page it can load and a fee's edit re-renders only
the page that lists it (and the overview only when a count changed)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.catalog import FEES_PER_PAGE
from sunshine.publisher.deploy import publish
from tests.publisher.conftest import with_copies

MODEL = "511623-ZJ-0001"  # 建筑工程施工许可证核发: 3 行政事业性收费, 4 政府性基金, 1 经营服务性收费; 7 on one bill
CATEGORY_OF = {"xzsyxsf": "行政事业性收费", "zfxjj": "政府性基金", "jyfwxsf": "经营服务性收费"}


def with_fee_items(count: int) -> dict:
    """The small snapshot with ``count`` items charging the model's eight fees (the model and copies of it)."""
    return with_copies(MODEL, range(1001, 1000 + count), lambda n: f"建筑工程施工许可证核发（第{n}号）")


def write(data: dict, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web root published from 51 items with fees: 153, 204 and 51 fees, 357 on the bill."""
    work = tmp_path_factory.mktemp("fees")
    publish(write(with_fee_items(51), work / "fees.json"), work / "web", static_index=False, durable=False)
    return work / "web"


@pytest.fixture(scope="module")
def exact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of 50 items with fees: exactly a page's worth of 经营服务性收费."""
    work = tmp_path_factory.mktemp("exact")
    return build_site(write(with_fee_items(50), work / "fees.json"), work / "out", static_index=False).out_dir


def page(root: Path, url: str) -> str:
    return (root / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def fee_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)', html)


def test_fees_come_fifty_to_a_page():
    assert FEES_PER_PAGE == 50


def test_exactly_a_pages_worth_is_one_page_without_page_links(exact):
    html = page(exact, "/fees/jyfwxsf/")
    assert fee_names(html) == ["施工图审查服务费"] * 50
    assert "经营服务性收费共 50 项" in html and 'class="pager"' not in html and "本页列出" not in html
    assert not (exact / "fees/jyfwxsf/2").exists()


def test_one_more_fee_starts_a_second_page(web):
    live = web / "current"
    first, second = page(live, "/fees/jyfwxsf/"), page(live, "/fees/jyfwxsf/2/")
    assert len(fee_names(first)) == 50
    assert "本页列出第 1–50 项（第 1 页，共 2 页）" in first
    assert fee_names(second) == ["施工图审查服务费"]
    assert '<a href="/items/511623-ZJ-1050/">建筑工程施工许可证核发（第1050号）</a>' in second
    assert "本页列出第 51–51 项（第 2 页，共 2 页）" in second
    assert '<a href="/fees/jyfwxsf/2/" aria-current="page">2</a>' in second
    assert '<a href="/fees/jyfwxsf/" rel="prev">上一页</a>' in second
    assert "<title>经营服务性收费（第 2 页） - " in second
    assert not (live / "fees/jyfwxsf/3").exists()


def test_the_overview_counts_fees_and_items_and_lists_none_of_them(web):
    html = page(web / "current", "/fees/")
    assert "中心各窗口依法收取的费用共 408 项" in html
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>', html)
    assert rows == [("/fees/xzsyxsf/", "行政事业性收费", "153 项", "51 个"),
                    ("/fees/zfxjj/", "政府性基金", "204 项", "51 个"),
                    ("/fees/jyfwxsf/", "经营服务性收费", "51 项", "51 个")]
    assert "（357 项收费，51 个事项）" in html
    assert "按建筑面积每平方米80元" not in html and "511623-ZJ-1001" not in html


def test_no_page_lists_fees_of_a_category_not_its_own(web):
    model = next(i for i in with_fee_items(1)["items"] if i["code"] == MODEL)
    category_of_fee = {fee["name"]: fee["category"] for fee in model["fees"]}
    live = web / "current"
    for slug, category in CATEGORY_OF.items():
        files = [live / "fees" / slug / "index.html", *sorted((live / "fees" / slug).glob("*/index.html"))]
        names = [name for f in files for name in fee_names(f.read_text(encoding="utf-8"))]
        assert {category_of_fee[name] for name in names} == {category}
        assert len(names) == sum(1 for c in category_of_fee.values() if c == category) * 51


def test_a_long_bill_goes_on_over_pages_under_its_heading(web):
    live = web / "current"
    first, last = page(live, "/fees/bills/"), page(live, "/fees/bills/8/")
    assert '<h2 id="bill-1">建设项目一单收费（357 项）</h2>' in first
    assert '<h2 id="bill-1">建设项目一单收费（357 项，续前页）</h2>' in last
    assert len(fee_names(last)) == 7 and "施工图审查服务费" not in last
    assert "本页列出第 351–357 项（第 8 页，共 8 页）" in last


def test_every_page_of_the_fee_lists_is_in_the_sitemap(web):
    sitemap = (web / "current" / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("/fees/", "/fees/xzsyxsf/4/", "/fees/zfxjj/5/", "/fees/jyfwxsf/2/", "/fees/bills/8/"):
        assert f"{url}</loc>" in sitemap
    assert "/fees/zfxjj/6/" not in sitemap


# -- incremental publishing ------------------------------------------------------------------


def rendered_pages(before: Path, after: Path, under: str = "") -> list[str]:
    """The pages of ``after`` (under the folder ``under``) not hard-linked from ``before``."""
    return sorted(
        p.relative_to(after).as_posix() for p in (after / under).rglob("index.html")
        if not (before / p.relative_to(after)).exists()
        or os.stat(p).st_ino != os.stat(before / p.relative_to(after)).st_ino
    )


def rendered_fee_pages(before: Path, after: Path) -> list[str]:
    return rendered_pages(before, after, "fees")


def assert_same_as_full_build(live: Path, data: dict, work: Path) -> None:
    full = build_site(write(data, work / "full.json"), work / "full", static_index=False).out_dir
    one = {p.relative_to(live).as_posix(): p.read_bytes() for p in live.rglob("*") if p.is_file()}
    two = {p.relative_to(full).as_posix(): p.read_bytes() for p in full.rglob("*") if p.is_file()}
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def fee_of(data: dict, code: str, name: str) -> dict:
    item = next(i for i in data["items"] if i["code"] == code)
    return next(f for f in item["fees"] if f["name"] == name)


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, dict]:
    """A web root of its own (each edit publishes again), with the snapshot it was published from."""
    data = with_fee_items(51)
    publish(write(data, tmp_path / "first.json"), tmp_path / "web", static_index=False, durable=False)
    return tmp_path / "web", data


def test_a_changed_amount_re_renders_only_the_page_that_lists_the_fee(published, tmp_path):
    web, data = published
    before = (web / "current").resolve()
    fee_of(data, "511623-ZJ-1050", "施工图审查服务费")["standard"] = "按建筑面积每平方米1.0元"
    result = publish(write(data, tmp_path / "edited.json"), web, static_index=False, durable=False)
    assert rendered_fee_pages(before, result.live) == ["fees/jyfwxsf/2/index.html"]  # the 51st of 51
    assert "<td>按建筑面积每平方米1.0元</td>" in page(result.live, "/fees/jyfwxsf/2/")
    # Besides: the item's page, its department's, the four item lists handed its record, the open-data
    # page (file sizes); Pelican's two hand-written pages are always written again.
    assert rendered_pages(before, result.live) == [
        "data/index.html", "departments/zjj/index.html", "fees/jyfwxsf/2/index.html",
        "items-by/case-type/promised/index.html", "items-by/department/zjj/index.html",
        "items-by/online/index.html", "items-by/type/xzxk/index.html", "items/511623-ZJ-1050/index.html",
        "pages/about/index.html", "pages/privacy/index.html"]
    assert (result.build.rendered, result.build.reused) == (8, 106)
    assert_same_as_full_build(result.live, data, tmp_path)


def test_a_fee_on_the_bill_re_renders_its_category_page_and_its_bill_page(published, tmp_path):
    web, data = published
    before = (web / "current").resolve()
    # 511623-ZJ-1020 is the 21st item with fees: its first 政府性基金 is the 81st (page 2 of
    # 政府性基金), its first fee on the bill the 141st (page 3 of the bill).
    fee_of(data, "511623-ZJ-1020", "城市基础设施配套费")["standard"] = "按建筑面积每平方米90元"
    result = publish(write(data, tmp_path / "edited.json"), web, static_index=False, durable=False)
    assert rendered_fee_pages(before, result.live) == ["fees/bills/3/index.html", "fees/zfxjj/2/index.html"]
    assert "<td>按建筑面积每平方米90元</td>" in page(result.live, "/fees/bills/3/")
    assert_same_as_full_build(result.live, data, tmp_path)


def test_a_new_fee_re_renders_the_overview_and_its_category_but_no_other(published, tmp_path):
    web, data = published
    before = (web / "current").resolve()
    item = next(i for i in data["items"] if i["code"] == "511623-ZJ-1050")
    item["fees"].append(dict(fee_of(data, "511623-ZJ-1050", "施工图审查服务费"), name="竣工测绘服务费",
                             standard="按建筑面积每平方米0.6元"))
    result = publish(write(data, tmp_path / "edited.json"), web, static_index=False, durable=False)
    # Its count changed: the overview, and both pages of the category (each says "共 52 项").
    assert rendered_fee_pages(before, result.live) == [
        "fees/index.html", "fees/jyfwxsf/2/index.html", "fees/jyfwxsf/index.html"]
    assert "经营服务性收费</a></th>\n        <td>52 项</td>" in page(result.live, "/fees/")
    assert fee_names(page(result.live, "/fees/jyfwxsf/2/")) == ["施工图审查服务费", "竣工测绘服务费"]
    assert_same_as_full_build(result.live, data, tmp_path)


@pytest.mark.browser
def test_the_paged_fee_pages_pass_the_nu_checker(web):
    from tests.e2e.page_checkers import vnu_errors

    live = web / "current"
    files = [live / "fees/index.html", live / "fees/zfxjj/2/index.html", live / "fees/bills/8/index.html"]
    assert vnu_errors(files) == []


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/fees/", "/fees/zfxjj/2/", "/fees/bills/8/"])
def test_the_paged_fee_pages_pass_axe_on_a_phone(web, url):
    from tests.publisher.static_browser import axe_on_a_phone

    violations, fits = axe_on_a_phone(web / "current", url)
    assert violations == []
    assert fits
