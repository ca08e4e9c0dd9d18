"""The account commands (reset-password, create-user) and one clear line for every CLI failure."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sunshine.site.cli import main

from .conftest import is_logged_in, post_login

NEW = "青川民政-新密码-2026"


@pytest.fixture
def cli(app, demo, monkeypatch, tmp_path):
    """Run ``sunshine`` against the test database holding the demo data set."""
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "cli-instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])

    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return run


def test_reset_password_from_stdin(app, cli, passwords, audit_log):
    result = cli("reset-password", "editor-mz", "--password-stdin", input=f"{NEW}\n")
    assert result.exit_code == 0, result.output
    assert result.output == "已重置账号 editor-mz 的密码，其所有登录已退出。\n"
    assert post_login(app.test_client(), "editor-mz", NEW).status_code == 302
    assert post_login(app.test_client(), "editor-mz", passwords["editor-mz"]).status_code == 200
    [entry] = audit_log("password_reset")
    assert (entry.user_id, entry.summary) == (None, "重置账号 editor-mz 的密码")  # by the system, not a person


def test_reset_password_ends_the_users_sessions(cli, browser):
    client = browser("editor-mz")
    cli("reset-password", "editor-mz", "--password-stdin", input=f"{NEW}\n")
    assert not is_logged_in(client)


def test_reset_password_asks_twice(app, cli):
    result = cli("reset-password", "editor-mz", input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert post_login(app.test_client(), "editor-mz", NEW).status_code == 302


def test_reset_password_refuses_two_different_entries(app, cli, passwords):
    result = cli("reset-password", "editor-mz", input=f"{NEW}\n青川民政-新密码-2025\n")
    assert result.exit_code == 1
    assert result.output.endswith("错误 / error: 两次输入的新密码不一致，密码未修改。\n")
    assert post_login(app.test_client(), "editor-mz", passwords["editor-mz"]).status_code == 302


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("reset-password", "nobody", "--password-stdin"), f"{NEW}\n", "找不到账号 nobody。"),
    (("reset-password", "editor-mz", "--password-stdin"), "short-pw1\n", "密码至少10位，请设置更长的密码。"),
    (("reset-password", "editor-mz", "--password-stdin"), "", "没有从标准输入读到新密码（应为第一行）。"),
])
def test_reset_password_refusals_name_their_cause(cli, args, stdin, message):
    result = cli(*args, input=stdin)
    assert result.exit_code == 1
    assert result.output == f"错误 / error: {message}\n"


def test_create_user_is_audited(cli, account, audit_log):
    result = cli("create-user", "reviewer-mz", "--role", "reviewer", "--department", "mz",
                 "--name", "民政局审核员（周敏）", "--password", "清川民政-审核-2026")
    assert result.exit_code == 0, result.output
    [entry] = audit_log("user_created")
    assert (entry.target_id, entry.detail) == (account("reviewer-mz").id, {"role": "reviewer", "department": "mz"})


@pytest.fixture
def cli_on(monkeypatch, tmp_path):
    """Run ``sunshine`` against a given database URL, with a fresh instance folder."""
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "instance"))

    def run(url: str, *args: str):
        monkeypatch.setenv("SUNSHINE_DATABASE_URL", url)
        return CliRunner().invoke(main, list(args), input=f"{NEW}\n", catch_exceptions=False)

    return run


@pytest.mark.parametrize("args", [("export",), ("tick",), ("reset-password", "admin", "--password-stdin"),
                                  ("create-user", "admin2", "--role", "admin", "--password", NEW)])
def test_a_fresh_database_says_to_run_init_db(cli_on, tmp_path, args):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = cli_on(url, *args)
    assert result.exit_code == 1
    assert result.output == f"错误 / error: 数据库尚未初始化，请先运行 sunshine init-db（数据库：{url}）\n"


@pytest.mark.parametrize(("url", "message"), [
    ("sunshine.sqlite3", "错误 / error: 数据库地址无效：sunshine.sqlite3（应形如 sqlite:////var/lib/sunshine/sunshine.sqlite3 "
                         "或 postgresql://用户@主机/数据库名），请检查 SUNSHINE_DATABASE_URL\n"),
    ("mysql+nodriver://u@h/db", "错误 / error: 不支持的数据库类型：mysql+nodriver://u@h/db（只支持 sqlite:/// 和 postgresql://）\n"),
])
def test_a_bad_database_url_is_named_in_one_line(cli_on, url, message):
    result = cli_on(url, "export")
    assert result.exit_code == 1
    assert result.output == message


def test_a_missing_database_folder_is_named(cli_on, tmp_path):
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'sunshine.sqlite3'}"
    result = cli_on(url, "init-db")
    assert result.exit_code == 1
    assert result.output == f"错误 / error: 无法打开数据库文件 {url}：所在目录不存在或当前账号没有权限\n"


def test_an_unreachable_server_is_named_without_its_password(cli_on):
    result = cli_on("postgresql://sunshine:s3cret-pw@127.0.0.1:1/sunshine", "export")
    assert result.exit_code == 1
    line = result.output
    assert line.startswith("错误 / error: 无法连接数据库 postgresql+psycopg://sunshine:***@127.0.0.1:1/sunshine：")
    assert line.endswith("，请确认数据库服务已启动、地址和端口正确\n") and line.count("\n") == 1
    assert "s3cret-pw" not in line
