"""``privacy.masking.mask``: what a citizen typed, as it may be published.

Table-driven with exact outputs: every form of contact detail people really type is masked, every
way a name shows up in a complaint is masked, and what the public needs to read (dates, amounts,
the 12345 hotline, item codes, tracking numbers, office names, ordinary words) is left alone.
"""

from __future__ import annotations

import pytest

from sunshine.site.privacy.masking import (
    ACCOUNT_MASK,
    EMAIL_MASK,
    ID_MASK,
    NUMBER_MASK,
    PHONE_MASK,
    PLATE_MASK,
    mask,
    mask_contacts,
)

P, ID, E, C, N, A = PHONE_MASK, ID_MASK, EMAIL_MASK, PLATE_MASK, NUMBER_MASK, ACCOUNT_MASK

MOBILES = [
    ("我的手机13981234567，请回电。", f"我的手机{P}，请回电。"),
    ("电话139 8123 4567", f"电话{P}"),
    ("请打139-8123-4567找我", f"请打{P}找我"),
    ("联系方式：+86 139 8123 4567", f"联系方式：{P}"),
    ("+8613981234567", P),
    ("＋86 139 8123 4567", P),
    ("＋8613981234567", P),
    ("0086 139 8123 4567", P),
    ("+86-139-8123-4567", P),
    ("1398 123 4567", P),
    ("我的手机号码是１３９８１２３４５６７", f"我的手机号码是{P}"),
    ("号码18600001111和15900002222都打不通", f"号码{P}和{P}都打不通"),
]

LANDLINES = [
    ("办公室0826-2345678", f"办公室{P}"),
    ("(0826)2345678", P),
    ("（0826）2345678", P),
    ("028-12345678转123", P),
    ("010-87654321-8008", P),
    ("请拨打0826 2345678反映", f"请拨打{P}反映"),
]

LOCAL_NUMBERS = [
    ("电话2345678", f"电话{P}"),
    ("手机：82345678", f"手机：{P}"),
    ("联系电话是 2345678", f"联系电话是 {P}"),
    ("座机5220116，白天有人", f"座机{P}，白天有人"),
    ("请致电82345678", f"请致电{P}"),
]

ID_NUMBERS = [
    ("身份证511623199001011234", f"身份证{ID}"),
    ("身份证号51162319900101123X。", f"身份证号{ID}。"),
    ("身份证号51162319900101123x。", f"身份证号{ID}。"),
    ("老身份证511623900101123", f"老身份证{ID}"),
    ("身份证号 511623 19900101 1234", f"身份证号 {ID}"),
    ("证件号５１１６２３１９９００１０１１２３４", f"证件号{ID}"),
]

EMAILS = [
    ("邮箱leak.check@example.cn", f"邮箱{E}"),
    ("发到 zhang_san+gov@mail.example.com.cn 即可", f"发到 {E} 即可"),
    ("邮箱ｌｅａｋ＠ｅｘａｍｐｌｅ．ｃｎ", f"邮箱{E}"),
    ("13981234567@163.com", E),
]

PLATES = [
    ("车牌川A12345", f"车牌{C}"),
    ("新能源车川AD12345被贴条", f"新能源车{C}被贴条"),
    ("川A·12345", C),
    ("渝B1234学", C),
    ("川A 12345", C),
    ("我的车是川a12345。", f"我的车是{C}。"),
    ("川AF1234警", C),
]

OTHER_NUMBERS = [
    ("退款请打到银行卡6222 0212 3456 7890 123", f"退款请打到银行卡{N}"),
    ("卡号6222021234567890", f"卡号{N}"),
    ("QQ：123456789，微信：wxid_abc123", f"QQ：{A}，微信：{A}"),
    ("加我微信号 zhangsan_1990", f"加我微信号 {A}"),
]

