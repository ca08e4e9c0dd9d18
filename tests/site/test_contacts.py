"""One rule for phone numbers and identity numbers, wherever they are typed or imported."""

import pytest

from sunshine.site.contacts import valid_credit_code, valid_id_no, valid_phone, valid_resident_id


@pytest.mark.parametrize("phone", ["13981234567", "0827-5231234", "08275231234", "0571-86012345"])
def test_mobiles_and_landlines_with_area_code_are_phones(phone):
    assert valid_phone(phone)


@pytest.mark.parametrize("phone", ["138123", "5231234", "1398123456a", "+86 13981234567"])
def test_other_strings_are_not_phones(phone):
    assert not valid_phone(phone)


def test_a_resident_id_needs_its_check_character():
    assert valid_resident_id("51162319790605302X")
    assert valid_resident_id("51162319790605302x")  # typed in small letters
    assert not valid_resident_id("511623197906053021")


def test_a_unified_credit_code_needs_its_check_character():
    assert valid_credit_code("91511623MA62XK8Q72")
    assert not valid_credit_code("91511623MA62XK8Q73")
    assert not valid_credit_code("91511623MA62XK8QO2")  # O is not in the code's alphabet


def test_an_applicant_may_be_a_person_or_an_organisation():
    assert valid_id_no("51162319790605302X") and valid_id_no("91330110MA2H3K8Q7G")
    assert not valid_id_no("330106198507152429")
