"""A city's item lists: the items page leads to the lists instead of listing thousands of rows, and
each filtered list comes in pages of 100, so that a phone gets a page it can load and an edit
re-renders only the page that lists the item."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sunshine.publisher.deploy import publish
from tests.publisher.conftest import with_copies

#: Items added to the small snapshot's 住建局 (zjj): more than the items page lists one by one.
ADDED = 520


def city_sized() -> dict:
    return with_copies("511623-ZJ-0001", range(1001, 1001 + ADDED), lambda n: f"建设工程规划核实第{n}号")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("city")
    (work / "city.json").write_text(json.dumps(city_sized(), ensure_ascii=False), encoding="utf-8")
    publish(work / "city.json", work / "web", static_index=False, durable=False)
    return work / "web"


def page(web: Path, url: str) -> str:
    return (web / "current" / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def test_the_items_page_leads_to_the_lists_instead_of_listing_every_item(web):
    items = page(web, "/items/")
    assert 'class="item-row"' not in items and "建设工程规划核实第1001号" not in items
    assert '<a href="/items-by/department/zjj/">清川县住房和城乡建设局</a>' in items
    assert "共 525 个事项" in items
    assert 'href="/items-by/online/"' in items  # the conditions, as static lists


def test_a_long_list_comes_in_pages_of_a_hundred(web):
    first, second, last = (page(web, f"/items-by/department/zjj/{n}") for n in ("", "2/", "6/"))
    assert first.count('<tr>\n      <th scope="row">') == 100
    assert "本页列出第 101–200 个（第 2 页，共 6 页）" in second
    assert "本页列出第 501–522 个（第 6 页，共 6 页）" in last
    assert '<a href="/items-by/department/zjj/2/" aria-current="page">2</a>' in second
    assert '<a href="/items-by/department/zjj/" rel="prev">上一页</a>' in second
    assert "<title>清川县住房和城乡建设局的办事事项（第 2 页） - " in second
    assert not (web / "current" / "items-by/department/zjj/7/index.html").exists()


def test_every_page_of_a_list_is_in_the_sitemap(web):
    sitemap = (web / "current" / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"/items-by/department/zjj/{n}/</loc>" in sitemap for n in range(2, 7))


def test_an_edit_re_renders_only_the_page_of_the_list_that_shows_the_item(web, tmp_path):
    before = (web / "current").resolve()
    data = city_sized()
    next(i for i in data["items"] if i["code"] == "511623-ZJ-1150")["name"] = "建设工程规划条件核实（改名）"
    (tmp_path / "edited.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    after = publish(tmp_path / "edited.json", web, static_index=False, durable=False).live

    def same(url: str) -> bool:
        name = url.lstrip("/") + "index.html"
        return os.stat(before / name).st_ino == os.stat(after / name).st_ino

    assert not same("/items-by/department/zjj/2/")  # items 101–200 of zjj: 511623-ZJ-1150 is 152nd
    assert same("/items-by/department/zjj/") and same("/items-by/department/zjj/3/")
    assert "建设工程规划条件核实（改名）" in page(web, "/items-by/department/zjj/2/")


@pytest.mark.browser
def test_the_city_sized_list_pages_pass_the_nu_checker(web):
    from tests.e2e.page_checkers import vnu_errors

    live = web / "current"
    assert vnu_errors([live / "items/index.html", live / "items-by/department/zjj/2/index.html"]) == []


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/items/", "/items-by/department/zjj/2/"])
def test_the_city_sized_list_pages_pass_axe_on_a_phone(web, url):
    from tests.publisher.static_browser import axe_on_a_phone

    violations, fits = axe_on_a_phone(web / "current", url)
    assert violations == []
    assert fits
