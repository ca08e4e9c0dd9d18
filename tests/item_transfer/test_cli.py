"""`sunshine import-items` and `sunshine export-items`: one line of result, or the problems and one error line."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from sunshine.site.cli import main

from .conftest import NEW_ITEM, csv_bytes, new_item_tables, xlsx_bytes


@pytest.fixture
def cli(app, demo, monkeypatch):
    """Run the real ``sunshine`` command against the test app."""
    from click.testing import CliRunner

    monkeypatch.setattr("sunshine.site.cli.create_app", lambda: app)

    def _run(*args: str):
        return CliRunner().invoke(main, list(args))

    return _run


def test_import_items_creates_drafts_and_says_so(cli, tmp_path, stored, audit_entries):
    path = tmp_path / "住建局事项.xlsx"
    path.write_bytes(xlsx_bytes(new_item_tables()))
    result = cli("import-items", str(path), "--department", "zjj")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "事项已导入清川县住房和城乡建设局：新建草稿 1 项，更新 0 项，未变 0 项（均为草稿，审核通过后才会发布）"
    assert stored("ZJJ-XK-010").state == "draft"
    assert audit_entries("import")[-1].username == "命令行"


def test_import_items_lists_the_problems_and_imports_nothing(cli, tmp_path, counts):
    path = tmp_path / "事项.csv"
    path.write_bytes(csv_bytes("事项", [{**NEW_ITEM, "到办事现场次数": 30}]))
    before = counts()
    result = cli("import-items", str(path), "--department", "zjj")
    assert result.exit_code == 1
    assert "「事项」表第2行「到办事现场次数」：请填写0到20之间的整数。" in result.output
    assert result.output.strip().endswith("错误 / error: 共 1 个问题，没有导入任何事项。")
    assert counts() == before


def test_import_items_names_an_unknown_department(cli, tmp_path):
    path = tmp_path / "事项.csv"
    path.write_bytes(csv_bytes("事项", [NEW_ITEM]))
    result = cli("import-items", str(path), "--department", "jtj")
    assert result.exit_code == 1
    assert "没有编码为“jtj”的部门（现有：" in result.output


def test_export_items_writes_the_workbook_and_is_audited(cli, tmp_path, audit_entries):
    out = tmp_path / "住建局.xlsx"
    result = cli("export-items", "--department", "zjj", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"已导出清川县住房和城乡建设局的服务事项 4 项：{out}"
    assert load_workbook(out).sheetnames == ["事项", "申请材料", "办理流程", "收费项目", "填写说明"]
    assert audit_entries("export")[-1].detail == {"department": "zjj", "format": "xlsx", "items": 4}


def test_export_items_refuses_an_unknown_format_in_one_line(cli, tmp_path):
    result = cli("export-items", "--department", "zjj", "--out", str(tmp_path / "事项.csv"))
    assert result.exit_code == 1
    assert result.output.strip() == "错误 / error: 输出文件的扩展名须为 .xlsx（Excel）或 .zip（CSV 压缩包）。"
