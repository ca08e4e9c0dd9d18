"""Attachments (附件): application-form templates and notice attachments, stored by content hash.

``uploads.accept_upload`` checks an upload (kind by content, size, name) and stores it once per
content in the private store (``store``); staff link it as ``/files/<sha256>/<name>``; the
export lists the files published records link to (``references``) and the publisher copies
exactly those into the site. The rules shared with the publisher (kinds, names, addresses)
are ``sunshine.contract.files``.
"""

from .references import published_attachments
from .store import AttachmentStore
from .uploads import AttachmentRefused, Uploaded, accept_upload, attachment_store, size_words

__all__ = ["AttachmentRefused", "AttachmentStore", "Uploaded", "accept_upload", "attachment_store",
           "published_attachments", "size_words"]
