"""A small published data set built through the real workflow, for site tests."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.site.db import db
from sunshine.site.models import Channel, Department, Fee, Material, Notice, ServiceItem, Step
from sunshine.site.workflow import publish


def make_department(code="zjj", name="清川县住房和城乡建设局") -> Department:
    return Department(
        code=code, name=name, short_name="住建局", window="8号窗口", address="政务服务中心二楼东区",
        hours="周一至周五 9:00-17:30", consult_phone="0827-5231108", complaint_phone="0827-5231199",
        chief_name="周建国", chief_post="首席代表、副局长", chief_phone="0827-5231101",
        backup_name="李晓梅", backup_post="审批股股长", backup_phone="0827-5231102",
        duties="负责建筑工程施工许可等事项的受理和办理。",
    )


def make_item(dept: Department, code="ZJJ-XK-001", name="建筑工程施工许可证核发") -> ServiceItem:
    item = ServiceItem(
        code=code, name=name, department=dept, item_type="行政许可",
        legal_basis="《中华人民共和国建筑法》第七条", conditions="- 已经办理建筑工程用地批准手续",
        service_object="法人", statutory_days=15, promised_days=5, case_type="promised",
        visits_required=1, online=True, in_hall=True, location="8号窗口", hours="周一至周五",
        consult_phone="0827-5231108", complaint_phone="0827-5231199", result_type="证照",
        keywords="施工证\n开工许可",
    )
    item.materials = [Material(position=0, name="建筑工程施工许可证申请表", form="原件", copies=1, required=True)]
    item.steps = [Step(position=0, name="受理", office="8号窗口", days=1, description="窗口受理"),
                  Step(position=1, name="审查决定", office="审批股", days=4, description="审查并决定")]
    item.fees = [Fee(position=0, name="城市基础设施配套费", standard="按建筑面积每平方米30元",
                     basis="《城市基础设施配套费征收管理办法》", category="政府性基金",
                     combined_bill="建设项目一单收费")]
    return item


@pytest.fixture
def published(app):
    """One published department with one published item, a channel and a notice."""
    at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with app.app_context():
        dept = make_department()
        db.session.add(dept)
        publish(dept, at=at)
        item = make_item(dept)
        db.session.add(item)
        publish(item, at=at)
        channel = Channel(code="rx12345", kind="hotline", name="12345政务服务便民热线", contact="12345",
                          hours="全天24小时", office="县政务服务中心", response_days=13)
        db.session.add(channel)
        publish(channel, at=at)
        notice = Notice(code="N2026-001", title="关于推行一单收费的公告", body="自即日起推行**一单收费**。",
                        category="通知公告", department=dept, date=dt.date(2026, 11, 1))
        db.session.add(notice)
        publish(notice, at=at)
        db.session.commit()
    return app
