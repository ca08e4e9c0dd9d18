"""The ``sunshine`` command: thin wrappers over library functions.

Each command parses its options, calls one function, and prints one result
line — or one clear error line and exits non-zero (never a traceback).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import create_app
from .cli_errors import describe


class CLIError(click.ClickException):
    def show(self, file=None) -> None:
        click.echo(f"错误 / error: {self.format_message()}", err=True)


def _database_url() -> str | None:
    """The database the command works on (for error lines), without creating an app."""
    app = click.get_current_context().find_root().obj
    if app is not None:
        return app.config.get("SQLALCHEMY_DATABASE_URI")
    return os.environ.get("SUNSHINE_DATABASE_URL")


def _fail_cleanly(fn):
    """Turn any expected failure into one line on stderr naming its cause, and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as exc:  # noqa: BLE001 - the CLI's promise is one line, not a traceback
            raise CLIError(describe(exc, _database_url())) from exc

    return wrapper


@click.group(help="阳光政务 Sunshine — 政务公开网站后台与发布工具。")
@click.pass_context
def main(ctx: click.Context) -> None:
    try:
        ctx.obj = create_app()
    except Exception as exc:  # noqa: BLE001 - e.g. an unreadable SUNSHINE_DATABASE_URL
        raise CLIError(describe(exc, os.environ.get("SUNSHINE_DATABASE_URL"))) from exc


def _app():
    return click.get_current_context().obj


@main.command("init-db", help="创建或升级数据库结构（运行 Alembic 迁移）。")
@_fail_cleanly
def init_db() -> None:
    from .bootstrap import init_database

    revision = init_database(_app())
    click.echo(f"数据库已就绪（迁移版本 {revision}）：{_app().config['SQLALCHEMY_DATABASE_URI']}")


@main.command("seed-demo", help="载入演示数据（可重复运行，不会重复插入）。")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="演示数据目录，默认 content/demo")
@click.option("--no-cases", is_flag=True, help="不生成演示年度办件、评价和整改工单（更快）")
@_fail_cleanly
def seed_demo_cmd(data_dir: Path | None, no_cases: bool) -> None:
    from .bootstrap import load_demo

    report = load_demo(_app(), data_dir, cases=not no_cases)
    click.echo(f"演示数据已载入：{report.summary()}")


@main.command("create-user", help="创建后台账号。")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "editor", "reviewer", "supervisor"]), default="editor",
              show_default=True, help="角色")
@click.option("--department", default=None, help="部门编码（编辑、审核员必填）")
@click.option("--name", "display_name", default="", help="显示姓名")
@click.password_option(help="密码（至少10位）")
@_fail_cleanly
def create_user_cmd(username: str, role: str, department: str | None, display_name: str, password: str) -> None:
    from .accounts import create_user

    with _app().app_context():
        user = create_user(username, password, role=role, department_code=department,
                           display_name=display_name)
        click.echo(f"已创建账号 {user.username}（{user.role_label}）")


@main.command("reset-password", help="重置后台账号的密码（该账号的所有登录立即退出）。")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（第一行），供脚本使用")
@_fail_cleanly
def reset_password_cmd(username: str, password_stdin: bool) -> None:
    from .accounts import find_user, reset_password

    password = _read_stdin_password() if password_stdin else _prompt_new_password()
    with _app().app_context():
        user = find_user(username)
        reset_password(user, password)
        click.echo(f"已重置账号 {user.username} 的密码，其所有登录已退出。")


def _read_stdin_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CLIError("没有从标准输入读到新密码（应为第一行）。")
    return password


def _prompt_new_password() -> str:
    password = click.prompt("新密码", hide_input=True, err=True)
    if click.prompt("再次输入新密码", hide_input=True, err=True) != password:
        raise CLIError("两次输入的新密码不一致，密码未修改。")
    return password


@main.command("export", help="导出快照（已发布内容的公开字段）。")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="输出文件，默认 instance/snapshot.json")
@_fail_cleanly
def export_cmd(out: Path | None) -> None:
    from .export import build_snapshot, write_snapshot

    app = _app()
    with app.app_context():
        snapshot = build_snapshot(intake_url=app.config["SUNSHINE_INTAKE_URL"])
    path = write_snapshot(out or Path(app.config["SUNSHINE_SNAPSHOT_PATH"]), snapshot)
    click.echo(f"快照已导出：{path}（部门 {len(snapshot['departments'])}，事项 {len(snapshot['items'])}，"
               f"渠道 {len(snapshot['channels'])}，公告 {len(snapshot['notices'])}）")


@main.command("publish", help="导出快照并生成公开网站（原子替换）。")
@click.option("--out", "web_root", type=click.Path(path_type=Path), default=None,
              help="网站根目录，默认 instance/public（当前版本在 current/）")
