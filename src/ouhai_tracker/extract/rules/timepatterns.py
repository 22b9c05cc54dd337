"""Time expressions, as data: building blocks and one table of patterns.

Each row of ``TIME_PATTERNS`` is a TimePattern (name, kind, regex); ``extract.timeexpr.RESOLVERS`` has the
function that resolves each name (a test fails when one is missing). The regexes use named
groups that the resolvers turn into a due date:

    y / y2      a year (digits or Chinese numerals); y2 ends a range
    rel         今年 / 本年 / 当年 / 明年 / 后年 / 次年 (relative to the letter's year)
    m, d        month, day
    q           quarter (1-4), half (上 / 下)
    n, unit     a count and a unit for durations (3年内, 六个月内)
    edge        底 / 末 / 中旬 ... (where in the period)
    term        开学 (the start of a school term)

Kinds: date (a period or a day), vague (近期, 尽快 ...), none (下一步, 今后),
recurring (每年, 定期 ...), since (2024年起, 今年以来: a start, never a deadline).
"""
from __future__ import annotations

from typing import NamedTuple

from ouhai_tracker.extract.rules.letters import CN_DAY, CN_MONTH, CN_NUMERALS, YEAR_DIGITS

NUM = r"(?:\d+|[〇零一二两三四五六七八九十百]+)"
YEAR = rf"(?:\d{{4}}|[{YEAR_DIGITS}]{{4}})"
MONTH = rf"(?:1[0-2]|0?[1-9]|{CN_MONTH})"
DAY = rf"(?:3[01]|[12]\d|0?[1-9]|{CN_DAY})"
BEFORE = r"(?:之前|以前|前)"
REL_YEAR = r"(?P<rel>今年|本年度?|当年|明年|次年|后年)"
DASH = r"[—–\-－~～至到]"

