"""sitemap.xml, robots.txt, canonical links and the 404 page."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.sitemap import SitemapEntry, intake_shares_host, robots_txt, sitemap_xml
from tests.publisher.conftest import SMALL_SNAPSHOT
from tests.publisher.pagecheck import html_files, parse, url_of

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://gk.qingchuan.example"


def _sitemap(site: Path) -> dict[str, str | None]:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    """The small snapshot with its public address known, as a deployment exports it."""
    data = copy.deepcopy(json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8")))
    data["site"]["site_url"] = BASE
    folder = tmp_path_factory.mktemp("public-site")
    snapshot = folder / "snapshot.json"
    snapshot.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return build_site(snapshot, folder / "out", static_index=False).out_dir


def test_the_sitemap_lists_every_html_page_but_the_404(public_site):
    pages = {url_of(public_site, f) for f in html_files(public_site)} - {"/404.html"}
    assert set(_sitemap(public_site)) == {BASE + url for url in pages}
    assert len(pages) == 50


def test_sitemap_addresses_are_sorted_and_absolute(public_site):
    locs = list(_sitemap(public_site))
    assert locs == sorted(locs)
    assert locs[:3] == [f"{BASE}/", f"{BASE}/channels/", f"{BASE}/data/"]


def test_lastmod_is_the_records_own_date(public_site):
    sitemap = _sitemap(public_site)
    assert sitemap[f"{BASE}/items/511623-ZJ-0001/"] == "2024-07-01T10:00:00+08:00"  # published
    assert sitemap[f"{BASE}/notices/N2024-003/"] == "2024-07-05T10:30:00+08:00"
    assert sitemap[f"{BASE}/questions/ZX-3HQK-7MNA/"] == "2024-06-18"  # answered on
    assert sitemap[f"{BASE}/items/511623-ZJ-0009/"] == "2024-06-28T16:20:00+08:00"  # withdrawn


def test_lists_and_pages_without_one_date_have_no_lastmod(public_site):
    sitemap = _sitemap(public_site)
    for url in ("/", "/items/", "/departments/zjj/", "/items-by/online/", "/pages/about/"):
        assert sitemap[BASE + url] is None, url


def test_robots_allows_all_but_the_intake_and_back_office_and_names_the_sitemap(public_site):
    assert (public_site / "robots.txt").read_text(encoding="utf-8") == (
        "# 阳光政务公开网站：公开页面欢迎收录；网上投诉、咨询等表单和后台不收录。\n"
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /intake/\n"
        "Disallow: /admin/\n"
        "Disallow: /api/\n"
        "\n"
        "Sitemap: https://gk.qingchuan.example/sitemap.xml\n"
    )


def test_every_page_names_its_canonical_address(public_site):
    for path in html_files(public_site):
        url = url_of(public_site, path)
        html = path.read_text(encoding="utf-8")
        if url == "/404.html":
            assert 'rel="canonical"' not in html  # served at every missing address
        else:
            assert html.count('rel="canonical"') == 1, url
            assert f'<link rel="canonical" href="{BASE}{url}">' in html, url


def test_without_a_known_address_canonical_links_are_root_relative(page):
    assert '<link rel="canonical" href="/items/511623-ZJ-0001/">' in page("/items/511623-ZJ-0001/")
    assert '<link rel="canonical" href="/pages/about/">' in page("/pages/about/")


def test_without_a_known_address_robots_names_no_sitemap(site_dir):
    robots = (site_dir / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap:" not in robots
    assert "Disallow: /intake/\n" in robots


def test_the_sitemap_is_the_same_on_every_build(snapshot_file, site_dir, tmp_path):
    again = build_site(snapshot_file, tmp_path / "again", static_index=False).out_dir
    assert (again / "sitemap.xml").read_bytes() == (site_dir / "sitemap.xml").read_bytes()


def test_sitemap_escapes_and_percent_encodes_addresses():
    xml = sitemap_xml([SitemapEntry("/pages/办事须知/"), SitemapEntry("/a&b/", "2024-07-01")], BASE)
    assert xml.decode("utf-8").splitlines()[2:4] == [
        "  <url><loc>https://gk.qingchuan.example/a&amp;b/</loc><lastmod>2024-07-01</lastmod></url>",
        "  <url><loc>https://gk.qingchuan.example/pages/%E5%8A%9E%E4%BA%8B%E9%A1%BB%E7%9F%A5/</loc></url>",
    ]


@pytest.mark.parametrize(
    ("intake_url", "shared"),
    [
        ("", True),
        ("https://gk.qingchuan.example", True),
        ("HTTPS://GK.qingchuan.example", True),
        ("https://zwfw.qingchuan.example", False),
        ("http://gk.qingchuan.example", False),
    ],
)
def test_the_intake_is_kept_out_only_when_it_shares_the_host(intake_url, shared):
    assert intake_shares_host(intake_url, BASE) is shared
    assert ("Disallow: /intake/" in robots_txt(BASE, intake_url).decode("utf-8")) is shared


def test_the_404_page_offers_search_sections_and_the_hotline(page):
    html = page("/404.html")
    assert '<form action="/search/" method="get" role="search">' in html
    assert '<input id="nf-q" name="q" type="search" autocomplete="off">' in html
    assert '<a href="/items/">办事指南</a>：全部 5 个事项' in html
    assert '<a href="/departments/">部门窗口</a>' in html
    text = parse(html).text
    assert "咨询电话 0838-6210000，投诉电话 0838-6212345" in text
    assert '<a href="tel:0838-6210000">' in html
