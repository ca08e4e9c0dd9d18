"""One vocabulary: the back office, the schema and the public site read the same code lists."""

import json

import pytest

from sunshine.contract import codes
from sunshine.contract.schema import ContractError, schema_bytes, snapshot_schema, validate_record
from sunshine.publisher.labels import case_type_label, channel_kind_label


def test_channel_kind_labels_are_the_same_in_the_back_office_and_on_the_public_site(app):
    from sunshine.site.admin.forms.channels import ChannelForm

    with app.test_request_context():
        form_labels = dict(ChannelForm().kind.choices)
    assert form_labels == {kind: channel_kind_label(kind) for kind in codes.CHANNEL_KINDS}
    assert form_labels["hotline"] == "投诉电话"
    assert form_labels["mailbox"] == "投诉信箱"


def test_case_type_choices_of_the_item_form_come_from_the_contract(app):
    from sunshine.site.admin.forms.items import ItemForm

    with app.test_request_context():
        choices = dict(ItemForm().case_type.choices)
    assert choices == {code: case_type_label(code) for code in codes.CASE_TYPES}


@pytest.mark.parametrize(("definition", "field", "values"), [
    ("item", "item_type", codes.ITEM_TYPES),
    ("item", "case_type", tuple(codes.CASE_TYPES)),
    ("channel", "kind", tuple(codes.CHANNEL_KINDS)),
    ("notice", "category", codes.NOTICE_CATEGORIES),
])
def test_schema_enums_are_the_code_lists(definition, field, values):
    assert snapshot_schema()["$defs"][definition]["properties"][field]["enum"] == list(values)


def test_published_schema_is_stable_json():
    assert schema_bytes() == schema_bytes()
    assert json.loads(schema_bytes())["properties"]["schema_version"] == {"const": 7}


def test_a_record_outside_the_code_list_is_refused_in_chinese():
    record = {"code": "rx12345", "kind": "wechat", "name": "微信公众号", "contact": "qcxzwfw",
              "hours": "", "office": "", "response_days": 5, "notes": "", "revision": 1,
              "published_at": "2026-11-23T10:00:00+08:00", "changes": []}
    with pytest.raises(ContractError) as caught:
        validate_record("channels", record)
    assert str(caught.value).startswith("内容不符合公开数据规范：kind：取值 'wechat' 不在允许范围内")
