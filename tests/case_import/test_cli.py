"""``sunshine import-cases``, ``create-token`` and ``revoke-token``: one line per result or failure."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from sunshine.site.cli import main
from sunshine.site.db import db
from sunshine.site.models import ApiToken

from .conftest import ACCEPTED, EXTENDED, csv_bytes


@pytest.fixture
def cli(app, demo, tmp_path, monkeypatch):
    """The CLI against the test database with the demo data."""
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "cli-instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SUNSHINE_SECRET_KEY", "test-secret")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


def test_import_cases_prints_counts_and_writes_the_codes(cli, tmp_path, load_case):
    source = tmp_path / "cases.csv"
    source.write_bytes(csv_bytes([ACCEPTED, EXTENDED]))
    codes = tmp_path / "codes.csv"
    result = cli("import-cases", str(source), "--codes-out", str(codes))
    assert result.exit_code == 0, result.output
    assert "办件已导入：新建 2 件，更新 0 件，未变 0 件" in result.output
    assert [line.split(",")[0] for line in codes.read_text("utf-8-sig").splitlines()] == [
        "办件编号", "ZJJ-2026-000101", "GTZY-2026-000103"]
    assert load_case("GTZY-2026-000103").status == "extended"


def test_import_cases_with_problems_exits_1_and_stores_nothing(cli, tmp_path, case_count):
    source = tmp_path / "cases.csv"
    source.write_bytes(csv_bytes([ACCEPTED, {**EXTENDED, "事项编码": "GTZY-QR-999"}]))
    result = cli("import-cases", str(source))
    assert result.exit_code == 1
    assert "第3行「事项编码」：未知的事项编码“GTZY-QR-999”。" in result.output
    assert "错误 / error: 共 1 个问题，没有导入任何办件。" in result.output
    assert case_count() == 0


def test_create_token_prints_it_once_and_stores_the_hash(cli, app):
    result = cli("create-token", "审批系统")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
    assert (stored.name, stored.active, len(token) >= 43) == ("审批系统", True, True)
    assert token not in stored.token_hash


def test_create_token_twice_is_refused(cli):
    cli("create-token", "审批系统")
    result = cli("create-token", "审批系统")
    assert result.exit_code == 1
    assert "令牌“审批系统”已存在且有效" in result.output


def test_revoke_token_then_reissue(cli, app):
    cli("create-token", "审批系统")
    assert cli("revoke-token", "审批系统").exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(ApiToken.active)).one() is False
    assert cli("create-token", "审批系统").exit_code == 0
    assert cli("revoke-token", "不存在").exit_code == 1
