"""Published files (附件): which kinds may be published, how they are named and where they live.

An attachment (an application-form template, a notice's attachment) is published at
``/files/<sha256>/<name>``: the SHA-256 of its bytes, so an address never changes meaning, and a
name that says what it is. The back office checks uploads and finds these links in published
records; the snapshot lists them (``attachments``); the publisher copies them into the site. The
name's extension decides the Content-Type a static web server sends, so it must agree with the
file's kind: a PDF is never served as HTML. Names keep to letters, digits, Chinese characters and
``_ . -``: they go into Markdown links, URLs and file systems unchanged.

Pure Python; imports neither Flask nor Pelican.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from .urls import url_for


@dataclass(frozen=True)
class FileKind:
    media_type: str
    #: 中文 name for people: "PDF 文档".
    label: str


#: Extension (lower case, no dot) → kind. The only kinds an attachment may be.
FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", "PDF 文档"),
    "doc": FileKind("application/msword", "Word 97-2003 文档"),
    "docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"),
    "xls": FileKind("application/vnd.ms-excel", "Excel 97-2003 工作簿"),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 工作簿"),
    "jpg": FileKind("image/jpeg", "JPEG 图片"),
    "jpeg": FileKind("image/jpeg", "JPEG 图片"),
    "png": FileKind("image/png", "PNG 图片"),
}
MEDIA_TYPES: tuple[str, ...] = tuple(sorted({kind.media_type for kind in FILE_KINDS.values()}))

#: Characters a published name may hold (ASCII letters and digits, CJK ideographs, ``_ . -``);
#: spelled as ranges, not ``\w``, so the published JSON Schema means the same in any regex engine.
NAME_CHARACTERS = r"0-9A-Za-z_.\u3400-\u4dbf\u4e00-\u9fff-"
NAME_MAX_LENGTH = 100
_EXTENSIONS = "|".join(sorted(FILE_KINDS, key=lambda e: (-len(e), e)))
#: A published file name: at most NAME_MAX_LENGTH characters, no leading dot, a known extension in lower case.
NAME_PATTERN = rf"^(?=.{{1,{NAME_MAX_LENGTH}}}$)(?!\.)[{NAME_CHARACTERS}]+\.({_EXTENSIONS})$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
_NAME = re.compile(NAME_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)

#: The folder of the built site (and the URL segment) the files are published under.
FILES_DIR = url_for("file", "x").strip("/").split("/")[0]
#: A link to a published file inside any text: the hash, then the name up to a character that
#: ends a URL in Markdown or HTML (space, quote, bracket, ``?``, ``#``).
FILE_LINK = re.compile(rf"/{FILES_DIR}/([0-9a-f]{{64}})/([^\s/?#()\[\]<>\"'`]+)")


def extension(name: str) -> str:
    """The lower-case extension of ``name`` without the dot ("" when it has none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def is_file_name(name: str) -> bool:
    """Whether ``name`` may be published as it is (see ``NAME_PATTERN``)."""
    return bool(_NAME.fullmatch(name))


def is_sha256(value: str) -> bool:
    return bool(_SHA256.fullmatch(value))


def name_fits(name: str, media_type: str) -> bool:
    """A publishable name whose extension is one of the file's kind (``报名表.pdf`` for a PDF)."""
    kind = FILE_KINDS.get(extension(name))
    return is_file_name(name) and kind is not None and kind.media_type == media_type


def file_url(sha256: str, name: str) -> str:
    """The root-relative address of a published file: ``/files/<sha256>/<name>``."""
    return url_for("file", f"{sha256}/{name}")


def save_as(sha256: str, name: str) -> str:
    """Where the file is written in the built site (relative to its root)."""
    return file_url(sha256, name).lstrip("/")


def file_links(text: str) -> list[tuple[str, str]]:
    """(sha256, name) of every link to a published file in ``text``, in order, names percent-decoded
    (a link copied from a browser's address bar is encoded); names that could not be published
    are left out."""
    found = []
    for match in FILE_LINK.finditer(text):
        try:
            name = unquote(match.group(2), errors="strict")
        except UnicodeDecodeError:
            continue
        if is_file_name(name):
            found.append((match.group(1), name))
    return found
