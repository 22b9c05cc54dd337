"""How letters cite policies, as data: the words around a 《title》 and its document number."""
from __future__ import annotations

# Words that can stand right before a document number but are not part of it
# (印发了瓯委改发〔2023〕1号文件: the number is 瓯委改发〔2023〕1号).
NUMBER_LEAD_WORDS = ("先后出台", "出台了", "印发了", "制定了", "下发了", "依据", "根据", "按照", "出台", "印发",
                     "制定", "下发", "转发", "贯彻", "落实", "了", "和", "及", "与", "的", "是", "以", "在")
# Verbs that issue a policy: a year shortly before one is the policy's year (2022年印发了《…》).
ISSUE_VERBS = ("印发", "出台", "批复", "修订", "制定", "发布", "颁布", "下发", "出台了", "印发了")
# ... unless it starts a span of time (2020年以来, 2021年起).
SINCE_WORDS = ("以来", "起")
# A title that ends with one of these is a newspaper or a booklet, not a policy (《瓯海日报》).
MEDIA_END = ("日报", "晚报", "报", "新闻", "周刊", "杂志", "口袋书", "读本", "画册", "简报")
# ... or is one when one of these follows it (《瓯海新闻》栏目).
MEDIA_AFTER = ("栏目", "专栏", "节目", "公众号", "频道", "版面", "报道", "专刊", "期刊", "电视", "广播", "客户端")
# A form to fill in, not a policy (《…办理情况反馈意见表》).
FORM_END = ("表", "回执", "回执卡")
