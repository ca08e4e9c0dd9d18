"""The instance folder and the SQLite files are readable by the service's account only."""

from __future__ import annotations

import os
import stat

from click.testing import CliRunner

from sunshine.site import create_app
from sunshine.site.cli import main
from sunshine.site.private_files import sqlite_file


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _app(tmp_path, **settings):
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'instance' / 'sunshine.sqlite3'}",
                       "SUNSHINE_QUEUE_URL": f"sqlite:///{tmp_path / 'instance' / 'queue.sqlite3'}",
                       "SUNSHINE_WEB_ROOT": str(tmp_path / "www"), **settings})


def test_a_new_instance_is_private(tmp_path):
    _app(tmp_path)
    instance = tmp_path / "instance"
    assert _mode(instance) == 0o700
    assert _mode(instance / "sunshine.sqlite3") == 0o600
    assert _mode(instance / "queue.sqlite3") == 0o600
    assert _mode(instance / "secret_key") == 0o600


def test_an_existing_world_readable_instance_is_made_private(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    database = instance / "sunshine.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    _app(tmp_path)
    assert (_mode(instance), _mode(database)) == (0o700, 0o600)


def test_init_db_leaves_the_database_private(tmp_path, monkeypatch):
    database = tmp_path / "data" / "sunshine.sqlite3"
    database.parent.mkdir()
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("SUNSHINE_WEB_ROOT", str(tmp_path / "www"))
    result = CliRunner().invoke(main, ["init-db"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert database.stat().st_size > 0
    assert _mode(database) == 0o600
    assert _mode(tmp_path / "instance") == 0o700


def test_a_web_root_inside_the_instance_keeps_it_passable_but_not_listable(tmp_path):
    _app(tmp_path, SUNSHINE_WEB_ROOT=str(tmp_path / "instance" / "public"))
    assert _mode(tmp_path / "instance") == 0o711  # a web server reaches instance/public/current
    assert _mode(tmp_path / "instance" / "sunshine.sqlite3") == 0o600


def test_only_sqlite_files_are_touched():
    assert sqlite_file("postgresql://sunshine@db/sunshine") is None
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("redis://127.0.0.1:6379/0") is None
    assert str(sqlite_file("sqlite:////var/lib/sunshine/queue.sqlite3")) == "/var/lib/sunshine/queue.sqlite3"
