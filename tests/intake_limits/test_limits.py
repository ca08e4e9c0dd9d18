"""Per-address rate limits of the public intake: filing, lookups, the 429 page, proxies, the switch.

Every test runs within one minute of Flask-Limiter's real clock (a window
starts at the first counted post), with the limits at 2 a minute.
"""

from __future__ import annotations

import math
import re

from ..conftest import csrf_token
from .conftest import COMPLAINT, RATING, WRONG_LOOKUP, complaints, ratings

TOO_MANY = "提交过于频繁，请 1 分钟后再试"


def _file(client, **environ):
    return client.post("/intake/complaint", data=COMPLAINT, environ_base=environ)


def _lookup(client, data=None):
    return client.post("/intake/lookup", data=data or WRONG_LOOKUP)


def test_third_filing_in_a_minute_is_refused_and_nothing_stored(limited):
    client, before = limited.test_client(), complaints(limited)
    assert [_file(client).status_code for _ in range(2)] == [201, 201]
    refused = _file(client)
    assert refused.status_code == 429
    assert TOO_MANY in refused.get_data(as_text=True)
    assert complaints(limited) == before + 2


def test_refused_filing_shows_the_form_again_with_what_was_typed(limited):
    client = limited.test_client()
    _file(client), _file(client)
    page = _file(client).get_data(as_text=True)
    assert 'id="notice"' in page
    assert "您填写的内容尚未提交，已保留在下面" in page
    assert COMPLAINT["subject"] in page
    assert COMPLAINT["content"] in page


def test_refused_filing_says_the_wait_of_its_retry_after_header(limited):
    client = limited.test_client()
    _file(client), _file(client)
    refused = _file(client)
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert f"请 {math.ceil(wait / 60)} 分钟后再试" in refused.get_data(as_text=True)
    assert (refused.headers["X-RateLimit-Limit"], refused.headers["X-RateLimit-Remaining"]) == ("2", "0")


def test_accepted_filing_carries_the_limit_headers(limited):
    accepted = _file(limited.test_client())
    assert accepted.status_code == 201
    assert (accepted.headers["X-RateLimit-Limit"], accepted.headers["X-RateLimit-Remaining"]) == ("2", "1")
    assert int(accepted.headers["X-RateLimit-Reset"]) > 0


def test_another_address_is_not_held_back(limited):
    client, before = limited.test_client(), complaints(limited)
    _file(client), _file(client)
    assert _file(client).status_code == 429
    assert _file(client, REMOTE_ADDR="10.20.30.40").status_code == 201
    assert complaints(limited) == before + 3


def test_opening_the_form_is_never_limited(limited):
    client = limited.test_client()
    assert {client.get("/intake/complaint").status_code for _ in range(5)} == {200}
    assert _file(client).status_code == 201  # the GETs above did not count
    _file(client)
    assert _file(client).status_code == 429
    opened = client.get("/intake/complaint?item=ZJJ-XK-001")
    assert opened.status_code == 200
    assert "X-RateLimit-Limit" not in opened.headers


def test_complaints_and_ratings_share_one_filing_limit(limited):
    client, before = limited.test_client(), ratings(limited)
    _file(client), _file(client)
    refused = client.post("/intake/rate?item=ZJJ-XK-001", data=RATING)
    assert refused.status_code == 429
    assert TOO_MANY in refused.get_data(as_text=True)
    assert RATING["comment"] in refused.get_data(as_text=True)  # the rating form, as typed
    assert ratings(limited) == before


def test_case_rating_counts_as_filing(limited):
    client, before = limited.test_client(), ratings(limited)
    _file(client), _file(client)
    refused = client.post("/intake/case/rate", data={"case_no": "ZJJ-2026-000456", "query_code": "K7M2P9QA",
                                                     **RATING})
    assert refused.status_code == 429
    assert ratings(limited) == before


def test_wrong_lookups_are_limited_even_before_a_right_code(limited):
    client = limited.test_client()
    receipt = _file(client, REMOTE_ADDR="10.0.0.9").get_data(as_text=True)  # filed from another address
    right = {"tracking_no": re.search(r'id="tracking-no">([^<]+)<', receipt).group(1),
             "query_code": re.search(r'id="query-code">([^<]+)<', receipt).group(1)}
    assert [_lookup(client).status_code for _ in range(2)] == [404, 404]
    refused = _lookup(client, right)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert TOO_MANY in page
    assert right["tracking_no"] in page  # the lookup form keeps the number typed
    assert "施工许可超过承诺时限未办结" not in page


