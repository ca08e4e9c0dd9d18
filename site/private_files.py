"""The instance folder and the SQLite files are readable by the service's account only.

The database holds complainants' contacts, applicants' ID numbers and password hashes; the
instance folder its secret key. The folder is made 0700 and each SQLite file (the database,
the publish queue) 0600; a missing SQLite file is created empty with 0600 before SQLite
opens it, since SQLite gives its journal and WAL files the database file's permissions. The
published web root is not touched: the web server must read it. When the web root lies inside
the instance folder (the default ``instance/public``), the folder is 0711 instead: others may
pass through it to the site but not list it, and every private file in it stays 0600.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
#: The instance folder when the published site lies inside it: passable, not listable.
PASSABLE_DIR = 0o711
PRIVATE_FILE = 0o600


def sqlite_file(url: str | None) -> Path | None:
    """The file of a ``sqlite:///path`` URL; None for other databases, memory or an unreadable URL."""
    if not url:
        return None
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):  # URI filenames: leave them to whoever wrote them
        return None
    return Path(parsed.database)


def _restrict(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)
    except OSError as exc:  # e.g. a folder owned by another account: the operator's to fix, not fatal
        log.warning("无法把 %s 的权限设为 %o：%s", path, mode, exc.strerror or exc)


def ensure_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if its folder exists and it does not; else restrict it."""
    if not path.parent.is_dir():
        return  # SQLite will refuse to open it; the error says so
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        _restrict(path, PRIVATE_FILE)
    except OSError as exc:
        log.warning("无法创建 %s：%s", path, exc.strerror or exc)
    else:
        os.close(fd)


def restrict_instance(app: Flask) -> None:
    """Make the instance folder and the app's SQLite files private to this account."""
    instance = Path(app.instance_path).resolve()
    web_root = Path(app.config.get("SUNSHINE_WEB_ROOT") or instance / "public").resolve()
    _restrict(instance, PASSABLE_DIR if web_root.is_relative_to(instance) else PRIVATE_DIR)
    for url in (app.config.get("SQLALCHEMY_DATABASE_URI"), app.config.get("SUNSHINE_QUEUE_URL")):
        path = sqlite_file(url)
        if path is not None:
            ensure_private_file(path)
