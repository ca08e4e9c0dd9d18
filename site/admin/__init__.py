"""Back office for office staff (/admin): edit, publish and supervise what is disclosed.

Every route needs a logged-in, active account; what each role may see or change
is decided on the server (``permissions``), never by hiding links. Views are
split by what they show; the shared save/publish/withdraw steps live in
``editing`` and the site rebuild in ``site_build``.
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import (  # noqa: E402,F401  (register the routes)
    account,
    attachments,
    audit_log,
    auth,
    case_import,
    cases,
    channels,
    complaints,
    dashboard,
    departments,
    errors,
    item_transfer,
    items,
    language,
    layout,
    markdown_preview,
    notices,
    permissions,
    quality,
    questions,
    ratings,
    records,
    rectifications,
    search,
    search_synonyms,
    site_build,
    supervision,
    users,
)
