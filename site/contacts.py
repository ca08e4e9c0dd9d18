"""What a phone number and an identity number look like: one rule for every way in.

The complaint and rating forms, the back office's case form, the case import and
the approval system's API all check contact details here, so a number accepted
in one place is never refused in another. Pure functions; never logs a value.
"""

from __future__ import annotations

import re
import unicodedata

#: An 11-digit mobile number, or a landline with its area code (0827-5231234).
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
PHONE_MESSAGE = "请填写正确的手机号（11位）或固定电话（如0827-5231234）。"

#: 居民身份证号码 (GB 11643): 17 digits and a check character.
RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: 统一社会信用代码 (GB 32100): 18 characters from the code's own alphabet (no I, O, Z, S, V),
#: the last a check character.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_MESSAGE = "请填写18位居民身份证号码（末位校验码须正确）或18位统一社会信用代码。"


#: What people put between the digits of a phone number: spaces, dashes, dots, brackets.
_PHONE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.()]+")
#: The country code typed in front: +86, 0086 (or 86 before a full mobile number).
_COUNTRY_CODE = re.compile(r"^(\+86|0086)")


def normalise_phone(value: str) -> str:
    """A phone number as people type it, in the one form ``valid_phone`` accepts and we store.

    "+86 139 8123 4567" and "139-8123-4567" give "13981234567"; "0827 523 1234",
    "(0827)5231234" and "+86 827 5231234" give "0827-5231234" (area codes 010 and
    02x have three digits, the others four). Full-width digits count as digits.
    What cannot be read as a number is returned stripped and unchanged, for
    ``valid_phone`` to refuse.
    """
    typed = (value or "").strip()
    text = unicodedata.normalize("NFKC", typed)
    text = _PHONE_SEPARATORS.sub("", text)
    international = _COUNTRY_CODE.match(text)
    digits = text[international.end():] if international else text
    if not digits.isascii() or not digits.isdigit():
        return typed
    if international:
        digits = digits if digits.startswith("1") else "0" + digits.removeprefix("0")
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]  # 86 typed without its plus sign
    if digits.startswith("1"):
        return digits if len(digits) == 11 else typed
    if digits.startswith("0"):
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        return f"{digits[:area]}-{local}" if 7 <= len(local) <= 8 else typed
    return typed


def normalise_id(value: str) -> str:
    return (value or "").strip().upper()


def valid_phone(value: str) -> bool:
    return bool(PHONE.match((value or "").strip()))


def resident_id_check(first17: str) -> str:
    """The check character (GB 11643) that completes 17 digits of a resident ID."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def valid_resident_id(value: str) -> bool:
    """An 18-character resident ID whose check character is right."""
    value = normalise_id(value)
    return bool(RESIDENT_ID.match(value)) and resident_id_check(value[:17]) == value[17]


def valid_credit_code(value: str) -> bool:
    """An 18-character unified social credit code whose check character is right."""
    value = normalise_id(value)
    if not CREDIT_CODE.match(value):
        return False
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(value[:17], _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31] == value[17]


def valid_id_no(value: str) -> bool:
    """A person's resident ID or an organisation's unified credit code, check character verified."""
    return valid_resident_id(value) or valid_credit_code(value)
