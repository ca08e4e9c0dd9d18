"""What a citizen's typed text may contain before it is stored: one rule for every public form.

Text reaches the intake from browsers, copy-and-paste and scripts. Some of it
cannot be stored honestly: a NUL byte (PostgreSQL refuses it outright), other
invisible control characters, bidi overrides and isolates (they make a complaint
display differently from what it says, "Trojan Source"), lone surrogates, and
U+FFFD replacement characters, which betray text decoded with the wrong
encoding somewhere on the way. ``clean_text`` normalises what is fine (NFC,
CR LF → LF, surrounding blanks) and refuses the rest with a Chinese message,
offering the text without the offending characters so a form can show it back.

Pure functions: no Flask, no database; never logs a value.
"""

from __future__ import annotations

import unicodedata

#: Bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
#: Whitespace controls a multi-line field (a textarea) may keep.
MULTILINE_CONTROLS = frozenset("\n\t")

CONTROL_MESSAGE = "含有不可见的控制字符，已将其去掉，请核对后重新提交。"
BIDI_MESSAGE = "含有改变文字显示方向的控制符，已将其去掉，请核对后重新提交。"
ENCODING_MESSAGE = "含有无法识别的字符（可能是文字编码不对），已将其去掉，请核对或重新输入后提交。"


class BadText(ValueError):
    """Text that cannot be stored as typed.

    ``message`` is the Chinese reason (to follow the field's name), ``cleaned``
    the text with the offending characters removed, normalised like a good one.
    """

    def __init__(self, message: str, cleaned: str) -> None:
        super().__init__(message)
        self.message = message
        self.cleaned = cleaned


def _kind(char: str, multiline: bool) -> str | None:
    """Why ``char`` cannot be stored ("control", "bidi", "encoding"), or None when it can."""
    code = ord(char)
    if char in BIDI_CONTROLS:
        return "bidi"
    if 0xD800 <= code <= 0xDFFF or char == "\ufffd":
        return "encoding"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return None if multiline and char in MULTILINE_CONTROLS else "control"
    return None


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """``value`` NFC-normalised and stripped; raises BadText when it holds a character that cannot be stored.

    Line breaks (CR LF, CR) become LF; they, and tabs, are allowed only when
    ``multiline``. The first offending kind decides the message, in the order
    control (NUL included), bidi, encoding.
    """
    if value is None:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    kinds = {_kind(char, multiline) for char in text} - {None}
    if not kinds:
        return unicodedata.normalize("NFC", text).strip()
    kept = "".join(char for char in text if _kind(char, multiline) is None)
    cleaned = unicodedata.normalize("NFC", kept).strip()
    for kind, message in (("control", CONTROL_MESSAGE), ("bidi", BIDI_MESSAGE), ("encoding", ENCODING_MESSAGE)):
        if kind in kinds:
            raise BadText(message, cleaned)
    raise AssertionError(kinds)  # pragma: no cover
