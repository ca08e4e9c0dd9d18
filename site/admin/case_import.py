"""办件导入 (/admin/cases/import): upload a CSV or .xlsx of cases, see every problem or the result.

The page only translates HTTP into ``cases.importing`` / ``cases.table_files``
calls. Office staff import cases of their own department's items only (checked
row by row on the server); the administrator any. The query codes of new cases are shown once
and offered as a CSV made from the posted result: they are never stored in
clear, never logged, never kept in the session.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge

from ..cases.importing import import_file
from ..cases.records import COLUMNS, ImportRejected
from ..cases.table_files import codes_csv, template_csv
from ..db import db
from ..models import Department
from ..policy import Action, scope
from . import bp
from .forms.common import AdminForm

#: Roles that may import (supervisors watch cases, they do not enter them).
#: Problems shown on the page; the rest are counted.
SHOWN_PROBLEMS = 200
#: Codes one download may carry (a file holds at most table_files.MAX_ROWS cases).
MAX_CODES = 50_000


class CaseImportForm(AdminForm):
    file = FileField(_l("办件文件（CSV 或 Excel .xlsx）"), validators=[
        FileRequired(_l("请选择要导入的 CSV 或 Excel（.xlsx）文件。")),
        FileAllowed(["csv", "xlsx"], _l("只能导入 CSV（.csv）或 Excel（.xlsx）文件。")),
    ])


class CodesForm(AdminForm):
    """Only the CSRF token: the codes come as repeated ``case_no`` / ``code`` fields."""


def _department_id() -> int | None:
    """The department whose items the user may import cases for; None = any (the centre's administrator).

    Staff of several departments import for their own account's department (or the first of theirs).
    """
    departments = scope(current_user, Action.HANDLE_CASE)
    if departments is None:
        return None
    if not departments:
        abort(403)
    return current_user.department_id if current_user.department_id in departments else min(departments)


def _page(form: CaseImportForm, **context) -> str:
    department_id = _department_id()
    department = None if department_id is None else db.session.get(Department, department_id)
    return render_template("admin/cases/import.html", form=form, columns=COLUMNS, department=department,
                           shown_problems=SHOWN_PROBLEMS, codes_form=CodesForm(formdata=None), **context)


@bp.get("/cases/import")
def case_import():
    _department_id()
    return _page(CaseImportForm(formdata=None))


@bp.post("/cases/import")
def case_import_post():
    request.max_content_length = current_app.config["SUNSHINE_IMPORT_MAX_BYTES"]
    department_id = _department_id()
    form = CaseImportForm()
    if not form.validate_on_submit():
        return _page(form), 400
    upload = form.file.data
    try:
        report = import_file(upload.filename or "", upload.read(), department_id=department_id,
                             user_id=current_user.id)
    except ImportRejected as rejected:
        return _page(CaseImportForm(formdata=None), problems=rejected.problems,
                     filename=upload.filename), 400
    return _page(CaseImportForm(formdata=None), report=report, filename=upload.filename)


@bp.get("/cases/import/template.csv")
def case_import_template():
    _department_id()
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=case-import-template.csv"})


@bp.post("/cases/import/codes.csv")
def case_import_codes():
    """The new query codes as CSV, from the fields the result page posted back (nothing is stored)."""
    _department_id()
    form = CodesForm()
    if not form.validate_on_submit():
        abort(400)
    numbers, codes = request.form.getlist("case_no"), request.form.getlist("code")
    if not numbers or len(numbers) != len(codes) or len(numbers) > MAX_CODES:
        abort(400)
    checked = [(n, c) for n, c in zip(numbers, codes, strict=True)
               if n and c and len(n) <= 40 and len(c) <= 32 and c.isalnum()]
    if len(checked) != len(numbers):
        abort(400)
    return Response(codes_csv(checked), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=case-query-codes.csv",
                             "Cache-Control": "no-store"})


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    limit_mb = current_app.config["SUNSHINE_IMPORT_MAX_BYTES"] / (1024 * 1024)
    return render_template("admin/error.html", title=_("文件太大"),
                           message=_("上传的文件超过 %(size)s MB，请分成几个文件后再导入。", size=format(limit_mb, ".0f"))), 413