# Five-year plans by the year they end (“十四五”期间 is due at the end of 2025).
FIVE_YEAR_PLAN_ENDS = {"十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
# After a time expression, the name of a plan it belongs to (纳入“十四五”规划, “十三五”期间重点发展区域):
# the time names the plan, it sets no deadline.
PLAN_NAME_AFTER = r"(?<=期间)(?:重点|规划)|[”\"](?:期间)?(?:规划|计划|纲要|重点)|期间重点|规划|纲要"

# Words that, right before a time expression, make it the content of something
# reported ("明确到2035年新建…" describes a plan), not a deadline the writer sets.
CONTENT_VERBS = ("明确", "提出", "规定", "要求", "确定", "指导", "部署", "目标")

# Prefixes that turn 每年 into a rate (每人每年120元), not a recurrence.
RATE_PREFIXES = ("每人", "每台", "每张", "每处", "每个", "每名", "每户", "每位", "每亩", "每床")

# Vague deadlines (DOMAIN: 近期, 尽快, 抓紧, 适时).
VAGUE_WORDS = ("近期", "尽快", "抓紧", "适时", "尽早", "及早", "早日", "近日")

# Open-ended future without a date (下一步, 今后), each with what may not follow it
# (下一步工作 is a noun: 下一步工作打算).
UNDATED_WORDS = {"下一步": "(?!工作)", "下步": "(?!工作)", "下一阶段": "(?!的|工作)", "下阶段": "(?!的|工作)",
                 "今后": "", "将来": ""}

# Recurrence words and the period each one repeats over.
RECURRING_WORDS = {
    "每年度": "year", "每一年": "year", "每年": "year", "年年": "year",
    "每半年": "half",
    "每个季度": "quarter", "每季度": "quarter", "每季": "quarter",
    "每个月": "month", "每月": "month",
    "每周": "week", "每星期": "week",
    "每学期": "term", "每个学期": "term",
    "定期": "unspecified", "常态化": "unspecified", "经常性": "unspecified",
}

# Masked before scanning: numbers that look like dates but are not deadlines.
NOT_TIME_PATTERNS = (
    r"《[^《》]*》",  # titles: 三年行动计划, 一号发展工程 ...
    r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号?",  # document numbers 〔2023〕1号
    rf"{NUM}周?岁(?:以[上下])?",  # ages: 40周岁以下
    rf"(?:毕业|工作|从业|任职|参保|缴费|居住|连续|累计|满){NUM}个?(?:年|月)(?:以?内|以上)?",  # eligibility
    rf"{NUM}(?:个)?(?:工作日|小时|分钟)",  # durations of procedures
)

class TimePattern(NamedTuple):
    """A kind of time expression: its name (a resolver in extract.timeexpr has it too), its kind
    (date, vague, none, recurring, since) and its regex."""

    name: str
    kind: str
    regex: str


# The table. Order matters only for equal-length matches at one position;
# overlapping matches are resolved leftmost-longest.
TIME_PATTERNS: tuple[TimePattern, ...] = (
    # --- starts: never deadlines
    TimePattern("since-year", "since", rf"(?:从|自|于)?(?:(?P<y>{YEAR})年|{REL_YEAR})(?:{MONTH}月)?(?:起|开始|以来)"),
    TimePattern("since-recent", "since", r"近(?:年|几年|[两三四五六七八九十]年)来?|近年以来|近年来|多年来|长期以来|此前|目前为止"),
    # --- recurring, with an optional anchor inside the period: 每年3月底前, 每学期开学前后
    TimePattern("recurring", "recurring",
     "(?P<rec>" + "|".join(sorted(RECURRING_WORDS, key=len, reverse=True)) + ")"
     rf"(?:(?P<m>{MONTH})月(?:份)?(?P<edge>底|末|初|中旬|上旬|下旬)?{BEFORE}?|(?P<term>开学)(?:前后|前|初)|(?:初|末|底){BEFORE}?)?"),
    # --- ranges: 2024—2025年, 2024年至2025年
    TimePattern("year-range", "date", rf"(?P<y>{YEAR})年?{DASH}(?P<y2>{YEAR})年(?:底|末|年底)?{BEFORE}?"),
    # --- a day, a month, a month-end, a school term start, with a year or relative year or neither
    TimePattern("ymd", "date", rf"(?:(?P<y>{YEAR})年|{REL_YEAR})?(?P<m>{MONTH})月(?P<d>{DAY})[日号](?:{DASH}(?:{MONTH}月)?{DAY}[日号])?{BEFORE}?"),
    TimePattern("ym-term", "date", rf"(?:(?P<y>{YEAR})年|{REL_YEAR})?(?:秋季|春季)?(?:(?P<m>{MONTH})月份?)?(?:秋季|春季)?(?P<term>开学)(?:前|之前|以前)"),
    TimePattern("ym-range", "date", rf"(?:(?P<y>{YEAR})年|{REL_YEAR})?{MONTH}月?{DASH}(?P<m>{MONTH})月份?(?P<edge>底|末)?{BEFORE}?"),
    TimePattern("ym", "date", rf"(?:(?P<y>{YEAR})年|{REL_YEAR})?(?P<m>{MONTH})月份?(?P<edge>底|末|初|中旬|上旬|下旬)?{BEFORE}?(?![\d{CN_NUMERALS}日号])"),
    # --- quarters and halves
    TimePattern("quarter", "date", rf"(?:(?P<y>{YEAR})年|{REL_YEAR})?第?(?P<q>[一二三四1-4])季度(?:末|底)?{BEFORE}?"),
    TimePattern("half", "date", rf"(?:(?P<y>{YEAR})年?|{REL_YEAR})?(?P<half>上半年|下半年)(?:末|底)?{BEFORE}?"),  # (2022上半年)
    # --- years and year-ends: 2024年底前, 到2025年, 今年年底前, 年内
    TimePattern("year", "date", rf"(?:到|至|在)?(?P<y>{YEAR})年(?:年底|年末|底|末|内|年内)?{BEFORE}?(?![\d〇零{CN_NUMERALS}]*月)"),
    TimePattern("rel-year", "date", rf"{REL_YEAR}(?:年底|年末|底|末|内|年内)?{BEFORE}?"),
    TimePattern("this-year", "date", r"(?P<rel>年内|年底前|年底|年末前|年末|本年度内|年度内|今明两年(?:内)?)"),
    TimePattern("this-month", "date", r"(?:本|当)?月底(?:之前|以前|前)?|本月内"),
    TimePattern("half-year", "date", r"半年(?:以内|之内|内)"),
    TimePattern("five-year-plan", "date", r"[“\"]?(?P<plan>" + "|".join(FIVE_YEAR_PLAN_ENDS) + r")[”\"]?(?:期间|末|时期|内)"),
    # --- durations from the letter's date: 3年内, 六个月内, 两年之内
    TimePattern("within", "date", rf"(?P<n>{NUM})(?:个)?(?P<unit>年|月|周|天|日)(?:以内|之内|内)"),
    # ... and the time a plan takes: 利用2年时间, 用三个月时间
    TimePattern("time-taken", "date", rf"(?:利用|用|花)(?P<n>{NUM})(?:个)?(?P<unit>年|月)(?:的)?时间"),
    # --- vague and undated
    TimePattern("vague", "vague", "|".join(VAGUE_WORDS)),
    TimePattern("undated", "none", "|".join(word + guard for word, guard in UNDATED_WORDS.items())),
)

# Patterns that may name a month without its year (4月份, 5月20日): a year named before them in
# the paragraph is theirs.
MONTH_PATTERNS = ("ymd", "ym", "ym-range", "ym-term")

# A pattern can only match where one of these stands in the text, and the match holds it within
# REACH characters (before, after) of its ends: the pattern is only run on those stretches.
REACH = (16, 12)
NEEDLES = {
    "ymd": ("日", "号"), "ym-term": ("开学",), "ym": ("月",), "ym-range": ("月",), "quarter": ("季",), "half": ("半年",),
    "year-range": ("年",), "year": ("年",), "rel-year": ("年",), "this-year": ("年",),
    "five-year-plan": ("五",), "within": ("内",), "time-taken": ("时间",), "this-month": ("月底", "本月"),
    "half-year": ("半年",),
    "since-year": ("起", "开始", "以来"),
    # (every word of RECURRING_WORDS, the 每 ones by their 每)
    "recurring": tuple(sorted({"每" if word.startswith("每") else word for word in RECURRING_WORDS})),
}
