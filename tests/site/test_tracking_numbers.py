"""Tracking numbers: random, short, read aloud easily, typed back in any case or spacing."""

import re

import pytest

from sunshine.site.complaints import new_tracking_no, normalise_tracking_no

from .test_intake import VALID, _receipt


def test_a_number_is_ts_and_eight_unambiguous_characters():
    assert re.fullmatch(r"TS-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", new_tracking_no())


@pytest.mark.parametrize("typed", ["TS-K7MX-2QPA", "ts-k7mx-2qpa", "TSK7MX2QPA", " ts k7mx 2qpa ", "TS－K7MX－2QPA"])
def test_case_spaces_and_dashes_do_not_matter(typed):
    assert normalise_tracking_no(typed) == "TS-K7MX-2QPA"


def test_numbers_of_the_first_release_are_kept():
    assert normalise_tracking_no(" ts20261102-0001 ") == "TS20261102-0001"


def test_two_filings_on_one_day_say_nothing_about_volume(published):
    client = published.test_client()
    first, _ = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    second, _ = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    assert first != second
    assert "2026" not in first + second and not first.endswith("0001")


def test_the_number_is_found_however_it_is_typed(published):
    client = published.test_client()
    number, code = _receipt(client.post("/intake/complaint", data=VALID).get_data(as_text=True))
    typed = number.replace("-", "").lower()
    response = client.post("/intake/lookup", data={"tracking_no": typed, "query_code": code})
    assert response.status_code == 200
