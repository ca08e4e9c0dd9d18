"""附件 (/admin/attachments): upload application-form templates and notice attachments, list a
department's attachments with the public link to paste into a material or a notice.

The page only translates HTTP into ``attachments`` calls. Who may do what is ``policy``'s: a
department's staff see and upload their own department's attachments (upload is ``EDIT``),
the centre's roles any department's and the centre's own. The upload route raises the request
size limit to the attachment limit; so that the larger body is not parsed before the limit is
raised, it is exempt from the app-wide CSRF hook and checks the token itself, after.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template, request, send_file
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from sunshine.contract.files import file_url

from .. import csrf
from ..attachments import AttachmentRefused, Uploaded, accept_upload, attachment_store, size_words
from ..attachments.formats import ALLOWED_WORDS
from ..attachments.uploads import too_large_message
from ..db import db
from ..models import Attachment, Department
from ..policy import Action, may, scope
from . import bp
from .forms.common import AdminForm

#: The ``department`` value that means the centre's own attachments (centre notices).
CENTER = "center"
CENTER_NAME = "政务服务中心（本中心）"
#: Room for the multipart envelope around a file of the largest allowed size.
FORM_OVERHEAD = 64 * 1024
#: Attachments listed on one page (newest first).
SHOWN = 500


class AttachmentForm(AdminForm):
    file = FileField("选择文件", validators=[FileRequired("请选择要上传的文件。")])


@dataclass(frozen=True)
class Owner:
    """Whose attachments a page shows: a department, or the centre (``department`` None)."""

    department: Department | None

    @property
    def id(self) -> int | None:
        return self.department.id if self.department is not None else None

    @property
    def code(self) -> str:
        return self.department.code if self.department is not None else CENTER

    @property
    def name(self) -> str:
        return self.department.name if self.department is not None else CENTER_NAME


def _chosen(action: Action) -> Owner | None:
    """The owner the request names (``department``: a code or ``center``), checked: 404 unknown, 403
    not the user's. None when the user must still choose (several departments allowed)."""
    if not may(current_user, action):
        abort(403)
    code = (request.args.get("department") or "").strip()
    if code == CENTER:
        owner = Owner(None)
    elif code:
        department = db.session.scalars(select(Department).where(Department.code == code)).first()
        if department is None:
            abort(404)
        owner = Owner(department)
    else:
        allowed = scope(current_user, action)
        if allowed is not None and len(allowed) == 1:
            return Owner(db.session.get(Department, next(iter(allowed))))
        return None
    if not may(current_user, action, department_id=owner.id):
        abort(403)
    return owner


def _choices() -> list[Owner]:
    allowed = scope(current_user, Action.VIEW)
    stmt = select(Department).order_by(Department.code)
    if allowed is not None:
        stmt = stmt.where(Department.id.in_(allowed))
    owners = [Owner(d) for d in db.session.scalars(stmt)]
    return ([Owner(None)] if allowed is None else []) + owners


def _attachments(owner: Owner) -> list[Attachment]:
    stmt = select(Attachment).order_by(Attachment.uploaded_at.desc(), Attachment.id.desc()).limit(SHOWN)
    stmt = stmt.where(Attachment.department_id.is_(None) if owner.id is None else Attachment.department_id == owner.id)
    return list(db.session.scalars(stmt))


def _page(owner: Owner | None, form: AttachmentForm, *, uploaded: Uploaded | None = None,
          refusal: str | None = None) -> str:
    choices = _choices()
    limit = current_app.config["SUNSHINE_ATTACHMENT_MAX_BYTES"]
    return render_template(
        "admin/attachments/list.html", owner=owner, choices=choices, chooses=len(choices) > 1, form=form,
        attachments=_attachments(owner) if owner is not None else [],
        can_upload=owner is not None and may(current_user, Action.EDIT, department_id=owner.id),
        uploaded=uploaded, refusal=refusal, limit_words=size_words(limit), allowed_words=ALLOWED_WORDS,
        file_url=file_url, size_words=size_words)


@bp.get("/attachments")
def attachments():
    return _page(_chosen(Action.VIEW), AttachmentForm(formdata=None))


@bp.post("/attachments")
@csrf.exempt
def attachment_upload():
    limit = current_app.config["SUNSHINE_ATTACHMENT_MAX_BYTES"]
    request.max_content_length = limit + FORM_OVERHEAD
    owner = _chosen(Action.EDIT)  # from the address: the body is not read yet
    if owner is None:
        abort(400)
    try:
        request.files  # noqa: B018 — parse the body now, under the raised limit
    except RequestEntityTooLarge:
        return _page(owner, AttachmentForm(formdata=None), refusal=too_large_message("", limit)), 413
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _page(owner, form), 400
    upload = form.file.data
    try:
        uploaded = accept_upload(upload.filename or "", upload.stream, department_id=owner.id,
                                 user=current_user._get_current_object())
    except AttachmentRefused as refused:
        return _page(owner, AttachmentForm(formdata=None), refusal=str(refused)), 400
    return _page(owner, AttachmentForm(formdata=None), uploaded=uploaded)


@bp.get("/attachments/<int:id>/file")
def attachment_file(id: int):
    """The stored file, for staff to check it (the public gets it from the site once it is linked)."""
    attachment = db.session.get(Attachment, id)
    if attachment is None:
        abort(404)
    if not may(current_user, Action.VIEW, department_id=attachment.department_id):
        abort(403)
    path = attachment_store().path_of(attachment.sha256)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.filename, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    return response
