"""Which attachments are published: those the published records link to, and no others.

A link ``/files/<sha256>/<name>`` anywhere in a published record — a material's
``template_url``, a notice's body, an item's conditions — publishes that file under that name,
provided the hash is a stored attachment and the name's extension is the file's kind (a PDF is
never published as ``x.html``). An upload nobody links to stays in the back office. A link to
an unknown file is left out (it is logged): one clerk's broken link must not stop every
department's publishing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from sqlalchemy import select

from sunshine.contract.files import file_links, name_fits

from ..db import db
from ..models import Attachment

log = logging.getLogger(__name__)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for part in value.values():
            yield from _strings(part)
    elif isinstance(value, list):
        for part in value:
            yield from _strings(part)


def linked_files(records: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(sha256, name) of every file link in the records' text."""
    return {link for record in records for text in _strings(record) if "/files/" in text
            for link in file_links(text)}


def published_attachments(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The snapshot's ``attachments``: one entry per linked (file, name), sorted by hash and name.

    ``records`` may be the snapshot's collections (lists of records): only the records whose JSON
    holds ``/files/`` are searched for links. orjson writes a string's ``/`` and letters as they
    are, so a record without those bytes has no link; finding them in orjson's C encoding is ten
    times faster than walking a city's ten thousand items' strings in Python.
    """
    links = linked_files(_linking(records))
    if not links:
        return []
    hashes = sorted({sha256 for sha256, _ in links})
    stored = {a.sha256: a for a in db.session.scalars(select(Attachment).where(Attachment.sha256.in_(hashes)))}
    entries = []
    for sha256, name in sorted(links):
        attachment = stored.get(sha256)
        if attachment is None or not name_fits(name, attachment.media_type):
            log.warning("已发布的记录链接了不存在或类型不符的附件 /files/%s/%s，未随网站发布", sha256, name)
            continue
        entries.append({"sha256": sha256, "name": name, "media_type": attachment.media_type,
                        "size": attachment.size})
    return entries


def _linking(records: Iterable[Any]) -> Iterator[Any]:
    """The records (or the collections' records) that may hold a file link: what ``linked_files``
    would find nothing in is left out; a record orjson cannot encode is kept, to be searched."""
    for record in records:
        for part in record if isinstance(record, list) else (record,):
            try:
                if b"/files/" not in orjson.dumps(part):
                    continue
            except orjson.JSONEncodeError:
                pass
            yield part