NAMES = [
    # the writer's own name, given as ``names``, and its given name alone
    ("我是欧阳晓峰，晓峰是我的名字。", ["欧阳晓峰"], "我是某某，某某是我的名字。"),
    ("本人王芳，多次来电。", ["王芳"], "本人某某，多次来电。"),
    ("李国平反映的问题", [" 李 国平 "], "某某反映的问题"),
    # surname + title
    ("张科长态度不好", [], "某科长态度不好"),
    ("刘女士来电", [], "某女士来电"),
    ("王小明主任说下周再来", [], "某主任说下周再来"),
    ("欧阳主任说不归他管", [], "某主任说不归他管"),
    ("王局长、李主任、赵处长都推诿。", [], "某局长、某主任、某处长都推诿。"),
    ("请联系欧阳先生。", [], "请联系某先生。"),
    ("我找了王副局长", [], "我找了某副局长"),
    # 小陈 / 老王 / 姓王
    ("小陈说不行", [], "某某说不行"),
    ("老王让我等", [], "某某让我等"),
    ("窗口的小陈", [], "窗口的某某"),
    ("小李说明天再来，老张也是这么说的。", [], "某某说明天再来，某某也是这么说的。"),
    ("办事员小刘态度很好，值得表扬。", [], "办事员某某态度很好，值得表扬。"),
    ("一位姓王的工作人员", [], "一位姓某的工作人员"),
    ("她姓欧阳", [], "她姓某"),
    # cues
    ("我叫李建国，", [], "我叫某某，"),
    ("一个名叫赵四的人", [], "一个名叫某某的人"),
    ("我叫王芳来办社保，窗口说系统坏了。", [], "我叫某某来办社保，窗口说系统坏了。"),
    ("姓名：李建国 电话：13812345678", [], f"姓名：某某 电话：{P}"),
    ("联系人：赵敏", [], "联系人：某某"),
    ("工作人员张三说", [], "工作人员某某说"),
    ("经办人李四", [], "经办人某某"),
    # names jieba finds
    ("王小明态度很差", [], "某某态度很差"),
    ("王小明 态度很差", [], "某某 态度很差"),
    ("窗口工作人员张伟态度恶劣。", [], "窗口工作人员某某态度恶劣。"),
    ("吴国庆和孙红梅一起来办的。", [], "某某和某某一起来办的。"),
    ("欧阳晓峰反映", [], "某某反映"),
]

NOT_MASKED = [
    "2026年3月12日",
    "2026-03-12",
    "我于2026年3月12日上午9点30分到窗口。",
    "收费120元",
    "1200000元",
    "拨打12345热线",
    "请拨打12345政务服务便民热线反映。",
    "事项511623-ZJ-0001",
    "编号TS-K7MX-2QPA",
    "咨询编号ZX-AB12-CD34",
    "统一社会信用代码91511623MA62ABCD1X",
    "县市场监督管理局",
    "不动产登记中心",
    "高新区政务服务中心不动产登记窗口",
    "窗口",
    "营业执照",
    "社会保障卡",
    "社会保障卡窗口工作人员说营业执照要重办",
    "我于2026年3月12日到县市场监督管理局窗口办理营业执照，收费120元。",
    "请于2026-03-12前到不动产登记中心领取，事项编码511623-ZJ-0001，拨打12345。",
    # office heads named by office, not by person
    "县市场监督管理局局长接待了我。",
    "县卫生健康局局长说会处理。",
    "文化旅游局副局长没有回复。",
    "市场监管局长亲自过问。",
    "我找了项目经理，他说不归他管。",
    # prepositions and conjunctions that are also surnames
    "我向主任反映过。",
    "我和科长说过这个问题。",
    # words jieba's dictionary calls names, and 小/老 words
    "申请人提交的材料齐全，许可证已于3月5日办结。",
    "感谢阳光政务平台。",
    "签署承诺书即可，无需提供租赁合同。",
    "一小时后再来，老师说材料不全。",
    "工作人员冷漠，让我等了三个小时。",
    "工作人员马上就来。",
    "养老金没有到账。",
    "小金库问题。",
    "小商品市场。",
    "为百姓解愁",
    "我住在向阳路12号。",
    "县教育局会同消防、卫健、市场监管等部门",
    "县市场监管局、县自然资源局窗口被评为年度“红旗窗口”。",
    "买卖双方均在县内的，可预约办理转移登记。",
    "小微企业免收不动产登记费。",
    "最低生活保障申请书",
    "查验区排队太久，没有引导。",
    "可同步申请食品经营许可，小餐饮当场发证。",
    "分管领导任副组长，一把手任组长。",
    # what is already anonymous stays as it is
    "李某某和张某已经处理。",
]


