"""Splice decoding (splicing.py): the next snapshot decodes to exactly what decoding it whole gives,
with the records whose bytes did not change being the last decode's very objects."""

from __future__ import annotations

import copy
import json
import random

import orjson
import pytest

from sunshine.publisher import splicing
from sunshine.publisher.splicing import SnapshotSplicer
from tests.publisher.conftest import tree

WRITERS = {
    "export": lambda data: orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n",
    "json": lambda data: json.dumps(data, ensure_ascii=False).encode("utf-8"),
    "json-indent": lambda data: json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
    "orjson": orjson.dumps,
}


def exact(value) -> bytes:
    """Types, values and key order (orjson keeps the order; 1, 1.0 and true print differently)."""
    return orjson.dumps(value)


def records(data: dict) -> int:
    return sum(1 for value in data.values() if isinstance(value, list) for r in value if isinstance(r, (dict, list)))


@pytest.mark.parametrize("writer", WRITERS)
def test_every_records_bytes_are_found_whichever_way_the_snapshot_was_written(snapshot_data, writer):
    splicer = SnapshotSplicer()
    raw = WRITERS[writer](snapshot_data)
    data = splicer.decode(raw)
    assert len(splicer._spans) == records(snapshot_data) == 28
    for start, end, record in splicer._spans:
        assert exact(orjson.loads(raw[start:end])) == exact(record)
    assert exact(data) == exact(orjson.loads(raw))


@pytest.mark.parametrize("writer", WRITERS)
def test_one_changed_item_is_the_only_record_decoded_anew(snapshot_data, writer):
    splicer = SnapshotSplicer()
    first = splicer.decode(WRITERS[writer](snapshot_data))
    snapshot_data["items"][2]["promised_note"] = "材料齐全当场办结，不收取任何费用"
    snapshot_data["generated_at"] = "2026-12-08T09:30:00+08:00"
    raw = WRITERS[writer](snapshot_data)
    second = splicer.decode(raw)
    assert splicer.spliced
    assert exact(second) == exact(orjson.loads(raw))
    assert second["items"][2] is not first["items"][2]
    assert second["items"][2]["promised_note"] == "材料齐全当场办结，不收取任何费用"
    assert all(second["items"][n] is first["items"][n] for n in (0, 1, 3, 4))
    assert second["departments"][0] is first["departments"][0]
    assert second["site"] is not first["site"]  # not a list's record: decoded each time
    assert len(splicer._spans) == 28  # the changed item's bytes are known for the next time


def test_inserted_removed_and_moved_records(snapshot_data):
    splicer = SnapshotSplicer()
    write = WRITERS["export"]
    first = splicer.decode(write(snapshot_data))
    snapshot_data["items"].insert(3, copy.deepcopy(snapshot_data["items"][0]) | {"code": "511623-ZJ-0099"})
    del snapshot_data["notices"][1]
    snapshot_data["questions"].reverse()
    snapshot_data["withdrawn_items"].append(snapshot_data["items"].pop(1))
    raw = write(snapshot_data)
    second = splicer.decode(raw)
    assert splicer.spliced
    assert exact(second) == exact(orjson.loads(raw))
    assert second["items"][0] is first["items"][0] and second["items"][3:] == first["items"][3:]
    assert all(a is b for a, b in zip(second["items"][3:], first["items"][3:], strict=True))
    assert second["notices"][1] is first["notices"][2]
    assert second["channels"][0] is first["channels"][0]  # a list before the changed ones
    assert second["withdrawn_notices"][0] is first["withdrawn_notices"][0]  # and one after


def test_two_equal_records_stay_two_objects(snapshot_data):
    splicer = SnapshotSplicer()
    snapshot_data["channels"].append(copy.deepcopy(snapshot_data["channels"][0]))
    splicer.decode(WRITERS["json"](snapshot_data))
    snapshot_data["items"][0]["name"] = "建设工程消防验收（备案）"
    second = splicer.decode(WRITERS["json"](snapshot_data))
    assert second["channels"][0] is not second["channels"][-1]
    assert exact(second["channels"][0]) == exact(second["channels"][-1])


def test_a_record_written_another_way_is_decoded_as_written(snapshot_data):
    """Same values, other bytes (another writer): decoded anew, key order and all."""
    splicer = SnapshotSplicer()
    splicer.decode(WRITERS["json"](snapshot_data))
    raw = WRITERS["export"](snapshot_data)
    data = splicer.decode(raw)
    assert exact(data) == exact(orjson.loads(raw))
    assert list(data["items"][0]) == sorted(snapshot_data["items"][0])


