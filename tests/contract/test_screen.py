"""The fast schema check (jsonschema-rs) may only ever be stricter than the Python validator:
it is trusted to say "valid", and a "no" goes to the Python validator, which decides."""

import pytest

from sunshine.contract.schema import ContractError, validate_record, validate_snapshot

#: Values on the edge of the schema's patterns: control characters, non-ASCII digits, a final newline.
EDGE_TEXTS = ["营业执照", "a\x07b", "甲\ufffe乙", "末尾\n", "2026-12-07", "2026-12-07\n", "٢٠٢٦-12-07",
              "https://zwfw.example.gov.cn/指南", "https://a b", "/\\evil.example", "0" * 300]


@pytest.mark.parametrize("text", EDGE_TEXTS)
@pytest.mark.parametrize("field", ["name", "effective_date", "promised_note"])
def test_the_fast_check_never_accepts_what_the_python_validator_refuses(snapshot, field, text):
    import sunshine.contract.schema as schema

    item = dict(snapshot["items"][0], **{field: text})
    python_says = not list(schema._validator(schema.COLLECTIONS["items"]).iter_errors(item))
    if schema._screen(schema.COLLECTIONS["items"]).is_valid(item):
        assert python_says


def test_a_date_with_a_final_newline_is_still_accepted_as_python_accepts_it(snapshot):
    # jsonschema-rs refuses it ($ is the very end there); the Python validator, which decides, does not.
    item = dict(snapshot["items"][0], effective_date="2026-12-07\n")
    validate_record("items", item)


def test_a_control_character_is_refused_with_its_place(snapshot):
    snapshot["items"][1]["promised_note"] = "当场办结\x07"
    with pytest.raises(ContractError) as refused:
        validate_snapshot(snapshot)
    assert "items[1].promised_note" in str(refused.value)
    assert "U+0007" in str(refused.value)


def test_what_the_fast_check_cannot_read_is_decided_by_the_python_validator(snapshot):
    snapshot["items"][0]["fees"] = {1: "非字符串的键"}
    with pytest.raises(ContractError) as refused:
        validate_snapshot(snapshot)
    assert "items[0].fees" in str(refused.value)