@click.option("--no-search-index", is_flag=True, help="不生成静态搜索索引（更快）")
@click.option("--full", is_flag=True, help="重新生成全部页面（默认只生成有变化的页面，其余沿用当前版本）")
@_fail_cleanly
def publish_cmd(web_root: Path | None, no_search_index: bool, full: bool) -> None:
    from .publishing import publish_site

    app = _app()
    if web_root is not None:
        app.config["SUNSHINE_WEB_ROOT"] = str(web_root.resolve())
    if no_search_index:
        app.config["SUNSHINE_STATIC_SEARCH"] = False
    app.config["SUNSHINE_SEARCH_LATER"] = False  # one command: when it ends, the new pages can be searched
    outcome = publish_site(app, full=full)
    click.echo(f"网站已发布：{outcome.live_dir}（事项 {outcome.items} 项，用时 {outcome.seconds:.1f} 秒）")


@main.command("reindex", help="从头重建后台搜索索引和公开搜索索引（公开索引取自最近一次发布的快照）。")
@_fail_cleanly
def reindex_cmd() -> None:
    from .public_search import reindex_public
    from .search_docs import reindex_all

    with _app().app_context():
        count = reindex_all()
        public = reindex_public()
    click.echo(f"后台搜索索引已重建：{count} 条")
    click.echo(f"公开搜索索引已重建：{public} 条")


@main.command("tick", help="电子监察：重算办件的红黄牌，并执行定时发布和到期撤回（供 cron 定时运行，如每15分钟一次及每天00:05）。")
@_fail_cleanly
def tick_cmd() -> None:
    from .jobs import request_publish
    from .schedules import reindex, run_schedules
    from .tick import tick

    with _app().app_context():
        schedules = run_schedules()
        reindex(schedules)
        if schedules.changed:
            request_publish(schedules.summary())
        report = tick()
    click.echo(report.summary() + (f"；{schedules.summary()}" if schedules.changed or schedules.returned else ""))


@main.command("import-cases", help="从 CSV 或 Excel（.xlsx）文件导入办件（全部检查通过才导入）。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--codes-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="把新办件的查询码写入此 CSV 文件（默认打印在屏幕上）")
@_fail_cleanly
def import_cases_cmd(file: Path, codes_out: Path | None) -> None:
    from .cases.importing import import_file
    from .cases.records import ImportRejected
    from .cases.table_files import codes_csv

    with _app().app_context():
        try:
            report = import_file(file.name, file.read_bytes(), source="import")
        except ImportRejected as rejected:
            for problem in rejected.problems[:20]:
                click.echo(str(problem), err=True)
            more = len(rejected.problems) - 20
            if more > 0:
                click.echo(f"……另有 {more} 个问题", err=True)
            raise CLIError(f"共 {len(rejected.problems)} 个问题，没有导入任何办件。") from None
    click.echo(f"办件已导入：{report.summary()}")
    if report.new_codes and codes_out is not None:
        codes_out.write_bytes(codes_csv(report.new_codes))
        codes_out.chmod(0o600)
        click.echo(f"{len(report.new_codes)} 个新办件的查询码已写入 {codes_out}（只此一份，请妥善交给申请人）")
    elif report.new_codes:
        click.echo("新办件的查询码（只显示这一次）：")
        for case_no, code in report.new_codes:
            click.echo(f"  {case_no},{code}")


@main.command("create-token", help="为审批系统创建 API 访问令牌（只显示一次）。")
@click.argument("name")
@_fail_cleanly
def create_token_cmd(name: str) -> None:
    from .api.auth import create_token

    with _app().app_context():
        token = create_token(name)
    click.echo(f"已创建令牌“{name.strip()}”，请立即保存（不会再次显示）：")
    click.echo(token)


@main.command("revoke-token", help="吊销 API 访问令牌。")
@click.argument("name")
@_fail_cleanly
def revoke_token_cmd(name: str) -> None:
    from .api.auth import revoke_token

    with _app().app_context():
        revoke_token(name)
    click.echo(f"已吊销令牌“{name.strip()}”")


@main.command("serve", help="在本机启动网站与后台（开发/演示用服务器）。")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="不在本进程运行发布队列（另行运行 sunshine worker 时）")
@_fail_cleanly
def serve_cmd(host: str, port: int, no_worker: bool) -> None:
    app = _app()
    _serve(app, host, port, worker=not no_worker and "admin" in app.config["SUNSHINE_ROLES"])


def _serve(app, host: str, port: int, *, worker: bool) -> None:
    """Flask's simple server, with the publish queue's worker in a thread (a save in the back office
    is built in the background, as `sunshine worker` does in production). The preview publisher a
    preview started is stopped with the server (gunicorn's outlives its workers, see preview_server.py)."""
    from .jobs import start_thread_worker
    from .preview import previewer

    consumer = start_thread_worker(app) if worker else None
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        with app.app_context():
            previewer().stop()


