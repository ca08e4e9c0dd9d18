"""事项批量导入导出 (/admin/items/transfer): export a department's items, download the template, import a file.

The page only translates HTTP into ``item_transfer`` calls. Who may do what is
``policy``'s: office staff import and export their own department's items, the
administrator chooses the department, a supervisor may export but never import.
An export is audited; an import is audited by ``item_transfer.storing``.
"""

from __future__ import annotations

import io

from flask import abort, current_app, render_template, request, send_file
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select

from .. import audit, clock
from ..db import db
from ..item_transfer import (
    XLSX_MIMETYPE,
    TransferRejected,
    department_items,
    export_xlsx,
    export_zip,
    import_items,
    template_xlsx,
    template_zip,
)
from ..item_transfer.columns import GUIDE, form_fields
from ..item_transfer.writing import notes_rows
from ..models import Department
from ..policy import Action, may, scope
from . import bp
from .forms.common import AdminForm

#: Problems shown on the page; the rest are counted.
SHOWN_PROBLEMS = 200
FORMATS = {"xlsx": (XLSX_MIMETYPE, export_xlsx, template_xlsx), "zip": ("application/zip", export_zip, template_zip)}


class ItemImportForm(AdminForm):
    file = FileField("事项文件（Excel .xlsx，或 CSV 压缩包 .zip，或单个 事项.csv）", validators=[
        FileRequired("请选择要导入的 Excel（.xlsx）、CSV 压缩包（.zip）或 CSV（.csv）文件。"),
        FileAllowed(["xlsx", "zip", "csv"], "只能导入 Excel（.xlsx）、CSV 压缩包（.zip）或 CSV（.csv）文件。"),
    ])


def _chosen(action: Action) -> Department | None:
    """The department of the request (``department`` code), checked: 404 unknown, 403 not the user's.

    None when the user must still choose one (the administrator and the supervisor).
    """
    if not may(current_user, action):
        abort(403)
    code = (request.values.get("department") or "").strip()
    if code:
        department = db.session.scalars(select(Department).where(Department.code == code)).first()
        if department is None:
            abort(404)
        if not may(current_user, action, department_id=department.id):
            abort(403)
        return department
    allowed = scope(current_user, action)
    if allowed is not None and len(allowed) == 1:
        return db.session.get(Department, next(iter(allowed)))
    return None


def _page_action() -> Action:
    return Action.IMPORT if may(current_user, Action.IMPORT) else Action.EXPORT


def _page(department: Department | None, form: ItemImportForm, **context) -> str:
    allowed = scope(current_user, _page_action())
    stmt = select(Department).order_by(Department.code)
    if allowed is not None:
        stmt = stmt.where(Department.id.in_(allowed))
    choices = list(db.session.scalars(stmt))
    in_department = {"department_id": department.id} if department is not None else {}
    return render_template(
        "admin/item_transfer/page.html", department=department, departments=choices, form=form,
        chooses=len(choices) > 1, guide=GUIDE, notes=notes_rows(form_fields())[len(GUIDE) + 2:],
        can_import=department is not None and may(current_user, Action.IMPORT, **in_department),
        can_export=department is not None and may(current_user, Action.EXPORT, **in_department),
        shown_problems=SHOWN_PROBLEMS, **context)


@bp.get("/items/transfer")
def item_transfer():
    return _page(_chosen(_page_action()), ItemImportForm(formdata=None))


@bp.post("/items/transfer")
def item_transfer_import():
    request.max_content_length = current_app.config["SUNSHINE_IMPORT_MAX_BYTES"]
    department = _chosen(Action.IMPORT)
    form = ItemImportForm()
    if department is None:
        return _page(None, form, choose_error="请先选择要导入到哪个部门。"), 400
    if not form.validate_on_submit():
        return _page(department, form), 400
    upload = form.file.data
    filename = upload.filename or ""
    try:
        report = import_items(filename, upload.read(), department=department,
                              user=current_user._get_current_object())
    except TransferRejected as rejected:
        return _page(department, ItemImportForm(formdata=None), problems=rejected.problems, filename=filename), 400
    return _page(department, ItemImportForm(formdata=None), report=report, filename=filename)


@bp.get("/items/transfer/export.<any(xlsx, zip):kind>")
def item_transfer_export(kind: str):
    department = _chosen(Action.EXPORT)
    if department is None:
        abort(404)
    mimetype, export, _ = FORMATS[kind]
    items = department_items(department)
    data = export(items)
    label = "Excel" if kind == "xlsx" else "CSV 压缩包"
    audit.record("export", target_type="service_item", department_id=department.id,
                 summary=f"导出{department.short_name or department.name}的服务事项 {len(items)} 项（{label}）",
                 detail={"department": department.code, "format": kind, "items": len(items)}, commit=True)
    name = f"{department.short_name or department.name}服务事项-{clock.today():%Y%m%d}.{kind}"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"  # drafts are internal: no cache keeps a copy
    return response


@bp.get("/items/transfer/template.<any(xlsx, zip):kind>")
def item_transfer_template(kind: str):
    if not (may(current_user, Action.IMPORT) or may(current_user, Action.EXPORT)):
        abort(403)
    mimetype, _, template = FORMATS[kind]
    return send_file(io.BytesIO(template()), mimetype=mimetype, as_attachment=True,
                     download_name=f"服务事项导入模板.{kind}")
