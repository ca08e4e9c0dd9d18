"""Domain words of county government services, added to jieba's dictionary.

jieba's stock dictionary cuts these terms into pieces (一单/收费, 即/办/件); added as words they
are indexed and queried whole, and their dictionary sub-words (收费, 投诉, 服务, 中心) are still
indexed. Data only: this module imports nothing. Changing the list changes segmentation, so the
back-office index must be rebuilt afterwards.
"""

DOMAIN_TERMS: tuple[str, ...] = (
    # Ways of handling a service item
    "即办件",
    "承诺件",
    "一单收费",
    "一窗受理",
    "一网通办",
    "一次性告知",
    "容缺受理",
    "告知承诺制",
    "最多跑一次",
    # The service hall and its people
    "政务服务中心",
    "便民服务中心",
    "首席代表",
    "帮办代办",
    # Oversight
    "好差评",
    "效能投诉",
    "效能监察",
    "办事指南",
    "权力清单",
    "责任清单",
)


#: What citizens ask of an office's page besides its name: where it is, when it is open, its phones.
#: Both engines index them as the aliases of every department record.
DEPARTMENT_QUESTIONS: tuple[str, ...] = (
    "电话", "联系电话", "咨询电话", "地址", "位置", "几楼", "窗口", "办公时间", "上班时间", "工作时间",
)
#: The words that lead to the online question form and its lookup (网上咨询).
QUESTION_WORDS: tuple[str, ...] = (
    "网上咨询", "在线咨询", "咨询", "提问", "留言", "问答", "咨询查询", "咨询电话", "在线问问题", "问问题",
)
#: The words that lead to the complaint channels, the complaint and case lookups and rating.
CHANNEL_WORDS: tuple[str, ...] = (
    "投诉", "投诉举报", "举报", "效能投诉", "在线投诉", "投诉电话", "投诉查询", "查询办件", "办件查询",
    "办件进度", "进度查询", "办到哪一步", "申请进度", "好差评", "评价", "我要评价", "差评", "打差评",
)
