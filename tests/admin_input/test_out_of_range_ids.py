"""Ids too large for the database answer 404 on every route, never 500 (issue 8, point 13).

The walk covers every rule of the app with a whole-number argument, so a route added
later is checked without a line here.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from sunshine.site.url_ids import INT_MAX, query_int, whole_number

#: A path argument with the ``int`` converter: ``<int:id>`` or ``<int(min=1):id>``.
INT_ARGUMENT = re.compile(r"<int(\([^)]*\))?:\w+>")
OTHER_ARGUMENT = re.compile(r"<(\w+(\([^)]*\))?:)?\w+>")


def _int_rules(app: Flask) -> list[tuple[str, str]]:
    """(path template, method) of every rule taking a whole number: GET when it answers GET."""
    return sorted({(rule.rule, "GET" if "GET" in rule.methods else "POST")
                   for rule in app.url_map.iter_rules() if INT_ARGUMENT.search(rule.rule)})


def _address(template: str, number: int) -> str:
    return OTHER_ARGUMENT.sub("accept", INT_ARGUMENT.sub(str(number), template))


def _answers(client, rules: list[tuple[str, str]], number: int) -> dict[str, int]:
    answers = {}
    for template, method in rules:
        url = _address(template, number)
        answers[f"{method} {url}"] = client.open(url, method=method).status_code
    return answers


def test_every_route_with_an_id_is_walked(app):
    walked = {template for template, _method in _int_rules(app)}
    assert {"/admin/items/<int:id>/edit", "/admin/notices/<int:id>/withdraw",
            "/admin/complaints/<int:id>/<action>", "/admin/urges/<int:id>/acknowledge"} <= walked


@pytest.mark.parametrize("number", [2**31, 10**20], ids=["2^31", "10^20"])
def test_an_id_too_large_for_the_database_answers_404_everywhere(app, login_as, number):
    client = login_as("admin")
    answers = _answers(client, _int_rules(app), number)
    assert {url: status for url, status in answers.items() if status != 404} == {}


def test_the_largest_storable_id_reaches_the_views_and_is_not_found(app, login_as):
    client = login_as("admin")
    answers = _answers(client, _int_rules(app), INT_MAX)
    assert {url: status for url, status in answers.items() if status != 404} == {}


def test_the_404_is_the_back_office_page_in_chinese(login_as):
    response = login_as("admin").get("/admin/items/99999999999999999999/edit")
    assert response.status_code == 404
    assert "您要找的内容不存在或已被删除。" in response.get_data(as_text=True)


def test_an_anonymous_visitor_gets_404_too(client, demo):
    assert client.get("/admin/items/99999999999999999999/edit").status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "2147483648", "-3", "０２", "abc"])
@pytest.mark.parametrize("listing", ["/admin/cases", "/admin/ratings"])
def test_an_unusable_page_number_shows_the_first_page(login_as, listing, page):
    response = login_as("admin").get(f"{listing}?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize(("query", "expected"), [
    ("page=3", 3), ("page=%2B3", 1), ("page=+3", 3), ("page= 7 ", 7), ("page=2147483647", INT_MAX), ("page=2147483648", 1),
    ("page=99999999999999999999", 1), ("page=0", 1), ("page=-2", 1), ("page=３", 1), ("page=", 1), ("", 1),
])
def test_query_int_reads_a_bounded_whole_number(app, query, expected):
    with app.test_request_context(f"/admin/cases?{query}"):
        assert query_int("page", 1) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("42", 42), (" 42 ", 42), ("2147483647", INT_MAX), ("2147483648", None), ("99999999999999999999", None),
    ("0", None), ("-1", None), ("４２", None), ("²", None), ("4 2", None), ("", None), (None, None),
])
def test_whole_number_reads_an_id_the_database_can_hold(text, expected):
    assert whole_number(text, low=1) == expected


@pytest.mark.parametrize("target", ["99999999999999999999", "2147483648", "²"])
def test_an_urge_of_an_impossible_case_is_refused_in_chinese(login_as, target):
    response = login_as("supervisor").post("/admin/supervision/urge", data={
        "kind": "case", "target_id": target, "note": "已超期2个工作日，请于今天内办结并说明原因。"})
    assert response.status_code == 400
    assert "催办对象不正确，请从列表中选择要催办的办件或投诉。" in response.get_data(as_text=True)
