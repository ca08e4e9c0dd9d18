"""clean_text and normalise_phone: what typed text and phone numbers become, and what is refused."""

from __future__ import annotations

import pytest

from sunshine.site.contacts import normalise_phone, valid_phone
from sunshine.site.text_input import (
    BIDI_MESSAGE,
    CONTROL_MESSAGE,
    ENCODING_MESSAGE,
    BadText,
    clean_text,
)


def test_text_is_nfc_normalised_and_stripped():
    assert clean_text("  窗口说要去cafe\u0301旁边的打印店复印  ") == "窗口说要去café旁边的打印店复印"


def test_compatibility_ideographs_become_their_unified_form():
    assert clean_text("\uf900") == "\u8c48"  # NFC, not NFKC: 豈 (U+F900) → U+8C48


def test_ideographic_spaces_around_the_text_are_stripped():
    assert clean_text("\u3000施工许可超时\u3000") == "施工许可超时"


def test_none_is_empty_text():
    assert clean_text(None) == ""


def test_line_breaks_of_a_textarea_become_lf_and_tabs_stay():
    assert clean_text("第一行\r\n第二行\r第三行\t备注", multiline=True) == "第一行\n第二行\n第三行\t备注"


@pytest.mark.parametrize("char", ["\n", "\r\n", "\t"])
def test_a_single_line_field_refuses_line_breaks_and_tabs(char):
    with pytest.raises(BadText) as refused:
        clean_text(f"王{char}秀兰")
    assert (refused.value.message, refused.value.cleaned) == (CONTROL_MESSAGE, "王秀兰")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
def test_nul_c0_and_c1_controls_are_refused_even_in_a_textarea(char):
    with pytest.raises(BadText) as refused:
        clean_text(f"窗口{char}态度差", multiline=True)
    assert (refused.value.message, refused.value.cleaned) == (CONTROL_MESSAGE, "窗口态度差")


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                  "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidi_overrides_and_isolates_are_refused(char):
    with pytest.raises(BadText) as refused:
        clean_text(f"收费{char}200元")
    assert (refused.value.message, refused.value.cleaned) == (BIDI_MESSAGE, "收费200元")


def test_the_message_is_chinese_and_says_the_characters_were_removed():
    assert BIDI_MESSAGE == "含有改变文字显示方向的控制符，已将其去掉，请核对后重新提交。"


@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\ufffd"])
def test_lone_surrogates_and_replacement_characters_betray_a_wrong_encoding(char):
    with pytest.raises(BadText) as refused:
        clean_text(f"施工{char}许可")
    assert (refused.value.message, refused.value.cleaned) == (ENCODING_MESSAGE, "施工许可")


def test_control_characters_are_named_before_bidi_and_encoding():
    with pytest.raises(BadText) as refused:
        clean_text("\u202e投诉\ufffd\x00")
    assert (refused.value.message, refused.value.cleaned) == (CONTROL_MESSAGE, "投诉")


def test_refused_text_is_also_normalised_once_cleaned():
    with pytest.raises(BadText) as refused:
        clean_text(" cafe\u0301\x07 ")
    assert refused.value.cleaned == "café"


def test_bad_text_is_a_value_error():
    assert issubclass(BadText, ValueError)


@pytest.mark.parametrize(("typed", "stored"), [
    ("+86 139 8123 4567", "13981234567"),
    ("139-8123-4567", "13981234567"),
    ("139 8123 4567", "13981234567"),
    ("0086 139 8123 4567", "13981234567"),
    ("8613981234567", "13981234567"),
    ("＋８６　１３９８１２３４５６７", "13981234567"),
    ("13981234567", "13981234567"),
    ("0827 523 1234", "0827-5231234"),
    ("(0827)5231234", "0827-5231234"),
    ("（0827）5231234", "0827-5231234"),
    ("08275231234", "0827-5231234"),
    ("0827-5231234", "0827-5231234"),
    ("+86 827 5231234", "0827-5231234"),
    ("010 8765 4321", "010-87654321"),
    ("(023)62345678", "023-62345678"),
])
def test_phone_numbers_as_people_type_them_are_normalised(typed, stored):
    assert normalise_phone(typed) == stored
    assert valid_phone(stored)


@pytest.mark.parametrize("typed", ["12345", "139812345678", "5231234", "+1 415 555 0100", "一三九", "0827-52312"])
def test_what_is_no_phone_number_stays_as_typed_and_is_refused(typed):
    assert normalise_phone(f" {typed} ") == typed
    assert not valid_phone(typed)