@main.command("worker", help="运行后台任务（网站发布队列）；生产环境与网站服务分开运行。")
@_fail_cleanly
def worker_cmd() -> None:
    from .jobs import job_queue, run_queued

    app = _app()
    with app.app_context():  # what was queued while no worker ran
        built = run_queued(app)
    click.echo(f"发布队列：{app.config['SUNSHINE_QUEUE_URL']}；启动时完成 {built} 次排队的发布。")
    if not built:  # a publish made it warm already
        from .jobs.publishing import warm_and_record

        try:
            with app.app_context():
                warmed = warm_and_record(app)
        except Exception as exc:  # noqa: BLE001 — a failed warm-up only makes the first publish slower
            warmed = f"预热失败 / warming failed: {' '.join(str(exc).split()) or type(exc).__name__}"
        if warmed:
            click.echo(warmed)
    click.echo("按 Ctrl-C 停止。")
    job_queue(app).huey.create_consumer(workers=1, periodic=True).run()


@main.command("demo", help="一步演示：建库、载入演示数据、发布网站并启动服务。")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="只准备数据和网站，不启动服务")
@click.option("--no-cases", is_flag=True, help="不生成演示年度办件、评价和整改工单（更快）")
@_fail_cleanly
def demo_cmd(host: str, port: int, no_serve: bool, no_cases: bool) -> None:
    from .bootstrap import demo_dir, prepare_demo

    app = _app()
    logins, outcome = prepare_demo(app, cases=not no_cases)
    click.echo(f"网站已发布：事项 {outcome.items} 项，用时 {outcome.seconds:.1f} 秒")
    click.echo(f"公开网站：http://{host}:{port}/    后台：http://{host}:{port}/admin/")
    click.echo("演示账号（用户名 / 密码 / 角色）：")
    for login in logins:
        click.echo(f"  {login['username']:<16} {login['password']:<22} {login['role']}"
                   f"{' · ' + login['department'] if login.get('department') else ''}")
    if not no_cases:
        from sunshine.contract.urls import case_lookup_url

        from .demo_year import showcase_cases

        click.echo(f"演示办件（办件查询：{case_lookup_url(f'http://{host}:{port}')}；编号 / 查询码）：")
        for case in showcase_cases(demo_dir(app)):
            click.echo(f"  {case['case_no']:<20} {case['query_code']:<10} {case['hint']}")
    if not no_serve:
        _serve(app, host, port, worker=True)


# --- bulk import and export of a department's items (事项批量导入导出) ---------------------------


def _item_department(code: str):
    """The department of ``--department``, or a one-line error naming the codes that exist."""
    from sqlalchemy import select

    from .db import db
    from .models import Department

    department = db.session.scalars(select(Department).where(Department.code == code.strip())).first()
    if department is None:
        codes = "、".join(db.session.scalars(select(Department.code).order_by(Department.code)))
        raise CLIError(f"没有编码为“{code}”的部门（现有：{codes or '无'}）。")
    return department


@main.command("import-items", help="从 Excel（.xlsx）、CSV 压缩包（.zip）或 事项.csv 导入一个部门的服务事项（全部检查通过才导入，只生成草稿）。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--department", "department_code", required=True, help="部门编码，如 zjj")
@click.option("--user", "username", default=None, help="记为修订作者的后台账号（默认记为“命令行”）")
@_fail_cleanly
def import_items_cmd(file: Path, department_code: str, username: str | None) -> None:
    from sqlalchemy import select

    from .db import db
    from .item_transfer import TransferRejected, import_items
    from .models import User

    with _app().app_context():
        department = _item_department(department_code)
        user = None
        if username:
            user = db.session.scalars(select(User).where(User.username == username)).first()
            if user is None:
                raise CLIError(f"没有用户名为“{username}”的账号。")
        try:
            report = import_items(file.name, file.read_bytes(), department=department, user=user,
                                  username=None if user else "命令行")
        except TransferRejected as rejected:
            for problem in rejected.problems[:20]:
                click.echo(str(problem), err=True)
            if len(rejected.problems) > 20:
                click.echo(f"……另有 {len(rejected.problems) - 20} 个问题", err=True)
            raise CLIError(f"共 {len(rejected.problems)} 个问题，没有导入任何事项。") from None
        click.echo(f"事项已导入{department.name}：{report.summary()}（均为草稿，审核通过后才会发布）")


@main.command("export-items", help="把一个部门的服务事项（含草稿）导出为 Excel（.xlsx）或 CSV 压缩包（.zip）。")
@click.option("--department", "department_code", required=True, help="部门编码，如 zjj")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出文件，扩展名 .xlsx 或 .zip")
@_fail_cleanly
def export_items_cmd(department_code: str, out: Path) -> None:
    from . import audit
    from .db import db
    from .item_transfer import department_items, export_xlsx, export_zip

    kind = out.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "zip"):
        raise CLIError("输出文件的扩展名须为 .xlsx（Excel）或 .zip（CSV 压缩包）。")
    with _app().app_context():
        department = _item_department(department_code)
        items = department_items(department)
        out.write_bytes(export_xlsx(items) if kind == "xlsx" else export_zip(items))
        audit.record("export", target_type="service_item", department_id=department.id, username="命令行",
                     summary=f"导出{department.short_name or department.name}的服务事项 {len(items)} 项（{kind}）",
                     detail={"department": department.code, "format": kind, "items": len(items)})
        db.session.commit()
        click.echo(f"已导出{department.name}的服务事项 {len(items)} 项：{out}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
