"""Sunshine back office and public intake: the Flask application factory.

One factory serves every deployment; ``SUNSHINE_ROLES`` decides which
blueprints a process exposes (admin on the internal network, public intake on
the internet, api for the approval system's JSON pushes, static for the demo). This package never renders public pages:
the publisher does, from the snapshot.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import PROJECT_ROOT, default_settings
from .db import db

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")

csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "warning"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` overrides settings (tests, CLI)."""
    instance_path = os.environ.get("SUNSHINE_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(default_settings(instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from .private_files import restrict_instance

    restrict_instance(app)  # instance/ 0700, SQLite files 0600 (created so before SQLite opens them)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    app.json.ensure_ascii = False
    hops = int(app.config.get("SUNSHINE_PROXY_HOPS") or 0)
    if hops:  # behind a reverse proxy: the client address is the last hop(s) it appended
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    from . import upload_limits

    upload_limits.register(app)  # before CSRF reads the form
    csrf.init_app(app)
    login_manager.init_app(app)

    from . import (
        audit,  # noqa: F401  (the audit log: append-only guard, automatic capture)
        i18n,
        models,  # noqa: F401  (register the mappers)
    )
    from .templating import register_filters

    i18n.init_app(app)
    register_filters(app)
    from . import sessions

    sessions.register(app)
    login_manager.unauthorized_handler(sessions.unauthorized)
    from . import health, security_headers, url_ids

    security_headers.register(app)
    url_ids.register(app)
    app.register_blueprint(health.bp)
    roles = set(app.config["SUNSHINE_ROLES"])
    if "admin" in roles:
        from .admin import bp as admin_bp

        app.register_blueprint(admin_bp)
    if "public" in roles:
        from .public import bp as public_bp
        from .public.limits import init_limits
        from .public.search import api_bp as public_search_api_bp

        app.register_blueprint(public_bp)
        app.register_blueprint(public_search_api_bp)  # GET /api/search: published records, no login
        init_limits(app)
    if "api" in roles:
        from .api import bp as api_bp

        csrf.exempt(api_bp)  # machine clients authenticate with a bearer token, not a session
        app.register_blueprint(api_bp)
    if "static" in roles:
        from .static_site import bp as static_bp

        app.register_blueprint(static_bp)
    return app


@login_manager.user_loader
def _load_user(user_id: str):
    """Only with a valid server-side session of that user (``sunshine.site.sessions``)."""
    from .sessions import load_user

    return load_user(user_id)


def _instance_secret(instance: Path) -> str:
    """A random key kept in instance/, so sessions survive restarts without config."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
