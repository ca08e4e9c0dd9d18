"""Masking personal data typed into free text, before anything a citizen wrote is published.

Complaints and questions are published only with consent, and only through ``mask``: ID-card
numbers, e-mail addresses, phone numbers (mobile, with +86, spaces or dashes; landlines with an
area code, or any 7–8 digit number next to a word like 电话), long card or account numbers, QQ
and WeChat ids, vehicle plates, the names the writer is known by (the contact name they gave,
and its given name alone), names followed by a title or form of address (张科长, 刘女士 →
某科长, 某女士), 小陈/老王 and 姓王 forms, names after 我叫/名叫, and the person names
jieba's part-of-speech tagger finds (王小明 → 某某). It errs towards masking too much: a
masked ordinary word costs a little readability, a published name cannot be taken back.

Numbers are matched on a copy of the text with full-width digits and letters folded to ASCII
(１３９… typed with a Chinese input method), then replaced in the text as written. Names are
found as spans over one part-of-speech tagging of the text, so a rule can ask whether a
candidate is in fact an ordinary word (项目经理, 小时, 马上) before masking it.

Deterministic (the same text always masks the same way) and free of any app context, so the
export, the back-office preview and the tests all call the same function.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

with warnings.catch_warnings():
    for _category in (SyntaxWarning, DeprecationWarning, UserWarning):
        warnings.simplefilter("ignore", _category)
    import jieba
    import jieba.posseg

ID_MASK = "（身份证号已隐去）"
PHONE_MASK = "（电话号码已隐去）"
EMAIL_MASK = "（电子邮箱已隐去）"
PLATE_MASK = "（车牌号已隐去）"
NUMBER_MASK = "（号码已隐去）"
ACCOUNT_MASK = "（联系方式已隐去）"
NAME_MASK = "某某"
MASKS = (ID_MASK, PHONE_MASK, EMAIL_MASK, PLATE_MASK, NUMBER_MASK, ACCOUNT_MASK)

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
#: Characters that end an office's name (管理局, 服务中心, 办公室): not part of a person's given name.
_OFFICE_CHARS = "局厅委办处科室股所站队院部中心组会司社团校馆"
#: Particles, prepositions and pronouns that follow a name rather than belong to it.
_FUNCTION_CHARS = "的了是在说讲和与跟把被给对向让叫也都就还又不没很等我你他她它们吗呢吧啊来去到从"
#: A person's name tagged by jieba but ending like a place or an office (向阳路, 高新区, 卫健委) is not one.
_PLACE_ENDINGS = "路街巷道区镇乡村县市省州局厅站店馆厂校园委办院所队部处科司"
#: Offices' short names that jieba takes for people's names.
_NOT_NAMES = frozenset({"卫健", "卫计", "林草", "安监"})

_SURNAME = f"(?:{'|'.join(COMPOUND_SURNAMES)}|[{SURNAMES}])"
_NAME_CHAR = f"(?:(?![{_FUNCTION_CHARS}])[\u4e00-\u9fff])"
_GIVEN_CHAR = f"(?:(?![{_FUNCTION_CHARS}{_OFFICE_CHARS}副])[\u4e00-\u9fff])"
_TITLES_LONGEST_FIRST = tuple(sorted(TITLES, key=len, reverse=True))
_TITLE = "|".join(_TITLES_LONGEST_FIRST)

# --- contact details (matched on the folded text) -------------------------------------------
_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}[\s\-]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[\s\-]?\d{3}[\dXx]"
    r"(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])",
    re.ASCII,
)
_LONG_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])\d{4}(?:[\s\-]?\d{4}){2}[\s\-]?\d{3,4}(?:[\s\-]?\d{1,4})?(?![0-9A-Za-z])", re.ASCII)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", re.ASCII)
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d){8}(?![0-9])", re.ASCII)
_LANDLINE = re.compile(r"(?<![0-9])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[\s\-]?)\d{7,8}(?:(?:-|转)\d{1,5})?(?![0-9])", re.ASCII)
_LOCAL_NUMBER = re.compile(r"(?:电话|手机|座机|固话|号码|联系方式|联系|拨打|致电)[是为:：\s]*(\d{7,8})(?![0-9])", re.ASCII)
_IM_ACCOUNT = re.compile(r"(?:QQ|qq|Qq|微信号?|vx|VX|wx)[号是为:：\s]*([A-Za-z0-9][A-Za-z0-9_\-]{4,19})(?![A-Za-z0-9_\-])")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][\s·•\-]?"
    r"(?=[A-HJ-NP-Z]{0,3}\d)[A-HJ-NP-Z0-9]{4,5}"
    r"[A-HJ-NP-Z0-9挂学警港澳领使]?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
#: In the order they claim text: an ID number is not also a phone number.
_CONTACT_RULES: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (_ID, ID_MASK, 0),
    (_EMAIL, EMAIL_MASK, 0),
    (_MOBILE, PHONE_MASK, 0),
    (_LONG_NUMBER, NUMBER_MASK, 0),
    (_LANDLINE, PHONE_MASK, 0),
    (_LOCAL_NUMBER, PHONE_MASK, 1),
    (_IM_ACCOUNT, ACCOUNT_MASK, 1),
    (_PLATE, PLATE_MASK, 0),
)
#: Full-width digits, Latin letters and the signs of addresses → ASCII, one character for one.
_FOLD = str.maketrans(
    {**{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "＠": "@", "＋": "+", "．": ".", "－": "-", "＿": "_", "\u3000": " "}
)

# --- names (matched on the text with contacts masked) ----------------------------------------
_STRONG_CUE = re.compile(f"(?:名叫|叫做|我叫|他叫|她叫|姓名[是为:：]?|联系人[是为:：]?)\\s*({_SURNAME}{_NAME_CHAR}{{1,2}})")
_WEAK_CUE = re.compile(f"(?:工作人员|经办人|办事员|接待人|受理人|负责人)[是为:：]?({_SURNAME})")
_TITLED = re.compile(f"({_SURNAME}{_GIVEN_CHAR}{{0,2}}?)(?:{_TITLE})")
_SURNAME_IS = re.compile(f"姓({_SURNAME})")
_FAMILIAR = re.compile(f"[小老]({_SURNAME})")

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


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    replacement: str
    #: Among spans starting at one place and as long, the lower rank wins.
    rank: int = 0


def _apply(text: str, spans: Iterable[_Span]) -> str:
    """Replace non-overlapping spans: the earliest first, then the longest, then the best ranked."""
    out: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.rank)):
        if span.start < position:
            continue
        out.append(text[position:span.start])
        out.append(span.replacement)
        position = span.end
    out.append(text[position:])
    return "".join(out)


def mask_contacts(text: str) -> str:
    """Mask ID-card, phone, card and account numbers, e-mail addresses and plates (no names)."""
    if not text:
        return ""
    folded = text.translate(_FOLD)
    spans: list[_Span] = []
    taken: list[tuple[int, int]] = []
    for rank, (pattern, replacement, group) in enumerate(_CONTACT_RULES):
        for match in pattern.finditer(folded):
            start, end = match.span(group)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            spans.append(_Span(start, end, replacement, rank))
    return _apply(text, spans)


class _Tagging:
    """One part-of-speech tagging of a text, asked about by character offset."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[int, int, str, str]] = []
        self.starting: dict[int, tuple[int, int, str, str]] = {}
        position = 0
        for pair in _pos_tagger().cut(text, HMM=True):
            token = (position, position + len(pair.word), pair.word, pair.flag)
            self.tokens.append(token)
            self.starting[position] = token
            position += len(pair.word)
        self.words = _pos_tagger().word_tag_tab

    def at(self, offset: int) -> tuple[int, int, str, str] | None:
        """The token starting exactly at ``offset`` (None inside a token)."""
        return self.starting.get(offset)

    def ordinary_word(self, word: str) -> bool:
        """A dictionary word that is not a person's name (项目, 小时, 马上, 健康)."""
        flag = self.words.get(word)
        return flag is not None and not flag.startswith("nr")


