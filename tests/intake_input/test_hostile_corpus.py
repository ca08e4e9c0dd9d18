"""A corpus of malformed, oversized, wrongly encoded and hostile submissions to every public POST endpoint.

Each one must be refused with a 4xx and a clear Chinese message in the intake's
layout (never a 5xx, never an English WTForms or Werkzeug message) and leave
every table of the database exactly as it was. The valid submission each entry
spoils is itself accepted (``test_the_valid_submission_is_accepted``), so a
refusal is the spoiled part's doing.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest

from sunshine.site import clock

from .conftest import ENDPOINTS, SENT_AT

#: Messages of WTForms, Flask-WTF and Werkzeug that must never reach a citizen.
ENGLISH = ("Not a valid", "This field", "Field must", "Invalid", "CSRF", "Bad Request", "Method Not Allowed",
           "Request Entity", "Unsupported Media", "Internal Server Error")
#: What each text field answers when it is one character too long.
TOO_LONG = {
    "subject": ("字" * 101, "标题不能超过100个字。"),
    "content": ("字" * 3001, "投诉内容请写10至3000个字"),
    "contact_name": ("王" * 51, "姓名不能超过50个字。"),
    "contact_phone": ("1" * 31, "请填写正确的手机号"),
    "tracking_no": ("T" * 33, "投诉编号格式不对。"),
    "query_code": ("A" * 17, "查询码格式不对。"),
    "case_no": ("Z" * 41, "办件编号格式不对。"),
    "comment": ("差" * 501, "评价内容不能超过500个字。"),
    "contact_email": ("a" * 190 + "@example.cn", "电子邮箱不能超过200个字符。"),
    "question_no": ("Z" * 33, "咨询编号格式不对。"),
    "reason": ("字" * 1001, "理由不能超过1000个字。"),
}
LABEL = {"subject": "投诉标题", "content": "投诉内容", "contact_name": "您的姓名", "contact_phone": "联系电话",
         "tracking_no": "投诉编号", "query_code": "查询码", "case_no": "办件编号", "comment": "评价内容",
         "contact_email": "电子邮箱", "question_no": "咨询编号", "reason": "申请重新办理的理由"}
#: Where an endpoint names a field differently, or allows another length.
LABEL_OF = {"question": {"subject": "咨询标题", "content": "咨询内容"}}
TOO_LONG_OF = {"question": {"content": ("字" * 2001, "咨询内容请写5至2000个字。")}}
MARK = "\x01MARK\x01"


def _spoiled(value: str, char: str) -> str:
    middle = len(value) // 2
    return value[:middle] + char + value[middle:]


def _raw_form(valid: dict, field: str, raw_value: str) -> bytes:
    """The url-encoded form with ``field`` replaced by ``raw_value`` exactly as given (already %-encoded)."""
    return urlencode({**valid, field: MARK}).replace(quote(MARK, safe=""), raw_value).encode("ascii")


def _multipart(valid: dict, field: str, encoded: bytes) -> bytes:
    parts = []
    for name, value in valid.items():
        data = encoded if name == field else value.encode("utf-8")
        parts.append(b"--B0UNDARY\r\nContent-Disposition: form-data; name=\"" + name.encode() + b"\"\r\n\r\n"
                     + data + b"\r\n")
    return b"".join(parts) + b"--B0UNDARY--\r\n"


URLENCODED = "application/x-www-form-urlencoded"


def _corpus():
    for name, (path, valid, text_fields, _ok) in ENDPOINTS.items():
        for field in text_fields:
            label, value = LABEL_OF.get(name, {}).get(field, LABEL[field]), valid[field]
            case = f"{name}-{field}"
            yield pytest.param(name, path, {"data": {**valid, field: _spoiled(value, "\x00")}}, 400, "空字符",
                               id=f"{case}-nul")
            for char, kind in (("\x07", "bell"), ("\x1b", "escape"), ("\x85", "c1-next-line"), ("\x7f", "delete")):
                yield pytest.param(name, path, {"data": {**valid, field: _spoiled(value, char)}}, 400,
                                   f"{label}含有不可见的控制字符", id=f"{case}-{kind}")
            for char, kind in (("\u202e", "rlo"), ("\u2066", "lri")):
                yield pytest.param(name, path, {"data": {**valid, field: _spoiled(value, char)}}, 400,
                                   f"{label}含有改变文字显示方向的控制符", id=f"{case}-{kind}")
            yield pytest.param(name, path, {"data": {**valid, field: _spoiled(value, "\ufffd")}}, 400,
                               f"{label}含有无法识别的字符", id=f"{case}-replacement-char")
            yield pytest.param(name, path, {"data": _raw_form(valid, field, quote(value) + "%ED%A0%80"),
                                            "content_type": URLENCODED}, 400, "不是 UTF-8 编码",
                               id=f"{case}-lone-surrogate")
            if not value.isascii():
                yield pytest.param(name, path, {"data": _raw_form(valid, field, quote(value.encode("gbk"))),
                                                "content_type": URLENCODED}, 400, "不是 UTF-8 编码",
                                   id=f"{case}-gbk-urlencoded")
                yield pytest.param(name, path, {"data": _multipart(valid, field, value.encode("gbk")),
                                                "content_type": "multipart/form-data; boundary=B0UNDARY"},
                                   400, f"{label}含有无法识别的字符", id=f"{case}-gbk-multipart")
            long_value, message = TOO_LONG_OF.get(name, {}).get(field, TOO_LONG[field])
            yield pytest.param(name, path, {"data": {**valid, field: long_value}}, 400, message,
                               id=f"{case}-too-long")
        if not all(value.isascii() for value in valid.values()):  # in GBK, ASCII is ASCII
            yield pytest.param(name, path, {"data": urlencode(valid, encoding="gbk").encode("ascii"),
                                            "content_type": f"{URLENCODED}; charset=gbk"}, 400, "不是 UTF-8 编码",
                               id=f"{name}-gbk-declared")
            yield pytest.param(name, path, {"data": "&".join(f"{k}={v}" for k, v in valid.items()).encode("gbk"),
                                            "content_type": URLENCODED}, 400, "不是 UTF-8 编码",
                               id=f"{name}-gbk-raw-bytes")
        yield pytest.param(name, path, {"data": {**valid, "padding": "x" * (3 * 1024 * 1024)}}, 413,
                           "提交的内容太大", id=f"{name}-3mb")
        yield pytest.param(name, path, {"data": {}}, 400, "请填写" if name != "rate" else "请选择满意程度",
                           id=f"{name}-missing-fields")
        yield pytest.param(name, path, {"data": json.dumps(valid, ensure_ascii=False).encode(),
                                        "content_type": "application/json"}, 415, "请通过网页表单提交",
                           id=f"{name}-json")
        yield pytest.param(name, path, {"data": "\n".join(f"{k}={v}" for k, v in valid.items()).encode(),
                                        "content_type": "text/plain"}, 415, "请通过网页表单提交", id=f"{name}-text-plain")
        joiner = "&" if "?" in path else "?"
        yield pytest.param(name, path + joiner + "from=%00", {"data": valid}, 400, "空字符",
                           id=f"{name}-nul-in-address")
        yield pytest.param(name, path + joiner + "from=%B9%A4%D7%F7", {"data": valid}, 400, "不是 UTF-8 编码",
                           id=f"{name}-gbk-in-address")
        yield pytest.param(name, path, {"data": {**valid, "x\x00y": "1"}}, 400, "空字符", id=f"{name}-nul-in-name")
    complaint_path, complaint, _, _ = ENDPOINTS["complaint"]
    for field, tampered, message in (("department", "nosuch", "请从列表中选择被投诉部门。"),
                                     ("department", "zjj' OR '1'='1", "请从列表中选择被投诉部门。"),
                                     ("item", "FAKE-XK-999", "请从列表中选择涉及事项。"),
                                     ("category", "骚扰", "请从列表中选择投诉类别。")):
        yield pytest.param("complaint", complaint_path, {"data": {**complaint, field: tampered}}, 400, message,
                           id=f"complaint-tampered-{field}-{tampered[:6]}")
    question_path, question, _, _ = ENDPOINTS["question"]
    for field, tampered, message in (("department", "nosuch", "请从列表中选择咨询部门。"),
                                     ("item", "FAKE-XK-999", "请从列表中选择涉及事项。"),
                                     ("notify_by", "fax", "请从列表中选择通知方式。")):
        yield pytest.param("question", question_path, {"data": {**question, field: tampered}}, 400, message,
                           id=f"question-tampered-{field}")
    yield pytest.param("complaint", complaint_path, {"data": {**complaint, "notify_by": "wechat"}}, 400,
                       "请从列表中选择通知方式。", id="complaint-tampered-notify_by")
    confirm_path, confirm, _, _ = ENDPOINTS["complaint_confirm"]
    for tampered in ("maybe", "是", ""):
        yield pytest.param("complaint_confirm", confirm_path, {"data": {**confirm, "solved": tampered}}, 400,
                           "请选择问题是否已经解决。", id=f"complaint_confirm-tampered-solved-{tampered or 'empty'}")
    for name in ("rate", "case_rate", "complaint_confirm"):
        path, valid, _, _ = ENDPOINTS[name]
        for tampered in ("6", "0", "-1", "五", "2.5"):
            yield pytest.param(name, path, {"data": {**valid, "level": tampered}}, 400, "请从五个等级中选择一个。",
                               id=f"{name}-tampered-level-{tampered}")


@pytest.mark.parametrize(("name", "path", "request_kwargs", "status", "message"), list(_corpus()))
def test_hostile_submission_is_refused_in_chinese_and_stores_nothing(intake, row_counts, name, path,
                                                                     request_kwargs, status, message):
    before = row_counts(intake)
    with clock.frozen(SENT_AT):
        response = intake.test_client().post(path, **request_kwargs)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in html
    assert '<main id="main" class="intake">' in html and '<html lang="zh-CN">' in html
    assert not [english for english in ENGLISH if english in html]
    assert row_counts(intake) == before


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_the_valid_submission_is_accepted(intake, row_counts, name):
    path, valid, _, status = ENDPOINTS[name]
    with clock.frozen(SENT_AT):
        response = intake.test_client().post(path, data=valid)
    assert response.status_code == status
