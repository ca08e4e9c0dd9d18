"""The item file's tables and columns: Chinese headers mapped onto the item form's fields.

An item file has one table of items (事项) and three tables of their rows
(申请材料, 办理流程, 收费项目), each row keyed by 事项编码 + 序号. A column names
a field of the back office's item form (``admin.forms.items.ItemForm`` and its
row forms); the values' rules (required, lengths, whole-number ranges, the code
lists of ``sunshine.contract.codes``) are that form's validators and choices,
bound by ``form_fields`` — this module holds headers and hints, never a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import Field

#: The notes sheet (and notes CSV) of an export or template; an import skips it.
NOTES_NAME = "填写说明"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    #: The header must be in the file: an absent column would silently blank its field.
    required: bool = True
    hint: str = ""


@dataclass(frozen=True)
class Table:
    #: The sheet's name (and the CSV's, in a .zip).
    name: str
    #: The item form's row table this one fills ("" for the items themselves).
    rows: str
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


CODE = Column("code", "事项编码", hint="与本部门已有事项的编码相同即更新该事项，新的编码即新建草稿")
POSITION = Column("position", "序号", hint="该事项内的顺序：1、2、3……，同一事项内不能重复")
#: Shown in an export for the clerk's orientation; an import never reads it.
STATE = Column("state", "发布状态", required=False, hint="仅供查看，导入时不读取")
#: The item's revision when exported: an import refuses an item changed since (no lost updates).
VERSION = Column("edit_version", "导出时稿次", required=False,
                 hint="导出时该事项的稿次，请勿修改；该事项在导出后若又被修改，导入时整行退回，请重新导出后再改")
#: Columns that are keys or notes, not form fields.
KEY_FIELDS = frozenset({"code", "position", "state", "edit_version"})

ITEMS = Table("事项", "", (
    CODE,
    Column("name", "事项名称"),
    Column("item_type", "事项类型"),
    Column("service_object", "服务对象"),
    Column("legal_basis", "设定依据", hint="可使用 Markdown，“- ”开头为列表"),
    Column("conditions", "受理条件", hint="可使用 Markdown，“- ”开头为列表"),
    Column("statutory_days", "法定办结时限（工作日）"),
    Column("promised_days", "承诺办结时限（工作日）", hint="不得超过法定办结时限（提交审核时检查）"),
    Column("promised_note", "承诺时限说明"),
    Column("case_type", "办件类型"),
    Column("visits_required", "到办事现场次数"),
    Column("online", "是否网办"),
    Column("in_hall", "是否进驻政务服务大厅"),
    Column("location", "办理地点"),
    Column("hours", "办理时间"),
    Column("consult_phone", "咨询电话"),
    Column("complaint_phone", "监督投诉电话"),
    Column("result_type", "审批结果类型"),
    Column("keywords", "检索关键词", hint="群众常用说法，每行一个"),
    Column("effective_date", "生效日期"),
    STATE,
    VERSION,
))
MATERIALS = Table("申请材料", "materials", (
    CODE, POSITION,
    Column("name", "材料名称"),
    Column("form", "材料形式"),
    Column("copies", "份数"),
    Column("required", "是否必须提交"),
    Column("notes", "备注"),
    Column("template_url", "空白表格或样表链接", hint="以 https:// 开头的网址，或本站的 /files/… 地址"),
))
STEPS = Table("办理流程", "steps", (
    CODE, POSITION,
    Column("name", "环节名称"),
    Column("office", "办理机构或岗位"),
    Column("days", "时限（工作日）"),
    Column("description", "说明"),
))
FEES = Table("收费项目", "fees", (
    CODE, POSITION,
    Column("name", "收费项目名称"),
    Column("standard", "收费标准"),
    Column("basis", "收费依据"),
    Column("approving_doc", "批准文件"),
    Column("category", "收费类别"),
    Column("exemptions", "减免规定"),
    Column("combined_bill", "一单收费名称", hint="与其他收费合并在一张缴费单上时填写该缴费单的名称"),
))
TABLES: tuple[Table, ...] = (ITEMS, MATERIALS, STEPS, FEES)
TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
ROW_TABLES: tuple[Table, ...] = (MATERIALS, STEPS, FEES)
TABLE_ORDER: dict[str, int] = {t.name: i for i, t in enumerate(TABLES)}


def column_order(table_name: str, header: str) -> int:
    """A column's place in its table (problems are listed in the file's order)."""
    table = TABLE_BY_NAME.get(table_name)
    if table is None or not header:
        return -1
    return next((i for i, c in enumerate(table.columns) if c.header == header), 99)


def form_fields() -> dict[str, dict[str, Field]]:
    """Each table's columns as bound fields of a blank item form: their types, choices and validators.

    Needs an app context (the form is a Flask-WTF form).
    """
    from ..admin.forms.items import ItemForm

    form = ItemForm(formdata=None, meta={"csrf": False})
    sources = {"": form, **{t.rows: form[t.rows].append_entry().form for t in ROW_TABLES}}
    return {t.name: {c.field: sources[t.rows][c.field] for c in t.columns if c.field in sources[t.rows]}
            for t in TABLES}


#: The template's example: one item as a 自然资源局 would disclose it, row by row, as typed in Excel.
EXAMPLE: dict[str, list[dict[str, object]]] = {
    "事项": [{
        "code": "GTZY-DJ-011", "name": "国有建设用地使用权及房屋所有权转移登记", "item_type": "行政确认",
        "service_object": "自然人、法人",
        "legal_basis": "- 《不动产登记暂行条例》第十四条：因买卖、设定抵押权等申请不动产登记的，应当由当事人双方共同申请。\n"
                       "- 《不动产登记暂行条例》第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续。",
        "conditions": "- 不动产权属清楚，已依法取得不动产权属证书；\n- 当事人双方已签订买卖合同并依法缴纳税费；\n"
                      "- 不动产未被查封，已设立抵押的已取得抵押权人同意。",
        "statutory_days": 30, "promised_days": 5, "promised_note": "一般登记5个工作日内办结，比法定时限提速83%",
        "case_type": "承诺件", "visits_required": 1, "online": "是", "in_hall": "是",
        "location": "清川县政务服务中心一楼不动产登记专区3-6号窗口",
        "hours": "周一至周五 上午9:00-12:00 下午13:30-17:30（法定节假日除外）",
        "consult_phone": "0827-5226032", "complaint_phone": "0827-5234011", "result_type": "证照",
        "keywords": "二手房过户\n房产证过户", "effective_date": "2026-03-01",
    }],
    "申请材料": [
        {"code": "GTZY-DJ-011", "position": 1, "name": "不动产登记申请书", "form": "原件", "copies": 1,
         "required": "是", "notes": "窗口领取或网上申报系统填写", "template_url": ""},
        {"code": "GTZY-DJ-011", "position": 2, "name": "申请人身份证明", "form": "原件和复印件", "copies": 1,
         "required": "是", "notes": "核验原件后退还", "template_url": ""},
        {"code": "GTZY-DJ-011", "position": 3, "name": "不动产权属证书", "form": "原件", "copies": 1,
         "required": "是", "notes": "", "template_url": ""},
        {"code": "GTZY-DJ-011", "position": 4, "name": "完税凭证", "form": "电子材料", "copies": 1,
         "required": "否", "notes": "由税务部门共享的，申请人无需提交", "template_url": ""},
    ],
    "办理流程": [
        {"code": "GTZY-DJ-011", "position": 1, "name": "受理", "office": "不动产登记窗口", "days": 0,
         "description": "核对申请材料，齐全的当场受理并出具受理凭证。"},
        {"code": "GTZY-DJ-011", "position": 2, "name": "审核", "office": "不动产登记中心审核岗", "days": 3,
         "description": "查验权属、查封和抵押情况。"},
        {"code": "GTZY-DJ-011", "position": 3, "name": "登簿发证", "office": "不动产登记中心", "days": 2,
         "description": "记载于不动产登记簿，颁发不动产权证书。"},
    ],
    "收费项目": [
        {"code": "GTZY-DJ-011", "position": 1, "name": "不动产登记费", "standard": "住宅类每件80元；非住宅类每件550元",
         "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》",
         "approving_doc": "发改价格规〔2016〕2559号", "category": "行政事业性收费",
         "exemptions": "小微企业（含个体工商户）免收", "combined_bill": ""},
    ],
}

#: How an item file works, in the clerk's words: the notes sheet's first lines and the import page's.
GUIDE: tuple[str, ...] = (
    "「事项」表每行一个事项；「申请材料」「办理流程」「收费项目」表每行一条，用“事项编码”和“序号”对应到事项。",
    "事项编码与本部门已有事项相同，即更新该事项的工作稿；新的编码即新建一个草稿。其他部门的事项编码不能导入。",
    "导入的内容都是草稿，不会直接发布：须提交审核、审核通过后才在公开网站上显示。",
    "文件中某事项的材料、流程、收费各行即该事项的全部内容，删去一行即删去该条；"
    "整张表不在文件中（例如只上传「事项」表的 CSV），则各事项的这部分内容保持不变。",
    "导入前检查全部内容：只要有一处问题，整个文件都不导入，并列出每个问题所在的表、行和列。",
    "「发布状态」列仅供查看，导入时不读取；模板中的示例行请删除后再填写。",
)