def test_a_records_bytes_inside_a_string_are_not_taken_for_the_record(snapshot_data):
    splicer = SnapshotSplicer()
    raw = WRITERS["json"](snapshot_data)
    splicer.decode(raw)
    item = json.dumps(snapshot_data["items"][1], ensure_ascii=False).encode("utf-8")
    broken = raw.replace(item, b'"' + item, 1)  # no longer JSON: the record now opens a string
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(broken)
    with pytest.raises(orjson.JSONDecodeError):
        splicer.decode(broken)
    assert exact(splicer.decode(raw)) == exact(orjson.loads(raw))  # the memory is still sound


def test_a_record_moved_inside_another_value_is_decoded_where_it_is(snapshot_data):
    splicer = SnapshotSplicer()
    write = WRITERS["json"]
    first = splicer.decode(write(snapshot_data))
    snapshot_data["figures"]["months"] = [snapshot_data["items"][4]]  # not the schema's: the decoder's
    del snapshot_data["items"][4]
    raw = write(snapshot_data)
    data = splicer.decode(raw)
    assert exact(data) == exact(orjson.loads(raw))
    assert data["figures"]["months"][0] is not first["items"][4]


def test_digits_of_the_placeholders_in_the_snapshot_make_it_decoded_whole(snapshot_data, monkeypatch):
    monkeypatch.setattr(splicing.secrets, "randbelow", lambda limit: 4242)
    base = 10 ** 17 + 4242 * 10 ** 6
    splicer = SnapshotSplicer()
    splicer.decode(WRITERS["json"](snapshot_data))
    snapshot_data["notices"][0]["body"] = f"受理编号 {base + 3}"
    snapshot_data["items"][0]["visits_required"] = base + 1
    raw = WRITERS["json"](snapshot_data)
    data = splicer.decode(raw)
    assert not splicer.spliced
    assert exact(data) == exact(orjson.loads(raw))
    assert data["items"][0]["visits_required"] == base + 1


def test_what_is_not_an_object_decodes_as_it_is(snapshot_data):
    splicer = SnapshotSplicer()
    raw = WRITERS["json"](snapshot_data)
    splicer.decode(raw)
    listed = b"[" + raw + b"]"
    assert exact(splicer.decode(listed)) == exact(orjson.loads(listed))
    assert exact(splicer.decode(raw)) == exact(orjson.loads(raw))


def test_many_changes_in_a_row_always_decode_as_a_whole_decode(snapshot_data):
    """A seeded run of edits of every kind, in every format: any stale or misplaced record shows."""
    rng = random.Random(20261207)
    splicer = SnapshotSplicer()
    lists = [name for name, value in snapshot_data.items() if isinstance(value, list) and value
             and isinstance(value[0], dict)]
    spliced = 0
    for step in range(120):
        name = rng.choice(lists)
        records_ = snapshot_data[name]
        kind = rng.randrange(6)
        if kind == 0 and records_:
            record = rng.choice(records_)
            field = rng.choice(sorted(record))
            record[field] = rng.choice([f"第{step}次修改", step, step + 0.5, True, None, [], {"值": step}])
        elif kind == 1 and len(records_) > 1:
            records_.pop(rng.randrange(len(records_)))
        elif kind == 2 and records_:
            records_.insert(rng.randrange(len(records_) + 1), copy.deepcopy(rng.choice(records_)))
        elif kind == 3:
            rng.shuffle(records_)
        elif kind == 4:
            snapshot_data["generated_at"] = f"2026-12-07T{step % 24:02d}:00:00+08:00"
        elif kind == 5 and records_:
            other = rng.choice(lists)
            snapshot_data[other].append(records_.pop(rng.randrange(len(records_))))
        raw = WRITERS[rng.choice(sorted(WRITERS))](snapshot_data)
        data = splicer.decode(raw)
        spliced += splicer.spliced
        assert exact(data) == exact(orjson.loads(raw)), step
    assert spliced > 60


def test_a_running_publishers_spliced_snapshot_builds_the_site_a_full_build_makes(
        snapshot_data, write_snapshot, tmp_path):
    from sunshine.publisher.build import build_site
    from sunshine.publisher.deploy import publish

    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    snapshot_data["items"][3]["promised_note"] = "材料齐全的，当场办结"
    snapshot_data["generated_at"] = "2026-12-08T09:30:00+08:00"
    result = publish(write_snapshot(snapshot_data), web, static_index=False, durable=False)
    assert splicing.SPLICER.spliced
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert tree(result.live) == tree(full.out_dir)
