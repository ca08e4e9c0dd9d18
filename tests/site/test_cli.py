"""The ``sunshine`` command: one line per result, one line per failure, no tracebacks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sunshine.site.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run the CLI against a fresh SQLite installation in tmp_path."""
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("SUNSHINE_STATIC_SEARCH", "0")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.mark.parametrize("command", ["init-db", "seed-demo", "create-user", "export", "publish", "serve",
                                     "demo", "reindex", "tick", "import-cases", "create-token",
                                     "revoke-token"])
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_init_db_creates_the_schema(cli):
    result = cli("init-db")
    assert result.exit_code == 0, result.output
    assert "数据库已就绪" in result.output


def test_seed_demo_before_init_db_fails_in_one_line(cli):
    result = cli("seed-demo")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "请先运行 sunshine init-db" in result.output
    assert "Traceback" not in result.output


def test_seed_demo_twice_duplicates_nothing(cli):
    cli("init-db")
    first = cli("seed-demo")
    second = cli("seed-demo")
    assert first.exit_code == 0 and second.exit_code == 0
    assert "事项 新增0" in second.output
    assert "新增0" in second.output and "部门 新增0" in second.output


def test_create_user_rejects_short_password(cli):
    cli("init-db")
    result = cli("create-user", "clerk", "--role", "admin", "--password", "short")
    assert result.exit_code == 1
    assert "密码至少10位" in result.output


def test_create_user_requires_department_for_editors(cli):
    cli("init-db")
    result = cli("create-user", "clerk", "--role", "editor", "--password", "long-enough-pw")
    assert result.exit_code == 1
    assert "必须指定所属部门" in result.output


def test_export_writes_the_snapshot(cli, tmp_path):
    cli("init-db")
    cli("seed-demo")
    out = tmp_path / "snap.json"
    result = cli("export", "--out", str(out))
    assert result.exit_code == 0, result.output
    snapshot = json.loads(out.read_text("utf-8"))
    assert len(snapshot["items"]) >= 40 and len(snapshot["departments"]) >= 8


def test_publish_with_unreachable_database_fails_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(main, ["export"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("错误 / error:")
    assert "Traceback" not in result.output
