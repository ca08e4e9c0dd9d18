"""The one link rule: http(s) URLs with a host and same-site paths survive, nothing that a
browser or a server could read as another site does."""

from __future__ import annotations

import pytest

from sunshine.contract.links import CONTACT_SCHEMES, is_safe_link, safe_link

GOOD = [
    ("https://zwfw.example.gov.cn/x?a=1", "https://zwfw.example.gov.cn/x?a=1"),
    ("http://www.example.gov.cn/", "http://www.example.gov.cn/"),
    ("HTTPS://ZWFW.Example.gov.cn/banshi", "HTTPS://ZWFW.Example.gov.cn/banshi"),
    ("https://zwfw.example.gov.cn:8443/form.docx", "https://zwfw.example.gov.cn:8443/form.docx"),
    ("https://xn--fiqs8s.xn--fiqs8s/", "https://xn--fiqs8s.xn--fiqs8s/"),
    ("/items/", "/items/"),
    ("/data/x.csv", "/data/x.csv"),
    ("/data/%E7%94%B3%E8%AF%B7%E8%A1%A8.docx", "/data/%E7%94%B3%E8%AF%B7%E8%A1%A8.docx"),
    ("/forms/建设工程规划许可申请表.docx", "/forms/建设工程规划许可申请表.docx"),
    ("/search/?q=%E5%85%AC%E7%A7%AF%E9%87%91", "/search/?q=%E5%85%AC%E7%A7%AF%E9%87%91"),
    ("/items/511623-ZJ-0001/#materials", "/items/511623-ZJ-0001/#materials"),
    ("  https://zwfw.example.gov.cn/x  ", "https://zwfw.example.gov.cn/x"),
    (" /items/ ", "/items/"),
]

HOSTILE = [
    "/\\host/x",
    "/\\evil.example/x",
    "\\\\host",
    "\\\\evil.example\\share",
    "//host",
    "//evil.example/x",
    "///evil.example",
    "/%5Chost",
    "/%5chost",
    "/%2F/host",
    "/%2f%2fhost",
    "/%252F/host",
    "/%09/host",
    "/\t/host",
    "/\n/host",
    "/\r/host",
    "/items/\x00",
    "/items/\x7f",
    "/items/%00",
    "/\u200b/evil.example",
    "/\u202egnp.exe",
    "/\uff0fevil.example",
    "/\uff3cevil.example",
    "/items/\u3000",
    "/%E3%80%80/x",
    "/%FF/x",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " javascript:alert(1)",
    "javascript%3Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "http:/\\host",
    "http:\\\\host",
    "https:host",
    "https:/host",
    "https:///host",
    "http://",
    "https://",
    "https://:443/",
    "https://zwfw.example.gov.cn@evil.example/",
    "https://user:pass@zwfw.example.gov.cn/",
    "https://zwfw.example.gov.cn:99999/",
    "https://zwfw.example.gov.cn:port/",
    "https://evil\uff0eexample/",
    "https://政务.example/",
    "https://[::1]/",
    "https://zwfw.example.gov.cn/a b",
    "https://zwfw.example.gov.cn/\tx",
    "ftp://files.example.gov.cn/form.doc",
    "items/x",
    "x.csv",
    "#top",
    "?a=1",
    "",
    "   ",
    "\t/items/",
    "/items/\t",
    "mailto:zwfw@example.gov.cn",
    "tel:0817-2223344",
]


@pytest.mark.parametrize(("value", "kept"), GOOD)
def test_good_links_survive_trimmed(value, kept):
    assert safe_link(value) == kept


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_links_are_refused(value):
    assert safe_link(value) is None


def test_none_is_refused():
    assert safe_link(None) is None


@pytest.mark.parametrize(
    "value",
    ["mailto:zwfw@example.gov.cn", "mailto:zwfw@example.gov.cn?subject=%E5%92%A8%E8%AF%A2", "tel:0817-2223344",
     "tel:+86-817-2223344", "tel:12345"],
)  # fmt: skip
def test_contact_links_survive_where_allowed(value):
    assert safe_link(value, extra_schemes=CONTACT_SCHEMES) == value


@pytest.mark.parametrize(
    "value",
    ["mailto:", "mailto:zwfw", "mailto:a@b@example.gov.cn", "mailto:zwfw@example.gov.cn\\evil",
     "mailto:%0Azwfw@example.gov.cn", "tel:", "tel:0817 2223344", "tel:javascript:alert(1)",
     "tel://evil.example", "javascript:alert(1)", "//evil.example"],
)  # fmt: skip
def test_broken_contact_links_are_refused_even_where_allowed(value):
    assert safe_link(value, extra_schemes=CONTACT_SCHEMES) is None


def test_only_the_allowed_contact_scheme_survives():
    assert safe_link("tel:12345", extra_schemes=frozenset({"mailto"})) is None


def test_is_safe_link_agrees_with_safe_link():
    assert is_safe_link("/items/") is True
    assert is_safe_link("/\\evil.example/x") is False
