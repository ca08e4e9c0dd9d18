"""A record the publisher would refuse is refused when it is published, not after."""

import pytest

from sunshine.site.db import db
from sunshine.site.models import DRAFT, Channel
from sunshine.site.workflow import WorkflowError, publish


def test_a_channel_kind_outside_the_contract_cannot_be_published(app):
    with app.app_context():
        channel = Channel(code="wx-qc", kind="wechat", name="清川政务微信公众号", contact="qcxzwfw",
                          hours="全天", office="县政务服务中心", response_days=5)
        db.session.add(channel)
        with pytest.raises(WorkflowError) as caught:
            publish(channel)
        assert str(caught.value) == (
            "不能发布：内容不符合公开数据规范：kind：取值 'wechat' 不在允许范围内（hotline、online、mailbox、in_person）")
        assert (channel.state, channel.revision, channel.published_data) == (DRAFT, 0, None)
