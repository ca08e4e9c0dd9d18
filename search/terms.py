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
