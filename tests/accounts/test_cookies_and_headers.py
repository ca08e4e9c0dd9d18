"""Cookie flags by deployment, and the security headers of the back office (login page included)."""

from __future__ import annotations

import pytest

from sunshine.site import create_app
from sunshine.site.config import serves_https

from .conftest import post_login


@pytest.mark.parametrize(("flag", "static_url", "expected"), [
    (None, "", False),  # the demo on http://127.0.0.1
    (None, "http://127.0.0.1:5000", False),
    (None, "https://zwfw.qingchuan.gov.cn", True),
    ("1", "", True),
    ("0", "https://zwfw.qingchuan.gov.cn", False),  # an internal back office over plain HTTP
    ("", "https://zwfw.qingchuan.gov.cn", True),
])
def test_secure_cookies_follow_the_deployment(flag, static_url, expected):
    assert serves_https(flag, static_url) is expected


def test_the_environment_sets_the_secure_flag(monkeypatch, tmp_path):
    monkeypatch.setenv("SUNSHINE_STATIC_URL", "https://zwfw.qingchuan.gov.cn")
    monkeypatch.delenv("SUNSHINE_HTTPS", raising=False)
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_session_cookie_is_secure_httponly_and_samesite_in_production(app, demo, passwords):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = post_login(client, "editor-zjj", passwords["editor-zjj"], base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    assert "Expires" not in cookie  # a browser session cookie, never a persistent one


def test_the_login_page_cannot_be_framed_or_cached(client, demo):
    response = client.get("/admin/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/admin/", "/admin/items", "/admin/account/password"])
def test_back_office_pages_are_never_cached(browser, url):
    assert browser("editor-zjj").get(url).headers["Cache-Control"] == "no-store"


def test_no_remember_me_is_offered(client, demo):
    html = client.get("/admin/login").get_data(as_text=True)
    assert "remember" not in html and "记住" not in html
