"""The dashboard: who I am, my records, unpublished changes, the rebuild button for admins."""

from __future__ import annotations

from pathlib import Path

from sunshine.site.publishing import PublishOutcome


def test_dashboard_shows_who_i_am(login_as):
    html = login_as("editor-scjg").get("/admin/").get_data(as_text=True)
    assert "市场监管局窗口编辑（林海燕）" in html
    assert "部门编辑" in html
    assert "市场监督管理局" in html


def test_dashboard_lists_records_with_unpublished_changes(login_as, item_url, form_of):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-003")
    client.post(url, data={**form_of(url), "promised_note": "材料齐全当日受理", "action": "draft"})
    html = client.get("/admin/").get_data(as_text=True)
    changes = html.split("有未发布修改的内容")[1].split("</section>")[0]
    assert "燃气经营许可证核发" in changes
    assert "建筑工程施工许可证核发" not in changes


def test_only_admin_gets_the_rebuild_button(login_as):
    assert "重新生成网站" not in login_as("editor-zjj").get("/admin/").get_data(as_text=True)


def test_editor_cannot_rebuild_the_site(login_as):
    assert login_as("editor-zjj").post("/admin/site/rebuild").status_code == 403


def test_admin_rebuild_reports_the_outcome(login_as, monkeypatch):
    monkeypatch.setattr("sunshine.site.jobs.publishing.publish_site",
                        lambda app: PublishOutcome(Path("snapshot.json"), Path("builds/b1"), 1.25, 12))
    client = login_as("admin")
    assert "重新生成网站" in client.get("/admin/").get_data(as_text=True)
    html = client.post("/admin/site/rebuild", follow_redirects=True).get_data(as_text=True)
    assert "已重新生成网站，网站已更新（用时1.2秒）" in html


def test_dashboard_lists_publish_jobs_with_their_outcome(login_as, monkeypatch):
    monkeypatch.setattr("sunshine.site.jobs.publishing.publish_site",
                        lambda app: PublishOutcome(Path("snapshot.json"), Path("builds/20261123T020000Z-a1b2c3"), 3.4, 12))
    client = login_as("admin")
    client.post("/admin/site/rebuild")
    html = client.get("/admin/").get_data(as_text=True)
    jobs = html.split('id="publish-title"')[1].split("</section>")[0]
    assert "已重新生成网站" in jobs and "已上线" in jobs
    assert "用时3.4秒，版本 <code>20261123T020000Z-a1b2c3</code>" in jobs
    assert "公开网站尚未生成" in jobs  # nothing was really built: no web_root/current


def test_editor_sees_publish_jobs_but_no_rebuild_button(login_as):
    html = login_as("editor-zjj").get("/admin/").get_data(as_text=True)
    assert "网站发布" in html and "重新生成网站" not in html


PENDING_NOTE = "站内搜索索引正在更新，几秒后即可搜到新内容"


def test_the_dashboard_says_while_the_search_index_follows_the_pages(app, login_as, tmp_path):
    import json

    from sunshine.publisher.deploy import publish
    from tests.publisher.conftest import SMALL_SNAPSHOT

    web_root = Path(app.config["SUNSHINE_WEB_ROOT"])
    publish(SMALL_SNAPSHOT, web_root, durable=False)
    client = login_as("admin")
    assert PENDING_NOTE not in client.get("/admin/").get_data(as_text=True)
    data = json.loads(SMALL_SNAPSHOT.read_bytes())
    data["items"][0]["conditions"] += "\n\n可通过“智慧联办”专窗一次办好。"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    publish(edited, web_root, search_later=True, durable=False)
    assert PENDING_NOTE in client.get("/admin/").get_data(as_text=True)