def _given_name_spans(text: str, names: Iterable[str]) -> list[_Span]:
    """The writer's own names, and a given name of two characters or more on its own (晓峰 of 欧阳晓峰)."""
    forms: set[str] = set()
    for name in names:
        name = re.sub(r"\s+", "", name or "")
        if len(name) < 2:
            continue
        forms.add(name)
        if name.endswith(TITLES):
            continue  # 张先生: 先生 alone is no one's name
        surname = next((s for s in COMPOUND_SURNAMES if name.startswith(s)), name[0] if name[0] in SURNAMES else "")
        if surname and len(name) - len(surname) >= 2:
            forms.add(name[len(surname):])
    spans = []
    for form in forms:
        for match in re.finditer(re.escape(form), text):
            spans.append(_Span(match.start(), match.end(), NAME_MASK, 0))
    return spans


def _cue_spans(text: str, tags: _Tagging) -> list[_Span]:
    spans = []
    for match in _STRONG_CUE.finditer(text):
        start, end = match.span(1)
        token = tags.at(start)
        if token is not None and start + 2 <= token[1] <= end:
            end = token[1]  # jieba's word boundary: 王芳|来 rather than 王芳来
        spans.append(_Span(start, end, NAME_MASK, 1))
    for match in _WEAK_CUE.finditer(text):
        token = tags.at(match.start(1))
        if token is None or not 2 <= len(token[2]) <= 4 or tags.ordinary_word(token[2]):
            continue  # 工作人员冷漠, 工作人员马上: a word, not a name
        spans.append(_Span(token[0], token[1], NAME_MASK, 1))
    return spans


