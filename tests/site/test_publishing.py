"""Publishing from the site: export + publisher process + atomic swap."""

import shutil

import pytest

from sunshine.site.db import db
from sunshine.site.models import ServiceItem
from sunshine.site.publishing import PublishError, publish_site
from sunshine.site.workflow import publish


def test_publish_writes_the_live_site(published):
    outcome = publish_site(published)
    page = outcome.live_dir / "items" / "ZJJ-XK-001" / "index.html"
    assert "建筑工程施工许可证核发" in page.read_text("utf-8")
    assert outcome.items == 1


def test_republish_shows_the_new_revision(published):
    publish_site(published)
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.promised_note = "材料齐全当场受理，三个工作日内发证"
        publish(item)
        db.session.commit()
    outcome = publish_site(published)
    html = (outcome.live_dir / "items" / "ZJJ-XK-001" / "index.html").read_text("utf-8")
    assert "材料齐全当场受理，三个工作日内发证" in html


def test_failed_build_leaves_the_live_site_as_it_was(published, tmp_path, project_root):
    first = publish_site(published)
    before = (first.live_dir / "items" / "ZJJ-XK-001" / "index.html").read_bytes()
    broken = tmp_path / "broken-theme"
    shutil.copytree(project_root / "themes" / "sunshine", broken)
    (broken / "templates" / "item.html").write_text("{% extends 'base.html' %}{% block content %}{{ x.y.z }}{% endblock %}",
                                                     encoding="utf-8")
    published.config["SUNSHINE_THEME_DIR"] = str(broken)
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.name = "建筑工程施工许可证核发（新版）"
        publish(item)
        db.session.commit()
    with pytest.raises(PublishError) as failure:
        publish_site(published)
    assert "\n" not in str(failure.value)
    live = (tmp_path / "public" / "current").resolve()
    assert live == first.live_dir
    assert (live / "items" / "ZJJ-XK-001" / "index.html").read_bytes() == before
