"""A preview served by the back office (under /admin/…) still loads the public site's stylesheets and
scripts and links to the public site: root-relative addresses get the public site's address."""

from __future__ import annotations

import re

import pytest

from sunshine.site.models import ServiceItem
from sunshine.site.preview import preview_headers, preview_html
from sunshine.site.security_headers import CONTENT_SECURITY_POLICY

PUBLIC = "https://zwfw.qingchuan.gov.cn"


@pytest.fixture
def public_address(ctx):
    ctx.config["SUNSHINE_STATIC_URL"] = PUBLIC
    return ctx


def test_stylesheets_and_scripts_come_from_the_public_site(public_address, record):
    html = preview_html(record(ServiceItem, "GA-XK-001"))

    assert f'<link rel="stylesheet" href="{PUBLIC}/theme/css/site.css">' in html
    assert f'<script src="{PUBLIC}/theme/js/print.js" defer></script>' in html
    assert f'<link rel="stylesheet" href="{PUBLIC}/display.css">' in html


def test_no_root_relative_address_is_left(public_address, record):
    html = preview_html(record(ServiceItem, "GA-XK-001"))

    assert re.findall(r'\s(?:href|src|action)="/(?!/)[^"]*"', html) == []
    assert f'<a href="{PUBLIC}/departments/ga/">清川县公安局</a>' in html


def test_links_within_the_page_stay_within_the_preview(public_address, record):
    html = preview_html(record(ServiceItem, "GA-XK-001"))

    assert '<a href="#materials">' in html
    assert '<a class="skip-link" href="#main">' in html


def test_same_origin_site_keeps_root_relative_addresses(ctx, record):
    html = preview_html(record(ServiceItem, "GA-XK-001"))

    assert '<link rel="stylesheet" href="/theme/css/site.css">' in html


def test_headers_allow_the_public_sites_assets_and_forbid_indexing(public_address):
    headers = preview_headers()

    policy = dict(d.split(" ", 1) for d in headers["Content-Security-Policy"].split("; "))
    assert policy["style-src"] == f"'self' {PUBLIC}"
    assert policy["script-src"] == f"'self' 'wasm-unsafe-eval' {PUBLIC}"
    assert policy["img-src"] == f"'self' data: {PUBLIC}"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert headers["X-Robots-Tag"] == "noindex"
    assert headers["Cache-Control"] == "no-store"


def test_same_origin_site_keeps_the_apps_policy(ctx):
    headers = preview_headers()

    assert "Content-Security-Policy" not in headers
    assert headers["X-Robots-Tag"] == "noindex"
    assert "style-src 'self';" in CONTENT_SECURITY_POLICY
