"""The approval system's JSON API (/api/v1): push cases and status changes, read a case's standing.

Machine clients only: every request carries ``Authorization: Bearer <token>``
(tokens from ``sunshine create-token``), so the blueprint is exempt from CSRF
and has no session or login. It runs under the ``api`` role and is documented
in ``docs/openapi/cases.yaml``. It never returns or logs applicant data.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, cases  # noqa: E402,F401  (register the hooks and routes)
