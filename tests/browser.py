"""One headless Chromium for the whole test session (Debian's chromium, driven by Playwright).

Playwright's sync API cannot be started twice in one thread while the first is running, so the
browser tests of every folder share this one, started on first use and closed when the session
ends. Without chromium they skip, unless SUNSHINE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_shared: dict[str, Any] = {}


def shared_browser() -> Any:
    """The session's browser (a Playwright ``Browser``), or a skip when chromium is not installed."""
    if not (Path(CHROMIUM).exists() and shutil.which("chromium")):
        if os.environ.get("SUNSHINE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but SUNSHINE_REQUIRE_BROWSER=1")
        pytest.skip("Debian chromium is not installed")
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        atexit.register(_close)
    return _shared["browser"]


def _close() -> None:
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()
