"""A real server (``sunshine serve``) over a fresh demo installation, and headless Chromium.

The browser is Debian's chromium driven by Playwright (it cannot download its
own here). Without chromium the tests skip — unless SUNSHINE_REQUIRE_BROWSER=1
(set by .ci/run), where a missing browser fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from tests.browser import shared_browser
from tests.serving import wait_until_answering

CLOCK = "2026-11-23T10:00:00+08:00"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sunshine(env: dict, *args: str) -> None:
    cmd = [sys.executable, "-m", "sunshine.site.cli", *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"sunshine {' '.join(args)} failed: {proc.stderr[-2000:]}"


class Live(str):
    """The server's base URL, with the environment its CLI runs in (``live.cli("tick")``)."""

    def __new__(cls, base: str, env: dict):
        live = super().__new__(cls, base)
        live.env = env
        return live

    def cli(self, *args: str) -> None:
        _sunshine(self.env, *args)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Demo data published with the static search index, served on a free port."""
    root = tmp_path_factory.mktemp("live")
    env = {**os.environ,
           "SUNSHINE_INSTANCE_PATH": str(root / "instance"),
           "SUNSHINE_DATABASE_URL": f"sqlite:///{root / 'e2e.sqlite3'}",
           "SUNSHINE_STATIC_SEARCH": "1",
           # One fixed day for the server, the demo year and the CLI: dates are exact.
           "SUNSHINE_CLOCK": CLOCK,
           "PYTHONWARNINGS": "ignore"}
    _sunshine(env, "init-db")
    _sunshine(env, "seed-demo")
    _sunshine(env, "publish")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "sunshine.site.cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(server, base + "/")
    yield Live(base, env)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    return shared_browser()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def person(browser):
    """A fresh browser (own cookies) per person in a story: ``person(width=1280)`` opens one more."""
    contexts = []

    def _person(width: int = 1200):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30000)
        return page

    yield _person
    for context in contexts:
        context.close()


def sign_in(page, base: str, username: str, password: str):
    """Log a browser page into the back office."""
    page.goto(base + "/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def wait_for_publish(page, base: str, seconds: float = 90) -> None:
    """Wait on the dashboard until the newest publish job has gone live (publishing runs in the
    background, in the server's worker thread), as a clerk would watch it."""
    newest = page.locator(".publish-jobs tbody tr").first
    deadline = time.monotonic() + seconds
    while True:
        page.goto(base + "/admin/")
        state = newest.get_attribute("class") if newest.count() else None
        if state in ("job-done", "job-failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert state == "job-done", newest.inner_text() if newest.count() else "no publish job"
