"""The material template link of an item: the back office refuses a link that would lead
off-site, in Chinese, and shows the form again with what was typed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import ServiceItem

REFUSED = "链接不安全或格式不对"


def _template_urls(app, code: str) -> list[str]:
    with app.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == code)).one()
        return [material.template_url for material in item.materials]


@pytest.mark.parametrize(
    "link",
    ["/\\evil.example/x", "//evil.example/x", "/%5Cevil.example/x", "/%2F/evil.example",
     "javascript:alert(1)", "https:evil.example", "http://"],
)  # fmt: skip
def test_an_off_site_template_link_is_refused_and_kept_in_the_form(
    app, login_as, item_url, form_of, link
):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    data.update({"materials-0-template_url": link, "action": "draft"})
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "申请材料第1行 空白表格或样表链接" in html
    assert REFUSED in html
    assert f'name="materials-0-template_url" type="text" value="{link}"' in html
    assert _template_urls(app, "ZJJ-XK-001")[0] == ""


def test_a_site_template_link_is_saved(app, login_as, item_url, form_of):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    data.update(
        {
            "materials-0-template_url": "https://zwfw.example.gov.cn/forms/施工许可申请表.docx",
            "materials-1-template_url": "/data/建设工程规划许可证样表.pdf",
            "action": "draft",
        }
    )
    assert client.post(url, data=data).status_code == 302
    assert _template_urls(app, "ZJJ-XK-001")[:2] == [
        "https://zwfw.example.gov.cn/forms/施工许可申请表.docx",
        "/data/建设工程规划许可证样表.pdf",
    ]
