"""Every intake page wears the public site's own header, navigation and footer (one set of markup in
themes/sunshine/templates/_chrome.html), with links to the published site, and no inline script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import SiteProfile

from .conftest import FILED_AT

SNAPSHOT = Path(__file__).parents[1] / "publisher" / "fixtures" / "snapshot-small.json"
PAGES = ["/intake/complaint", "/intake/lookup", "/intake/question", "/intake/question/lookup", "/intake/case",
         "/intake/case/rate", "/intake/rate?item=ZJJ-XK-001", "/intake/rate?item=NO-SUCH-ITEM"]


def _get(app, path: str) -> str:
    with clock.frozen(FILED_AT):
        return app.test_client().get(path).get_data(as_text=True)


def _part(html: str, tag: str, css_class: str) -> str:
    match = re.search(rf'<{tag} class="{css_class}">.*?</{tag}>', html, re.S)
    assert match, f"no <{tag} class={css_class}>"
    return match.group(0)


def _normal(markup: str) -> str:
    """Markup with the whitespace between tags dropped and aria-current removed (it marks the page)."""
    markup = re.sub(r'\saria-current="[^"]*"', "", markup)
    return re.sub(r">\s+<", "><", markup.strip())


@pytest.mark.parametrize("path", PAGES)
def test_every_intake_page_has_the_sites_header_and_footer(intake, path):
    html = _get(intake, path)
    header, footer = _part(html, "header", "site-header"), _part(html, "footer", "site-footer")
    assert '<a href="/">清川县政务服务中心</a> <span class="site-tag">阳光政务公开</span>' in header
    assert re.findall(r'<li><a href="[^"]+"[^>]*>([^<]+)</a></li>', header) == [
        "首页", "办事指南", "部门窗口", "收费公示", "投诉渠道", "网上咨询", "通知公告", "办件统计", "搜索", "开放数据"]
    assert "<li>地址：清川县城关镇滨河路168号清川县政务服务中心</li>" in footer
    assert '<li>投诉电话：<a href="tel:0827-5220110">0827-5220110</a></li>' in footer
    assert '<link rel="stylesheet" href="/theme/css/site.css">' in html


def test_links_lead_to_the_published_site_when_it_is_elsewhere(intake):
    intake.config["SUNSHINE_STATIC_URL"] = "https://gk.qingchuan.example/"
    html = _get(intake, "/intake/complaint")
    assert '<link rel="stylesheet" href="https://gk.qingchuan.example/theme/css/site.css">' in html
    assert '<a href="https://gk.qingchuan.example/questions/">网上咨询</a>' in html
    assert '<a href="https://gk.qingchuan.example/notices/atom.xml">公告订阅（Atom）</a>' in html


@pytest.mark.parametrize(("path", "current"), [("/intake/complaint", "投诉渠道"), ("/intake/lookup", "投诉渠道"),
                                               ("/intake/question", "网上咨询"), ("/intake/question/lookup", "网上咨询")])
def test_the_navigation_marks_the_section_of_the_form(intake, path, current):
    assert re.findall(r'aria-current="true">([^<]+)<', _get(intake, path)) == [current]


def test_the_header_follows_the_site_profile(intake):
    with intake.app_context():
        db.session.scalars(select(SiteProfile)).one().name = "青川县政务服务中心"
        db.session.commit()
    assert '<a href="/">青川县政务服务中心</a>' in _get(intake, "/intake/question")


def test_an_error_page_of_the_intake_keeps_the_layout(intake):
    with clock.frozen(FILED_AT):
        response = intake.test_client().post("/intake/question", data="x=1", content_type="text/plain")
    html = response.get_data(as_text=True)
    assert response.status_code == 415
    assert '<header class="site-header">' in html and '<footer class="site-footer">' in html


@pytest.mark.parametrize("path", PAGES)
def test_no_intake_page_carries_inline_script_or_style(intake, path):
    html = _get(intake, path)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)


def test_the_header_and_footer_are_the_static_sites_own_markup(intake, tmp_path):
    """The same facts give the same header and footer facts on a built page and on an intake page."""
    from sunshine.publisher.build import build_site

    site = json.loads(SNAPSHOT.read_text("utf-8"))["site"]
    with intake.app_context():
        profile = db.session.scalars(select(SiteProfile)).one()
        for key in ("name", "address", "hours", "phone", "complaint_phone"):
            setattr(profile, key, site[key])
        db.session.commit()
    out = build_site(SNAPSHOT, tmp_path / "out", static_index=False).out_dir
    built = (out / "channels" / "index.html").read_text("utf-8")
    intake_page = _get(intake, "/intake/complaint")
    # The static page names its own address for the display switch's way back (?next=); the
    # intake's switch goes back by the Referer, so that its header stays one rendering per section.
    built_header = _normal(_part(built, "header", "site-header")).replace("?next=/channels/", "")
    assert _normal(_part(intake_page, "header", "site-header")) == built_header
    assert _normal(_part(intake_page, "ul", "footer-facts")) == _normal(_part(built, "ul", "footer-facts"))
