"""整改工单 and 好差评 in the back office: scoping, stage forms, appeals, and no way to edit a rating."""

from __future__ import annotations

import re

import pytest

from sunshine.site import clock

COMMENT = "窗口让我补交了三次营业执照复印件，每次说法都不一样。"
PHONE = "13912345678"


@pytest.fixture
def bad(rate_item, ratings, work_order):
    """A bad rating of ZJJ-XK-001 (住建局) with the rater's phone; returns (rating, work order) values."""
    assert rate_item(level="2").status_code == 201
    [rating] = ratings(comment=COMMENT)
    return rating, work_order(rating.id)


def _post(client, url: str, data: dict, day: str = "2026-10-08"):
    with clock.frozen(f"{day}T15:00:00+08:00"):
        return client.post(url, data=data)


# --- who sees what -------------------------------------------------------------------------


def test_department_editor_lists_its_work_order(login_as, bad):
    _rating, order = bad
    html = login_as("editor-zjj").get("/admin/rectifications").get_data(as_text=True)
    assert order.code in html


def test_other_department_does_not_see_it_in_the_list(login_as, bad):
    _rating, order = bad
    html = login_as("editor-scjg").get("/admin/rectifications?status=all").get_data(as_text=True)
    assert order.code not in html


def test_other_department_gets_403_on_detail_and_every_post(login_as, bad):
    rating, order = bad
    client = login_as("editor-scjg")
    assert client.get(f"/admin/rectifications/{order.id}").status_code == 403
    assert client.get(f"/admin/ratings/{rating.id}").status_code == 403
    assert _post(client, f"/admin/rectifications/{order.id}/stage/contact", {"contact-text": "回访"}).status_code == 403
    assert _post(client, f"/admin/rectifications/{order.id}/appeal", {"appeal-reason": "误评"}).status_code == 403


def test_supervisor_reads_but_gets_403_on_every_post(login_as, bad, work_order):
    rating, order = bad
    client = login_as("supervisor")
    assert client.get(f"/admin/rectifications/{order.id}").status_code == 200
    for url, data in (
        (f"/admin/rectifications/{order.id}/stage/contact", {"contact-text": "回访"}),
        (f"/admin/rectifications/{order.id}/appeal", {"appeal-reason": "误评"}),
        (f"/admin/rectifications/{order.id}/decision", {"decision-decision": "upheld", "decision-note": "成立"}),
        (f"/admin/ratings/{rating.id}/void", {"void-reason": "恶意评价"}),
    ):
        assert _post(client, url, data).status_code == 403, url
    assert work_order(rating.id).status == "open"


def test_rater_contact_is_shown_to_the_department_and_the_administrator_only(login_as, client, bad):
    rating, order = bad
    assert PHONE in login_as("editor-zjj").get(f"/admin/rectifications/{order.id}").get_data(as_text=True)
    client.post("/admin/logout")
    assert PHONE in login_as("admin").get(f"/admin/ratings/{rating.id}").get_data(as_text=True)
    client.post("/admin/logout")
    supervisor = login_as("supervisor")
    for url in (f"/admin/rectifications/{order.id}", f"/admin/ratings/{rating.id}", "/admin/ratings"):
        html = supervisor.get(url).get_data(as_text=True)
        assert PHONE not in html and "陈美玲" not in html, url


def test_work_order_page_shows_the_rating_and_stage_due_dates(login_as, bad):
    _rating, order = bad
    with clock.frozen("2026-10-09T09:00:00+08:00"):
        html = login_as("editor-zjj").get(f"/admin/rectifications/{order.id}").get_data(as_text=True)
    assert "不满意" in html and COMMENT in html and "建筑工程施工许可证核发" in html
    contact_row = re.search(r'<tr id="stage-contact".*?</tr>', html, re.S).group(0)
    assert "2026-10-08" in contact_row and "已超期" in contact_row
    assert "2026-10-10" in re.search(r'<tr id="stage-finding".*?</tr>', html, re.S).group(0)


def test_ratings_list_is_scoped_to_the_department(login_as, client, bad):
    assert COMMENT[:20] in login_as("editor-zjj").get("/admin/ratings").get_data(as_text=True)
    client.post("/admin/logout")
    assert COMMENT[:20] not in login_as("editor-scjg").get("/admin/ratings").get_data(as_text=True)


def test_overdue_filter_lists_only_late_orders(login_as, bad):
    _rating, order = bad
    client = login_as("editor-zjj")
    with clock.frozen("2026-10-08T09:00:00+08:00"):
        assert order.code not in client.get("/admin/rectifications?status=overdue").get_data(as_text=True)
    with clock.frozen("2026-10-09T09:00:00+08:00"):
        assert order.code in client.get("/admin/rectifications?status=overdue").get_data(as_text=True)


# --- handling through the forms ------------------------------------------------------------


def test_department_records_the_follow_up_call(login_as, bad, work_order):
    rating, order = bad
    response = _post(login_as("reviewer-zjj"), f"/admin/rectifications/{order.id}/stage/contact",
                     {"contact-text": "电话回访陈女士，反映补交材料三次。"})
    assert response.status_code == 302
    stored = work_order(rating.id)
    assert (stored.status, str(stored.contacted_on)) == ("contacted", "2026-10-08")


def test_out_of_order_stage_is_400_with_a_chinese_message(login_as, bad, work_order):
    rating, order = bad
    response = _post(login_as("editor-zjj"), f"/admin/rectifications/{order.id}/stage/rectify",
                     {"rectify-text": "批评教育"})
    assert response.status_code == 400
    assert "请先完成“回访”，再办理“整改”。" in response.get_data(as_text=True)
    assert work_order(rating.id).action == ""


