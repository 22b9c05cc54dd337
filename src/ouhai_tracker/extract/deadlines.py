"""A commitment's deadline from the time expressions and conditions in its text.

Conditional (待…后, 若…, 视…情况) comes first: there is no date until the
condition is met. Then the most specific future date, then a recurrence, then
a vague word (近期 → letter date + 3 months), then nothing (下一步 → letter
date + 12 months). Default periods come from ``Settings``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ouhai_tracker.extract import model as M
from ouhai_tracker.extract.rules import cues as C
from ouhai_tracker.extract.rules import timepatterns as T
from ouhai_tracker.extract.rules.timepatterns import CONTENT_VERBS
from ouhai_tracker.extract.timeexpr import TimeMention, add_months

CLAUSE_MARK = re.compile(r"[，,。；;：:]")
NAMED_PERIOD = re.compile(T.PLAN_NAME_AFTER)
LISTED = re.compile(r"[\u4e00-\u9fff]{0,6}、")
PRECISION = {"day": 0, "month": 1, "quarter": 2, "half": 3, "year": 4}


@dataclass(frozen=True)
class Condition:
    start: int
    end: int  # the whole conditional phrase (待…后)
    text: str  # the condition itself (正式入选)
    own: bool = True  # a condition of its own (待…后), not a qualified object (对于未…的路口)


@lru_cache(maxsize=1)
def _condition_res():
    return ([(re.compile(rx), True) for rx in C.CONDITIONS]
            + [(re.compile(rx), False) for rx in C.QUALIFIED_CONDITIONS])


@lru_cache(maxsize=1)
def _any_condition() -> re.Pattern:
    """All the condition patterns in one: it matches wherever one of them does."""
    return re.compile(f"(?:{C.CONDITION_START})(?:"
                      + "|".join(f"(?:{rx.replace('(?P<cond>', '(?:')})" for rx in (*C.CONDITIONS, *C.QUALIFIED_CONDITIONS))
                      + ")")


def find_conditions(text: str, lo: int, hi: int) -> list[Condition]:
    # Most clauses hold no condition: one search says so, instead of a scan per pattern.
    if not _any_condition().search(text, lo, hi):
        return []
    found = []
    for rx, own in _condition_res():
        for m in rx.finditer(text, lo, hi):
            found.append(Condition(m.start(), m.end(), m.group("cond").strip(), own))
    found.sort(key=lambda c: c.start)
    return found


def is_deadline_use(text: str, t: TimeMention) -> bool:
    """A time expression used as a deadline, not as an attribute or reported content."""
    if t.kind == "since":
        return False
    if (text[t.end:t.end + 1] == "的" and not t.text.endswith(("性", "化"))) \
            or text[t.start - 1:t.start] in ("的", "从") and t.start > 0:
        return False  # …纳入市教育局的2021-2022年项目库 / 从2024年专项债中争取: an attribute, a source
    if NAMED_PERIOD.match(text, t.end):
        return False  # 纳入“十四五”规划, “十三五”期间重点发展区域: a plan's name
    if t.period in ("day", "month") and (text[t.start - 1:t.start] == "、" or LISTED.match(text, t.end)):
        return False  # 围绕元旦、5月全民健身月、8月8日全民健身日等节点: dates in a list of occasions
    # 明确到2035年…, 提出将在下一阶段…: content another text set, reported.
    before = CLAUSE_MARK.split(text[max(0, t.start - 5):t.start])[-1]
    return not any(v in before for v in CONTENT_VERBS)


def resolve(text: str, times: list[TimeMention], conditions: list[Condition], letter_date: date,
            settings: M.Settings, inherited: Sequence[TimeMention] = (), earliest: date | None = None,
            page_dated: bool = False) -> M.Deadline:
    """``earliest``: the first day a written date may promise (the letter's date, or some weeks
    before a page's date, which may come after the writing). ``page_dated``: the letter's date is
    its page's, so the months of the year its paragraph plans (今年…。4月份…) still promise."""
    earliest = earliest or letter_date
    usable = [t for t in times if is_deadline_use(text, t)
              and not any(c.start <= t.start < c.end for c in conditions)]
    # 将于年内在有条件的中心设立…: a date the clause sets wins over a qualified object's condition.
    dated = any(t.kind == "date" and t.due and t.due >= earliest for t in usable)
    if dated and not any(c.own for c in conditions):
        conditions = []
    if conditions:
        c = conditions[0]
        return M.Deadline(M.CONDITIONAL, None, False, text[c.start:c.end], c.text,
                          "conditional: no date until the condition is met", None, c.start, c.end)
    if not usable:
        usable = list(inherited)
    future = [t for t in usable if t.kind == "date" and t.due
              and (t.due >= earliest or (page_dated and t.framed and t.due.year >= letter_date.year))]
    if future:
        t = min(future, key=lambda t: (PRECISION.get(t.period or "year", 4), t.start))
        return M.Deadline(M.DATE, t.due, False, t.text, None, t.rule, None, t.start, t.end)
    for t in usable:
        if t.kind == "recurring":
            return M.Deadline(M.RECURRING, t.due, t.period == "unspecified", t.text, None, t.rule,
                              t.period, t.start, t.end)
    for t in usable:
        if t.kind == "vague":
            due = add_months(letter_date, settings.vague_months)
            return M.Deadline(M.VAGUE, due, True, t.text, None,
                              f"vague ({t.text}): letter date + {settings.vague_months} months", None, t.start, t.end)
    undated = next((t for t in usable if t.kind == "none"), None)
    due = add_months(letter_date, settings.undated_months)
    rule = f"no date: letter date + {settings.undated_months} months (the next session's review)"
    if undated is not None:
        return M.Deadline(M.NONE, due, True, undated.text, None, rule, None, undated.start, undated.end)
    return M.Deadline(M.NONE, due, True, None, None, rule)
