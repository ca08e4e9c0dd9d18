"""Is the file what its name says? Each allowed kind is recognised by its content, not its name.

A file's extension is only a claim: ``报名表.pdf`` may be a renamed program. ``identify`` reads
the content: the PDF header and the PNG and JPEG signatures; an Office Open XML package by its
parts (``zipfile``: ``word/document.xml`` makes a .docx, ``xl/workbook.xml`` an .xlsx); a
compound document by its streams (``olefile``: ``WordDocument`` makes a .doc, ``Workbook`` an
.xls) — the magic-number libraries guess these two from fixed offsets and get them wrong — and
anything else by its magic number (``filetype``, some hundred formats), so a refusal can say
"实际是 .exe 文件". Office files carrying macros are refused: citizens download them from a
government site. Never touches the database or Flask.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
import olefile

from sunshine.contract.files import FILE_KINDS, FileKind

#: Kinds people may upload, as the refusals list them.
ALLOWED_WORDS = "PDF（.pdf）、Word（.doc、.docx）、Excel（.xls、.xlsx）、图片（.jpg、.png）"

_SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"))
#: Office Open XML main part → extension, and where a package keeps its macros.
_PACKAGE_PARTS = (("word/document.xml", "docx", "word/vbaProject.bin"), ("xl/workbook.xml", "xlsx", "xl/vbaProject.bin"))
#: Compound-document main streams → extension, and the storage holding its macros.
_DOCUMENT_STREAMS = ((("WordDocument",), "doc", "Macros"), (("Workbook", "Book"), "xls", "_VBA_PROJECT_CUR"),
                     (("PowerPoint Document",), "ppt", "_VBA_PROJECT_CUR"))
#: Extensions that name the same kind.
_SAME = {"jpeg": "jpg"}


class ContentRefused(ValueError):
    """The file's content is not an acceptable file of its kind. The message is for the uploader."""


@dataclass(frozen=True)
class Identified:
    #: The extension the content is ("pdf", "docx", "exe"…); None when not recognised.
    ext: str | None
    macros: bool = False


def _package(path: Path) -> Identified:
    try:
        with zipfile.ZipFile(path) as package:
            parts = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return Identified(None)
    if "[Content_Types].xml" in parts:
        for main, ext, macros in _PACKAGE_PARTS:
            if main in parts:
                return Identified(ext, macros in parts)
    return Identified("zip")


def _compound_document(path: Path) -> Identified:
    try:
        with olefile.OleFileIO(str(path)) as document:
            for streams, ext, macros in _DOCUMENT_STREAMS:
                if any(document.exists(stream) for stream in streams):
                    return Identified(ext, document.exists(macros))
    except Exception:  # noqa: BLE001 — olefile raises OSError and others on a damaged document
        return Identified(None)
    return Identified(None)


def identify(path: Path) -> Identified:
    """What the file at ``path`` is, by its content."""
    with path.open("rb") as fh:
        head = fh.read(16)
    for signature, ext in _SIGNATURES:
        if head.startswith(signature):
            return Identified(ext)
    if zipfile.is_zipfile(path):
        return _package(path)
    if olefile.isOleFile(str(path)):
        return _compound_document(path)
    try:
        guessed = filetype.guess(str(path))
    except (OSError, TypeError):
        guessed = None
    return Identified(guessed.extension if guessed is not None else None)


def check_content(path: Path, name: str, ext: str) -> FileKind:
    """The kind of the file at ``path`` (named ``name``, extension ``ext``); ContentRefused if its
    content is not that kind, or carries macros."""
    found = identify(path)
    if found.ext != _SAME.get(ext, ext):
        raise ContentRefused(_not_what_it_says(name, ext, found.ext))
    if found.macros:
        raise ContentRefused(
            f"文件“{name}”含有宏（VBA 代码），群众下载后可能带来安全风险，不能上传。"
            "请在 Word 或 Excel 中删除宏，或另存为不含宏的 .docx / .xlsx 后再上传。")
    return FILE_KINDS[ext]


def _not_what_it_says(name: str, ext: str, actual: str | None) -> str:
    kind = FILE_KINDS[ext]
    found = f"内容实际是 .{actual} 文件" if actual else f"内容不是有效的{kind.label}（可能已损坏，或只是改了扩展名）"
    return (f"文件“{name}”的扩展名是 .{ext}，但{found}，不能上传。请上传真正的{kind.label}；"
            f"其他格式请先在相应软件中另存为 {ALLOWED_WORDS} 之一。")
