"""检索同义词 as deployed, CSRF protection on: a POST needs the token of a page we served."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token

PAGE = "/admin/search/synonyms"
DELETE = "/admin/search/synonyms/delete"


@pytest.fixture
def app(csrf_demo):
    """The demo data in the app as deployed: the shared fixtures (stored groups …) read this app."""
    return csrf_demo


@pytest.fixture
def csrf_clerk(csrf_demo):
    """A client logged in as editor-mz through the real login form, CSRF protection on."""
    client = csrf_demo.test_client()
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data={"username": "editor-mz", "password": "editor-demo-2026",
                                                 "csrf_token": token})
    assert response.status_code == 302
    return client


def test_adding_without_the_token_is_refused(csrf_clerk, stored_groups):
    response = csrf_clerk.post(PAGE, data={"words": "特困人员救助供养 特困供养 五保户"})
    assert response.status_code == 400
    assert stored_groups() == []


def test_adding_with_the_pages_token_works(csrf_clerk, stored_groups):
    token = csrf_token(csrf_clerk.get(PAGE).get_data(as_text=True))
    response = csrf_clerk.post(PAGE, data={"words": "特困人员救助供养 特困供养 五保户", "csrf_token": token})
    assert response.status_code == 302
    assert stored_groups() == [("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")]


def test_deleting_without_the_token_is_refused(csrf_clerk, add_stored, stored_groups):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    assert csrf_clerk.post(DELETE, data={"id": group_id}).status_code == 400
    assert len(stored_groups()) == 1


def test_deleting_with_the_confirmation_pages_token_works(csrf_clerk, add_stored, stored_groups):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    token = csrf_token(csrf_clerk.get(f"{PAGE}?delete={group_id}").get_data(as_text=True))
    assert csrf_clerk.post(DELETE, data={"id": group_id, "csrf_token": token}).status_code == 302
    assert stored_groups() == []
