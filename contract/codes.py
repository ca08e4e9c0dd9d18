"""Every code list of the contract, with its Chinese label, in display order.

Dicts map the stored code to its label; tuples are lists whose stored value is
the Chinese word itself. The back-office forms, the models, the schema's enums,
the public pages and the open-data CSVs all read these; none repeats them.
"""

from __future__ import annotations

#: 事项类型 (stored as the Chinese word).
ITEM_TYPES: tuple[str, ...] = (
    "行政许可", "行政给付", "行政确认", "行政征收", "行政奖励", "行政裁决", "其他行政权力", "公共服务",
)
#: 办件类型.
CASE_TYPES: dict[str, str] = {
    "immediate": "即办件",
    "promised": "承诺件",
    "joint": "联办件",
    "escalated": "上报件",
}
CASE_TYPE_NOTES: dict[str, str] = {
    "immediate": "材料齐全、符合法定形式的，当场办结",
    "promised": "受理后在承诺时限内办结",
    "joint": "由多个部门联合办理",
    "escalated": "本级受理、初审后报上级机关审批",
}
#: 服务对象 (stored as written; "," joins two).
SERVICE_OBJECTS: tuple[str, ...] = ("自然人", "法人", "自然人,法人")
#: 材料形式.
MATERIAL_FORMS: tuple[str, ...] = ("原件", "复印件", "原件和复印件", "电子材料")
#: 收费类别, in the official order.
FEE_CATEGORIES: tuple[str, ...] = ("行政事业性收费", "政府性基金", "经营服务性收费")
#: 通知公告栏目.
NOTICE_CATEGORIES: tuple[str, ...] = ("通知公告", "政策文件", "办事提醒", "监督通报")
#: 投诉渠道类型, in the order the public page lists them.
CHANNEL_KINDS: dict[str, str] = {
    "hotline": "投诉电话",
    "online": "网上投诉",
    "mailbox": "投诉信箱",
    "in_person": "现场投诉",
}
#: 投诉类别 (stored as the Chinese word).
COMPLAINT_CATEGORIES: tuple[str, ...] = ("服务态度", "办理超时", "乱收费", "材料反复要求", "推诿扯皮", "其他")
#: Complaint statuses: 收到 → 受理 (or 不予受理) → 交办 → 答复 → 办结, and once 重新办理.
COMPLAINT_STATUSES: dict[str, str] = {
    "received": "已收到",
    "accepted": "已受理",
    "declined": "不予受理",
    "assigned": "已交办",
    "replied": "已答复",
    "closed": "已办结",
    "reopened": "重新办理中",
}
#: Statuses in which the department still owes an answer (the answer deadline runs).
COMPLAINT_AWAITING_ANSWER: tuple[str, ...] = ("accepted", "assigned", "reopened")
#: Statuses in which the complaint is not finished (the back office's "未办结").
COMPLAINT_OPEN_STATUSES: tuple[str, ...] = ("received", *COMPLAINT_AWAITING_ANSWER, "replied")
#: Why a complaint is not accepted (不予受理的理由).
COMPLAINT_DECLINE_REASONS: dict[str, str] = {
    "out_of_scope": "不属于效能投诉受理范围",
    "duplicate": "重复投诉",
    "no_content": "无实质投诉内容",
}
#: How a complaint ended (办结结果).
COMPLAINT_OUTCOMES: dict[str, str] = {
    "resolved": "已解决",
    "partly": "部分解决",
    "not_upheld": "投诉不成立",
    "referred": "已转有关部门办理",
}
#: How a citizen asked to be told of progress (查询码和进度通知).
NOTIFY_CHANNELS: dict[str, str] = {"": "不需要通知", "sms": "短信", "email": "电子邮件"}

#: 网上咨询 statuses.
QUESTION_STATUSES: dict[str, str] = {
    "received": "待答复",
    "answered": "已答复",
    "declined": "不予答复",
}
#: Why a question is not answered.
QUESTION_DECLINE_REASONS: dict[str, str] = {
    "out_of_scope": "不属于本部门咨询范围",
    "duplicate": "重复提问",
    "no_content": "无实质咨询内容",
}

#: 办件状态 (the timeline of a service case).
CASE_STATUSES: dict[str, str] = {
    "correction": "补正告知",
    "accepted": "受理",
    "processing": "办理中",
    "extended": "延期",
    "completed": "办结",
    "rejected": "不予受理",
}
#: Statuses in which the office still owes a decision.
CASE_OPEN_STATUSES: tuple[str, ...] = ("correction", "accepted", "processing", "extended")
#: Statuses whose deadline clock runs (a case awaiting 补正 has not been accepted yet).
CASE_RUNNING_STATUSES: tuple[str, ...] = ("accepted", "processing", "extended")
CASE_FINAL_STATUSES: tuple[str, ...] = ("completed", "rejected")

#: 电子监察 warning levels.
WARNING_LEVELS: dict[str, str] = {"green": "正常", "yellow": "黄牌预警", "red": "红牌警告"}

#: 好差评 five levels (国办发〔2019〕51号), best first; the key is stored.
RATING_LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
#: Levels at or below this are 差评 and open a rectification work order.
BAD_RATING_MAX = 2
#: What a rating is about.
RATING_TARGETS: dict[str, str] = {
    "case": "办件", "item": "服务事项", "department": "部门窗口", "complaint": "投诉办理",
}
#: A rating counts unless an appeal (申诉复核) voided it.
RATING_STATUSES: dict[str, str] = {"valid": "有效", "voided": "已作废（申诉成立）"}

#: 整改 work order stages, in order: 回访 → 核实 → 整改 → 反馈.
RECTIFICATION_STAGES: dict[str, str] = {
    "contact": "回访",
    "finding": "核实",
    "rectify": "整改",
    "answer": "反馈",
}
RECTIFICATION_STATUSES: dict[str, str] = {
    "open": "待回访",
    "contacted": "待核实",
    "verified": "待整改",
    "rectified": "待反馈",
    "closed": "已办结",
    "voided": "申诉成立，已撤销",
}
#: 申诉复核 states of a work order's appeal.
APPEAL_STATUSES: dict[str, str] = {
    "": "未申诉",
    "pending": "申诉待复核",
    "upheld": "申诉成立",
    "rejected": "申诉不成立",
}


def label(codes: dict, value: object) -> str:
    """The Chinese label of a code, or the value itself when it is not a known code."""
    return codes.get(value, str(value))


def choices(codes: dict | tuple) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field."""
    if isinstance(codes, dict):
        return [(str(k), v) for k, v in codes.items()]
    return [(c, c) for c in codes]
