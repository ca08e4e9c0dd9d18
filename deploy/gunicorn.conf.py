"""gunicorn settings for Sunshine (阳光政务): ``gunicorn -c deploy/gunicorn.conf.py sunshine.site.wsgi:app``.

Sync workers, (2 x cores) + 1 by default (gunicorn's own advice); sync workers
need a buffering proxy (nginx) in front for slow clients. Every value can be
overridden with an environment variable, so an operator never edits this file.
Measured facts behind these defaults: ../shared/SCALE-NOTES.md §5–6 (on 2 cores,
sync workers served ~400 form posts/s with one insert each). With several workers the
intake's rate limits need a shared store: SUNSHINE_RATELIMIT_STORAGE=redis://127.0.0.1:6379
(memory:// counts in each worker), and SUNSHINE_PROXY_HOPS=1 behind one nginx.
Previews are rendered by one publisher process per instance, whichever worker starts it
(instance/preview.sock; site/preview_server.py): more workers cost no more preview memory.
"""

import multiprocessing
import os

bind = os.environ.get("SUNSHINE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SUNSHINE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("SUNSHINE_WORKER_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 2
# Build the app once in the master: less memory, faster boot. The database engine must then not be
# shared across the fork (SQLAlchemy, "Using Connection Pools with Multiprocessing"): see post_fork.
preload_app = True
accesslog = os.environ.get("SUNSHINE_ACCESS_LOG", "-")
# Never log query strings: a lookup URL may carry a case or tracking number.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
errorlog = "-"
forwarded_allow_ips = os.environ.get("SUNSHINE_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """Each worker opens its own database connections."""
    from sunshine.site.db import db
    from sunshine.site.wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)


def on_exit(server):  # noqa: ARG001 - gunicorn's hook signature
    """The shared preview publisher outlives single workers, not the service: stop it with the master."""
    from sunshine.site.preview import previewer
    from sunshine.site.wsgi import app

    with app.app_context():
        previewer().stop()
