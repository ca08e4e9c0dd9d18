"""Every XML file the site publishes parses (issue 8, point 8): the Atom feed and sitemap.xml.

One control character in a notice title once made the whole feed unreadable. It is refused
three times over: the back-office form at save, the contract when a record is published,
and the publisher when it reads a snapshot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from sunshine.publisher.build import build_site
from sunshine.publisher.snapshot import SnapshotError
from sunshine.site import clock, workflow
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import Notice

ATOM = {"a": "http://www.w3.org/2005/Atom"}
AS_OF = "2026-11-23T10:00:00+08:00"
TODAY = dt.date(2026, 11, 23)
#: Every file of a build that must be XML, as found by suffix: a new kind of feed is checked too.
XML_SUFFIXES = {".xml", ".atom", ".rss", ".rdf", ".svg", ".xsl"}


def _xml_files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.suffix in XML_SUFFIXES)


def _unparsable(site: Path) -> dict[str, str]:
    """Each XML file of ``site`` that the standard parser refuses, with its reason."""
    failed = {}
    for name in _xml_files(site):
        try:
            ET.parse(site / name)
        except ET.ParseError as error:
            failed[name] = str(error)
    return failed


def _feed_titles(site: Path) -> list[str]:
    feed = ET.parse(site / "notices/atom.xml").getroot()
    return [entry.findtext("a:title", namespaces=ATOM) for entry in feed.findall("a:entry", ATOM)]


def _demo_site(app, tmp_path: Path) -> Path:
    with app.app_context(), clock.frozen(AS_OF):
        snapshot = write_snapshot(tmp_path / "snapshot.json", build_snapshot(today=TODAY))
    return build_site(snapshot, tmp_path / "site", static_index=False).out_dir


def test_the_small_sites_xml_files_all_parse(site_dir):
    assert _xml_files(site_dir) == ["notices/atom.xml", "sitemap.xml"]
    assert _unparsable(site_dir) == {}


def test_the_demo_sites_xml_files_all_parse(demo, tmp_path):
    site = _demo_site(demo, tmp_path)
    assert _xml_files(site) == ["notices/atom.xml", "sitemap.xml"]
    assert _unparsable(site) == {}
    assert len(_feed_titles(site)) == 15  # every published demo notice


def test_a_notice_title_with_a_control_character_never_reaches_the_feed(demo, login_as, tmp_path):
    response = login_as("admin").post("/admin/notices/new", data={
        "code": "N2026-009", "title": "关于元旦假期\x07窗口值班安排的通知", "category": "通知公告",
        "department": "_center", "date": "2026-11-23", "body": "元旦期间综合窗口正常值班。", "action": "publish"})
    assert response.status_code == 400
    assert "标题：含有不可见的控制字符，已将其去掉，请核对后重新提交。" in response.get_data(as_text=True)
    site = _demo_site(demo, tmp_path)
    assert _unparsable(site) == {}
    assert not [title for title in _feed_titles(site) if "元旦假期" in title]


def test_line_breaks_tabs_and_carriage_returns_are_published_well_formed(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["notices"][0]["title"] = "关于调整\t窗口办公时间的通知"
    snapshot_data["notices"][0]["body"] = "一、冬季办公时间\r\n上午9:00-12:00\r\n\r\n二、说明\t节假日除外"
    site = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False).out_dir
    assert _unparsable(site) == {}
    assert "关于调整\t窗口办公时间的通知" in _feed_titles(site)


@pytest.mark.parametrize(("char", "shown"), [
    ("\x00", "U+0000"), ("\x07", "U+0007"), ("\x0b", "U+000B"), ("\x1b", "U+001B"), ("\ufffe", "U+FFFE"),
])
def test_the_publisher_refuses_a_snapshot_string_xml_cannot_carry(snapshot_data, write_snapshot, tmp_path,
                                                                  char, shown):
    snapshot_data["notices"][0]["title"] = f"关于调整{char}窗口办公时间的通知"
    with pytest.raises(SnapshotError) as refused:
        build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    assert str(refused.value).startswith(
        f"快照格式错误：notices[0].title：含有不可见的控制字符 {shown}（订阅源和网站地图无法容纳），"
        "请在后台修改这段文字、删去该字符后重新发布 / invalid snapshot: notices[0].title: ")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_publisher_refuses_a_control_character_in_a_nested_row(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["items"][0]["materials"][0]["name"] = "营业执照\x1f复印件"
    with pytest.raises(SnapshotError, match=r"^快照格式错误：items\[0\]\.materials\[0\]\.name：含有不可见的控制字符 U\+001F"):
        build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)


def test_the_back_office_refuses_to_publish_a_stored_control_character(demo):
    """Text that reached the database another way (an old row, a script) is refused at publish."""
    with demo.app_context():
        notice = db.session.scalars(select(Notice).where(Notice.code == "N2026-008")).one()
        notice.title = "关于县医疗保障局窗口\x07进驻中心的预告"
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.publish(notice)
        db.session.rollback()
    assert "title：含有不可见的控制字符 U+0007（订阅源和网站地图无法容纳）" in str(refused.value)