@pytest.mark.parametrize(("text", "expected"), MOBILES, ids=[t for t, _ in MOBILES])
def test_mobile_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), LANDLINES, ids=[t for t, _ in LANDLINES])
def test_landlines_with_an_area_code(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), LOCAL_NUMBERS, ids=[t for t, _ in LOCAL_NUMBERS])
def test_local_numbers_after_a_word_like_phone(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), ID_NUMBERS, ids=[t for t, _ in ID_NUMBERS])
def test_id_card_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), EMAILS, ids=[t for t, _ in EMAILS])
def test_email_addresses(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), PLATES, ids=[t for t, _ in PLATES])
def test_vehicle_plates(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "expected"), OTHER_NUMBERS, ids=[t for t, _ in OTHER_NUMBERS])
def test_card_numbers_and_messaging_accounts(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(("text", "names", "expected"), NAMES, ids=[t for t, _, _ in NAMES])
def test_names(text, names, expected):
    assert mask(text, names) == expected


@pytest.mark.parametrize("text", NOT_MASKED)
def test_what_the_public_needs_is_left_alone(text):
    assert mask(text) == text


def test_the_writers_name_is_masked_wherever_it_appears():
    text = "欧阳晓峰于3月2日来办理，欧阳晓峰先生说晓峰的材料齐全。"
    assert mask(text, ["欧阳晓峰"]) == "某某于3月2日来办理，某某先生说某某的材料齐全。"


def test_a_name_of_one_character_or_blank_is_ignored():
    assert mask("王说材料齐全。", ["王", "", "  "]) == "王说材料齐全。"


def test_names_are_any_iterable():
    assert mask("刘洋来过两次。", (n for n in ["刘洋"])) == "某某来过两次。"


def test_a_complaint_with_everything_in_it():
    text = ("我叫欧阳晓峰，手机13700001111，邮箱leak.check@example.cn。2026年3月12日我到县市场监督管理局"
            "窗口办营业执照，张科长让我找小陈，小陈说系统坏了。我的身份证511623199001011234、"
            "车牌川A12345都登记过，收费120元。")
    assert mask(text, ["欧阳晓峰"]) == (
        f"我叫某某，手机{P}，邮箱{E}。2026年3月12日我到县市场监督管理局"
        f"窗口办营业执照，某科长让我找某某，某某说系统坏了。我的身份证{ID}、"
        f"车牌{C}都登记过，收费120元。")


def test_mask_contacts_leaves_names():
    assert mask_contacts("张科长的电话是13981234567，邮箱zhang@example.cn") == f"张科长的电话是{P}，邮箱{E}"


def test_empty_text():
    assert mask("") == ""
    assert mask_contacts("") == ""


ALL_INPUTS = [t for t, _ in MOBILES + LANDLINES + LOCAL_NUMBERS + ID_NUMBERS + EMAILS + PLATES + OTHER_NUMBERS] + [
    t for t, _, _ in NAMES] + NOT_MASKED


@pytest.mark.parametrize("text", ALL_INPUTS)
def test_masking_twice_changes_nothing_more(text):
    once = mask(text)
    assert mask(once) == once


def test_deterministic_over_a_long_text():
    """A sanity check on a long text (no timing): the same masking every time, nothing left over."""
    paragraph = ("2026年3月12日，我到县市场监督管理局窗口办营业执照，王小明主任让我打0826-2345678，"
                 "又让我加微信wxid_abc123，我的手机13981234567，身份证511623199001011234。")
    text = "\n".join(paragraph for _ in range(200))
    first = mask(text)
    assert mask(text) == first
    assert first.count(P) == 400 and first.count(ID) == 200 and first.count(A) == 200
    assert first.count("某主任") == 200
    for private in ("13981234567", "2345678", "511623199001011234", "wxid_abc123", "王小明"):
        assert private not in first


def test_a_contact_name_with_a_title_masks_itself_not_the_title():
    assert mask("张先生来电，王先生和刘女士也来了。", ["张先生"]) == "某某来电，某先生和某女士也来了。"