def _titled_spans(text: str, tags: _Tagging) -> list[_Span]:
    spans = []
    for match in _TITLED.finditer(text):
        start, end = match.span(1)
        token = tags.at(start)
        surname = _surname_at(text, start)
        if token is None:
            continue  # the surname is inside a word (监管局长)
        if len(token[2]) <= len(surname) and token[3] in ("p", "c", "r", "v", "d"):
            continue  # 向主任反映, 和科长说, 分管领导任副组长: not a surname here
        if end - start > len(surname):
            if len(token[2]) >= 2 and tags.ordinary_word(token[2]):
                continue  # 项目经理, 健康局长
        elif token[1] > end and not token[3].startswith("nr"):
            continue  # 任组长: one word with the title
        spans.append(_Span(start, end, "某", 0))
    return spans


def _surname_at(text: str, start: int) -> str:
    return next((s for s in COMPOUND_SURNAMES if text.startswith(s, start)), text[start])


def _surname_is_spans(text: str, tags: _Tagging) -> list[_Span]:
    """姓王 → 姓某; not the 姓 of 百姓."""
    return [_Span(m.start(1), m.end(1), "某", 0) for m in _SURNAME_IS.finditer(text) if tags.at(m.start())]


#: 小/老 + a surname that is an ordinary word (jieba's dictionary also lists 老张 and 小马, as nouns).
_FAMILIAR_WORDS = frozenset(
    "小时 老师 小于 小麦 小米 小车 小路 老路 小费 小农 老农 小商 小康 小曲 小房 老房 小解 小孔 小包 小牛 老牛 "
    "老成 老翁 小钱 小毛 老毛 小石 小宗 小池 小边 老边 小项 小景 老景 小季 老庄 小龙 小苗 小谷 小付 小许 老许 "
    "小成 小卫 小吃 小白 老白 小方 老方 小冷 小单".split()
)


def _familiar_spans(text: str, tags: _Tagging) -> list[_Span]:
    """小陈, 老王: not 小时, 老师, 小金库, 小马上, nor the 老 of 养老."""
    spans = []
    for match in _FAMILIAR.finditer(text):
        start, end = match.start(), match.end()
        token = tags.at(start)
        if token is None or text[start:end] in _FAMILIAR_WORDS:
            continue
        if len(token[2]) > 2 and token[2] in tags.words:
            continue  # 小金库, 小商品, 小龙虾
        inner = tags.at(start + 1)
        if inner is not None and len(inner[2]) >= 2 and tags.ordinary_word(inner[2]):
            continue  # 小|范围, 老|实在
        spans.append(_Span(start, end, NAME_MASK, 2))
    return spans


