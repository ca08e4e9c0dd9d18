"""The WSGI entry point for production servers: ``gunicorn -c deploy/gunicorn.conf.py sunshine.site.wsgi:app``.

Configuration comes from the ``SUNSHINE_*`` environment variables as everywhere
(``site/config.py``); this module only builds the one app object.
"""

from __future__ import annotations

from . import create_app

app = create_app()
