"""Masking personal data typed into free text, before anything a citizen wrote is published.

Complaints and questions are published only with consent, and only through ``mask``: ID-card
numbers, e-mail addresses, phone numbers (mobile, with +86, spaces or dashes; landlines with an
area code, or any 7–8 digit number next to a word like 电话), vehicle plates, the names the
writer is known by (the contact name they gave), names followed by a title or form of address
(张科长, 刘女士 → 某科长, 某女士), 小陈/老王 and 姓王 forms, and the person names jieba's
part-of-speech tagger finds (王小明 → 某某). It errs towards masking too much: a masked
ordinary word costs a little readability, a published name cannot be taken back.

Deterministic (the same text always masks the same way) and free of any app context, so the
export, the back-office preview and the tests all call the same function.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterable

with warnings.catch_warnings():
    for _category in (SyntaxWarning, DeprecationWarning, UserWarning):
        warnings.simplefilter("ignore", _category)
    import jieba
    import jieba.posseg

ID_MASK = "（身份证号已隐去）"
PHONE_MASK = "（电话号码已隐去）"
EMAIL_MASK = "（电子邮箱已隐去）"
PLATE_MASK = "（车牌号已隐去）"
NAME_MASK = "某某"

#: The commonest Chinese surnames (single and double), enough to recognise "张科长" and "小陈".
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯")
#: Titles and forms of address that follow a surname.
TITLES = (
    "先生", "女士", "小姐", "师傅", "同志", "老师", "阿姨", "大爷", "大妈", "大姐", "大哥", "老板",
    "科长", "副科长", "主任", "副主任", "局长", "副局长", "所长", "股长", "处长", "站长", "队长",
    "书记", "经理", "医生", "警官", "院长", "镇长", "乡长", "村长", "组长", "部长",
)

_SURNAME = f"(?:{'|'.join(COMPOUND_SURNAMES)}|[{SURNAMES}])"
_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|＋)?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d){8}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(?:[(（]0\d{2,3}[)）]|0\d{2,3}[\s\-]?)\d{7,8}(?:[\-转]\d{1,5})?(?![0-9])")
_LOCAL_NUMBER = re.compile(r"((?:电话|手机|座机|号码|联系方式|联系)[是为:：\s]*)\d{7,8}(?![0-9])")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][\s·•]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警]?"
    r"(?![A-Za-z0-9])"
)
_TITLED = re.compile(f"{_SURNAME}(?:[\u4e00-\u9fff]{{0,2}}?)({'|'.join(sorted(TITLES, key=len, reverse=True))})")
_FAMILIAR = re.compile(f"(?<![\u4e00-\u9fff])([小老]){_SURNAME}(?![\u4e00-\u9fff])|([小老]){_SURNAME}(?=[，。、；！？,.;!?\\s]|$)")
_SURNAME_IS = re.compile(f"姓{_SURNAME}")
_NAME_CUE = re.compile(f"((?:名叫|叫做|我叫|他叫|她叫|姓名[是为:：]?|经办人[是为:：]?|工作人员)){_SURNAME}[\u4e00-\u9fff]{{1,2}}")

_lock = threading.Lock()
_tagger: jieba.posseg.POSTokenizer | None = None


def _pos_tagger() -> jieba.posseg.POSTokenizer:
    """A private jieba part-of-speech tagger (with HMM word discovery, which finds unseen names)."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tagger = jieba.posseg.POSTokenizer(tokenizer)
    return _tagger


def mask_contacts(text: str) -> str:
    """Mask ID-card numbers, e-mail addresses, phone numbers and plates (no names)."""
    text = _ID.sub(ID_MASK, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _MOBILE.sub(PHONE_MASK, text)
    text = _LANDLINE.sub(PHONE_MASK, text)
    text = _LOCAL_NUMBER.sub(lambda m: m.group(1) + PHONE_MASK, text)
    return _PLATE.sub(PLATE_MASK, text)


def _mask_tagged_names(text: str) -> str:
    """Person names (nr) as jieba tags them; a lone surname after 小/老 (小陈) with its prefix."""
    out: list[str] = []
    for pair in _pos_tagger().cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        if flag == "nr" and len(word) >= 2 and "某" not in word:
            out.append(NAME_MASK)
        elif flag == "nr" and len(word) == 1 and word in SURNAMES and out and out[-1] in ("小", "老"):
            out[-1] = NAME_MASK
        else:
            out.append(word)
    return "".join(out)


def mask(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with personal data masked; ``names`` are names known to belong to the writer."""
    if not text:
        return ""
    text = mask_contacts(text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, NAME_MASK)
    text = _NAME_CUE.sub(lambda m: m.group(1) + NAME_MASK, text)
    text = _TITLED.sub(lambda m: "某" + m.group(1), text)
    text = _SURNAME_IS.sub("姓某", text)
    text = _FAMILIAR.sub(NAME_MASK, text)
    return _mask_tagged_names(text)