#: Tags of words that do not continue a name after a lone surname (王|说, 张|不在, 李|办理).
_NOT_GIVEN_NAME_TAGS = ("p", "c", "u", "r", "x", "m", "q", "f", "y", "e", "o", "d", "a", "ad", "v", "vn", "eng")
#: Dictionary words that jieba tags as names but that end like an ordinary noun (许可证, 申请人, 王府井).
_NOUN_ENDINGS = "证人书表单卡费员者性感法权史井语"


def _tagged_name_spans(text: str, tags: _Tagging) -> list[_Span]:
    """Person names (nr) as jieba tags them, with a surname it split off (欧阳|晓峰, 孙|红梅, 吴|国庆).

    jieba's dictionary calls many ordinary words names (许可, 阳光, 齐全, 申请人, 承诺书), while the
    names of living people are mostly not in it and are found by its HMM (张伟, 王芳). So a tagged
    word must start with a surname; a two-character word from the dictionary, and a longer one
    that is a dictionary word plus a noun ending (申请|人, 许可|证), are taken for words.
    """
    spans = []
    tokens = tags.tokens
    for index, (start, end, word, flag) in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if flag == "nr" and len(word) == 1 and word in SURNAMES and following is not None \
                and _continues_name(following):
            spans.append(_Span(start, following[1], NAME_MASK, 3))
            continue
        if flag not in ("nr", "nrfg") or not 2 <= len(word) <= 4 or "某" in word or word[-1] in _PLACE_ENDINGS \
                or word in _NOT_NAMES or (len(word) == 4 and not word.startswith(COMPOUND_SURNAMES)):
            continue
        if previous is not None and (previous[2] in COMPOUND_SURNAMES or (
                len(previous[2]) == 1 and previous[2] in SURNAMES and previous[3] not in _NOT_GIVEN_NAME_TAGS)):
            start = previous[0]  # the surname jieba split off
        elif not _starts_with_surname(word):
            continue
        elif len(word) == 2 and word in tags.words:
            continue  # 许可, 阳光, 齐全
        elif len(word) > 2 and (tags.ordinary_word(word[:2])
                                or (word[:2] in tags.words and word[-1] in _NOUN_ENDINGS)):
            continue  # 申请人, 许可证
        title = next((t for t in _TITLES_LONGEST_FIRST if word.endswith(t) and len(word) > len(t)), "")
        spans.append(_Span(start, end - len(title), "某" if title else NAME_MASK, 3))
    return spans


def _continues_name(token: tuple[int, int, str, str]) -> bool:
    """The token after a lone surname is its given name (吴|国庆), not a verb or a title (王|科长)."""
    word, flag = token[2], token[3]
    return (1 <= len(word) <= 2 and all("\u4e00" <= c <= "\u9fff" for c in word)
            and word[0] not in _FUNCTION_CHARS + _OFFICE_CHARS and flag not in _NOT_GIVEN_NAME_TAGS
            and not word.startswith(_TITLES_LONGEST_FIRST) and "某" not in word)


def _starts_with_surname(word: str) -> bool:
    return word[0] in SURNAMES or word.startswith(COMPOUND_SURNAMES)


_NAME_RULES: tuple[Callable[[str, _Tagging], list[_Span]], ...] = (
    _cue_spans, _titled_spans, _surname_is_spans, _familiar_spans, _tagged_name_spans,
)


def _inside_masks(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for mask_text in MASKS for m in re.finditer(re.escape(mask_text), text)]


def mask(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with personal data masked; ``names`` are names known to belong to the writer."""
    if not text:
        return ""
    text = mask_contacts(text)
    text = _apply(text, _given_name_spans(text, names))
    tags = _Tagging(text)
    spans: list[_Span] = []
    for rule in _NAME_RULES:
        spans.extend(rule(text, tags))
    masked = _inside_masks(text)
    spans = [s for s in spans if not any(s.start < m_end and m_start < s.end for m_start, m_end in masked)]
    return _apply(text, spans)


@lru_cache(maxsize=20_000)
def mask_for_publication(text: str, name: str) -> str:
    """``mask(text, [name])``, remembered: masking tags the text's parts of speech (milliseconds a
    text) and is deterministic, and every publish exports every published complaint and answer
    again, unchanged but for the few just answered. Strings in, strings out: nothing shared can be
    changed."""
    return mask(text, [name])
