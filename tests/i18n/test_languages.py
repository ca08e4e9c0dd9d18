"""The back office in Chinese first, English on request, and a catalog that keeps up with the code."""

from __future__ import annotations

from sunshine.site import i18n_catalog


def test_every_marked_message_has_its_english():
    assert i18n_catalog.missing() == []


def test_the_compiled_catalog_is_the_one_built_from_the_po_file():
    po = i18n_catalog.CATALOG / "messages.po"
    assert (i18n_catalog.CATALOG / "messages.mo").read_bytes() == i18n_catalog.compiled(po)


def test_chinese_is_the_default_whatever_the_browser_says(login_as):
    html = login_as("editor-zjj").get("/admin/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert ">服务事项</a>" in html and ">退出</button>" in html


def test_the_switch_turns_the_back_office_english_and_back(login_as):
    client = login_as("editor-zjj")
    response = client.post("/admin/language", data={"lang": "en", "next": "/admin/items"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/items"
    html = client.get("/admin/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert ">Service items</a>" in html and ">Log out</button>" in html and "Department editor" in html
    client.post("/admin/language", data={"lang": "zh"})
    assert ">服务事项</a>" in client.get("/admin/").get_data(as_text=True)


def test_the_login_page_offers_the_switch_before_login(client):
    html = client.get("/admin/login").get_data(as_text=True)
    assert 'value="en"' in html and ">English</button>" in html
    assert client.post("/admin/language", data={"lang": "en"}).status_code == 302


def test_an_unknown_language_or_an_outside_address_changes_nothing(client):
    response = client.post("/admin/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/admin/"
    assert "sunshine_lang" not in response.headers.get("Set-Cookie", "")