def test_successful_lookups_do_not_count(limited):
    client = limited.test_client()
    receipt = _file(client).get_data(as_text=True)
    right = {"tracking_no": re.search(r'id="tracking-no">([^<]+)<', receipt).group(1),
             "query_code": re.search(r'id="query-code">([^<]+)<', receipt).group(1)}
    assert [_lookup(client, right).status_code for _ in range(4)] == [200] * 4
    assert [_lookup(client).status_code for _ in range(3)] == [404, 404, 429]


def test_complaint_and_case_lookups_share_one_guess_count(limited):
    client = limited.test_client()
    _lookup(client), _lookup(client)
    refused = client.post("/intake/case", data={"case_no": "ZJJ-2026-000456", "query_code": "AAAAAAAA"})
    assert refused.status_code == 429
    assert TOO_MANY in refused.get_data(as_text=True)


def test_lookups_do_not_use_up_filings(limited):
    client = limited.test_client()
    assert [_lookup(client).status_code for _ in range(3)] == [404, 404, 429]
    assert _file(client).status_code == 201


def test_refused_page_with_csrf_on_carries_a_fresh_token(make_app, limited_config):
    app = make_app({**limited_config, "WTF_CSRF_ENABLED": True})
    client, before = app.test_client(), complaints(app)
    for _ in range(2):
        token = csrf_token(client.get("/intake/complaint").get_data(as_text=True))
        assert client.post("/intake/complaint", data={**COMPLAINT, "csrf_token": token}).status_code == 201
    token = csrf_token(client.get("/intake/complaint").get_data(as_text=True))
    refused = client.post("/intake/complaint", data={**COMPLAINT, "csrf_token": token})
    assert refused.status_code == 429
    assert csrf_token(refused.get_data(as_text=True))
    assert complaints(app) == before + 2


def test_behind_one_proxy_the_last_forwarded_hop_is_the_address(make_app, limited_config):
    app = make_app({**limited_config, "SUNSHINE_PROXY_HOPS": 1})
    client, before = app.test_client(), complaints(app)

    def via_proxy(forwarded_for: str):
        return client.post("/intake/complaint", data=COMPLAINT,
                           headers={"X-Forwarded-For": forwarded_for})

    # A spoofed first hop is ignored: all three come from 1.1.1.1 as nginx saw it.
    assert via_proxy("9.9.9.9, 1.1.1.1").status_code == 201
    assert via_proxy("8.8.8.8, 1.1.1.1").status_code == 201
    assert via_proxy("7.7.7.7, 1.1.1.1").status_code == 429
    assert via_proxy("9.9.9.9, 2.2.2.2").status_code == 201
    assert complaints(app) == before + 3


def test_without_a_proxy_forwarded_for_is_ignored(limited):
    client = limited.test_client()
    for address in ("9.9.9.9", "8.8.8.8"):
        assert client.post("/intake/complaint", data=COMPLAINT,
                           headers={"X-Forwarded-For": address}).status_code == 201
    assert client.post("/intake/complaint", data=COMPLAINT,
                       headers={"X-Forwarded-For": "7.7.7.7"}).status_code == 429


def test_limits_switched_off_let_every_filing_through(make_app, limited_config):
    app = make_app({**limited_config, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    answers = [_file(client) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert "X-RateLimit-Limit" not in answers[0].headers


def test_unreachable_storage_does_not_refuse_a_filing(make_app, limited_config):
    app = make_app({**limited_config, "SUNSHINE_RATELIMIT_STORAGE": "redis://127.0.0.1:1/0"})
    before = complaints(app)
    assert _file(app.test_client()).status_code == 201
    assert complaints(app) == before + 1


def test_default_limits_are_the_documented_ones(app_config):
    from sunshine.site.config import default_settings

    settings = default_settings(app_config["INSTANCE_PATH"])
    assert settings["RATELIMIT_ENABLED"] is True
    assert settings["SUNSHINE_RATELIMIT_STORAGE"] == "memory://"
    assert settings["SUNSHINE_LIMIT_FILING"] == "5 per minute;30 per day"
    assert settings["SUNSHINE_LIMIT_LOOKUP"] == "20 per minute;200 per day"
    assert settings["SUNSHINE_LIMIT_SEARCH"] == "60 per minute;2000 per day"
    assert settings["SUNSHINE_PROXY_HOPS"] == 0


def test_third_search_in_a_minute_is_refused(limited):
    client = limited.test_client()
    assert client.get("/api/search?q=营业执照").status_code == 200
    assert client.get("/intake/search?q=营业执照").status_code == 200
    assert client.get("/api/search?q=身份证").status_code == 429


def test_searches_do_not_use_up_filings(limited):
    client = limited.test_client()
    for _ in range(3):
        client.get("/api/search?q=低保")
    assert _file(client).status_code == 201