def test_empty_stage_text_is_400_and_nothing_changes(login_as, bad, work_order):
    rating, order = bad
    response = _post(login_as("editor-zjj"), f"/admin/rectifications/{order.id}/stage/contact", {"contact-text": ""})
    assert response.status_code == 400
    assert "请填写回访情况。" in response.get_data(as_text=True)
    assert work_order(rating.id).status == "open"


def test_unknown_stage_is_404(login_as, bad):
    _rating, order = bad
    assert _post(login_as("editor-zjj"), f"/admin/rectifications/{order.id}/stage/delete", {}).status_code == 404


def test_appeal_filed_by_department_and_upheld_by_administrator_voids_the_rating(login_as, client, bad, ratings,
                                                                                work_order):
    rating, order = bad
    editor = login_as("editor-zjj")
    assert _post(editor, f"/admin/rectifications/{order.id}/appeal",
                 {"appeal-reason": "评价人当日未到本窗口办理业务，系误评。"}).status_code == 302
    assert _post(editor, f"/admin/rectifications/{order.id}/decision",
                 {"decision-decision": "upheld", "decision-note": "自己复核"}).status_code == 403
    client.post("/admin/logout")
    admin = login_as("admin")
    assert _post(admin, f"/admin/rectifications/{order.id}/appeal", {"appeal-reason": "代为申诉"}).status_code == 403
    response = _post(admin, f"/admin/rectifications/{order.id}/decision",
                     {"decision-decision": "upheld", "decision-note": "经调取窗口录像核实，申诉成立。"}, day="2026-10-09")
    assert response.status_code == 302
    [stored] = ratings(comment=COMMENT)
    assert (stored.status, stored.void_reason, stored.level) == ("voided", "经调取窗口录像核实，申诉成立。", 2)
    assert (work_order(rating.id).status, work_order(rating.id).appeal_status) == ("voided", "upheld")


def test_decision_without_a_conclusion_is_400(login_as, client, bad, ratings):
    _rating, order = bad
    _post(login_as("editor-zjj"), f"/admin/rectifications/{order.id}/appeal", {"appeal-reason": "误评。"})
    client.post("/admin/logout")
    response = _post(login_as("admin"), f"/admin/rectifications/{order.id}/decision", {"decision-note": "意见"})
    assert response.status_code == 400
    assert "请选择复核结论。" in response.get_data(as_text=True)
    assert ratings(comment=COMMENT)[0].status == "valid"


def test_administrator_voids_a_rating_directly_and_its_order_with_it(login_as, bad, ratings, work_order):
    rating, _order = bad
    response = _post(login_as("admin"), f"/admin/ratings/{rating.id}/void",
                     {"void-reason": "同一号码一小时内提交十条差评，属恶意评价。"})
    assert response.status_code == 302
    assert ratings(comment=COMMENT)[0].status == "voided"
    assert work_order(rating.id).status == "voided"


def test_department_cannot_void_a_rating(login_as, bad, ratings):
    rating, _order = bad
    assert _post(login_as("editor-zjj"), f"/admin/ratings/{rating.id}/void", {"void-reason": "恶意"}).status_code == 403
    assert ratings(comment=COMMENT)[0].status == "valid"


# --- no route creates or edits a rating ---------------------------------------------------

def test_no_admin_post_route_touches_ratings_except_appeal_and_void(app):
    """Every POST rule of the back office: the only one naming ratings is 作废 (void); under
    /admin/rectifications only the stages, the appeal and its decision."""
    rating_posts, rectification_posts = set(), set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or "POST" not in (rule.methods or ()):
            continue
        if "rating" in rule.rule or "rating" in rule.endpoint:
            rating_posts.add((rule.endpoint, rule.rule))
        if rule.rule.startswith("/admin/rectifications"):
            rectification_posts.add(rule.endpoint)
    assert rating_posts == {("admin.rating_void", "/admin/ratings/<int:id>/void")}
    assert rectification_posts == {"admin.rectification_stage", "admin.rectification_appeal",
                                   "admin.rectification_decision"}


def test_no_route_edits_or_creates_a_rating(login_as, bad):
    rating, _order = bad
    client = login_as("admin")
    for url in (f"/admin/ratings/{rating.id}/edit", f"/admin/ratings/{rating.id}", "/admin/ratings",
                "/admin/ratings/new", f"/admin/ratings/{rating.id}/delete"):
        assert client.post(url, data={"level": "5", "comment": "改成好评"}).status_code in (404, 405), url


def test_every_work_order_post_leaves_the_rating_as_given(login_as, app, bad, ratings):
    """Walk every POST route under /admin/ratings and /admin/rectifications as the administrator,
    with a payload that tries to rewrite the rating: level, comment, target and date never change."""
    rating, order = bad
    client = login_as("admin")
    payload = {"level": "5", "comment": "改成好评", "target_kind": "department", "created_at": "2020-01-01",
               "contact-text": "回访", "decision-decision": "rejected", "decision-note": "不成立",
               "appeal-reason": "误评", "void-reason": "恶意"}
    posted = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or not rule.rule.startswith(("/admin/ratings", "/admin/rectifications")):
            continue
        values = {"id": order.id if rule.rule.startswith("/admin/rectifications") else rating.id}
        for stage in (["contact", "finding", "rectify", "answer"] if "stage" in rule.arguments else [None]):
            url = rule.rule.replace("<int:id>", str(values["id"])).replace("<stage>", stage or "")
            _post(client, url, payload)
            posted += 1
    assert posted == 7
    [after] = ratings(comment=COMMENT)
    assert (after.level, after.comment, after.target_kind, after.item_id, after.department_id, after.created_at) == (
        rating.level, rating.comment, rating.target_kind, rating.item_id, rating.department_id, rating.created_at)
