"""One Chinese line naming the cause of a failed command: the database's usual failures translated.

SQLAlchemy's own messages end with a link to its help pages, which is all the CLI used to
print. Here a failure is recognised by the driver's error (SQLite's message, PostgreSQL's
SQLSTATE) and said as what to do ("数据库尚未初始化，请先运行 sunshine init-db"). A database
URL is always shown without its password. Never imports Flask.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

NOT_INITIALISED = "数据库尚未初始化，请先运行 sunshine init-db"


def shown_url(url: str | None) -> str:
    """The database URL as it may be printed: without its password."""
    if not url:
        return "（未设置）"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()
             if line.strip() and not line.strip().startswith("(Background on this error")]
    return lines[0] if lines else ""


def _database_error(exc: DBAPIError, where: str) -> str:
    orig = exc.orig
    message = str(orig) if orig is not None else str(exc)
    lowered = message.lower()
    state = getattr(orig, "sqlstate", None)
    if "no such table" in lowered or state == "42P01":
        return f"{NOT_INITIALISED}（数据库：{where}）"
    if "no such column" in lowered or state == "42703":
        return f"数据库结构不是最新版本，请先运行 sunshine init-db 升级（数据库：{where}）"
    if "unable to open database file" in lowered:
        return f"无法打开数据库文件 {where}：所在目录不存在或当前账号没有权限"
    if "file is not a database" in lowered:
        return f"{where} 不是 SQLite 数据库文件，请检查 SUNSHINE_DATABASE_URL"
    if "readonly database" in lowered:
        return f"数据库文件只读，当前账号无法写入：{where}"
    if "database is locked" in lowered:
        return "数据库正被另一个进程占用（database is locked），请稍后重试"
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return f"数据库不存在：{where}，请先创建它（例如 createdb），再运行 sunshine init-db"
    if state in ("28P01", "28000") or "authentication failed" in lowered:
        return f"无法登录数据库 {where}：用户名或密码不正确"
    if exc.connection_invalidated or "connection" in lowered:
        hint = "，请确认数据库服务已启动、地址和端口正确" if "refused" in lowered else ""
        return f"无法连接数据库 {where}：{_first_line(message)}{hint}"
    return f"数据库出错（{where}）：{_first_line(message) or type(exc).__name__}"


def describe(exc: BaseException, database_url: str | None = None) -> str:
    """One line saying why the command failed and, when known, what to do."""
    where = shown_url(database_url)
    if isinstance(exc, NoSuchModuleError):
        return f"不支持的数据库类型：{where}（只支持 sqlite:/// 和 postgresql://）"
    if isinstance(exc, ArgumentError) and "URL" in str(exc):
        return (f"数据库地址无效：{where}（应形如 sqlite:////var/lib/sunshine/sunshine.sqlite3 "
                "或 postgresql://用户@主机/数据库名），请检查 SUNSHINE_DATABASE_URL")
    if isinstance(exc, DBAPIError):
        return _database_error(exc, where)
    return _first_line(str(exc)) or type(exc).__name__
