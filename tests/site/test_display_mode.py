"""The display mode (标准 / 大字 长者模式): the intake's switch sets a cookie and sends the visitor
back to a same-site page only; /display.css answers by that cookie; every page links both."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sunshine.site.config import PROJECT_ROOT
from sunshine.site.display_mode import return_path, stylesheet_for
from tests.serving import wait_until_answering

THEME_CSS = PROJECT_ROOT / "themes" / "sunshine" / "static" / "css"
ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def live_theme(app):
    """A live build (web_root/current → builds/b1) holding the theme's stylesheets, as published."""
    web_root = Path(app.config["SUNSHINE_WEB_ROOT"])
    build = web_root / "builds" / "b1"
    shutil.copytree(THEME_CSS, build / "theme" / "css")
    (web_root / "current").symlink_to(build)
    return build


def _set_cookie(response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    return cookies[0]


def test_choosing_elder_sets_a_years_cookie_and_goes_back_to_the_page(client):
    response = client.get("/intake/display/elder?next=/items/511623-ZJ-0001/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/items/511623-ZJ-0001/"
    cookie = _set_cookie(response)
    assert cookie.startswith("sunshine_display=elder; ")
    assert f"Max-Age={ONE_YEAR}" in cookie and "Path=/" in cookie
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie


def test_the_switch_response_is_never_cached(client):
    response = client.get("/intake/display/elder?next=/fees/")
    assert response.headers["Cache-Control"] == "no-store"


def test_over_https_the_cookie_is_secure(client):
    response = client.get("/intake/display/elder?next=/fees/", base_url="https://zwfw.qingchuan.example")
    assert "Secure" in _set_cookie(response)


def test_choosing_standard_forgets_the_cookie(client):
    client.get("/intake/display/elder?next=/")
    response = client.get("/intake/display/standard?next=/fees/")
    assert (response.status_code, response.headers["Location"]) == (303, "/fees/")
    cookie = _set_cookie(response)
    assert cookie.startswith("sunshine_display=; ") and "Max-Age=0" in cookie and "Path=/" in cookie
    assert client.get_cookie("sunshine_display") is None


def test_the_next_page_keeps_its_query(client):
    response = client.get("/intake/display/elder",
                          query_string={"next": "/intake/complaint?item=511623-ZJ-0001"})
    assert response.headers["Location"] == "/intake/complaint?item=511623-ZJ-0001"


@pytest.mark.parametrize("unsafe", [
    "//evil.example/phish",
    "/\\evil.example",
    "https://evil.example/",
    "http://127.0.0.1:8000/items/",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "items/",
    "/\tevil.example",
    "／／evil.example",
])
def test_a_next_that_could_leave_the_site_goes_home_instead(client, unsafe):
    response = client.get("/intake/display/elder", query_string={"next": unsafe})
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    assert _set_cookie(response).startswith("sunshine_display=elder; ")


def test_without_next_the_switch_goes_back_to_the_referring_page_of_this_site(client):
    response = client.get("/intake/display/elder",
                          headers={"Referer": "http://localhost/intake/lookup?no=TS-7K3M-Q9PX"})
    assert response.headers["Location"] == "/intake/lookup?no=TS-7K3M-Q9PX"


def test_a_referer_from_another_site_is_not_followed(client):
    response = client.get("/intake/display/elder", headers={"Referer": "https://evil.example/items/"})
    assert response.headers["Location"] == "/"


def test_without_next_or_referer_the_switch_goes_home(client):
    assert client.get("/intake/display/standard").headers["Location"] == "/"


def test_the_switch_never_sends_back_to_itself(client):
    response = client.get("/intake/display/elder?next=/intake/display/standard")
    assert response.headers["Location"] == "/"


def test_only_get_switches(client):
    assert client.post("/intake/display/elder?next=/").status_code == 405


def test_an_unknown_mode_is_not_found(client, live_theme):
    assert client.get("/intake/display/huge?next=/").status_code == 404


def test_display_css_without_the_cookie_is_the_empty_standard_sheet(client, live_theme):
    response = client.get("/display.css")
    assert response.status_code == 200
    assert response.data == (THEME_CSS / "display-standard.css").read_bytes()
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Vary"] == "Cookie"


def test_display_css_after_choosing_elder_is_the_elder_sheet(client, live_theme):
    client.get("/intake/display/elder?next=/")
    response = client.get("/display.css")
    assert response.data == (THEME_CSS / "elder.css").read_bytes()
    assert (response.headers["Cache-Control"], response.headers["Vary"]) == ("no-cache", "Cookie")


def test_display_css_after_switching_back_is_standard_again(client, live_theme):
    client.get("/intake/display/elder?next=/")
    client.get("/intake/display/standard?next=/")
    assert client.get("/display.css").data == (THEME_CSS / "display-standard.css").read_bytes()


def test_display_css_ignores_an_unknown_cookie_value(client, live_theme):
    client.set_cookie("sunshine_display", "../../secret_key")
    assert client.get("/display.css").data == (THEME_CSS / "display-standard.css").read_bytes()


def test_the_two_modes_have_different_etags(client, live_theme):
    """A browser revalidating its standard copy after choosing 大字 must not get a 304."""
    standard = client.get("/display.css")
    client.set_cookie("sunshine_display", "elder")
    again = client.get("/display.css", headers={"If-None-Match": standard.headers["ETag"]})
    assert again.status_code == 200 and again.data == (THEME_CSS / "elder.css").read_bytes()


def test_display_css_before_the_first_publish_is_an_empty_stylesheet(client):
    response = client.get("/display.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert response.data == b"/* standard display */\n"


def test_the_stylesheet_rule_names_one_of_two_theme_files():
    assert stylesheet_for("elder") == "/theme/css/elder.css"
    assert stylesheet_for(None) == "/theme/css/display-standard.css"
    assert stylesheet_for("ELDER") == "/theme/css/display-standard.css"


def test_return_path_prefers_next_over_the_referer():
    assert return_path("/fees/", "http://zwfw.example/items/", "zwfw.example") == "/fees/"
    assert return_path("//evil.example", "http://zwfw.example/items/", "zwfw.example") == "/"


def test_the_elder_sheet_sets_a_base_of_at_least_20px_and_line_height_1_8():
    text = (THEME_CSS / "elder.css").read_text(encoding="utf-8")
    root = re.search(r":root \{(.*?)\}", text, re.S).group(1)
    percent = float(re.search(r"font-size: ([\d.]+)%", root).group(1))
    assert 16 * percent / 100 >= 20
    body = re.search(r"\n  body \{([^}]*)\}", text).group(1)
    assert float(re.search(r"line-height: ([\d.]+)", body).group(1)) >= 1.8


def test_an_intake_page_links_display_css_last_and_offers_both_modes(client):
    html = client.get("/intake/question").get_data(as_text=True)
    head = html[: html.index("</head>")]
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', head)
    assert stylesheets[-1] == "/display.css" and len(stylesheets) == 3
    assert '<a class="display-standard" href="/intake/display/standard">标准</a>' in html
    assert '<a class="display-elder" href="/intake/display/elder">大字</a>' in html


def test_with_a_static_url_the_intake_links_the_static_sites_display_css(app_config):
    from sunshine.site import create_app

    app = create_app({**app_config, "SUNSHINE_STATIC_URL": "https://gk.qingchuan.example"})
    html = app.test_client().get("/intake/question").get_data(as_text=True)
    assert '<link rel="stylesheet" href="https://gk.qingchuan.example/display.css">' in html
    assert 'href="https://gk.qingchuan.example/intake/display/elder">大字</a>' in html


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    from sunshine.publisher.build import build_site
    from tests.publisher.conftest import SMALL_SNAPSHOT

    return build_site(SMALL_SNAPSHOT, tmp_path_factory.mktemp("site") / "out", static_index=False).out_dir


def test_every_static_page_links_display_css_after_its_other_stylesheets(small_site):
    pages = sorted(small_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"(?: media="[^"]+")?>', head)
        assert stylesheets[0] == "/theme/css/site.css" and stylesheets[-1] == "/display.css", page


def test_a_static_page_switches_back_to_itself(small_site):
    html = (small_site / "items" / "511623-ZJ-0001" / "index.html").read_text(encoding="utf-8")
    assert ('<a class="display-standard" href="/intake/display/standard?next=/items/511623-ZJ-0001/">标准</a> '
            '<a class="display-elder" href="/intake/display/elder?next=/items/511623-ZJ-0001/">大字</a>') in html


def test_the_404_page_switches_back_by_the_referer(small_site):
    html = (small_site / "404.html").read_text(encoding="utf-8")
    assert '<a class="display-elder" href="/intake/display/elder">大字</a>' in html


# --- The production path: deploy/nginx-display.conf run by a real nginx (skipped without one). ---

NGINX_EXAMPLE = PROJECT_ROOT / "deploy" / "nginx-display.conf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(app, live_theme, tmp_path):
    """The example configuration, with its port, root and upstream pointed at this test: nginx
    serving the live build and proxying /intake/ to the app (werkzeug's server in a thread)."""
    from werkzeug.serving import make_server

    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed")
    (live_theme / "items").mkdir()
    (live_theme / "items" / "index.html").write_text("<!doctype html><title>办事指南</title>", encoding="utf-8")
    intake = make_server("127.0.0.1", 0, app)
    threading.Thread(target=intake.serve_forever, daemon=True).start()
    port = _free_port()
    site = NGINX_EXAMPLE.read_text(encoding="utf-8")
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"),
                     ("root /srv/sunshine/instance/public/current;", f"root {live_theme.parent.parent / 'current'};"),
                     ("server 127.0.0.1:8000;", f"server 127.0.0.1:{intake.server_port};")):
        assert old in site
        site = site.replace(old, new)
    temp = tmp_path / "nginx"
    temp.mkdir()
    # As root, nginx's workers would run as nobody, who cannot read pytest's private tmp folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (temp / "nginx.conf").write_text(
        f"{user}daemon off; pid {temp}/nginx.pid; error_log {temp}/error.log; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {temp}/body; "
        f"proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fcgi; uwsgi_temp_path {temp}/uwsgi; "
        f"scgi_temp_path {temp}/scgi;\n{site}\n}}\n", encoding="utf-8")
    server = subprocess.Popen([binary, "-p", str(temp), "-c", str(temp / "nginx.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    log = temp / "error.log"
    wait_until_answering(server, base + "/items/", timeout=10,
                         why=lambda: f"nginx did not start: {log.read_text() if log.exists() else ''}")
    yield base
    server.terminate()
    server.wait(timeout=10)
    intake.shutdown()


def _fetch(url: str, cookie: str | None = None):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=5)
    except urllib.error.HTTPError as redirect:  # 3xx surface as errors without a redirect handler
        response = redirect
    with response:
        return response.status, response.headers, response.read()


def test_nginx_serves_the_standard_sheet_without_the_cookie(nginx):
    status, headers, body = _fetch(nginx + "/display.css")
    assert status == 200 and body == (THEME_CSS / "display-standard.css").read_bytes()
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert (headers["Cache-Control"], headers["Vary"]) == ("no-cache", "Cookie")


def test_nginx_serves_the_elder_sheet_with_the_cookie(nginx):
    status, headers, body = _fetch(nginx + "/display.css", cookie="sunshine_display=elder")
    assert status == 200 and body == (THEME_CSS / "elder.css").read_bytes()
    assert (headers["Cache-Control"], headers["Vary"]) == ("no-cache", "Cookie")


def test_through_nginx_the_switch_sets_the_cookie_that_nginx_reads(nginx):
    status, headers, _ = _fetch(nginx + "/intake/display/elder?next=/items/")
    assert (status, headers["Location"]) == (303, "/items/")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    assert cookie == "sunshine_display=elder"
    assert _fetch(nginx + "/display.css", cookie=cookie)[2] == (THEME_CSS / "elder.css").read_bytes()
