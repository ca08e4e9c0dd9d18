"""Whole builds: deterministic, repeatable in one process, and failing loudly."""

from __future__ import annotations

import json
import logging
import logging.config

import pytest
from pelican.plugins import signals

from sunshine.publisher.build import BuildError, build_site
from sunshine.publisher.generator import get_generators
from sunshine.publisher.snapshot import SnapshotError
from tests.publisher.conftest import tree


def test_two_builds_are_byte_identical_search_index_included(snapshot_file, tmp_path):
    first = build_site(snapshot_file, tmp_path / "a", static_index=True)
    second = build_site(snapshot_file, tmp_path / "b", static_index=True)
    assert any(name.startswith("pagefind/") for name in tree(first.out_dir))
    one, two = tree(first.out_dir), tree(second.out_dir)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_export_order_does_not_change_the_output(snapshot_data, write_snapshot, tmp_path):
    original = build_site(write_snapshot(snapshot_data), tmp_path / "a", static_index=False)
    for key in ("departments", "items", "channels", "notices"):
        snapshot_data[key].reverse()
    shuffled = build_site(write_snapshot(snapshot_data), tmp_path / "b", static_index=False)
    one, two = tree(original.out_dir), tree(shuffled.out_dir)
    different = {name for name in one if one[name] != two[name]}
    # Only the published snapshot itself (and the manifests hashing it) may differ.
    assert different <= {
        "data/snapshot.json", "data/manifest.json", "data/index.html",
        "data/site-manifest.json", "data/SHA256SUMS",
    }  # fmt: skip


def test_second_build_in_one_process_sees_its_own_snapshot(snapshot_data, write_snapshot, tmp_path):
    build_site(write_snapshot(snapshot_data), tmp_path / "a", static_index=False)
    snapshot_data["items"][0]["name"] = "建筑工程施工许可证核发（新版）"
    result = build_site(write_snapshot(snapshot_data), tmp_path / "b", static_index=False)
    html = (result.out_dir / "items/511623-ZJ-0001/index.html").read_text(encoding="utf-8")
    assert "<h1>建筑工程施工许可证核发（新版）</h1>" in html


def test_build_leaves_no_generator_connected(snapshot_file, tmp_path):
    build_site(snapshot_file, tmp_path / "out", static_index=False)
    assert get_generators not in list(signals.get_generators.receivers_for(object()))


def test_build_reports_what_it_wrote(built):
    assert built.pages == 51  # 30 pages + 2 withdrawn items + a withdrawn department and notice + 13 filtered item lists + 4 fee lists
    assert built.search_pages == 0
    assert 0 < built.seconds < 30
    assert built.warnings == ()


def test_invalid_snapshot_fails_before_writing(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["items"][0]["case_type"] = "urgent"
    with pytest.raises(SnapshotError):
        build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    assert not (tmp_path / "out").exists()


def test_template_syntax_error_is_fatal_and_names_the_template(
    snapshot_file, broken_theme, tmp_path
):
    theme = broken_theme("fees.html", '{% extends "base.html" %}{% block content %}{% if %}')
    with pytest.raises(BuildError, match=r"^页面生成失败：模板 fees.html 第 1 行"):
        build_site(snapshot_file, tmp_path / "out", theme=theme, static_index=False)
    assert not (tmp_path / "out").exists()


def test_undefined_template_variable_is_fatal(snapshot_file, broken_theme, tmp_path):
    theme = broken_theme(
        "notice.html",
        '{% extends "base.html" %}{% block content %}{{ notice.author.name }}{% endblock %}',
    )
    with pytest.raises(BuildError, match="notice.html.*author"):
        build_site(snapshot_file, tmp_path / "out", theme=theme, static_index=False)


def test_error_logged_by_pelican_is_fatal(snapshot_file, tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "bad.md").write_text(
        "Title: 办事须知\nSlug: notes\nDate: 不是日期\n\n正文\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"Could not process pages/bad.md：ValueError"):
        build_site(snapshot_file, tmp_path / "out", content=content, static_index=False)


def test_non_empty_output_directory_is_refused(snapshot_file, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.html").write_text("旧页面", encoding="utf-8")
    with pytest.raises(BuildError, match="输出目录不是空目录"):
        build_site(snapshot_file, tmp_path / "out", static_index=False)


def test_static_search_index_covers_the_content_pages(snapshot_file, tmp_path):
    result = build_site(snapshot_file, tmp_path / "out", static_index=True)
    # items, departments, notices, questions, the intake pages (channels, 网上咨询, the three
    # figures pages) and the hand-written pages: never a listing, search, data or 404 page
    assert result.search_pages == 22
    assert (result.out_dir / "pagefind" / "pagefind-ui.js").is_file()
    entry = json.loads((result.out_dir / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zz"]  # search/static_index.INDEX_LANGUAGE


@pytest.fixture
def disabled_loggers():
    """Disable every existing logger as Alembic's fileConfig does; undo it afterwards."""
    loggers = [
        lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    before = [(lg, lg.disabled) for lg in loggers]
    logging.getLogger("pelican.generators")  # make sure it exists, so it gets disabled
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": True})
    yield
    for lg in logging.root.manager.loggerDict.values():
        if isinstance(lg, logging.Logger):
            lg.disabled = False
    for lg, disabled in before:
        lg.disabled = disabled


def test_logged_error_is_fatal_even_after_logging_was_reconfigured(
    snapshot_file, tmp_path, disabled_loggers
):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "bad.md").write_text(
        "Title: 须知\nDate: 不是日期\n\n正文\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match="Could not process pages/bad.md"):
        build_site(snapshot_file, tmp_path / "out", content=content, static_index=False)
    assert logging.getLogger("pelican.generators").disabled  # restored as it was found


@pytest.mark.parametrize(
    "link", ["/\\evil.example/form.docx", "//evil.example/form.docx", "/%5Cevil.example/form.docx"]
)
def test_an_off_site_material_template_link_is_not_published(
    snapshot_data, write_snapshot, tmp_path, link
):
    snapshot_data["items"][0]["materials"][0]["template_url"] = link
    item = snapshot_data["items"][0]["code"]
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    html = (result.out_dir / f"items/{item}/index.html").read_text(encoding="utf-8")
    assert "evil.example" not in html


def test_a_same_site_material_template_link_is_published(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["items"][0]["materials"][0]["template_url"] = "/data/施工许可申请表.docx"
    item = snapshot_data["items"][0]["code"]
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    html = (result.out_dir / f"items/{item}/index.html").read_text(encoding="utf-8")
    assert (
        '<a class="download" href="/data/施工许可申请表.docx">下载表格'
        '<span class="visually-hidden">：建筑工程施工许可证申请表</span>（DOCX）</a>'
    ) in html
