"""Real files of every kind, made here byte by byte, and files that only pretend to be one.

Each builder writes the format's own structure (a PNG with its chunks and CRCs, an Office Open
XML package, an OLE2 compound document after [MS-CFB]), so the checks under test read files as
the office's software writes them, not strings that merely start right.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook


def pdf() -> bytes:
    """A one-page PDF (建设工程规划许可申请表), as a PDF writer lays it out."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg() -> bytes:
    """A JFIF header and end marker: what the content check reads of a JPEG."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def docx(*, macros: bool = False) -> bytes:
    """A Word document package; ``macros`` adds the VBA project a .docm carries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types '
                         'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        package.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                         'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
        package.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document '
                         'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                         "<w:p><w:r><w:t>建设工程规划许可申请表</w:t></w:r></w:p></w:body></w:document>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    return out.getvalue()


def xlsx() -> bytes:
    """A workbook written by openpyxl (as Excel would: [Content_Types].xml, xl/workbook.xml …)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "申请人信息"
    sheet.append(["姓名", "身份证号", "联系电话"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("申请表.txt", "申请人：\n")
    return out.getvalue()


def exe() -> bytes:
    """The start of a Windows program: the MZ header and its DOS stub."""
    header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"
    return header + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 400


# ---------------------------------------------------------------- OLE2 compound documents ([MS-CFB] v3)

_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def _dir_entry(name: str, kind: int, *, right: int = _NONE, child: int = _NONE, start: int = _END,
               size: int = 0) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NONE, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<IQ", start, size))


def compound_document(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """An OLE2 file (the format of .doc and .xls) with the given top-level streams and empty storages.

    Sector 0 holds the FAT, sector 1 the directory (root and up to three children, chained as
    right siblings), then each stream padded to whole sectors; streams are at least 4096 bytes,
    so none lives in the mini stream.
    """
    children = [(name, 2, data.ljust(4096, b"\x00")) for name, data in streams.items()]
    children += [(name, 1, b"") for name in storages]
    assert len(children) <= 3
    fat = [_FAT, _END]
    entries = []
    body = b""
    next_sector = 2
    for index, (name, kind, data) in enumerate(children, start=1):
        right = index + 1 if index < len(children) else _NONE
        if kind == 2:
            count = len(data) // _SECTOR
            fat += [next_sector + i + 1 for i in range(count - 1)] + [_END]
            entries.append(_dir_entry(name, kind, right=right, start=next_sector, size=len(data)))
            body += data
            next_sector += count
        else:
            entries.append(_dir_entry(name, kind, right=right))
    root = _dir_entry("Root Entry", 5, child=1 if children else _NONE)
    unused = _dir_entry("", 0)
    directory = root + b"".join(entries) + unused * (4 - 1 - len(entries))
    fat_sector = b"".join(struct.pack("<I", value) for value in fat).ljust(_SECTOR, b"\xff")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    assert len(header) == _SECTOR and len(directory) == _SECTOR
    return header + fat_sector + directory + body


def doc(*, macros: bool = False) -> bytes:
    return compound_document({"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\x00"},
                             ("Macros",) if macros else ())


def xls(*, macros: bool = False) -> bytes:
    return compound_document({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"},
                             ("_VBA_PROJECT_CUR",) if macros else ())
