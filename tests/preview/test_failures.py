"""A preview that cannot be made says why in one Chinese line, and what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sunshine.site.models import Department, ServiceItem
from sunshine.site.preview import PreviewError, preview_html


@pytest.fixture
def broken_theme(ctx, tmp_path) -> Path:
    """A copy of the theme whose item page reads a value no page has."""
    theme = tmp_path / "theme"
    shutil.copytree(ctx.config["SUNSHINE_THEME_DIR"], theme)
    (theme / "templates" / "item.html").write_text('{% extends "base.html" %}\n'
                                                   "{% block content %}{{ no_such_value }}{% endblock %}\n",
                                                   encoding="utf-8")
    ctx.config["SUNSHINE_THEME_DIR"] = str(theme)
    return theme


def test_theme_error_names_the_template_and_who_can_fix_it(broken_theme, record):
    with pytest.raises(PreviewError) as refused:
        preview_html(record(ServiceItem, "GA-XK-001"))

    assert str(refused.value) == ("预览生成失败：模板 item.html 第 2 行：'no_such_value' is undefined"
                                  "（页面模板有误，请联系系统管理员）")


def test_other_pages_still_preview_with_that_theme(broken_theme, record):
    assert "<h1>清川县公安局</h1>" in preview_html(record(Department, "ga"))
