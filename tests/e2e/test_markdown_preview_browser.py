"""The live Markdown preview in a real browser: typed Markdown is shown rendered, sanitized, and the page
runs under the app's strict Content-Security-Policy (no inline script)."""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_typed_markdown_appears_rendered_and_sanitized_under_the_field(page, live_server):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text else None)
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    sign_in(page, live_server, "editor-mz", "editor-demo-2026")
    page.goto(live_server + "/admin/notices/new")
    preview = page.locator("#body-preview")
    assert preview.is_hidden()
    page.locator("textarea[name=body]").fill(
        "请携带以下材料：\n\n- 身份证原件\n- **户口簿**\n\n<script>window.hacked = 1</script>")
    preview.locator("li", has_text="身份证原件").wait_for(state="visible")
    assert preview.locator("strong").inner_text() == "户口簿"
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.hacked === undefined")
    assert errors == [] and failed == []  # no CSP violation, no failed request (the browser's favicon aside)
