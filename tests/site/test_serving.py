"""Serving in production: security headers on every response, a health endpoint, and gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from sunshine.site import create_app
from sunshine.site.security_headers import CONTENT_SECURITY_POLICY
from tests.serving import wait_until_answering

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/intake/complaint", "/intake/case", "/admin/login", "/healthz",
                                  "/api/v1/cases/NOPE"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_policy_allows_no_inline_script():
    script_src = next(d for d in CONTENT_SECURITY_POLICY.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "database": "ok"})
    assert response.headers["Cache-Control"] == "no-store"


def test_health_is_503_when_the_database_does_not_answer(app_config, tmp_path):
    broken = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    response = broken.test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (503, {"status": "unavailable", "database": "unreachable"})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_documented_production_command_serves_the_intake(tmp_path):
    port = _free_port()
    env = {**os.environ, "SUNSHINE_INSTANCE_PATH": str(tmp_path / "instance"),
           "SUNSHINE_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "SUNSHINE_ROLES": "public",
           "SUNSHINE_BIND": f"127.0.0.1:{port}", "SUNSHINE_WORKERS": "2", "PYTHONWARNINGS": "ignore"}
    subprocess.run([sys.executable, "-m", "sunshine.site.cli", "init-db"], env=env, check=True,
                   capture_output=True, timeout=120)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "deploy/gunicorn.conf.py", "sunshine.site.wsgi:app"],
                              cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_until_answering(server, base + "/healthz",
                                      why=lambda: "gunicorn did not start: " + server.stderr.read().decode()[-2000:])
        assert health.status == 200
        form = urllib.request.urlopen(base + "/intake/complaint", timeout=5)
        assert form.status == 200 and form.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        with pytest.raises(urllib.error.HTTPError) as refused:  # a public-only server has no back office
            urllib.request.urlopen(base + "/admin/login", timeout=5)
        assert refused.value.code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
