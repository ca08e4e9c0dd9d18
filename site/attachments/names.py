"""The name an uploaded file is published under, made from the name it was uploaded with.

The name ends up in an address (``/files/<sha256>/<name>``), in Markdown links staff paste into
notices, and in the built site's file system, so it keeps only what all three carry unchanged
(``contract.files.NAME_CHARACTERS``): full-width forms are folded (NFKC), anything else becomes
"_", and the extension is kept in lower case. ``(2026版) 报名表.DOCX`` → ``2026版_报名表.docx``.
"""

from __future__ import annotations

import re
import unicodedata

from sunshine.contract.files import NAME_CHARACTERS, NAME_MAX_LENGTH, extension

_OTHER = re.compile(f"[^{NAME_CHARACTERS}]+")
_RUNS = re.compile(r"_{2,}")
#: Stem used when nothing of the uploaded name survives (e.g. "？？？.pdf").
FALLBACK_STEM = "附件"


def public_name(uploaded: str) -> str:
    """The publishable form of ``uploaded`` (the extension as uploaded, lower-cased; may be unknown).

    Only the last path segment counts: browsers on Windows used to send ``C:\\…\\报名表.pdf``.
    """
    base = unicodedata.normalize("NFKC", uploaded or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    ext = extension(base)
    stem = base[: -len(ext) - 1] if ext else base
    stem = _RUNS.sub("_", _OTHER.sub("_", stem)).strip("_.-")
    ext = _OTHER.sub("", ext)
    room = NAME_MAX_LENGTH - len(ext) - 1
    stem = (stem[:room].rstrip("_.-") or FALLBACK_STEM) if room > 0 else FALLBACK_STEM
    return f"{stem}.{ext}" if ext else stem
