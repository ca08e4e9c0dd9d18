"""A built site served over HTTP on a free port, opened in Debian's headless Chromium.

For the few publisher tests that need a real browser (scripts, layout at a phone's size).
Without chromium they skip, unless SUNSHINE_REQUIRE_BROWSER=1 (as in tests/e2e).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.browser import shared_browser


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[Any]:
    """The session's headless Chromium (tests/browser.py), or a skip when it is not installed."""
    yield shared_browser()


def axe_on_a_phone(site: Path, url: str) -> tuple[list, bool]:
    """(axe-core's violations, whether the page fits the width) of ``url`` of ``site`` at 360 px."""
    from tests.e2e.page_checkers import axe_violations

    with served(site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(base + url)
        found = axe_violations(page), bool(page.evaluate("document.documentElement.scrollWidth <= innerWidth"))
        page.close()
    return found
